"""What the model answers: the classes are its tool schemas; names, field order and docstrings are what it reads.
Its answers are checked by the rules in ``summarizer.schema.rules``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field


def capped(n: int, at_least: int = 0):
    """A list the schema caps at ``n`` items and validation trims to ``n`` (a hosted model may list one too many)."""
    # The embedded model's grammar enforces the cap; one item too many from a hosted model is no reason for a re-ask.
    return Field(min_length=at_least, max_length=n), BeforeValidator(lambda v: v[:n] if isinstance(v, list) else v)


# --------------------------------------------------------------------------- extract

ClaimKind = Literal[
    "event", "casualty", "actor", "location", "time", "equipment",
    "allegation", "denial", "cause", "background",
]
Metric = Literal["killed", "wounded", "captured", "missing", "killed or captured"]


class SentenceNote(BaseModel):
    n: int
    kind: ClaimKind
    by: str
    # Dates come from the sentence's own words (dates.time_words), not from this field. Asking
    # for it anyway is measured: without it the model's claimants moved (fact_claimant_accuracy
    # 0.70 -> 0.63 on the samples) for ~15% fewer output tokens.
    when: str | None = None


MAX_NOTES = 10  # sentences one claims answer picks per window; code picks as many for the embedded model


class ClaimsResponse(BaseModel):
    """The sentences of one report that state its claims, annotated."""

    # The docstring above is the tool description the model reads: keep it short. A claim's
    # text is its sentence, supplied by code: the model only picks and annotates sentences,
    # which costs a fifth of the output tokens of writing claims out (it copied them anyway).
    # Its rules are in rules.note_problems(); the LLM layer attaches them per call as a validator.
    # Required, and at least three: a grammar-constrained model may otherwise answer nothing.
    notes: Annotated[list[SentenceNote], *capped(MAX_NOTES, at_least=3)]


class FigureResponse(BaseModel):
    by: str
    party: str
    metric: Metric
    figure: str


class SentenceCasualties(BaseModel):
    """The casualty figures one sentence gives."""

    figures: Annotated[list[FigureResponse], *capped(6)]


# --------------------------------------------------------------------------- consolidate
# What the model returns when it reads every article's claims at once. It refers to names and
# claims by their numbers in the prompt; code turns the numbers back into citations.


class PlaceGroup(BaseModel):
    name: str
    spellings: Annotated[list[str], *capped(4)]
    country: str | None = None


class SummaryDraft(BaseModel):
    text: str
    claims: Annotated[list[int], *capped(5)]


class ConsolidationResponse(BaseModel):
    """The incident's title, type, summary and places."""

    # Output tokens are what a CPU pays for: lists are capped in the grammar. (Strings are not:
    # a length cap in the grammar cuts words mid-way and slows the sampler.)
    summary: Annotated[list[SummaryDraft], *capped(4, at_least=2)]
    title: str
    incident_type: str
    places: Annotated[list[PlaceGroup], *capped(4)]


class SummaryChoice(BaseModel):
    """The incident's title and type, the claims that best summarise it, and its places."""

    # What the embedded model answers in place of ConsolidationResponse: it picks the claims whose
    # sentences are the summary, as written, rather than writing sentences (see draft.draft_summary).
    title: str
    incident_type: str
    summary: Annotated[list[int], *capped(4, at_least=2)]
    places: Annotated[list[str], *capped(4)]


class DisagreementCheck(BaseModel):
    """Whether two claims disagree, and on what."""

    # The question comes first so the model states what both claims are about before judging.
    question: str
    disagree: bool
    kind: Literal["cause", "date", "characterisation", "other"]


class PairCheck(BaseModel):
    """Whether a statement code makes about two sentences is true: a choice, not a text."""

    answer: Literal["yes", "no"]


class SentenceTranslation(BaseModel):
    n: int = Field(description="The sentence's number.")
    text: str = Field(description="The sentence in the target language.")


class TranslationResponse(BaseModel):
    """Numbered sentences of one report, each in the brief's language."""

    sentences: list[SentenceTranslation]
