"""Where the time goes: the pipeline and the one-shot baseline on one folder, in one run.

    python benchmarks/run.py [FOLDER] [--base-url URL --model NAME] [--no-cache]

Prints, per run: wall time; time inside the model (from the run store's call durations; for
the embedded model also prompt processing and generation separately, from llama.cpp's own
timings in its log); prompt and output tokens per stage; the pipeline's own overhead (wall
minus model time); and the eval's fact recall beside each, so speed is never bought with
quality unseen. A fresh run store is used unless --store is given, so every call is timed.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from summarizer.eval_runner import run_eval
from summarizer.store import RunStore

ROOT = Path(__file__).parent.parent
PERF = re.compile(r"^llama_perf_context_print:\s+(prompt eval|eval) time =\s+([\d.]+) ms")


def server_timings(log: Path | None, since: int) -> dict[str, float]:
    """Seconds llama.cpp spent on prompt processing and generation, from its log after ``since``."""
    totals = defaultdict(float)
    if log and log.exists():
        with log.open() as stream:
            stream.seek(since)
            for line in stream:
                if m := PERF.match(line):
                    totals["prompt" if m[1] == "prompt eval" else "generation"] += float(m[2]) / 1000
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "samples" / "tinzaouatene"))
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--store", help="reuse a run store (cached calls then cost nothing)")
    args = parser.parse_args()

    store = RunStore(args.store or Path(tempfile.mkdtemp()) / "runs.db")
    marks: dict[str, float] = {}

    def progress(event: str, data: dict) -> None:
        marks[event] = time.monotonic()

    started = time.monotonic()
    result = run_eval(args.folder, previous=None, thresholds=None, model=args.model, base_url=args.base_url,
                      store=store, progress=progress)
    wall = {"pipeline": marks.get("done", time.monotonic()) - started,
            "baseline": marks.get("baseline-done", time.monotonic()) - marks.get("baseline", started)}

    from summarizer import local_model

    server = local_model._shared[1] if local_model._shared else None
    log = getattr(server, "log_path", None)
    timing = server_timings(log, 0)  # each server start writes a new log

    runs = {r["source"]: r["id"] for r in store.runs(limit=10)}
    table = Table(title=f"{args.folder} · {result.pipeline_brief.diagnostics.model}")
    for column in ("run", "wall s", "model s", "overhead s", "calls", "prompt tok", "output tok", "fact recall"):
        table.add_column(column, justify="right" if column != "run" else "left")
    stage_rows = []
    for name, scores in (("pipeline", result.pipeline),
                         ("one-shot baseline", result.baseline)):
        run_id = next((i for source, i in runs.items() if (source.endswith("(one-shot baseline)")) == (name != "pipeline")), None)
        calls = store.calls(run_id, limit=10_000) if run_id else []
        model_seconds = sum((c["duration_ms"] or 0) for c in calls) / 1000
        key = "pipeline" if name == "pipeline" else "baseline"
        table.add_row(
            name, f"{wall[key]:.1f}", f"{model_seconds:.1f}", f"{wall[key] - model_seconds:.1f}",
            str(len(calls)), f"{sum(c['prompt_tokens'] or 0 for c in calls):,}",
            f"{sum(c['completion_tokens'] or 0 for c in calls):,}",
            f"{scores.fact_recall:.2f}" if scores and scores.fact_recall is not None else "-",
        )
        by_stage = defaultdict(lambda: [0, 0, 0, 0.0])
        for c in calls:
            row = by_stage[c["purpose"] or "?"]
            row[0] += 1
            row[1] += c["prompt_tokens"] or 0
            row[2] += c["completion_tokens"] or 0
            row[3] += (c["duration_ms"] or 0) / 1000
        stage_rows += [(name, purpose, *values) for purpose, values in by_stage.items()]

    console = Console()
    console.print(table)
    stages = Table(title="per stage (model calls by purpose)")
    for column in ("run", "stage", "calls", "prompt tok", "output tok", "model s"):
        stages.add_column(column, justify="left" if column in ("run", "stage") else "right")
    for run, purpose, calls, prompt, output, seconds in stage_rows:
        stages.add_row(run, purpose, str(calls), f"{prompt:,}", f"{output:,}", f"{seconds:.1f}")
    console.print(stages)
    if timing:
        console.print(f"llama.cpp, both runs: prompt processing {timing['prompt']:.1f} s, generation {timing['generation']:.1f} s")


if __name__ == "__main__":
    main()
