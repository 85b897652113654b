"""The statements a brief shows a reader, each with where it is, its words, its claimant and citations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from summarizer.schema import Citation, IncidentBrief


@dataclass(frozen=True)
class Item:
    """A statement the brief shows a reader: where it is, its words, who it says asserts them."""

    where: str
    text: str
    claimant: str | None
    citations: tuple[Citation, ...]


def shown(brief: IncidentBrief) -> Iterator[Item]:
    """Every statement a reader sees with its citations: claims, casualty figures, summary
    sentences, dispute positions and timeline events, in that order."""
    for i, c in enumerate(brief.claims):
        yield Item(f"claims[{i}] {c.id}", c.statement, c.claimant, tuple(c.citations))
    for i, c in enumerate(brief.casualties):
        yield Item(f"casualties[{i}]", c.figure, c.claimant, tuple(c.citations))
    for i, s in enumerate(brief.summary):
        yield Item(f"summary[{i}]", s.text, None, tuple(s.citations))
    for i, d in enumerate(brief.disputes):
        for j, p in enumerate(d.positions):
            yield Item(f"disputes[{i}].positions[{j}]", p.statement, p.claimant, tuple(p.citations))
    for i, e in enumerate(brief.timeline):
        yield Item(f"timeline[{i}]", e.event, None, tuple(e.citations))
