"""Dates: the gold dates the brief gives, and the days it gives that no gold date has."""

from __future__ import annotations

import re

from summarizer.eval.gold import Gold
from summarizer.eval.scoring.scores import Scores, rate
from summarizer.schema import IncidentBrief

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _brief_isos(brief: IncidentBrief) -> set[str]:
    values = [brief.when.start, brief.when.end, *(d.iso for d in brief.when.dates)]
    values += [e.date.iso for e in brief.timeline]
    values += [c.when.iso for c in brief.claims if c.when]
    isos: set[str] = set()
    for value in values:
        if value:  # an interval "2024-07-22/2024-07-27" or "2024-07-22..2024-07-27" names both ends
            isos.update(part.strip() for part in re.split(r"/|\.\.", value) if part.strip())
    return isos


def score_dates(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    """Date recall over the gold dates, and precision over the day dates the brief shows."""
    isos = _brief_isos(brief)
    scores.missed_dates = [d.id for d in gold.dates if d.iso not in isos]
    found = len(gold.dates) - len(scores.missed_dates)
    scores.dates = (found, len(gold.dates))
    scores.date_recall = rate(found, len(gold.dates))
    # Precision over the days the brief shows (a year or a month alone is not judged here).
    days = {iso for iso in isos if _DAY.fullmatch(iso)}
    gold_days = {d.iso for d in gold.dates}
    scores.wrong_dates = sorted(days - gold_days)
    scores.dates_shown = (len(days & gold_days), len(days))
    scores.date_precision = rate(len(days & gold_days), len(days))
