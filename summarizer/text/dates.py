"""Relative and partial dates -> ISO dates, against the report's own publication date.

"on Saturday" in a report dated Monday 29 July 2024 is 2024-07-27; "July 22" in an undated
report takes its year from the other reports (and says so); "in 2020" is a year.
"""

from __future__ import annotations

import datetime as dt
import re

from summarizer.text.language import MONTH_NAME, WEEKDAY_NAME, YESTERDAY, month_number, weekday_number
from summarizer.schema import DateValue

_ORDINAL = r"(?:st|nd|rd|th|er|º|°)?"
MONTH_DAY = re.compile(r"\b(" + MONTH_NAME + r")\s+(\d{1,2})" + _ORDINAL + r"\b(?:,?\s+(\d{4}))?", re.I)
DAY_MONTH = re.compile(r"\b(\d{1,2})" + _ORDINAL + r"\s+(?:de\s+)?(" + MONTH_NAME + r")\b(?:,?\s+(?:de\s+)?(\d{4}))?", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
WEEKDAY = re.compile(r"(?<![\w-])(" + WEEKDAY_NAME + r")(?![\w-])", re.I)
NEXT = re.compile(r"\b(next|prochain|próximo|próxima|que vem)\b", re.I)
YESTERDAY_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(YESTERDAY.values()) + r")(?![\w-])", re.I)

_DAY = (r"(?:(?:" + MONTH_NAME + r")\s+\d{1,2}" + _ORDINAL + r"|\d{1,2}" + _ORDINAL + r"\s+(?:de\s+)?(?:" + MONTH_NAME
        + r"))(?:,?\s+(?:de\s+)?\d{4})?")
_WEEKDAY = (r"(?:(?:late|early)\s+)?(?:(?:on|last|this|next|le|ce|el pasado|el|este|esta|na|no|neste|nesta)\s+)?"
            r"(?<![\w-])(?:" + WEEKDAY_NAME + r")(?![\w-])(?:\s+(?:dernier|prochain|pasado|próximo|passado|passada))?")
# Time words a sentence can carry, most telling first: a span, a weekday with its day, a weekday,
# a calendar day, a year. In English, French, Spanish and Portuguese.
# "du 25 au 27 juillet", "between 25 and 27 July", "del 25 al 27 de julio": two days, one month.
SHARED_MONTH = re.compile(
    r"\b(?:between|from|entre\s+le|entre\s+el|entre|du|del|de)\s+(\d{1,2})" + _ORDINAL
    + r"\s+(?:and|to|et\s+le|au|al|y\s+el|y|a|e)\s+(\d{1,2})" + _ORDINAL + r"\s+(?:de\s+)?(" + MONTH_NAME
    + r")\b(?:,?\s+(?:de\s+)?(\d{4}))?", re.I)
# "an August 2019 bombing", "en août 2019", "en agosto de 2019": a month, no day.
MONTH_YEAR = re.compile(r"\b(" + MONTH_NAME + r")\s+(?:de\s+|of\s+)?((?:19|20)\d{2})\b", re.I)
TIME_WORDS = [
    SHARED_MONTH,
    re.compile(r"\b(?:between|from|entre|du|del|de)\s+" + _DAY + r"\s+(?:and|to|until|et|au|y|al|a|e)\s+" + _DAY, re.I),
    re.compile(_WEEKDAY + r",?\s+(?:the\s+)?" + _DAY + r"\b", re.I),
    re.compile(_WEEKDAY, re.I),
    re.compile(r"\b(?:on\s+|le\s+|el\s+)?" + _DAY + r"\b", re.I),
    ISO,
    YESTERDAY_WORD,
    re.compile(r"\b(?:in|since|until|en|depuis|desde|hasta|em|até)\s+(?:19|20)\d{2}\b", re.I),
    MONTH_YEAR,
]


def time_words(sentence: str) -> str | None:
    """The sentence's own time expression, as written, for ``resolve`` to date.

    Example:
        >>> time_words("Fighting broke out on Thursday near the border.")
        'on Thursday'
    """
    for pattern in TIME_WORDS:
        if m := pattern.search(sentence):
            return m.group(0)
    return None


def resolve(as_written: str, published: dt.date | None, corpus_year: int | None = None) -> DateValue:
    """Resolve a time expression against a publication date.

    Example:
        >>> resolve("on Saturday", dt.date(2024, 7, 29)).iso
        '2024-07-27'
    """
    text = as_written.strip()
    days = _explicit_days(text, published, corpus_year)
    if len(days) >= 2:
        first, last = min(d for d, _ in days), max(d for d, _ in days)
        return DateValue(as_written=text, iso=f"{first.isoformat()}/{last.isoformat()}", precision="range",
                         resolved_from=days[0][1])
    if days:
        day, how = days[0]
        return DateValue(as_written=text, iso=day.isoformat(), precision="day", resolved_from=how)
    if m := WEEKDAY.search(text):
        if published is None:
            return DateValue(as_written=text, precision="unknown", resolved_from="weekday in an undated report")
        weekday = weekday_number(m.group(1))
        back = (published.weekday() - weekday) % 7
        if NEXT.search(text):
            back = -((weekday - published.weekday()) % 7 or 7)
        day = published - dt.timedelta(days=back)
        return DateValue(as_written=text, iso=day.isoformat(), precision="day",
                         resolved_from=f"{m.group(1).capitalize()} before the report's date {published.isoformat()}")
    if YESTERDAY_WORD.search(text) and published:
        return DateValue(as_written=text, iso=(published - dt.timedelta(days=1)).isoformat(), precision="day",
                         resolved_from=f"day before the report's date {published.isoformat()}")
    if m := MONTH_YEAR.search(text):
        return DateValue(as_written=text, iso=f"{int(m.group(2)):04d}-{month_number(m.group(1)):02d}", precision="month",
                         resolved_from="month as written")
    if m := YEAR.search(text):
        return DateValue(as_written=text, iso=m.group(1), precision="year", resolved_from="year as written")
    return DateValue(as_written=text, precision="unknown")


def _explicit_days(text: str, published: dt.date | None, corpus_year: int | None) -> list[tuple[dt.date, str]]:
    found: list[tuple[dt.date, str]] = []
    for m in ISO.finditer(text):
        found.append((dt.date(int(m[1]), int(m[2]), int(m[3])), "date as written"))
    for m in SHARED_MONTH.finditer(text):
        year, how = _year(m.group(4), published, corpus_year)
        if year is not None:
            try:
                found += [(dt.date(year, month_number(m.group(3)), int(m.group(g))), how) for g in (1, 2)]
            except ValueError:
                pass
        text = text.replace(m.group(0), " ")
    for pattern, month_group, day_group in ((MONTH_DAY, 1, 2), (DAY_MONTH, 2, 1)):
        for m in pattern.finditer(text):
            year, how = _year(m.group(3), published, corpus_year)
            if year is None:
                continue
            try:
                found.append((dt.date(year, month_number(m.group(month_group)), int(m.group(day_group))), how))
            except ValueError:
                continue
    return found


def _year(written: str | None, published: dt.date | None, corpus_year: int | None) -> tuple[int | None, str]:
    if written:
        return int(written), "date as written"
    if published:
        return published.year, "year of the report's date"
    if corpus_year:
        return corpus_year, "year taken from the other reports' dates"
    return None, ""
