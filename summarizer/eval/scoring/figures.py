"""Unsupported figures: numbers the brief shows that none of the sentences it cites contains."""

from __future__ import annotations

import re

from summarizer.eval.scoring.items import shown
from summarizer.eval.scoring.scores import Scores
from summarizer.schema import IncidentBrief
from summarizer.text.numbers import numbers_in as figure_numbers
from summarizer.text.words import MONTHS


NUMBER_WORDS = {
    w: str(i) for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split(), start=1)
}
_MONTH = r"(?:" + "|".join(MONTHS["en"]) + ")"
# Dates the brief resolved itself ("25 July 2024", "2024-07-25") are checked by date_recall, not here.
_DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?\b|\b{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTH}\s+\d{{4}}\b",
    re.I,
)
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# "one hundred" is 100, not one and a hundred: a number word before a scale word is their product.
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w)"
    r"|\b((?:(?:" + "|".join(NUMBER_WORDS) + r")[\s-]+(?:" + "|".join(SCALES) + r"))|" + "|".join(NUMBER_WORDS) + r"|dozens?)\b",
    re.I,
)


def numbers_in(text: str, *, skip_dates: bool = False) -> set[str]:
    """Numbers in ``text`` as canonical strings: digits, number words one..twenty, 'dozens'.

    Example:
        >>> sorted(numbers_in("Two soldiers killed and 10 injured; dozens missing"))
        ['10', '2', 'dozens']
        >>> sorted(numbers_in("at least one hundred civilians and two-thousand displaced"))
        ['100', '2000']
    """
    if skip_dates:
        text = _DATE.sub(" ", text)
    text = re.sub(r"\bno one\b", " ", text, flags=re.I)  # "no one was killed" is not a figure
    found = set()
    for digits, word in _NUMBER.findall(text):
        if digits:
            found.add(digits.replace(",", ""))
        else:
            word = word.lower()
            if scaled := re.fullmatch(r"(\w+)[\s-]+(\w+)", word):
                found.add(str(int(NUMBER_WORDS[scaled[1]]) * SCALES[scaled[2]]))
            else:
                found.add("dozens" if word.startswith("dozen") else NUMBER_WORDS[word])
    return found


def score_figures(brief: IncidentBrief, scores: Scores) -> None:
    """Each number shown that no sentence its item cites holds, as ``where: number``."""
    texts = {(s.id, x.n): x.text for s in brief.sources for x in s.sentences}
    for item in shown(brief):
        where, text, citations = item.where, item.text, item.citations
        cited: set[str] = set()
        for c in citations:
            for n in c.sentences:
                sentence = texts.get((c.source_id, n), "")
                # a French or Spanish sentence's words count too: "cent morts" holds the summary's 100
                cited |= numbers_in(sentence) | {str(v) for v in figure_numbers(sentence)}
        for number in sorted(numbers_in(text, skip_dates=True) - cited):
            scores.unsupported.append(f"{where}: {number}")
    scores.unsupported_figures = len(scores.unsupported)
