"""The eval gate: on each folder named by `gate` in evals/thresholds.toml, the pipeline on the
embedded model must meet every bound of that folder's tables.

Each folder is minutes on two cores. The samples also run the one-shot baseline, for the record;
the other gated folders run the pipeline alone, to keep CI inside its time. Each prints its table
and every wrong and missed item, and writes evals/results/<name>.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from summarizer.eval.runner import gated_folders, load_gold, result_path, run_eval, wrong_and_missed

ROOT = Path(__file__).parent.parent
THRESHOLDS = ROOT / "evals" / "thresholds.toml"
WITH_BASELINE = {"tinzaouatene"}


@pytest.mark.local_model
@pytest.mark.parametrize("name", gated_folders(THRESHOLDS))
def test_the_pipeline_on_the_embedded_model_meets_every_eval_threshold_of_the_folder(name, embedded_model, tmp_path):
    gold = ROOT / "evals" / "gold" / f"{name}.yaml"
    result = run_eval(  # the committed result is the "previous" column; this run's is written to tmp_path
        ROOT / load_gold(gold).folder, gold=gold, thresholds=THRESHOLDS, previous=ROOT / result_path(gold),
        out=tmp_path / f"{name}.json",
        baseline=name in WITH_BASELINE, store=tmp_path / "runs.db",
    )

    console = Console(width=120)
    console.print(result.table())
    for title, items in wrong_and_missed(result.pipeline):
        console.print(f"{title}: " + "; ".join(items))
    assert result.failures == [], "below evals/thresholds.toml:\n" + "\n".join(result.failures)
