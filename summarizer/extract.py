"""Stage 3, extract: one model call per article -> its casualty figures and atomic claims.

The model sees numbered sentences and cites their numbers; the response model's validator
checks every number against the article, and instructor re-asks once with the errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from summarizer.figures import states_casualty_figure
from summarizer.llm import LLM
from summarizer.prompts import render
from summarizer.schema import ArticleExtraction, ExtractionResponse, SegmentedArticle, grounding_problems
from summarizer.verify import keep_grounded


def extract(segmented: SegmentedArticle, llm: LLM, reasks: int = 1) -> ArticleExtraction:
    """Extract one article's claims.

    Example:
        >>> extraction = extract(segment(article), llm)
        >>> [(c.party, c.figure, c.by) for c in extraction.casualties]
    """
    article = segmented.article
    sentences = {s.n: s.text for s in segmented.sentences}
    answer = llm.structured(
        ExtractionResponse,
        system=render("extract_system"),
        user=render(
            "extract_user", title=article.title, published=article.published, sentences=segmented.sentences,
            casualty_sentences=[s.n for s in segmented.sentences if states_casualty_figure(s.text)],
        ),
        check=lambda response: grounding_problems(response, sentences),
        reasks=reasks,
    )
    if answer.value is not None:
        response, dropped = keep_grounded(answer.value.model_dump(), sentences, article.id)
    else:
        response, dropped = keep_grounded(answer.raw or {}, sentences, article.id)
        if answer.raw is None:
            dropped.append(_whole_answer_dropped(article.id, answer.errors))
    return ArticleExtraction(
        article_id=article.id,
        casualties=response.casualties,
        claims=response.claims,
        dropped=dropped,
        reasks=answer.reasks,
        usage=answer.usage,
        seconds=answer.seconds,
    )


def extract_all(
    articles: Sequence[SegmentedArticle], llm: LLM, *, concurrency: int = 1,
    on_done: Callable[[SegmentedArticle, ArticleExtraction], None] | None = None,
) -> list[ArticleExtraction]:
    """Extract every article, ``concurrency`` calls at a time, in input order."""

    def one(segmented: SegmentedArticle) -> ArticleExtraction:
        extraction = extract(segmented, llm)
        if on_done:
            on_done(segmented, extraction)
        return extraction

    if concurrency <= 1:
        return [one(s) for s in articles]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, articles))


def _whole_answer_dropped(article_id: str, errors: list[str]):
    from summarizer.schema import DroppedItem

    return DroppedItem(source_id=article_id, what="the whole extraction", reason="; ".join(errors) or "no usable answer")
