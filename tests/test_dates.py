"""Time words are found in a claim's sentence by code, then dated against the report's date."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.text.dates import resolve, time_words

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


def test_a_toll_its_own_sentence_dates_before_the_incident_is_another_event_and_dropped():
    from summarizer.stages.consolidate.casualties import casualty_claims, without_earlier_events
    from summarizer.stages.load import from_text
    from summarizer.schema import ArticleExtraction, ExtractedCasualty
    from summarizer.stages.segment import segment

    first = segment(from_text(
        "Massacre au centre\n\ndate 2019-03-24\n\n"
        "Plus de cent habitants ont été tués samedi dans un village peul. "
        "Le 1er janvier, 37 civils avaient déjà été tués dans un village voisin.", path="a.txt"))
    later = segment(from_text(
        "Two weeks on\n\ndate 2019-04-08\n\n"
        "On 23 March, 160 villagers were killed, the government said. "
        "In 2012, rebels killed 90 soldiers in the north.", path="b.txt"))
    def row(article, n, figure, party):
        return ExtractedCasualty(ids=[n], by="someone", party=party, metric="killed", figure=figure)
    extractions = [
        ArticleExtraction(article_id=first.article.id, claims=[], casualties=[
            row(first, 1, "Plus de cent", "habitants"), row(first, 2, "37", "civils")]),
        ArticleExtraction(article_id=later.article.id, claims=[], casualties=[
            row(later, 1, "160", "villagers"), row(later, 2, "90", "soldiers")]),
    ]
    kept, dropped = without_earlier_events(casualty_claims(extractions, {}), [first, later])

    assert [r.figure for r in kept] == ["Plus de cent", "160"]  # the follow-up's "23 March" is the incident
    assert [d.reason.split(":")[0] for d in dropped] == ["another event", "another event"]
    assert "2019-01-01" in dropped[0].reason and "2012" in dropped[1].reason


def test_without_any_report_date_no_toll_is_taken_for_another_event():
    from summarizer.stages.consolidate.casualties import casualty_claims, without_earlier_events
    from summarizer.stages.load import from_text
    from summarizer.schema import ArticleExtraction, ExtractedCasualty
    from summarizer.stages.segment import segment

    undated = segment(from_text("Report\n\nIn 2012, rebels killed 90 soldiers in the north.", path="c.txt"))
    extraction = ArticleExtraction(article_id=undated.article.id, claims=[], casualties=[
        ExtractedCasualty(ids=[1], by="someone", party="soldiers", metric="killed", figure="90")])
    kept, dropped = without_earlier_events(casualty_claims([extraction], {}), [undated])
    assert ([r.figure for r in kept], dropped) == (["90"], [])
