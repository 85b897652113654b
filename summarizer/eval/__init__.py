"""The eval: gold labels per folder, the scorer, and the run behind ``summarize eval``.

``evals/README.md`` defines the gold format and every metric.

Example:
    >>> from summarizer.eval import load_gold, score
    >>> score(brief, load_gold("evals/gold/tinzaouatene.yaml")).casualty_precision
"""

from summarizer.eval.gold import Gold, GoldSentence, check_gold, load_gold, sentence_claimants
from summarizer.eval.patterns import matches, normalise, pattern_weight
from summarizer.eval.scoring import (
    COUNT_METRICS, HEADLINE_METRICS, RATE_METRICS, Scores, check_thresholds, compare, load_thresholds, numbers_in,
    resolve_actor, resolve_claimant, score,
)

__all__ = [
    "COUNT_METRICS", "HEADLINE_METRICS", "RATE_METRICS", "Gold", "GoldSentence", "Scores", "check_gold", "check_thresholds",
    "compare", "load_gold", "load_thresholds", "matches", "normalise", "numbers_in", "pattern_weight",
    "resolve_actor", "resolve_claimant", "score", "sentence_claimants",
]
