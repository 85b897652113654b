"""Disputes where two voices give one event two accounts (stages/consolidate/accounts.py): what
brought an aircraft down, what strikes hit, who came out ahead. Code proposes a sentence of each
account by two named voices, the model confirms; in three languages and in the samples' reports."""

from __future__ import annotations

import re
from pathlib import Path

from fake_model import FakeModel

from summarizer.llm.client import LLM
from summarizer.llm.endpoint import Endpoint
from summarizer.stages.consolidate.accounts import (
    AIRCRAFT_DOWN, STRIKES_HIT, WHAT_THE_KILLING_WAS, WHO_PREVAILED, account_disputes, account_pairs,
)
from summarizer.stages.load import from_text, load
from summarizer.stages.segment import segment

SAMPLES = Path(__file__).parent.parent / "samples" / "tinzaouatene"


def articles_of(texts: list[str]):
    return [segment(from_text(t)) for t in texts]


def samples():
    return [segment(a) for a in load(SAMPLES).articles]


def scripted(answer) -> LLM:
    fake = FakeModel(lambda name, body: {"answer": answer(body["messages"][-1]["content"])})
    return LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False), fake


# --------------------------------------------------------------------------- what brought an aircraft down
FRENCH_AIRCRAFT = [
    "Les rebelles affirment avoir abattu un hélicoptère de l'armée près de Gao.\n\n"
    "Le Front a indiqué que l'appareil avait été touché par ses tirs.",
    "Selon l'état-major, l'hélicoptère s'est écrasé à la suite d'une panne technique lors d'une mission de routine.",
]
SPANISH_AIRCRAFT = [
    "La guerrilla aseguró que derribó un helicóptero del Ejército en el Cauca.",
    "El Ejército dijo que el helicóptero cayó por una falla técnica y que la tripulación sobrevivió.",
]




def test_an_attack_one_voice_claims_is_set_against_the_accident_another_gives_in_two_languages():
    (french,) = account_pairs(AIRCRAFT_DOWN, articles_of(FRENCH_AIRCRAFT), {})
    attack, accident, aircraft = french
    assert (attack.by, accident.by, aircraft) == ("Les rebelles", "l'état-major", "helicopter")
    (spanish,) = account_pairs(AIRCRAFT_DOWN, articles_of(SPANISH_AIRCRAFT), {})
    assert (spanish[0].by, spanish[1].by) == ("La guerrilla", "El Ejército")


def test_no_pair_within_one_voice_from_the_reporters_narration_or_without_an_accidents_cause():
    one_voice = ["The rebels said they shot down a helicopter.",
                 "The rebels said the helicopter crashed on a routine mission."]
    assert account_pairs(AIRCRAFT_DOWN, articles_of(one_voice), {}) == []
    narrated = ["Rebels shot down a helicopter near Gao.", "The army said the helicopter crashed on a routine mission."]
    assert account_pairs(AIRCRAFT_DOWN, articles_of(narrated), {}) == []  # the reporter's own narration takes no side
    no_cause = ["The rebels said they shot down a helicopter.", "The army said a helicopter crashed near Gao."]
    assert account_pairs(AIRCRAFT_DOWN, articles_of(no_cause), {}) == []  # "crashed" alone gives no cause
    other_aircraft = ["The rebels said they shot down a drone.", "The army said a helicopter crashed on a routine mission."]
    assert account_pairs(AIRCRAFT_DOWN, articles_of(other_aircraft), {}) == []


def test_the_samples_helicopter_is_one_pair_the_coalitions_claim_against_the_armys_routine_mission():
    articles = [segment(a) for a in load(SAMPLES).articles]
    (pair,) = account_pairs(AIRCRAFT_DOWN, articles, {})
    attack, accident, aircraft = pair
    assert aircraft == "helicopter" and "damaged a helicopter" in attack.text and attack.by == "The CSP-PSD"
    assert "routine mission" in accident.text and accident.by == "The Malian army"  # "..., it said": the army before


def plain_reading(name: str, body: dict) -> dict:
    """A plain reading: yes where A claims an attack and B gives a technical cause."""
    assert name == "PairCheck"
    text = body["messages"][-1]["content"]
    second = re.search(r"^Sentence B \(by .*?\): (.*)$", text, re.M)[1]
    return {"answer": "yes" if re.search(r"técnica|technique|routine", second) else "no"}


def test_the_model_confirms_each_pair_and_the_dispute_is_its_two_sentences_with_their_claimants():
    articles = articles_of(SPANISH_AIRCRAFT)
    refused = FakeModel(lambda name, body: {"answer": "no"})
    llm = LLM(Endpoint(model="scripted", base_url=refused.base_url), chat_model=refused, cache=False)
    assert account_disputes(articles, {}, llm)[0] == []  # what the model does not confirm is not shown
    fake = FakeModel(plain_reading)
    llm = LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False)
    (dispute,), usage = account_disputes(articles, {}, llm, language="es")
    assert len(fake.requests_for("PairCheck")) == 1 and usage.calls == 1
    assert dispute.kind == "cause" and dispute.question == "¿Qué derribó la aeronave (helicóptero)?"
    assert [(p.claimant, p.statement) for p in dispute.positions] == [("La guerrilla", SPANISH_AIRCRAFT[0]),
                                                                      ("El Ejército", SPANISH_AIRCRAFT[1])]
    assert account_disputes(articles, {}, None) == ([], usage.__class__())  # without a model, none shown


# --------------------------------------------------------------------------- what strikes hit
FRENCH_STRIKES = [
    "Frappes aériennes près de Kidal\n\nL'armée a mené des frappes aériennes dans la nuit. "
    "Selon l'état-major, des cibles terroristes ont été détruites.",
    "Frappes\n\nSelon les habitants, plusieurs civils ont été tués par un drone sur un marché.",
]
SPANISH_STRIKES = [
    "Bombardeo\n\nEl Ejército bombardeó la zona. El ministro dijo que los objetivos fueron alcanzados con precisión.",
    "Bombardeo\n\nSegún la Defensoría, varios niños murieron en el bombardeo.",
]




def test_targets_one_voice_says_were_hit_are_set_against_civilians_another_says_a_strike_killed_in_two_languages():
    ((targets, civilians, _),) = account_pairs(STRIKES_HIT, articles_of(FRENCH_STRIKES), {})
    assert (targets.by, civilians.by) == ("l'état-major", "les habitants")
    ((targets, civilians, _),) = account_pairs(STRIKES_HIT, articles_of(SPANISH_STRIKES), {})
    assert (targets.by, civilians.by) == ("El ministro", "la Defensoría")


def test_no_pair_within_one_voice_from_narration_or_for_targets_not_said_to_be_the_strikes():
    one_voice = ["Strikes\n\nThe army carried out strikes. The army said targets were hit.",
                 "Strikes\n\nThe army said civilians were killed by a drone."]
    assert account_pairs(STRIKES_HIT, articles_of(one_voice), {}) == []
    narrated = ["Strikes\n\nThe army carried out strikes. Targets were hit near the town.",
                "Strikes\n\nResidents said civilians were killed by a drone."]
    assert account_pairs(STRIKES_HIT, articles_of(narrated), {}) == []
    on_the_ground = ["Fighting\n\nThe rebels attacked the base. The army said five targets were dealt with.",
                     "Strikes\n\nResidents said civilians were killed by a drone."]
    assert account_pairs(STRIKES_HIT, articles_of(on_the_ground), {}) == []  # no strike near the targets, another report


def test_the_samples_strikes_are_the_armys_targets_against_the_coalitions_civilians():
    articles = [segment(a) for a in load(SAMPLES).articles]
    ((targets, civilians, _),) = account_pairs(STRIKES_HIT, articles, {})
    assert "high-value targets" in targets.text and targets.by == "the Malian army"  # "It added": the army before
    assert "civilians" in civilians.text and "Permanent Strategic Framework" in civilians.by


def test_the_model_confirms_each_pair_and_the_dispute_is_its_two_sentences(tmp_path):
    articles = articles_of(FRENCH_STRIKES)
    refused = FakeModel(lambda name, body: {"answer": "no"})
    llm = LLM(Endpoint(model="scripted", base_url=refused.base_url), chat_model=refused, cache=False)
    assert account_disputes(articles, {}, llm)[0] == []  # what the model does not confirm is not shown
    fake = FakeModel(lambda name, body: {"answer": "yes" if re.search(r"civils", body["messages"][-1]["content"]) else "no"})
    llm = LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False)
    (dispute,), usage = account_disputes(articles, {}, llm, language="fr")
    assert usage.calls == 1 and dispute.question == "Qu'ont touché les frappes ?"
    assert [p.claimant for p in dispute.positions] == ["l'état-major", "les habitants"]
    assert all(len(p.citations) == 1 for p in dispute.positions)
    assert account_disputes(articles, {}, None) == ([], usage.__class__())


# --------------------------------------------------------------------------- who came out ahead
FRENCH_OUTCOME = [
    "Combats à Léré\n\nLe Front de libération revendique la victoire et affirme avoir pris le contrôle de la ville.",
    "Léré\n\nSelon l'état-major, les opérations contre les groupes armés se poursuivent dans la zone.",
]
SPANISH_OUTCOME = [
    "Combates\n\nEl frente guerrillero aseguró que tiene el control del municipio tras la batalla.",
    "Combates\n\nEl Ejército dijo que las operaciones en la región continúan.",
]


def test_a_voice_claiming_victory_is_set_against_another_whose_operations_go_on_in_two_languages():
    ((won, ongoing, _),) = account_pairs(WHO_PREVAILED, articles_of(FRENCH_OUTCOME), {})
    assert (won.by, ongoing.by) == ("Le Front de libération", "l'état-major")
    ((won, ongoing, _),) = account_pairs(WHO_PREVAILED, articles_of(SPANISH_OUTCOME), {})
    assert (won.by, ongoing.by) == ("El frente guerrillero", "El Ejército")
    assert account_pairs(WHO_PREVAILED, articles_of(["Léré\n\nLes rebelles ont pris le contrôle de la ville.",
                                                      FRENCH_OUTCOME[1]]), {}) == []  # narration takes no side


def test_the_samples_coalitions_victory_is_set_against_the_militarys_ongoing_operations_once():
    pairs = account_pairs(WHO_PREVAILED, samples(), {})
    assert len(pairs) == 1  # "a mainly Tuareg separatist coalition" twice, in two reports: one voice
    won, ongoing, _ = pairs[0]
    assert "victory" in won.text and "separatist coalition" in won.by
    assert "ongoing" in ongoing.text and ongoing.by == "the military"


def test_every_kind_is_asked_once_per_pair_and_each_question_is_in_the_briefs_language():
    llm, fake = scripted(lambda text: "yes")
    disputes, usage = account_disputes(samples(), {}, llm, language="fr")
    assert usage.calls == len(fake.requests_for("PairCheck")) == 3
    assert [(d.kind, d.question) for d in disputes] == [
        ("cause", "Qu'est-ce qui a abattu l'appareil (hélicoptère) ?"),
        ("characterisation", "Qu'ont touché les frappes ?"), ("other", "Qui a eu le dessus ?")]


# --------------------------------------------------------------------------- what the killing was
def test_a_killing_one_voice_calls_a_genocide_is_set_against_fighters_said_to_spare_civilians_in_three_languages():
    french = ["Ogo\n\nSelon l'association, la tuerie est un acte de génocide contre la communauté peule.",
              "Ogo\n\n« Nos chasseurs ne s'en prennent pas aux civils », assure un cadre de la milice."]
    ((genocide, spares, _),) = account_pairs(WHAT_THE_KILLING_WAS, articles_of(french), {})
    assert (genocide.by, spares.by) == ("l'association", "un cadre de la milice")
    english = ["Ogo\n\nThe association said the massacre was a genocide.",
               "Ogo\n\nThe militia said its fighters do not target civilians."]
    assert len(account_pairs(WHAT_THE_KILLING_WAS, articles_of(english), {})) == 1
    spanish = ["Ogo\n\nLa asociación dijo que la masacre fue un genocidio.",
               "Ogo\n\nEl comandante dijo que sus hombres nunca atacan a civiles."]
    assert len(account_pairs(WHAT_THE_KILLING_WAS, articles_of(spanish), {})) == 1
    narrated = ["Ogo\n\nThe massacre was a genocide.", english[1]]
    assert account_pairs(WHAT_THE_KILLING_WAS, articles_of(narrated), {}) == []
