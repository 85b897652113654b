"""Reading scores: runs side by side in one table, and the bounds a run must meet."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from rich.table import Table

from summarizer.eval.scoring.scores import COUNT_METRICS, HEADLINE_METRICS, RATE_METRICS, Scores


def _cell(value: float | int | None, metric: str) -> str:
    if value is None:
        return "—"
    if metric in RATE_METRICS:
        return f"{value:.2f}"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def compare(rows: Mapping[str, Scores]) -> Table:
    """A table with one column per run and one row per metric, for reading runs side by side.

    Example:
        >>> rich.print(compare({"baseline": s1, "new prompt": s2}))
    """
    table = Table(title="Brief scores")
    table.add_column("metric")
    for name in rows:
        table.add_column(name, justify="right")
    rest = [m for m in (*RATE_METRICS, *COUNT_METRICS) if m not in HEADLINE_METRICS]
    for metric in (*HEADLINE_METRICS, *rest):
        table.add_row(metric, *(_cell(getattr(s, metric), metric) for s in rows.values()),
                      end_section=metric == HEADLINE_METRICS[-1])
    return table


def load_thresholds(path: str | Path) -> dict[str, dict[str, float]]:
    """Read ``[min]`` and ``[max]`` tables of metric bounds from a TOML file."""
    with open(path, "rb") as f:
        return tomllib.load(f)


def check_thresholds(scores: Scores, thresholds: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One message per bound ``scores`` misses; an empty list means it passes.

    Example:
        >>> check_thresholds(scores, {"min": {"fact_recall": 0.5}, "max": {"unsupported_figures": 3}})
        ['fact_recall 0.40 is below the minimum 0.5']
    """
    failures = []
    known = set(RATE_METRICS) | set(COUNT_METRICS)
    for bound, table in thresholds.items():
        if bound not in ("min", "max"):
            failures.append(f"unknown threshold table [{bound}]; use [min] or [max]")
            continue
        for metric, limit in table.items():
            if metric not in known:
                failures.append(f"unknown metric {metric!r} in [{bound}]")
                continue
            value = getattr(scores, metric)
            if value is None:
                failures.append(f"{metric} is undefined (nothing to measure) but has a [{bound}] of {limit:g}")
            elif bound == "min" and value < limit:
                failures.append(f"{metric} {_cell(value, metric)} is below the minimum {limit:g}")
            elif bound == "max" and value > limit:
                failures.append(f"{metric} {_cell(value, metric)} is above the maximum {limit:g}")
    return failures
