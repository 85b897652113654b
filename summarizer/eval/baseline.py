"""The one-shot baseline: every report in one prompt, one answer, no verification.

It is what a chat window does with the same reports, kept so the eval can show what the
staged pipeline adds. Its citations are converted but not checked: the eval measures them.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence

from pydantic import BaseModel, Field

from summarizer.text.numbers import parse_figure
from summarizer.llm.client import LLM
from summarizer.llm.prompts import render, user_prompts
from summarizer.pipeline import recorded_run
from summarizer.schema import (
    CasualtyClaim, Citation, Diagnostics, Dispute, IncidentBrief, Metric, Position, SegmentedArticle,
    SummarySentence, When,
)
from summarizer.settings import Settings
from summarizer.stages.consolidate.sources import build_sources
from summarizer.stages.consolidate.casualties import casualty_ranges
from summarizer.stages.load import load
from summarizer.stages.segment import segment


class BaselineSentence(BaseModel):
    text: str
    cites: list[str] = Field(max_length=6)


class BaselineCasualty(BaseModel):
    party: str
    metric: Metric
    figure: str
    by: str
    cites: list[str] = Field(max_length=4)


class BaselineSide(BaseModel):
    by: str
    text: str
    cites: list[str] = Field(max_length=4)


class BaselineDispute(BaseModel):
    question: str
    sides: list[BaselineSide] = Field(min_length=2, max_length=4)


class BaselineResponse(BaseModel):
    """An incident brief of all the reports."""

    title: str
    summary: list[BaselineSentence] = Field(max_length=5)
    casualties: list[BaselineCasualty] = Field(max_length=12)
    disputes: list[BaselineDispute] = Field(max_length=6)


def one_shot_brief(articles: Sequence[SegmentedArticle], llm: LLM) -> IncidentBrief:
    """Brief all articles with a single prompt.

    Example:
        >>> baseline = one_shot_brief([segment(a) for a in load("samples/tinzaouatene").articles], llm)
    """
    started = time.monotonic()
    numbered = [
        {"number": i, "title": a.article.title, "published": a.article.published, "sentences": a.sentences}
        for i, a in enumerate(articles, start=1)
    ]
    answer = llm.structured(
        BaselineResponse, system=render("baseline_system"), user=render("baseline_user", articles=numbered),
        max_tokens=1500, reasks=0,
    )
    response = answer.salvaged(BaselineResponse)
    ids = [a.article.id for a in articles]

    def citations(labels: list[str]) -> list[Citation]:
        by_source: dict[str, set[int]] = {}
        for label in labels:
            if m := re.fullmatch(r"\s*\[?(\d+)\.(\d+)\]?\s*", label):
                report, sentence = int(m[1]), int(m[2])
                source = ids[report - 1] if 1 <= report <= len(ids) else f"report-{report}"
                by_source.setdefault(source, set()).add(sentence)
        return [Citation(source_id=s, sentences=tuple(sorted(n))) for s, n in by_source.items()]

    casualties = []
    for c in response.casualties if response else []:
        low, high, qualifier = parse_figure(c.figure)
        casualties.append(CasualtyClaim(
            party=c.party, metric=c.metric, figure=c.figure, low=low, high=high, qualifier=qualifier,
            claimant=c.by, citations=citations(c.cites),
        ))
    return IncidentBrief(
        title=response.title if response else "(no answer)",
        summary=[SummarySentence(text=s.text, citations=citations(s.cites)) for s in (response.summary if response else [])],
        when=When(), where=[], actors=[],
        casualties=casualties, casualty_ranges=casualty_ranges(casualties), claims=[],
        disputes=[
            Dispute(question=d.question, positions=[
                Position(claimant=s.by, statement=s.text, citations=citations(s.cites)) for s in d.sides
            ])
            for d in (response.disputes if response else []) if len(d.sides) >= 2
        ],
        timeline=[], sources=build_sources(articles), open_questions=[],
        diagnostics=Diagnostics(
            model=llm.endpoint.identity, endpoint=llm.endpoint.label, usage=answer.usage,
            seconds={"total": round(time.monotonic() - started, 2)},
        ),
    )


def baseline_brief(folder: str | os.PathLike, settings: Settings | None = None) -> IncidentBrief:
    """The one-shot baseline brief of ``folder``, with an LLM built as ``summarize`` builds its own
    (``settings`` default: ``Settings.from_env()``; no token budget, one call).

    It is logged in the run store as its own run, "<folder> (one-shot baseline)".

    Example:
        >>> baseline_brief("samples/tinzaouatene", Settings.from_env(base_url="http://localhost:11434/v1", model="qwen2.5:7b"))
    """
    settings = settings or Settings.from_env()
    segmented = [segment(article) for article in load(folder).articles]
    endpoint = settings.endpoint()
    with user_prompts(settings.prompts), recorded_run(endpoint, settings.store, f"{folder} (one-shot baseline)",
                                                      segmented, cache=settings.cache, price=settings.price) as llm:
        brief = one_shot_brief(segmented, llm)
        llm.store.finish_run(llm.run_id, brief_json=brief.model_dump_json())
        return brief
