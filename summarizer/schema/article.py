"""The input types: one loaded report (``Article``) and its numbered sentences (``SegmentedArticle``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


# How ``Article.date_problem`` says why a report's date was not taken: English data, which a brief
# in another language words again (``stages.consolidate.sources.date_problem_in``).
NOT_A_DATE = "'{date}' is not a date"
LATER_THAN_TODAY = "'{date}' is later than today"
DATE_PROBLEMS = (NOT_A_DATE, LATER_THAN_TODAY)


class Article(BaseModel):
    """One input report, decoded to plain text, with the metadata the report itself carries."""

    id: str = Field(description="Stable id derived from the text (first 12 hex of its SHA-256).")
    path: str | None = Field(None, description="File it was read from, relative to the input folder.")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = Field(None, description="Publication date as the report states it.")
    date_problem: str | None = Field(
        None, description="Why the date the report states was not taken ('2024-02-30' is not a date), if so.")
    language: str | None = Field(None, description="ISO 639-1 code of the report's language, as detected.")
    text: str = Field(description="The report's full plain text; sentence offsets point into it.")
    body_start: int = Field(0, description="Offset where the body begins, after metadata lines.")
    removed: list[str] = Field(default_factory=list, description="Boilerplate lines left out of the body.")
    notices: list[str] = Field(
        default_factory=list,
        description="Notices the report carries about itself (AI-generated image, opinion disclaimer).",
    )


class Sentence(BaseModel):
    """A numbered sentence of one article: ``article.text[start:end] == text``."""

    n: int = Field(description="1-based number within its article; what the model cites.")
    start: int
    end: int
    text: str


class SegmentedArticle(BaseModel):
    article: Article
    sentences: list[Sentence]

    def sentence(self, n: int) -> Sentence | None:
        return self.sentences[n - 1] if 1 <= n <= len(self.sentences) else None
