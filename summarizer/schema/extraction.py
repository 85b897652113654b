"""One article's extraction: the casualty figures and claims code assembles from the model's answers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from summarizer.schema.answers import ClaimKind, Metric
from summarizer.schema.brief import DroppedItem, Usage


class ExtractedCasualty(BaseModel):
    """A casualty figure as one report gives it; code parses ``figure`` into numbers."""

    ids: list[int] = Field(max_length=4)
    by: str
    party: str
    metric: Metric
    figure: str


class ExtractedClaim(BaseModel):
    """One atomic statement of one report."""

    # Field order is generation order: the model names the sentences first, then reads them.
    ids: list[int] = Field(max_length=4)
    kind: ClaimKind
    by: str
    text: str
    when: str | None = None


class ExtractionResponse(BaseModel):
    """One article's casualty figures and claims, before verification."""

    casualties: list[ExtractedCasualty]
    claims: list[ExtractedClaim]


class ArticleExtraction(BaseModel):
    """One article's verified extraction, with what verification had to drop."""

    article_id: str
    casualties: list[ExtractedCasualty]
    claims: list[ExtractedClaim]
    dropped: list[DroppedItem] = Field(default_factory=list)
    reasks: int = 0
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0
