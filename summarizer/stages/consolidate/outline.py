"""Consolidate, the brief's outline: when, the timeline, open questions and the fallback
title, all read from what the other parts found."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.schema import Claim, Dispute, SegmentedArticle, TimelineEvent, When


def brief_timeline(claims: Sequence[Claim]) -> list[TimelineEvent]:
    dated = [c for c in claims if c.when and c.when.precision in {"day", "range"} and c.kind != "background"]
    return [
        TimelineEvent(date=c.when, event=c.statement, citations=c.citations)
        for c in sorted(dated, key=lambda c: c.when.iso or "")
    ]


def brief_when(claims: Sequence[Claim]) -> When:
    values = [c.when for c in claims if c.when]
    days = sorted(
        part for v in values if v.precision in {"day", "range"} and v.iso
        for part in v.iso.split("/")
    )
    return When(
        start=days[0] if days else None, end=days[-1] if days else None,
        precision="day" if days else "unknown", dates=values,
    )


def open_questions(disputes: Sequence[Dispute]) -> list[str]:
    """What the reports leave unsettled: the question of each dispute, once."""
    return list(dict.fromkeys(d.question for d in disputes))


def fallback_title(articles: Sequence[SegmentedArticle]) -> str:
    return next((a.article.title for a in articles if a.article.title), "Incident brief")
