"""Time words are found in a claim's sentence by code, then dated against the report's date."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.dates import resolve, time_words

MONDAY = dt.date(2024, 7, 29)


@pytest.mark.parametrize(("sentence", "written", "iso"), [
    ("Large-scale fighting broke out on Thursday in Tinzaouatene.", "on Thursday", "2024-07-25"),
    ("The rebels said that last Saturday they obliterated the columns.", "last Saturday", "2024-07-27"),
    ("Late on Tuesday the army announced strikes on rebel positions.", "Late on Tuesday", "2024-07-23"),
    ("Losses were reported between July 22 and July 27, the group said.", "between July 22 and July 27",
     "2024-07-22/2024-07-27"),
    ("The statement was issued on 28 July 2024 in Kidal.", "on 28 July 2024", "2024-07-28"),
    ("Separatists have fought the army since 2012.", "since 2012", "2012"),
])
def test_the_time_words_of_a_sentence_are_found_as_written_and_dated(sentence, written, iso):
    assert time_words(sentence) == written
    assert resolve(written, MONDAY).iso == iso


@pytest.mark.parametrize("sentence", [
    "The army said two soldiers were killed and 10 wounded.",
    "Mayday calls were heard from the helicopter.",  # a month's name inside a word is not a date
    "A convoy of 20 vehicles left Kidal.",
])
def test_a_sentence_without_time_words_has_none(sentence):
    assert time_words(sentence) is None
