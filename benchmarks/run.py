"""Where the time goes, measured: the pipeline against the one-shot baseline, and how both scale.

    python benchmarks/run.py [table] [FOLDER]   # the embedded model: pipeline and baseline, one run,
                                                # then the unchanged re-run of the command line
    python benchmarks/run.py local-scaling      # 1, 2 and 5 sample reports on the embedded model
    python benchmarks/run.py hosted-scaling     # 5, 20 and 50 reports against a loopback endpoint
                                                # that answers with a hosted model's latency
    python benchmarks/run.py passes             # what one forward pass costs by batch size, with
                                                # llama.cpp's repacked weights and without

``table`` prints, for the pipeline and the baseline: wall time; time inside the model server,
split into prompt processing, generation and the rest (grammar, sampling, HTTP), from the
per-request timings in the server log (the embedded server's ``summarizer_decode`` lines, else
llama.cpp's own); prompt tokens (as sent, and as actually processed after llama.cpp's prompt
cache), output tokens, generation's forward passes and the draft tokens kept, per stage; the
pipeline's own overhead (wall minus the time its model calls took); and the eval's fact recall beside each,
so speed is never bought with quality unseen. Every run uses a fresh run store, so every call
is made; the model server is started (and timed) before the clock starts: "warm" means the
weights are assembled and llama.cpp is built, as after the first run. It ends by running the
``summarize`` command on the same folder and run store a few times, nothing changed: the wall
time of a whole process, imports included, as a user sees it.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from forward_passes import WEIGHTS, measure_passes, passes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "tinzaouatene"
sys.path.insert(0, str(ROOT / "tests"))  # the loopback scripted server is the tests' model seam

console = Console(width=260)  # the tables are wide; a pipe would squeeze them to 80 columns


# --------------------------------------------------------------------------- llama.cpp's timings

PERF = re.compile(
    r"^llama_perf_context_print:\s+(?P<what>prompt eval|eval|total) time =\s+(?P<ms>[\d.]+) ms /\s+(?P<n>\d+) (?:tokens|runs)"
)
# The embedded server's own line (summarizer/local/runtime/decoding.py), printed before llama.cpp's: with
# draft tokens, llama.cpp books every batch of more than one token as prompt processing.
DECODE = re.compile(
    r"^summarizer_decode: prompt (?P<prompt>\d+) tokens (?P<prompt_ms>[\d.]+) ms; "
    r"output (?P<output>\d+) tokens (?P<output_ms>[\d.]+) ms in (?P<passes>\d+) passes; "
    r"draft (?P<drafted>\d+) tokens, (?P<kept>\d+) kept"
    r"(?:; instructions (?P<loaded>\d+) tokens loaded)?"
)


@dataclass
class ServerTiming:
    """One request as llama.cpp timed it."""

    prompt_s: float = 0.0  # prompt processing
    prompt_tokens: int = 0  # tokens processed, after the prompt cache
    generation_s: float = 0.0
    output_tokens: int = 0
    total_s: float = 0.0  # also grammar, sampling and llama-cpp-python's own work
    passes: int = 0  # generation's forward passes (each checks the draft tokens it carries)
    drafted: int = 0  # draft tokens checked
    kept: int = 0  # of them, kept
    loaded: int = 0  # prompt tokens whose state was loaded from disk (the stage's instructions)

    @property
    def other_s(self) -> float:
        return max(self.total_s - self.prompt_s - self.generation_s, 0.0)


def server_timings(log: Path, since: int = 0) -> list[ServerTiming]:
    """The timings of each request in the server log, in order, from byte ``since``: prompt and
    generation from the request's ``summarizer_decode`` line where it has one, else llama.cpp's."""
    timings, current, decoded = [], ServerTiming(), False
    with log.open(errors="replace") as stream:
        stream.seek(since)
        for line in stream:
            if m := DECODE.match(line):
                current.passes, current.drafted, current.kept = int(m["passes"]), int(m["drafted"]), int(m["kept"])
                current.loaded = int(m["loaded"] or 0)
                current.prompt_tokens, current.output_tokens = int(m["prompt"]), int(m["output"])
                current.prompt_s, current.generation_s = float(m["prompt_ms"]) / 1000, float(m["output_ms"]) / 1000
                decoded = True
                continue
            if not (m := PERF.match(line)):
                continue
            seconds, n = float(m["ms"]) / 1000, int(m["n"])
            if m["what"] != "total" and decoded:
                continue  # the summarizer_decode line above has them right
            if m["what"] == "prompt eval":
                current.prompt_s, current.prompt_tokens = seconds, n
            elif m["what"] == "eval":
                current.generation_s, current.output_tokens = seconds, n
            else:
                current.total_s = seconds
                timings.append(current)
                current, decoded = ServerTiming(), False
    return timings


# --------------------------------------------------------------------------- one measured run


@dataclass
class Measured:
    name: str
    wall_s: float
    calls: list[dict]  # the run store's rows, in order
    timings: list[ServerTiming]  # llama.cpp's, one per call when they line up
    fact_recall: float | None = None
    scores: dict | None = None  # the eval's headline figures of this run's brief

    @property
    def model_s(self) -> float:
        return sum(c["duration_ms"] or 0 for c in self.calls) / 1000

    def by_stage(self) -> dict[str, list[tuple[dict, ServerTiming | None]]]:
        paired = zip(self.calls, self.timings, strict=True) if len(self.timings) == len(self.calls) else ((c, None) for c in self.calls)
        stages = defaultdict(list)
        for call, timing in paired:
            stages[call["purpose"] or "?"].append((call, timing))
        return stages


def measure_table(folder: Path, store_path: Path | None = None, *, cold: bool = False) -> list[Measured]:
    """``summarize eval`` on ``folder``, timed: the pipeline, then the one-shot baseline. With
    ``cold``, the stored states of the stages' instructions are removed first, as on a machine's
    first run."""
    from summarizer.local import server as local_model
    from summarizer.eval.runner import run_eval
    from summarizer.settings import Settings, cache_dir
    from summarizer.store import RunStore

    if cold:
        shutil.rmtree(cache_dir() / "prefix-states", ignore_errors=True)
    started = time.monotonic()
    server = local_model.shared_server()
    console.print(f"model server ready in {time.monotonic() - started:.1f} s (not counted below)")
    print_draft_decision(server.log_path)
    store = RunStore(store_path or Path(tempfile.mkdtemp()) / "runs.db")
    marks: dict[str, float] = {}
    since = server.log_path.stat().st_size
    started = time.monotonic()
    result = run_eval(folder, previous=None, thresholds=None, settings=Settings.from_env(store=store),
                      progress=lambda event, data: marks.setdefault(event, time.monotonic()))
    ended = time.monotonic()
    pipeline_run, baseline_run = sorted((r["id"] for r in store.runs(limit=2)))
    pipeline_calls, baseline_calls = _calls(store, pipeline_run), _calls(store, baseline_run)
    timings = server_timings(server.log_path, since)
    from summarizer.eval.scoring import HEADLINE_METRICS

    headline = lambda scores: scores.model_dump(include=set(HEADLINE_METRICS)) if scores else None  # noqa: E731
    return [
        Measured("pipeline", marks["done"] - started, pipeline_calls, timings[:len(pipeline_calls)],
                 result.pipeline.fact_recall, headline(result.pipeline)),
        Measured("one-shot baseline", ended - marks["baseline"], baseline_calls, timings[len(pipeline_calls):],
                 result.baseline.fact_recall, headline(result.baseline)),
    ]


def write_latest(results: list[Measured], folder: Path, rerun: list[float], path: Path) -> None:
    """The figures of one ``table`` run as JSON, committed beside the code they measured."""
    import json
    import platform

    pipeline, baseline = results

    def totals(r: Measured) -> dict:
        t = r.timings if len(r.timings) == len(r.calls) else []
        return {
            "model_s": round(r.model_s, 1), "wall_s": round(r.wall_s, 1), "calls": len(r.calls),
            "prompt_tokens_sent": sum(c["prompt_tokens"] or 0 for c in r.calls),
            "prompt_tokens_processed": sum(x.prompt_tokens for x in t) if t else None,
            "completion_tokens": sum(c["completion_tokens"] or 0 for c in r.calls),
            "stages": {stage: {"calls": len(rows),
                               "prompt_tokens_sent": sum(c["prompt_tokens"] or 0 for c, _ in rows),
                               "prompt_tokens_processed": sum(x.prompt_tokens for _, x in rows if x) if t else None,
                               "completion_tokens": sum(c["completion_tokens"] or 0 for c, _ in rows),
                               "model_s": round(sum(c["duration_ms"] or 0 for c, _ in rows) / 1000, 1)}
                       for stage, rows in r.by_stage().items()},
            "scores": r.scores,
        }

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    p, b = totals(pipeline), totals(baseline)
    latest = {
        "folder": str(folder), "commit": commit, "cpu": cpu, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "pipeline_model_s": p["model_s"], "baseline_model_s": b["model_s"],
        "ratio": round(p["model_s"] / b["model_s"], 2) if b["model_s"] else None,
        "prompt_tokens_processed": p["prompt_tokens_processed"], "completion_tokens": p["completion_tokens"],
        "calls": p["calls"], "unchanged_rerun_median_s": round(statistics.median(rerun), 2) if rerun else None,
        "pipeline": p, "baseline": b,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(latest, indent=2) + "\n")
    console.print(f"wrote {path}")


def print_draft_decision(log: Path) -> None:
    """The server's own timing of a pass of one token and of a drafted batch, and what it chose."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("summarizer_draft:")]
    console.print(lines[-1] if lines else "no summarizer_draft line in the server log: drafting as configured")


def measure_rerun(folder: Path, store_path: Path, repeats: int = 5) -> list[float]:
    """Wall seconds of ``summarize FOLDER --store STORE``, a new process each time, nothing changed."""
    command = shutil.which("summarize", path=str(Path(sys.executable).parent)) or "summarize"
    seconds = []
    for _ in range(repeats):
        started = time.monotonic()
        done = subprocess.run([command, str(folder), "--store", str(store_path), "--format", "md"],
                              capture_output=True, text=True)
        seconds.append(time.monotonic() - started)
        if done.returncode != 0 or "Nothing changed since run" not in done.stderr:
            raise SystemExit(f"the unchanged re-run did not reuse the stored brief:\n{done.stderr}")
    return seconds


def print_rerun(seconds: list[float]) -> None:
    """One line: the median, best and worst wall time of the unchanged re-runs."""
    console.print(f"unchanged re-run (summarize FOLDER --store STORE, a new process each time, {len(seconds)} runs): "
                  f"median {statistics.median(seconds):.2f} s, best {min(seconds):.2f} s, worst {max(seconds):.2f} s")


def _calls(store, run_id: int) -> list[dict]:
    return sorted(store.calls(run_id, limit=100_000), key=lambda c: c["id"])


def print_table(results: list[Measured], title: str) -> None:
    """The table of ``table``: per run and stage, where its time went and its tokens."""
    table = Table(title=title)
    for column in ("run", "wall s", "model s", "prompt s", "generation s", "other s", "overhead s",
                   "calls", "prompt tok sent", "prompt tok processed", "instructions loaded", "output tok", "passes",
                   "drafts kept", "fact recall"):
        table.add_column(column, justify="left" if column == "run" else "right", no_wrap=True)
    for r in results:
        t = r.timings if len(r.timings) == len(r.calls) else []
        table.add_row(
            r.name, f"{r.wall_s:.1f}", f"{r.model_s:.1f}",
            *(f"{sum(getattr(x, a) for x in t):.1f}" if t else "-" for a in ("prompt_s", "generation_s", "other_s")),
            f"{r.wall_s - r.model_s:.1f}", str(len(r.calls)),
            f"{sum(c['prompt_tokens'] or 0 for c in r.calls):,}",
            f"{sum(x.prompt_tokens for x in t):,}" if t else "-",
            f"{sum(x.loaded for x in t):,}" if t else "-",
            f"{sum(c['completion_tokens'] or 0 for c in r.calls):,}",
            *_passes_and_drafts(t),
            f"{r.fact_recall:.2f}" if r.fact_recall is not None else "-",
        )
    console.print(table)

    stages = Table(title="per stage")
    for column in ("run", "stage", "calls", "prompt tok sent", "prompt tok processed", "instructions loaded",
                   "output tok", "passes", "drafts kept", "prompt s", "generation s", "other s", "model s"):
        stages.add_column(column, justify="left" if column in ("run", "stage") else "right", no_wrap=True)
    for r in results:
        for stage, rows in r.by_stage().items():
            t = [x for _, x in rows if x is not None]
            stages.add_row(
                r.name, stage, str(len(rows)),
                f"{sum(c['prompt_tokens'] or 0 for c, _ in rows):,}",
                f"{sum(x.prompt_tokens for x in t):,}" if t else "-",
                f"{sum(x.loaded for x in t):,}" if t else "-",
                f"{sum(c['completion_tokens'] or 0 for c, _ in rows):,}",
                *_passes_and_drafts(t),
                *(f"{sum(getattr(x, a) for x in t):.1f}" if t else "-" for a in ("prompt_s", "generation_s", "other_s")),
                f"{sum(c['duration_ms'] or 0 for c, _ in rows) / 1000:.1f}",
            )
    console.print(stages)


def _passes_and_drafts(timings: list[ServerTiming]) -> tuple[str, str]:
    """Generation's forward passes, and the draft tokens kept of those checked."""
    if not timings or not any(x.passes for x in timings):
        return "-", "-"
    kept, drafted = sum(x.kept for x in timings), sum(x.drafted for x in timings)
    return f"{sum(x.passes for x in timings):,}", f"{kept:,} / {drafted:,}"


# --------------------------------------------------------------------------- scaling


def local_scaling(counts: list[int]) -> None:
    """The pipeline on the embedded model with each number of sample reports in ``counts``: time and tokens."""
    from summarizer.local import server as local_model
    from summarizer.pipeline import summarize
    from summarizer.store import RunStore

    local_model.shared_server()
    reports = sorted(SAMPLES.glob("*.txt"))
    table = Table(title="embedded model, warm server: time and tokens by number of reports")
    for column in ("reports", "wall s", "calls", "prompt tok sent", "prompt tok processed", "output tok", "s per report"):
        table.add_column(column, justify="right", no_wrap=True)
    for count in counts:
        folder = Path(tempfile.mkdtemp())
        for path in reports[:count]:
            shutil.copy(path, folder / path.name)
        server = local_model.shared_server()
        since = server.log_path.stat().st_size
        store = RunStore(folder.parent / f"{folder.name}.db")
        started = time.monotonic()
        summarize(folder, store=store)
        wall = time.monotonic() - started
        calls = _calls(store, store.runs(limit=1)[0]["id"])
        timings = server_timings(server.log_path, since)
        table.add_row(str(count), f"{wall:.1f}", str(len(calls)), f"{sum(c['prompt_tokens'] or 0 for c in calls):,}",
                      f"{sum(t.prompt_tokens for t in timings):,}", f"{sum(c['completion_tokens'] or 0 for c in calls):,}",
                      f"{wall / count:.1f}")
        console.print(f"{count} report(s): {wall:.1f} s")
    console.print(table)


def hosted_scaling(runs: list[tuple[int, int | None]], base: float, rate: float) -> None:
    """Reports made from the samples (each made unique), answered by the scripted server with a
    hosted model's latency: ``base`` seconds per call plus one second per ``rate`` output tokens."""
    from sample_responder import SampleResponder
    from scripted_server import Delay, ScriptedServer

    from summarizer.pipeline import REMOTE_CONCURRENCY, summarize
    from summarizer.store import RunStore

    samples = sorted(SAMPLES.glob("*.txt"))
    responder = SampleResponder()

    def answer_like_a_hosted_model(body: dict):
        step = responder(body)
        return Delay(base + len(step.arguments_json()) / 4 / rate, step)

    table = Table(title=f"loopback endpoint, {base:g} s + 1 s per {rate:g} output tokens per call")
    for column in ("reports", "in flight", "wall s", "calls", "slowest call s", "wall / slowest call",
                   "extract s", "consolidate s", "prompt tok", "output tok", "peak RSS MiB"):
        table.add_column(column, justify="right", no_wrap=True)
    for count, workers in runs:
        folder = Path(tempfile.mkdtemp())
        for i in range(count):
            text = samples[i % len(samples)].read_text()
            # A line of its own makes each report's claims prompt unique (no answer is shared).
            (folder / f"{i:03d}_{samples[i % len(samples)].name}").write_text(f"{text.rstrip()}\n\nDesk note {i}.\n")
        with ScriptedServer(answer_like_a_hosted_model) as server:
            store = RunStore(folder.parent / f"{folder.name}-{workers}.db")
            started = time.monotonic()
            brief = summarize(folder, base_url=server.base_url, model="scripted", api_key="x", store=store,
                              cache=False, concurrency=workers)
            wall = time.monotonic() - started
        calls = _calls(store, store.runs(limit=1)[0]["id"])
        slowest = max(c["duration_ms"] for c in calls) / 1000
        seconds = brief.diagnostics.seconds
        table.add_row(
            str(count), str(workers or REMOTE_CONCURRENCY), f"{wall:.1f}", str(len(calls)), f"{slowest:.1f}",
            f"{wall / slowest:.1f}", f"{seconds.get('extract', 0):.1f}", f"{seconds.get('consolidate', 0):.1f}",
            f"{sum(c['prompt_tokens'] or 0 for c in calls):,}", f"{sum(c['completion_tokens'] or 0 for c in calls):,}",
            # The process's peak so far (this one and the smaller runs before it): Linux reports KiB.
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
        )
        console.print(f"{count} reports, {workers or REMOTE_CONCURRENCY} in flight: {wall:.1f} s")
    console.print(table)


def main() -> None:
    """``python benchmarks/run.py WHAT``: the measurement named (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", default="table", choices=["table", "local-scaling", "hosted-scaling", "passes", "_passes"])
    parser.add_argument("folder", nargs="?", type=Path, default=SAMPLES)
    parser.add_argument("--cold", action="store_true",
                        help="table: remove the stored states of the stages' instructions first (a machine's first run)")
    parser.add_argument("--store", type=Path, help="table: keep the run store here (then `summarize eval --store` scores it at no model cost)")
    parser.add_argument("--reports", type=int, nargs="+", help="report counts to scale over")
    parser.add_argument("--latency", type=float, default=0.5, help="hosted-scaling: seconds per call before output")
    parser.add_argument("--rate", type=float, default=60.0, help="hosted-scaling: output tokens per second")
    parser.add_argument("--weights", choices=list(WEIGHTS), default="repacked", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.what == "table":
        store = args.store or Path(tempfile.mkdtemp()) / "runs.db"
        results = measure_table(args.folder, store, cold=args.cold)
        print_table(results, f"{args.folder.name}, embedded model, warm, fresh run store"
                             f"{', no stored instruction states' if args.cold else ''}")
        rerun = measure_rerun(args.folder, store)
        print_rerun(rerun)
        write_latest(results, args.folder, rerun, Path(__file__).parent / "results" / "latest.json")
    elif args.what == "_passes":  # one setting, for passes()
        import json
        print(json.dumps(measure_passes(args.weights)))
    elif args.what == "passes":
        passes()
    elif args.what == "local-scaling":
        local_scaling(args.reports or [1, 2, 5])
    else:
        counts = args.reports or [5, 20, 50]
        hosted_scaling([(n, None) for n in counts] + [(counts[0], 1)], args.latency, args.rate)


if __name__ == "__main__":
    main()
