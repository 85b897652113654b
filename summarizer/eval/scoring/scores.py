"""What a score is: every metric of one brief against one gold file, and which metrics are rates."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field


class LanguageCounts(BaseModel):
    """The counts behind the headline rates over the items that cite (or gold that comes from) one
    language's reports: (right, of) each. An item citing reports in two languages counts in both."""

    casualty_rows: tuple[int, int] = (0, 0)
    casualties: tuple[int, int] = (0, 0)
    claimants: tuple[int, int] = (0, 0)
    disputes_shown: tuple[int, int] = (0, 0)
    disputes: tuple[int, int] = (0, 0)

    def add(self, counts: str, hit: bool) -> None:
        """One more item of ``counts``, right (or found) when ``hit``."""
        right, of = getattr(self, counts)
        setattr(self, counts, (right + hit, of + 1))

    def merge(self, other: LanguageCounts) -> None:
        """Add ``other``'s counts to these (pooling folders)."""
        for counts in LANGUAGE_METRICS.values():
            mine, theirs = getattr(self, counts), getattr(other, counts)
            setattr(self, counts, (mine[0] + theirs[0], mine[1] + theirs[1]))

    def rates(self) -> dict[str, float | None]:
        """Casualty precision and recall, claimant accuracy, dispute precision and recall."""
        return {metric: rate(*getattr(self, counts)) for metric, counts in LANGUAGE_METRICS.items()}


# Rate -> the counts behind it, for the per-language table.
LANGUAGE_METRICS = {
    "casualty_precision": "casualty_rows", "casualty_recall": "casualties", "claimant_accuracy": "claimants",
    "dispute_precision": "disputes_shown", "dispute_recall": "disputes",
}


class Scores(BaseModel):
    """Every metric of one brief against one gold file; rates are in [0, 1], None when undefined."""

    fact_recall: float | None = None
    attribution_precision: float | None = None
    attribution_recall: float | None = None
    fact_claimant_accuracy: float | None = None
    casualty_precision: float | None = None
    casualty_recall: float | None = None
    casualty_claimant_accuracy: float | None = None
    claimant_accuracy: float | None = None
    dispute_precision: float | None = None
    dispute_recall: float | None = None
    actor_side_accuracy: float | None = None
    on_topic_kept: float | None = None
    distractors_flagged: float | None = None
    date_precision: float | None = None
    date_recall: float | None = None
    citation_validity: float | None = None
    actor_fragmentation: float | None = None
    unsupported_figures: int = 0
    seconds: float | None = Field(None, description="Wall time from brief.diagnostics.")
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens: int = 0

    # The counts behind the rates, and what was missed, for reading a failure.
    facts: tuple[int, int] = (0, 0)
    casualties: tuple[int, int] = (0, 0)
    casualty_rows: tuple[int, int] = (0, 0)
    casualties_claimant_right: int = 0
    claimants: tuple[int, int] = (0, 0)
    claimants_unjudged: int = 0
    disputes: tuple[int, int] = (0, 0)
    disputes_shown: tuple[int, int] = (0, 0)
    dates: tuple[int, int] = (0, 0)
    dates_shown: tuple[int, int] = (0, 0)
    citations: tuple[int, int] = (0, 0)
    missed_facts: list[str] = Field(default_factory=list)
    missed_casualties: list[str] = Field(default_factory=list)
    wrong_fact_claimants: list[str] = Field(default_factory=list, description="'fact id: brief claimants'.")
    wrong_claimants: list[str] = Field(default_factory=list, description="'casualty id: brief claimants'.")
    wrong_casualty_rows: list[str] = Field(default_factory=list, description="'casualties[i] row: why'.")
    wrong_item_claimants: list[str] = Field(
        default_factory=list, description="'where: brief claimant, gold: keys' for every claim, row or position.",
    )
    missed_disputes: list[str] = Field(default_factory=list)
    wrong_disputes: list[str] = Field(default_factory=list, description="'disputes[i] question: why'.")
    party_names: dict[str, list[str]] = Field(
        default_factory=dict, description="Gold actor key -> the casualty-table party names that resolve to it.",
    )
    unresolved_parties: list[str] = Field(default_factory=list, description="Party names of no gold actor.")
    wrong_sides: list[str] = Field(default_factory=list)
    dropped_on_topic: list[str] = Field(default_factory=list, description="On-topic files flagged off-topic.")
    unflagged_distractors: list[str] = Field(default_factory=list)
    missed_dates: list[str] = Field(default_factory=list)
    wrong_dates: list[str] = Field(default_factory=list, description="Day dates in the brief that no gold date has.")
    by_language: dict[str, LanguageCounts] = Field(
        default_factory=dict, description="Report language -> the headline counts over that language's items.",
    )
    invalid_citations: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list, description="'where: number' for each unsupported figure.")


RATE_METRICS = (
    "fact_recall", "attribution_precision", "attribution_recall", "fact_claimant_accuracy",
    "casualty_precision", "casualty_recall", "casualty_claimant_accuracy", "claimant_accuracy",
    "dispute_precision", "dispute_recall", "actor_side_accuracy", "on_topic_kept", "distractors_flagged",
    "date_precision", "date_recall", "citation_validity",
)
COUNT_METRICS = (
    "actor_fragmentation", "unsupported_figures", "seconds", "calls", "prompt_tokens", "completion_tokens", "tokens",
)
# The figures a reader judges a brief by, first in every table.
HEADLINE_METRICS = (
    "casualty_precision", "casualty_recall", "claimant_accuracy", "dispute_precision", "dispute_recall",
    "actor_fragmentation", "on_topic_kept", "date_precision", "date_recall", "fact_recall", "unsupported_figures",
)


def tally(scores: Scores, counts: str, files: Iterable[str], languages: dict[str, str], hit: bool) -> None:
    """Count one item of ``counts`` (a ``LanguageCounts`` field) in the language of each report it
    comes from (``files``, by ``languages``: file name -> language)."""
    for language in {languages[f] for f in files if f in languages}:
        scores.by_language.setdefault(language, LanguageCounts()).add(counts, hit)


def rate(numerator: float, denominator: int) -> float | None:
    """``numerator / denominator``, or None when there was nothing to measure."""
    return numerator / denominator if denominator else None
