"""The eval gate: the pipeline on the embedded model must meet every bound in evals/thresholds.toml.

Runs the pipeline and the one-shot baseline on the sample folder (minutes on two cores), prints
the side-by-side table and writes evals/results/latest.json for the record.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from summarizer.eval_runner import run_eval

ROOT = Path(__file__).parent.parent


@pytest.mark.local_model
def test_the_pipeline_on_the_embedded_model_meets_every_eval_threshold(embedded_model, tmp_path):
    result = run_eval(
        ROOT / "samples" / "tinzaouatene",
        gold=ROOT / "evals" / "gold" / "tinzaouatene.yaml",
        thresholds=ROOT / "evals" / "thresholds.toml",
        previous=ROOT / "evals" / "results" / "previous.json",
        out=ROOT / "evals" / "results" / "latest.json",
        store=tmp_path / "runs.db",
    )

    Console(width=120).print(result.table())
    assert result.baseline is not None
    assert result.failures == [], "below evals/thresholds.toml:\n" + "\n".join(result.failures)
