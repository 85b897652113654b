"""Score an ``IncidentBrief`` against hand-reviewed gold labels (``evals/gold/tinzaouatene.yaml``).

Pure and deterministic: matching is plain text matching of the brief against term patterns
written by a reviewer; no model is involved, so two runs over one brief give one score.
``evals/README.md`` defines every metric with a worked example.

Example:
    >>> gold = load_gold("evals/gold/tinzaouatene.yaml")
    >>> scores = score(brief, gold)
    >>> check_thresholds(scores, load_thresholds("evals/thresholds.toml"))
    []
"""

from __future__ import annotations

from pathlib import PurePath

from summarizer.eval.gold import Gold, load_gold
from summarizer.eval.scoring.casualties import score_actors, score_casualties, score_casualty_rows
from summarizer.eval.scoring.claimants import resolve_actor, resolve_claimant, score_claimants
from summarizer.eval.scoring.dates import score_dates
from summarizer.eval.scoring.disputes import score_dispute_precision, score_disputes
from summarizer.eval.scoring.facts import score_facts
from summarizer.eval.scoring.figures import numbers_in, score_figures
from summarizer.eval.scoring.report import check_thresholds, compare, load_thresholds
from summarizer.eval.scoring.scores import COUNT_METRICS, HEADLINE_METRICS, RATE_METRICS, Scores
from summarizer.eval.scoring.sources import file_languages, score_citations, score_topic
from summarizer.schema import IncidentBrief

__all__ = ["Scores", "score", "compare", "check_thresholds", "load_thresholds", "load_gold", "numbers_in",
           "resolve_claimant", "resolve_actor", "HEADLINE_METRICS", "Gold", "RATE_METRICS", "COUNT_METRICS"]


def score(brief: IncidentBrief, gold: Gold) -> Scores:
    """Score ``brief`` against ``gold``; see evals/README.md for each metric.

    Example:
        >>> s = score(IncidentBrief.model_validate_json(open("perfect.json").read()), gold)
        >>> s.fact_recall, s.unsupported_figures
        (1.0, 0)
    """
    files = {s.id: PurePath(s.path).name if s.path else s.id for s in brief.sources}
    languages = file_languages(brief, gold, files)
    scores = Scores()
    score_facts(brief, gold, files, scores)
    score_casualties(brief, gold, scores)
    score_casualty_rows(brief, gold, files, languages, scores)
    score_claimants(brief, gold, files, languages, scores)
    score_disputes(brief, gold, languages, scores)
    score_dispute_precision(brief, gold, files, languages, scores)
    score_actors(brief, gold, scores)
    score_topic(brief, gold, files, scores)
    score_dates(brief, gold, scores)
    score_citations(brief, scores)
    score_figures(brief, scores)
    diag = brief.diagnostics
    scores.seconds = diag.seconds.get("total", sum(diag.seconds.values())) if diag.seconds else None
    scores.calls = diag.usage.calls
    scores.prompt_tokens = diag.usage.prompt_tokens
    scores.completion_tokens = diag.usage.completion_tokens
    scores.tokens = diag.usage.prompt_tokens + diag.usage.completion_tokens
    return scores
