"""The brief's sources: which reports it flags off-topic, and whether each citation names real sentences."""

from __future__ import annotations

from collections.abc import Iterator

from summarizer.eval.gold import Gold
from summarizer.eval.scoring.scores import Scores, rate
from summarizer.schema import Citation, IncidentBrief


def score_topic(brief: IncidentBrief, gold: Gold, files: dict[str, str], scores: Scores) -> None:
    """No report about the incident flagged off-topic; every distractor flagged."""
    flagged = {files.get(s.id, s.id): "off-topic" in s.flags for s in brief.sources}
    on_topic = [s.file for s in gold.sources if not s.off_topic and s.file in flagged]
    distractors = [s.file for s in gold.sources if s.off_topic and s.file in flagged]
    scores.dropped_on_topic = [f for f in on_topic if flagged[f]]
    scores.unflagged_distractors = [f for f in distractors if not flagged[f]]
    scores.on_topic_kept = rate(len(on_topic) - len(scores.dropped_on_topic), len(on_topic))
    scores.distractors_flagged = rate(len(distractors) - len(scores.unflagged_distractors), len(distractors))


def file_languages(brief: IncidentBrief, gold: Gold, files: dict[str, str]) -> dict[str, str]:
    """Each report's language by file name: the gold's where it gives one, else as the brief detected it."""
    found = {files.get(s.id, s.id): s.language for s in brief.sources if s.language}
    found.update({s.file: s.language for s in gold.sources if s.language})
    return found


def _all_citations(brief: IncidentBrief) -> Iterator[tuple[str, Citation]]:
    for i, s in enumerate(brief.summary):
        yield from ((f"summary[{i}]", c) for c in s.citations)
    for i, d in enumerate(brief.when.dates):
        yield from ((f"when.dates[{i}]", c) for c in d.citations)
    for i, p in enumerate(brief.where):
        yield from ((f"where[{i}]", c) for c in p.citations)
    for i, a in enumerate(brief.actors):
        yield from ((f"actors[{i}]", c) for c in a.citations)
    for i, c in enumerate(brief.casualties):
        yield from ((f"casualties[{i}]", x) for x in c.citations)
    for i, c in enumerate(brief.claims):
        yield from ((f"claims[{i}]", x) for x in c.citations)
        if c.when:
            yield from ((f"claims[{i}].when", x) for x in c.when.citations)
    for i, d in enumerate(brief.disputes):
        for j, p in enumerate(d.positions):
            yield from ((f"disputes[{i}].positions[{j}]", c) for c in p.citations)
    for i, e in enumerate(brief.timeline):
        yield from ((f"timeline[{i}]", c) for c in [*e.citations, *e.date.citations])


def score_citations(brief: IncidentBrief, scores: Scores) -> None:
    """Citation validity: each citation names a source of the brief and sentences that source has."""
    numbers = {s.id: {x.n for x in s.sentences} for s in brief.sources}
    total = valid = 0
    for where, citation in _all_citations(brief):
        total += 1
        known = numbers.get(citation.source_id)
        if known is not None and citation.sentences and set(citation.sentences) <= known:
            valid += 1
        else:
            scores.invalid_citations.append(f"{where}: {citation.source_id} {list(citation.sentences)}")
    scores.citations = (valid, total)
    scores.citation_validity = rate(valid, total)
