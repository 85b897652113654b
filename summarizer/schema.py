"""Every data type of the pipeline, in the order the stages produce them.

load -> ``Article``; segment -> ``SegmentedArticle``; extract -> ``ArticleExtraction``
(what the model returns is ``ExtractionResponse``); consolidate + verify -> ``IncidentBrief``.

The brief is self-contained: each ``Source`` carries its numbered sentences with character
offsets, so every ``Citation`` can be resolved, shown and checked without the input files.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# --------------------------------------------------------------------------- load / segment


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


# --------------------------------------------------------------------------- what the model answers


def capped(n: int, at_least: int = 0):
    """A list the schema caps at ``n`` items and validation trims to ``n``: the embedded model's
    grammar enforces the cap, but a hosted model may list one item too many, which is no reason
    for a re-ask.
    """
    return Field(min_length=at_least, max_length=n), BeforeValidator(lambda v: v[:n] if isinstance(v, list) else v)


# --------------------------------------------------------------------------- extract

ClaimKind = Literal[
    "event", "casualty", "actor", "location", "time", "equipment",
    "allegation", "denial", "cause", "background",
]
Metric = Literal["killed", "wounded", "captured", "missing", "killed or captured"]


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


class SentenceNote(BaseModel):
    n: int
    kind: ClaimKind
    by: str
    # Dates come from the sentence's own words (dates.time_words), not from this field. Asking
    # for it anyway is measured: without it the model's claimants moved (fact_claimant_accuracy
    # 0.70 -> 0.63 on the samples) for ~15% fewer output tokens.
    when: str | None = None


class ClaimsResponse(BaseModel):
    """The sentences of one report that state its claims, annotated."""

    # The docstring above is the tool description the model reads: keep it short. A claim's
    # text is its sentence, supplied by code: the model only picks and annotates sentences,
    # which costs a fifth of the output tokens of writing claims out (it copied them anyway).
    # Its rules are in note_problems(); the LLM layer attaches them per call as a validator.
    # Required, and at least three: a grammar-constrained model may otherwise answer nothing.
    notes: Annotated[list[SentenceNote], *capped(10, at_least=3)]


def note_problems(response: ClaimsResponse, sentences: dict[int, str]) -> list[str]:
    """Notes that point at no sentence: the one error worth a re-ask.

    A claimant the sentence does not name is not re-asked (measured: it doubled the cost of a
    report on the embedded model); verification gives such a claim to the report instead.
    """
    return [
        f"notes[{i}] sentence {note.n} does not exist; sentences are numbered {min(sentences)} to {max(sentences)}"
        for i, note in enumerate(response.notes, start=1) if note.n not in sentences
    ]


class FigureResponse(BaseModel):
    by: str
    party: str
    metric: Metric
    figure: str


class SentenceCasualties(BaseModel):
    """The casualty figures one sentence gives."""

    figures: Annotated[list[FigureResponse], *capped(6)]


class ExtractionResponse(BaseModel):
    """One article's casualty figures and claims, before verification."""

    casualties: list[ExtractedCasualty]
    claims: list[ExtractedClaim]


def grounding_problems(response: ExtractionResponse, sentences: dict[int, str]) -> list[str]:
    """Why items of an extraction are not grounded in the numbered sentences (empty if all are)."""
    from summarizer.text.attribution import claimant_problem
    from summarizer.text.metrics import metric_of
    from summarizer.text.numbers import figure_in_text
    from summarizer.text.parties import party_beside_figure, party_is_a_participle, party_is_claimant
    from summarizer.text.words import words_supported

    problems = []
    for i, item in enumerate(response.casualties, start=1):
        missing = [n for n in item.ids if n not in sentences]
        if not item.ids or missing:
            problems.append(f"casualties[{i}] cites sentence {missing or 'none'} that does not exist")
        elif not any(figure_in_text(item.figure, sentences[n]) for n in item.ids):
            problems.append(f"casualties[{i}] figure '{item.figure}' is not in sentence {item.ids}")
        elif problem := claimant_problem(item.by, item.ids, sentences):
            problems.append(f"casualties[{i}] {problem}")
        elif party_is_claimant(item.party, item.by):
            problems.append(f"casualties[{i}] party '{item.party}' is its claimant '{item.by}': whose losses it counts is not said")
        elif party_is_a_participle(item.party):
            problems.append(f"casualties[{i}] party '{item.party}' is a verb, not who was counted")
        elif not any(metric_of(item.figure, item.metric, sentences[n]) == item.metric for n in item.ids):
            problems.append(f"casualties[{i}] sentence {item.ids} does not say '{item.figure}' were {item.metric}")
        elif not any(party_beside_figure(item.party, item.figure, sentences[n],
                                         " ".join(sentences[m] for m in item.ids if m < n)) for n in item.ids):
            problems.append(f"casualties[{i}] party '{item.party}' is not named beside '{item.figure}' in sentence {item.ids}")
    for i, item in enumerate(response.claims, start=1):
        missing = [n for n in item.ids if n not in sentences]
        if not item.ids or missing:
            problems.append(f"claims[{i}] cites sentence {missing or 'none'} that does not exist")
        elif not words_supported(item.text, " ".join(sentences[n] for n in item.ids)):
            problems.append(f"claims[{i}] text is not what sentence {item.ids} says: cite the sentence that says it")
        elif problem := claimant_problem(item.by, item.ids, sentences, figure=False):
            problems.append(f"claims[{i}] {problem}")
    return problems


class ArticleExtraction(BaseModel):
    """One article's verified extraction, with what verification had to drop."""

    article_id: str
    casualties: list[ExtractedCasualty]
    claims: list[ExtractedClaim]
    dropped: list[DroppedItem] = Field(default_factory=list)
    reasks: int = 0
    usage: Usage = Field(default_factory=lambda: Usage())
    seconds: float = 0.0


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


class DisagreementCheck(BaseModel):
    """Whether two claims disagree, and on what."""

    # The question comes first so the model states what both claims are about before judging.
    question: str
    disagree: bool
    kind: Literal["cause", "date", "characterisation", "other"]


def consolidation_problems(response: ConsolidationResponse, claims: int) -> list[str]:
    """Summary sentences that cite no claim, or claims that do not exist."""
    return [
        f"summary[{i}] must cite claims numbered 1 to {claims}"
        for i, sentence in enumerate(response.summary, start=1)
        if not sentence.claims or [n for n in sentence.claims if not 1 <= n <= claims]
    ]


# --------------------------------------------------------------------------- brief


class Citation(BaseModel):
    """Sentences of one source that support a statement."""

    model_config = ConfigDict(frozen=True)

    source_id: str
    sentences: tuple[int, ...]


class Actor(BaseModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    side: str | None = Field(None, description="Which side of the fighting, e.g. 'government', 'separatist'.")
    backed_by: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class Place(BaseModel):
    name: str
    spellings: list[str] = Field(default_factory=list)
    region: str | None = None
    country: str | None = None
    citations: list[Citation] = Field(default_factory=list)


DatePrecision = Literal["day", "month", "year", "range", "unknown"]


class DateValue(BaseModel):
    as_written: str
    iso: str | None = Field(None, description="ISO date (YYYY-MM-DD, YYYY-MM or YYYY) when resolvable.")
    precision: DatePrecision = "unknown"
    resolved_from: str | None = Field(None, description="How it was resolved, e.g. 'weekday before 2024-07-29'.")
    citations: list[Citation] = Field(default_factory=list)


class When(BaseModel):
    start: str | None = Field(None, description="ISO date the fighting began, if sources settle it.")
    end: str | None = None
    precision: DatePrecision = "unknown"
    dates: list[DateValue] = Field(default_factory=list)


class CasualtyClaim(BaseModel):
    """One (party, metric, figure, claimant) as stated by one or more sources."""

    party: str
    party_as_written: str | None = Field(
        None, description="The party in its report's own words, where `party` is the brief's English for it "
                          "('civils' -> 'civilians').")
    metric: Metric
    figure: str = Field(description="As written, e.g. 'at least 20'.")
    low: int | None = None
    high: int | None = Field(None, description="None when open-ended ('at least 20').")
    qualifier: Literal["exact", "at least", "at most", "about", "vague"] = "exact"
    claimant: str
    citations: list[Citation]


class CasualtyRange(BaseModel):
    """Across every claim about one party and metric: the lowest and highest figure."""

    party: str
    metric: Metric
    low: int | None
    high: int | None
    claims: int


ClaimStatus = Literal["corroborated", "single-source", "disputed", "denied"]


class Claim(BaseModel):
    id: str
    kind: ClaimKind
    statement: str
    claimant: str
    status: ClaimStatus
    when: DateValue | None = None
    citations: list[Citation]
    independent_sources: int = Field(description="Sources carrying it, counting copies of one report once.")


class Position(BaseModel):
    claimant: str
    statement: str
    citations: list[Citation]


class Dispute(BaseModel):
    question: str = Field(description="What the sources disagree about.")
    kind: Literal["figure", "cause", "date", "characterisation", "other"] = "other"
    positions: list[Position] = Field(min_length=2)


class TimelineEvent(BaseModel):
    date: DateValue
    event: str
    citations: list[Citation]


SourceFlag = Literal[
    "copy", "internal-error", "boilerplate-removed", "ai-generated-notice", "opinion-notice",
    "prompt-injection", "no-date", "bad-date", "far-date", "off-topic",
]


class Source(BaseModel):
    id: str
    path: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = Field(None, description="ISO 639-1 code of the report's language, as detected.")
    adds: str | None = Field(None, description="What this source adds that others do not.")
    flags: list[SourceFlag] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Why each flag was raised.")
    copy_of: str | None = Field(None, description="Source id this one copies, if any.")
    sentences: list[Sentence]


class SummarySentence(BaseModel):
    text: str
    citations: list[Citation]


class DroppedItem(BaseModel):
    source_id: str | None = None
    what: str
    reason: str


class Usage(BaseModel):
    """Model calls and their tokens, those the run store answered included, and what they cost."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = Field(
        None, description="USD the endpoint charges for these calls at the price table's or --price's rates: "
        "the tokens it processed in this run, every prompt token at the input price; answers the run store "
        "held cost nothing. None when the model's price is unknown, and for the embedded model.",
    )

    def __add__(self, other: Usage) -> Usage:
        costs = [c for c in (self.cost_usd, other.cost_usd) if c is not None]
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=round(sum(costs), 8) if costs else None,
        )


class Diagnostics(BaseModel):
    model: str
    endpoint: str
    usage: Usage = Field(default_factory=Usage)
    seconds: dict[str, float] = Field(default_factory=dict, description="Wall time per stage.")
    reasks: int = 0
    dropped: list[DroppedItem] = Field(default_factory=list)
    skipped_files: list[str] = Field(default_factory=list, description="Input files left out, with the reason.")
    unchanged_since: int | None = Field(
        None, description="The run store's id of the earlier run whose brief this is: nothing had changed since "
        "(reports, model, code), so no model call was made.",
    )


class IncidentBrief(BaseModel):
    """A consolidated, source-attributed brief of one incident.

    Example:
        >>> brief = summarize("samples/tinzaouatene")
        >>> [(c.claimant, c.figure, c.party) for c in brief.casualties]
    """

    title: str
    incident_type: str | None = None
    summary: list[SummarySentence]
    when: When
    where: list[Place]
    actors: list[Actor]
    casualties: list[CasualtyClaim]
    casualty_ranges: list[CasualtyRange]
    claims: list[Claim]
    disputes: list[Dispute]
    timeline: list[TimelineEvent]
    sources: list[Source]
    open_questions: list[str]
    diagnostics: Diagnostics

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


ArticleExtraction.model_rebuild()


SCHEMA_FILE = "schemas/incident_brief.schema.json"


def brief_json_schema() -> str:
    """The JSON Schema of ``IncidentBrief``, as exported to ``schemas/incident_brief.schema.json``."""
    import json

    return json.dumps(IncidentBrief.model_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m summarizer.schema > schemas/incident_brief.schema.json
    print(brief_json_schema(), end="")
