"""Stage 4, consolidate: every article's claims -> one ``IncidentBrief``.

Code does what code can do exactly: merging the same claim across sources, spotting copied
reports, grouping casualty figures and their ranges, figure disputes, dates. Small model calls
do what needs meaning: whether a pair of sentences code found disagree (a denial, two years, two
names for the same dead), the summary and the title (and, for a model at an endpoint, what two
claims disagree on). The model refers to claims by number; code maps numbers back to the
sentences they cite, so nothing it writes is shown without a citation. One module per job:
``sources``, ``claims``, ``names``, ``actors``, ``casualties``, ``disputes``, ``rebuttals``,
``victims``, ``accounts``, ``draft`` (the model's summary) and ``outline``.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.llm.client import LLM
from summarizer.llm.pool import CallPool
from summarizer.schema import ArticleExtraction, Diagnostics, Dispute, IncidentBrief, SegmentedArticle, Usage
from summarizer.stages.consolidate.actors import incident_actors
from summarizer.stages.consolidate.casualties import (
    casualty_claims, casualty_ranges, figure_disputes, tolls, without_earlier_events,
)
from summarizer.stages.consolidate.claims import brief_claims, merge_claims
from summarizer.stages.consolidate.disputes import disagreements
from summarizer.stages.consolidate.draft import brief_places, draft_summary, summary_sentences
from summarizer.stages.consolidate.names import canonical_names
from summarizer.stages.consolidate.rebuttals import sentence_disputes
from summarizer.stages.consolidate.accounts import account_disputes
from summarizer.stages.consolidate.victims import victim_disputes
from summarizer.stages.consolidate.outline import brief_timeline, brief_when, fallback_title, open_questions
from summarizer.stages.consolidate.sources import build_sources, find_off_topic, flag_internal_errors, with_additions
from summarizer.text.language import DEFAULT, NAMES

__all__ = ["consolidate", "find_off_topic"]


def consolidate(
    articles: Sequence[SegmentedArticle], extractions: Sequence[ArticleExtraction], llm: LLM | None,
    off_topic: dict[str, str] | None = None, concurrency: int = 1, language: str = DEFAULT,
) -> IncidentBrief:
    """Merge per-article extractions into a brief (not yet verified: see ``verify.verify_brief``).

    Its model calls (one per candidate dispute, one for the summary) depend on no other call:
    with ``concurrency`` above 1 they are all in flight at once. ``language`` (ISO 639-1) is the one
    the model writes the title, summary and dispute questions in.

    Example:
        >>> brief = consolidate(segmented, extractions, llm)
        >>> [(c.claimant, c.figure) for c in brief.casualties]
    """
    by_id = {a.article.id: a for a in articles}
    off = find_off_topic(articles, language) if off_topic is None else off_topic
    sources = build_sources(articles, off, language)
    extractions = [e for e in extractions if e.article_id not in off]
    independent = {s.id: s.copy_of or s.id for s in sources}
    merged = merge_claims(extractions, independent)
    names = canonical_names(
        [c.by for e in extractions for c in e.claims]
        + [x for e in extractions for c in e.casualties for x in (c.by, c.party)]
    )
    usage = Usage()

    # A casualty party is named among parties alone: "rebels" is no part of "a spokesman for the rebels".
    parties = canonical_names([c.party for e in extractions for c in e.casualties], specific=True)
    on_topic = [a for a in articles if a.article.id not in off]
    found = incident_actors(names, parties, on_topic, language)  # every claimant and party is shown by its actor's name
    names, parties = found.names, found.parties
    casualties = casualty_claims(extractions, names, {a.article.id: a.article.language for a in articles}, parties,
                                 brief_language=language)
    casualties, earlier = without_earlier_events(casualties, articles)
    counted = tolls(casualties, articles)  # the rows that are a toll, not a part of one: what disputes set apart
    written_in = NAMES[language]  # what the model writes (title, summary, questions) is in the brief's language
    verbatim = all((a.article.language or DEFAULT) == language for a in on_topic)  # its sentences can be the summary
    with CallPool(concurrency) as pool:
        pending = pool.submit(draft_summary, llm, merged, written_in, verbatim)
        denied, rebuttal_usage = sentence_disputes(on_topic, names, llm, run=pool.map, language=language)
        victims, victim_usage = victim_disputes(counted, on_topic, llm, run=pool.map, language=language)
        accounts, account_usage = account_disputes(on_topic, names, llm, run=pool.map, language=language)
        # The open check, where the model writes what two claims disagree on, is for a model that can
        # write: the embedded one wrote the prompt's own example question in 40 of 40 calls on the
        # dev set (2026-12-07) and set out no dispute, for 14 s a folder. Its disputes are the ones
        # code proposes and it confirms (``rebuttals``) and the figure disputes code finds.
        writes = llm is not None and not llm.endpoint.is_embedded
        claim_disputes, dispute_usage = disagreements(merged, names, llm if writes else None, run=pool.map,
                                                      language=written_in)
        drafted, draft_usage = pending.result()
    confirmed = denied + victims + accounts  # the disputes code proposes and the model confirms
    disputes = figure_disputes(counted, language) + confirmed + _not_restated(claim_disputes, confirmed)
    usage = usage + rebuttal_usage + victim_usage + account_usage + dispute_usage + draft_usage
    claims = brief_claims(merged, disputes, names, independent, by_id)
    flag_internal_errors(sources, disputes, language)

    return IncidentBrief(
        language=language,
        title=(drafted.title if drafted else None) or fallback_title(articles),
        incident_type=drafted.incident_type if drafted else None,
        summary=summary_sentences(drafted, merged),
        when=brief_when(claims),
        where=brief_places(drafted, articles),
        actors=found.actors,
        casualties=casualties,
        casualty_ranges=casualty_ranges(casualties),
        claims=claims,
        disputes=disputes,
        timeline=brief_timeline(claims),
        sources=with_additions(sources, claims, language),
        open_questions=open_questions(disputes),
        diagnostics=Diagnostics(
            model=llm.endpoint.identity if llm else "none", endpoint=llm.endpoint.label if llm else "none", usage=usage,
            dropped=earlier,
        ),
    )


def _not_restated(disputes: list[Dispute], found: list[Dispute]) -> list[Dispute]:
    """The model's disputes between claims, less those that cite a sentence a rebuttal already sets out."""
    cited = {(c.source_id, n) for d in found for p in d.positions for c in p.citations for n in c.sentences}
    return [d for d in disputes
            if not {(c.source_id, n) for p in d.positions for c in p.citations for n in c.sentences} & cited]
