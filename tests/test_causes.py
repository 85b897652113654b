"""Disputes over what brought an aircraft down (stages/consolidate/causes.py): code proposes an
attack claimed by one voice against an accident's cause given by another, the model confirms, in
three languages and in the samples' own reports."""

from __future__ import annotations

import re
from pathlib import Path

from fake_model import FakeModel

from summarizer.llm.client import LLM
from summarizer.llm.endpoint import Endpoint
from summarizer.stages.consolidate.causes import cause_disputes, cause_pairs
from summarizer.stages.load import from_text, load
from summarizer.stages.segment import segment

SAMPLES = Path(__file__).parent.parent / "samples" / "tinzaouatene"
FRENCH = [
    "Les rebelles affirment avoir abattu un hélicoptère de l'armée près de Gao.\n\n"
    "Le Front a indiqué que l'appareil avait été touché par ses tirs.",
    "Selon l'état-major, l'hélicoptère s'est écrasé à la suite d'une panne technique lors d'une mission de routine.",
]
SPANISH = [
    "La guerrilla aseguró que derribó un helicóptero del Ejército en el Cauca.",
    "El Ejército dijo que el helicóptero cayó por una falla técnica y que la tripulación sobrevivió.",
]


def articles_of(texts: list[str]):
    return [segment(from_text(t)) for t in texts]


def test_an_attack_one_voice_claims_is_set_against_the_accident_another_gives_in_two_languages():
    (french,) = cause_pairs(articles_of(FRENCH), {})
    attack, accident, aircraft = french
    assert (attack.by, accident.by, aircraft) == ("Les rebelles", "l'état-major", "helicopter")
    (spanish,) = cause_pairs(articles_of(SPANISH), {})
    assert (spanish[0].by, spanish[1].by) == ("La guerrilla", "El Ejército")


def test_no_pair_within_one_voice_from_the_reporters_narration_or_without_an_accidents_cause():
    one_voice = ["The rebels said they shot down a helicopter.",
                 "The rebels said the helicopter crashed on a routine mission."]
    assert cause_pairs(articles_of(one_voice), {}) == []
    narrated = ["Rebels shot down a helicopter near Gao.", "The army said the helicopter crashed on a routine mission."]
    assert cause_pairs(articles_of(narrated), {}) == []  # the reporter's own narration takes no side
    no_cause = ["The rebels said they shot down a helicopter.", "The army said a helicopter crashed near Gao."]
    assert cause_pairs(articles_of(no_cause), {}) == []  # "crashed" alone gives no cause
    other_aircraft = ["The rebels said they shot down a drone.", "The army said a helicopter crashed on a routine mission."]
    assert cause_pairs(articles_of(other_aircraft), {}) == []


def test_the_samples_helicopter_is_one_pair_the_coalitions_claim_against_the_armys_routine_mission():
    articles = [segment(a) for a in load(SAMPLES).articles]
    (pair,) = cause_pairs(articles, {})
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
    articles = articles_of(SPANISH)
    refused = FakeModel(lambda name, body: {"answer": "no"})
    llm = LLM(Endpoint(model="scripted", base_url=refused.base_url), chat_model=refused, cache=False)
    assert cause_disputes(articles, {}, llm)[0] == []  # what the model does not confirm is not shown
    fake = FakeModel(plain_reading)
    llm = LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False)
    (dispute,), usage = cause_disputes(articles, {}, llm, language="es")
    assert len(fake.requests_for("PairCheck")) == 1 and usage.calls == 1
    assert dispute.kind == "cause" and dispute.question == "¿Qué derribó la aeronave (helicóptero)?"
    assert [(p.claimant, p.statement) for p in dispute.positions] == [("La guerrilla", SPANISH[0]),
                                                                      ("El Ejército", SPANISH[1])]
    assert cause_disputes(articles, {}, None) == ([], usage.__class__())  # without a model, none shown
