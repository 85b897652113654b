"""The brief: ``IncidentBrief`` and its parts, and its JSON Schema as exported to ``schemas/``."""

# The brief is self-contained: each ``Source`` carries its numbered sentences with character
# offsets, so every ``Citation`` can be resolved, shown and checked without the input files.

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.schema.answers import ClaimKind, Metric
from summarizer.schema.article import Sentence


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


class Translation(BaseModel):
    """A cited sentence in the brief's language, written by the run's model; shown beside the
    sentence, never instead of it, and never used to check anything."""

    sentence: int = Field(description="The number of the sentence it translates.")
    text: str


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
    translations: list[Translation] = Field(
        default_factory=list, description="Machine translations of the cited sentences, when the source's language "
        "is not the brief's; each keeps every figure of its sentence (those that did not are left out).")


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
    language: str = Field("en", description="ISO 639-1 code of the language the brief is written in.")
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


SCHEMA_FILE = "schemas/incident_brief.schema.json"


def brief_json_schema() -> str:
    """The JSON Schema of ``IncidentBrief``, as exported to ``schemas/incident_brief.schema.json``."""
    import json

    return json.dumps(IncidentBrief.model_json_schema(), indent=2, sort_keys=True) + "\n"
