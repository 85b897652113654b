"""Code's reading of who speaks in a sentence, which overrides a small model's claimant."""

from __future__ import annotations

import pytest

from summarizer.extract import _claimant
from summarizer.figures import named_speaker


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("Mali’s army and its Russian allies suffered heavy losses on Saturday, according to a spokesman for the rebels.",
     "a spokesman for the rebels"),
    ("A local politician confirmed that the Malian army has retreated from the area.", "A local politician"),
    ("Late on Tuesday, the Malian army said that it had launched an attack.", "the Malian army"),
    ("Mali's military junta has characterized the Russian presence as that of trainers.", "Mali's military junta"),
    ("According to the statement released by the separatist coalition, seven rebels were killed.",
     "the statement released by the separatist coalition"),
    ("The CSP-PSD also said it damaged a helicopter.", "The CSP-PSD"),
    ("In response to allegations, Mali denies that the Russian forces are Wagner mercenaries.", "Mali"),
])
def test_a_plainly_named_speaker_is_read_as_written(sentence, speaker):
    assert named_speaker(sentence) == speaker


@pytest.mark.parametrize("sentence", [
    "It said two soldiers were killed.",  # a pronoun: who "it" is lies in the sentences before
    "Three fighters were killed, the statement said.",
    "According to media reports, the convoy was ambushed.",
    "The helicopter crashed near Kidal on Friday.",  # nobody speaks
    "Moscow has not confirmed the deaths.",  # a negation, not an attribution
])
def test_no_speaker_where_the_sentence_does_not_name_one(sentence):
    assert named_speaker(sentence) is None


def test_the_sentences_speaker_overrides_the_models_subject_but_keeps_its_shorter_same_name():
    sentence = "Mali’s army suffered heavy losses, according to a spokesman for the rebels."
    assert _claimant("Mali's army", sentence) == "a spokesman for the rebels"
    assert _claimant("reporter", "Late on Tuesday, the Malian army said that it attacked.") == "the Malian army"
    assert _claimant("Malian army", "The Malian army confirmed that two soldiers were killed.") == "Malian army"
    assert _claimant("CSP", "The helicopter crashed near Kidal.") == "CSP"
