"""Relative and partial dates -> ISO dates, against the report's own publication date.

"on Saturday" in a report dated Monday 29 July 2024 is 2024-07-27; "July 22" in an undated
report takes its year from the other reports (and says so); "in 2020" is a year.
"""

from __future__ import annotations

import datetime as dt
import re

from summarizer.schema import DateValue

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})\b(?:,?\s+(\d{4}))?", re.I)
DAY_MONTH = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\b(?:,?\s+(\d{4}))?", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)

_DAY = r"(?:(?:" + "|".join(MONTHS) + r")\s+\d{1,2}|\d{1,2}\s+(?:" + "|".join(MONTHS) + r"))(?:,?\s+\d{4})?"
# Time words a sentence can carry, most telling first: a span, a weekday, a calendar day, a year.
TIME_WORDS = [
    re.compile(r"\b(?:between|from)\s+" + _DAY + r"\s+(?:and|to|until)\s+" + _DAY, re.I),
    re.compile(r"\b(?:(?:late|early)\s+)?(?:(?:on|last|this|next)\s+)?(?:" + "|".join(WEEKDAYS) + r")\b", re.I),
    re.compile(r"\b(?:on\s+)?" + _DAY + r"\b", re.I),
    ISO,
    re.compile(r"\byesterday\b", re.I),
    re.compile(r"\b(?:in|since|until)\s+(?:19|20)\d{2}\b", re.I),
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
        weekday = WEEKDAYS.index(m.group(1).lower())
        back = (published.weekday() - weekday) % 7
        if re.search(r"\bnext\b", text, re.I):
            back = -((weekday - published.weekday()) % 7 or 7)
        day = published - dt.timedelta(days=back)
        return DateValue(as_written=text, iso=day.isoformat(), precision="day",
                         resolved_from=f"{m.group(1).capitalize()} before the report's date {published.isoformat()}")
    if re.search(r"\byesterday\b", text, re.I) and published:
        return DateValue(as_written=text, iso=(published - dt.timedelta(days=1)).isoformat(), precision="day",
                         resolved_from=f"day before the report's date {published.isoformat()}")
    if m := YEAR.search(text):
        return DateValue(as_written=text, iso=m.group(1), precision="year", resolved_from="year as written")
    return DateValue(as_written=text, precision="unknown")


def _explicit_days(text: str, published: dt.date | None, corpus_year: int | None) -> list[tuple[dt.date, str]]:
    found: list[tuple[dt.date, str]] = []
    for m in ISO.finditer(text):
        found.append((dt.date(int(m[1]), int(m[2]), int(m[3])), "date as written"))
    for pattern, month_group, day_group in ((MONTH_DAY, 1, 2), (DAY_MONTH, 2, 1)):
        for m in pattern.finditer(text):
            year, how = _year(m.group(3), published, corpus_year)
            if year is None:
                continue
            try:
                found.append((dt.date(year, MONTHS.index(m.group(month_group).lower()) + 1, int(m.group(day_group))), how))
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
