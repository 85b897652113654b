"""Consolidate, claims: the same statement from several reports merged into one claim, with its
status (corroborated, single-source, disputed, denied) and its date."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.schema import ArticleExtraction, Citation, Claim, DateValue, Dispute, Position, SegmentedArticle
from summarizer.stages.consolidate.names import canonical
from summarizer.text.dates import resolve
from summarizer.text.words import CLAIM_STOPWORDS, stem

SAME_CLAIM = 0.7  # share of the shorter claim's words in the longer above which they say the same thing


@dataclass
class MergedClaim:
    """One statement and every source that makes it."""

    kind: str
    text: str
    by: str
    when: str | None
    citations: dict[str, set[int]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)

    def cite(self, source_id: str, ids: list[int]) -> None:
        self.citations.setdefault(source_id, set()).update(ids)

    def citation_list(self) -> list[Citation]:
        return [Citation(source_id=s, sentences=tuple(sorted(n))) for s, n in self.citations.items()]


def merge_claims(extractions: Sequence[ArticleExtraction], independent: dict[str, str]) -> list[MergedClaim]:
    """Claims of the same kind whose words mostly overlap are one claim carried by several sources."""
    merged: list[MergedClaim] = []
    for extraction in extractions:
        for claim in extraction.claims:
            words = claim_stems(claim.text)
            match = next((m for m in merged if _same_claim(m.words, words)), None)
            if match is None:
                match = MergedClaim(kind=claim.kind, text=claim.text, by=claim.by, when=claim.when, words=words)
                merged.append(match)
            elif match.when is None and claim.when:
                match.when = claim.when
            match.cite(extraction.article_id, claim.ids)
    return merged


def claim_stems(text: str) -> set[str]:
    """A claim's words as 5-letter stems ("crashed" ~ "crash"), stopwords left out: what two claims share."""
    return {stem(w) for w in re.findall(r"[^\W_]+", text.lower()) if w not in CLAIM_STOPWORDS and len(w) > 1}


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller word set found in the larger: 1.0 when one claim restates the other."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _same_claim(a: set[str], b: set[str]) -> bool:
    return containment(a, b) >= SAME_CLAIM


def brief_claims(
    merged: list[MergedClaim], disputes: list[Dispute], names: dict[str, str], independent: dict[str, str],
    articles: dict[str, SegmentedArticle],
) -> list[Claim]:
    def sentences_of(position: Position) -> set[tuple[str, int]]:
        return {(c.source_id, n) for c in position.citations for n in c.sentences}

    disputed = {x for d in disputes for p in d.positions for x in sentences_of(p)}
    denial_sentences = {(s, n) for m in merged if m.kind == "denial" for s, ns in m.citations.items() for n in ns}
    # A claim is denied when a dispute sets it against a denial.
    denied = {
        x for d in disputes for p in d.positions
        if not sentences_of(p) & denial_sentences
        and any(sentences_of(q) & denial_sentences for q in d.positions if q is not p)
        for x in sentences_of(p)
    }
    year = corpus_year(articles)
    claims = []
    for number, claim in enumerate(merged, start=1):
        cited = {(s, n) for s, ns in claim.citations.items() for n in ns}
        sources = {independent.get(s, s) for s in claim.citations}
        if claim.kind != "denial" and cited & denied:
            status = "denied"
        elif cited & disputed:
            status = "disputed"
        elif len(sources) >= 2:
            status = "corroborated"
        else:
            status = "single-source"
        claims.append(Claim(
            id=f"C{number}", kind=claim.kind, statement=claim.text, claimant=canonical(claim.by, names),
            status=status, when=_resolve_when(claim, articles, year), citations=claim.citation_list(),
            independent_sources=len(sources),
        ))
    return claims


def _resolve_when(claim: MergedClaim, articles: dict[str, SegmentedArticle], year: int | None) -> DateValue | None:
    if not claim.when:
        return None
    best = None
    for source_id in claim.citations:
        article = articles[source_id].article
        value = resolve(claim.when, article.published, year)
        value.citations = [Citation(source_id=source_id, sentences=tuple(sorted(claim.citations[source_id])))]
        if value.precision != "unknown":
            return value
        best = best or value
    return best


def corpus_year(articles: dict[str, SegmentedArticle]) -> int | None:
    years = Counter(a.article.published.year for a in articles.values() if a.article.published)
    return years.most_common(1)[0][0] if years else None


def merged_by_source(citations: Iterable[Citation]) -> list[Citation]:
    """One citation per source, with the union of its sentences, in first-seen order."""
    union: dict[str, set[int]] = {}
    for citation in citations:
        union.setdefault(citation.source_id, set()).update(citation.sentences)
    return [Citation(source_id=s, sentences=tuple(sorted(n))) for s, n in union.items()]
