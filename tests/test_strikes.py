"""Disputes over what strikes hit (stages/consolidate/strikes.py): code proposes one voice's military
targets hit against another's civilians killed by a strike, the model confirms, in three languages
and in the samples' own reports."""

from __future__ import annotations

import re
from pathlib import Path

from fake_model import FakeModel

from summarizer.llm.client import LLM
from summarizer.llm.endpoint import Endpoint
from summarizer.stages.consolidate.strikes import strike_disputes, strike_pairs
from summarizer.stages.load import from_text, load
from summarizer.stages.segment import segment

SAMPLES = Path(__file__).parent.parent / "samples" / "tinzaouatene"
FRENCH = [
    "Frappes aériennes près de Kidal\n\nL'armée a mené des frappes aériennes dans la nuit. "
    "Selon l'état-major, des cibles terroristes ont été détruites.",
    "Frappes\n\nSelon les habitants, plusieurs civils ont été tués par un drone sur un marché.",
]
SPANISH = [
    "Bombardeo\n\nEl Ejército bombardeó la zona. El ministro dijo que los objetivos fueron alcanzados con precisión.",
    "Bombardeo\n\nSegún la Defensoría, varios niños murieron en el bombardeo.",
]


def articles_of(texts: list[str]):
    return [segment(from_text(t)) for t in texts]


def test_targets_one_voice_says_were_hit_are_set_against_civilians_another_says_a_strike_killed_in_two_languages():
    ((targets, civilians),) = strike_pairs(articles_of(FRENCH), {})
    assert (targets.by, civilians.by) == ("l'état-major", "les habitants")
    ((targets, civilians),) = strike_pairs(articles_of(SPANISH), {})
    assert (targets.by, civilians.by) == ("El ministro", "la Defensoría")


def test_no_pair_within_one_voice_from_narration_or_for_targets_not_said_to_be_the_strikes():
    one_voice = ["Strikes\n\nThe army carried out strikes. The army said targets were hit.",
                 "Strikes\n\nThe army said civilians were killed by a drone."]
    assert strike_pairs(articles_of(one_voice), {}) == []
    narrated = ["Strikes\n\nThe army carried out strikes. Targets were hit near the town.",
                "Strikes\n\nResidents said civilians were killed by a drone."]
    assert strike_pairs(articles_of(narrated), {}) == []
    on_the_ground = ["Fighting\n\nThe rebels attacked the base. The army said five targets were dealt with.",
                     "Strikes\n\nResidents said civilians were killed by a drone."]
    assert strike_pairs(articles_of(on_the_ground), {}) == []  # no strike near the targets, another report


def test_the_samples_strikes_are_the_armys_targets_against_the_coalitions_civilians():
    articles = [segment(a) for a in load(SAMPLES).articles]
    ((targets, civilians),) = strike_pairs(articles, {})
    assert "high-value targets" in targets.text and targets.by == "the Malian army"  # "It added": the army before
    assert "civilians" in civilians.text and "Permanent Strategic Framework" in civilians.by


def test_the_model_confirms_each_pair_and_the_dispute_is_its_two_sentences(tmp_path):
    articles = articles_of(FRENCH)
    refused = FakeModel(lambda name, body: {"answer": "no"})
    llm = LLM(Endpoint(model="scripted", base_url=refused.base_url), chat_model=refused, cache=False)
    assert strike_disputes(articles, {}, llm)[0] == []  # what the model does not confirm is not shown
    fake = FakeModel(lambda name, body: {"answer": "yes" if re.search(r"civils", body["messages"][-1]["content"]) else "no"})
    llm = LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False)
    (dispute,), usage = strike_disputes(articles, {}, llm, language="fr")
    assert usage.calls == 1 and dispute.question == "Qu'ont touché les frappes ?"
    assert [p.claimant for p in dispute.positions] == ["l'état-major", "les habitants"]
    assert all(len(p.citations) == 1 for p in dispute.positions)
    assert strike_disputes(articles, {}, None) == ([], usage.__class__())
