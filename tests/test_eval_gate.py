"""The eval gate: on each folder named by `gate` in evals/thresholds.toml, the pipeline on the
embedded model must meet every bound of that folder's tables.

Each folder is minutes on two cores. The samples also run the one-shot baseline, for the record;
the other gated folders run the pipeline alone, to keep CI inside its time. Each prints its table
and every wrong and missed item; the committed evals/results/<name>.json is its "previous" column.
A folder with no English report (ogossagou is French) must still give a brief in English whose
casualty ledger holds its reports' figures (its casualty bounds say how many, and how right).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from summarizer.eval.runner import gated_folders, load_gold, result_path, run_eval, wrong_and_missed
from summarizer.settings import Settings
from summarizer.text.language import detect

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
        baseline=name in WITH_BASELINE, settings=Settings.from_env(store=tmp_path / "runs.db"),
    )

    console = Console(width=120)
    console.print(result.table())
    for title, items in wrong_and_missed(result.pipeline):
        console.print(f"{title}: " + "; ".join(items))
    assert result.failures == [], "below evals/thresholds.toml:\n" + "\n".join(result.failures)
    brief = result.pipeline_brief
    if "en" not in {s.language for s in brief.sources}:
        assert detect(" ".join([brief.title, *(s.text for s in brief.summary)])) == "en", brief.title
        assert brief.casualties, "no casualty row from reports in " + ", ".join(sorted({s.language for s in brief.sources}))
