"""Stage 4b, attribute (after consolidate, before verify): each consolidated claim's claimant read
again in its whole report ("he added", "selon lui", "the statement read" take the speaker named
just before).

A stage of its own, after consolidation: consolidation's model requests carry the claimants
extraction gave, and a stored run replays only while those requests are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.schema import Citation, IncidentBrief, SegmentedArticle
from summarizer.stages.consolidate.names import canonical
from summarizer.text.attribution import claim_speaker


def attributed(brief: IncidentBrief, articles: Sequence[SegmentedArticle]) -> IncidentBrief:
    """The brief with each claim's claimant read again in its whole report (``attribution.claim_speaker``):
    "he added", "selon lui", "the statement read" take the speaker named just before.

    Run on the consolidated brief, not in extraction: consolidation's model requests carry the
    claimants extraction gave, and a stored run replays only while those requests are unchanged.
    A claim's dispute positions take its new claimant too. A claimant read again is shown by its
    actor's name where the brief's actors give it ("the separatist coalition" -> "CSP").
    """
    reports = {a.article.id: {s.n: s.text for s in a.sentences} for a in articles}
    actor_of = {name.lower(): actor.name for actor in brief.actors for name in (actor.name, *actor.aliases)}
    changed: dict[tuple[str, tuple[Citation, ...]], tuple[str, list[Citation]]] = {}
    claims = []
    for claim in brief.claims:
        first = claim.citations[0] if claim.citations else None
        sentences = reports.get(first.source_id, {}) if first else {}
        n = next((k for k in (first.sentences if first else ()) if sentences.get(k) == claim.statement), None)
        if n is None:
            claims.append(claim)
            continue
        by, ids = claim_speaker(claim.claimant, n, sentences)
        if not by or (by == claim.claimant and ids == [n]):
            claims.append(claim)
            continue
        claimant = canonical(by, actor_of)
        citations = [Citation(source_id=first.source_id, sentences=tuple(sorted({*first.sentences, *ids}))),
                     *claim.citations[1:]]
        changed[(claim.statement, tuple(claim.citations))] = (claimant, citations)
        claims.append(claim.model_copy(update={"claimant": claimant, "citations": citations}))
    disputes = [
        dispute.model_copy(update={"positions": [
            p.model_copy(update=dict(zip(("claimant", "citations"), changed[(p.statement, tuple(p.citations))])))
            if (p.statement, tuple(p.citations)) in changed else p
            for p in dispute.positions
        ]})
        for dispute in brief.disputes
    ]
    return brief.model_copy(update={"claims": claims, "disputes": disputes})
