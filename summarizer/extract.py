"""Stage 3, extract: an article's numbered sentences -> its claims and casualty figures.

Two kinds of model call, each small enough for a 1.5B model on a CPU to get right:
one per article for its claims, and one per sentence that code finds giving a casualty figure
(with the two sentences before it, so "the statement said" can be traced to who made it).
Every answer is checked against the sentences it cites; a failed check is re-asked once, and
what still fails is dropped and counted, never shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from summarizer.figures import LOOKBACK, claimant_problem, figure_in_text, states_casualty_figure
from summarizer.llm import LLM
from summarizer.prompts import render
from summarizer.schema import (
    ArticleExtraction, ClaimsResponse, DroppedItem, SegmentedArticle, SentenceCasualties, Usage, grounding_problems,
)
from summarizer.verify import keep_grounded, repair_citations


def extract(segmented: SegmentedArticle, llm: LLM, reasks: int = 1) -> ArticleExtraction:
    """Extract one article's claims and casualty figures.

    Example:
        >>> extraction = extract(segment(article), llm)
        >>> [(c.party, c.figure, c.by) for c in extraction.casualties]
    """
    started = time.monotonic()
    article = segmented.article
    sentences = {s.n: s.text for s in segmented.sentences}
    usage, asked_again, dropped = Usage(), 0, []

    answer = llm.structured(
        ClaimsResponse,
        system=render("extract_system"),
        user=render("extract_user", title=article.title, published=article.published, sentences=segmented.sentences),
        check=lambda response: grounding_problems(repair_citations(response, sentences), sentences),
        reasks=reasks,
    )
    usage, asked_again = usage + answer.usage, asked_again + answer.reasks
    claims = answer.value.model_dump()["claims"] if answer.value else (answer.raw or {}).get("claims") or []
    if answer.value is None and not claims:
        dropped.append(DroppedItem(source_id=article.id, what="the article's claims", reason="; ".join(answer.errors) or "no usable answer"))

    casualties = []
    for sentence in segmented.sentences:
        if not states_casualty_figure(sentence.text):
            continue
        figures, figure_usage, figure_reasks = _sentence_figures(segmented, sentence.n, llm, reasks)
        usage, asked_again = usage + figure_usage, asked_again + figure_reasks
        casualties += figures

    kept, rejected = keep_grounded({"casualties": casualties, "claims": claims}, sentences, article.id)
    return ArticleExtraction(
        article_id=article.id, casualties=kept.casualties, claims=kept.claims, dropped=dropped + rejected,
        reasks=asked_again, usage=usage, seconds=time.monotonic() - started,
    )


def _sentence_figures(segmented: SegmentedArticle, n: int, llm: LLM, reasks: int) -> tuple[list[dict], Usage, int]:
    sentences = {s.n: s.text for s in segmented.sentences}
    before = [s for s in segmented.sentences if n - LOOKBACK <= s.n < n]

    def problems(response: SentenceCasualties) -> list[str]:
        found = []
        for i, figure in enumerate(response.figures, start=1):
            if not figure_in_text(figure.figure, sentences[n]):
                found.append(f"figures[{i}] '{figure.figure}' is not written in the sentence")
            elif problem := claimant_problem(figure.by, [n], sentences):
                found.append(f"figures[{i}] {problem}")
        return found

    answer = llm.structured(
        SentenceCasualties,
        system=render("casualty_system"),
        user=render("casualty_user", before=before, sentence=segmented.sentence(n)),
        check=problems, max_tokens=400, reasks=reasks,
    )
    figures = answer.value.figures if answer.value else []
    if answer.value is None and answer.raw:
        figures = [f for f in SentenceCasualties.model_construct(**answer.raw).figures or []]
    items = []
    for figure in figures:
        data = figure if isinstance(figure, dict) else figure.model_dump()
        items.append({"ids": _with_attribution(data.get("by", ""), n, sentences), **data})
    return items, answer.usage, answer.reasks


def _with_attribution(by: str, n: int, sentences: dict[int, str]) -> list[int]:
    """The figure's sentence, plus the earlier sentence that names its claimant if it is not in it."""
    if claimant_problem(by, [n], {n: sentences[n]}) is None:
        return [n]
    for earlier in range(n - 1, n - LOOKBACK - 1, -1):
        if earlier in sentences and claimant_problem(by, [earlier], {earlier: sentences[earlier]}) is None:
            return [earlier, n]
    return [n]


def extract_all(
    articles: Sequence[SegmentedArticle], llm: LLM, *, concurrency: int = 1,
    on_done: Callable[[SegmentedArticle, ArticleExtraction], None] | None = None,
) -> list[ArticleExtraction]:
    """Extract every article, ``concurrency`` articles at a time, results in input order."""

    def one(segmented: SegmentedArticle) -> ArticleExtraction:
        extraction = extract(segmented, llm)
        if on_done:
            on_done(segmented, extraction)
        return extraction

    if concurrency <= 1:
        return [one(s) for s in articles]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, articles))
