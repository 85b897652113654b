"""The eval run behind ``summarize eval``: pipeline and one-shot baseline on each dev folder, scored.

Each folder has its gold labels in ``evals/gold/<name>.yaml`` (whose ``folder`` names the
reports) and its bounds in the ``[<name>.min]`` and ``[<name>.max]`` tables of
``evals/thresholds.toml``. Both briefs are scored, shown side by side with the previous result,
and the pipeline's scores are checked against the bounds. A folder's result (scores of both, the
briefs, the failed thresholds) is one JSON file, ``evals/results/<name>.json``, which the next run
reads back as its "previous" column. CI calls ``run_eval`` directly.

Example:
    >>> result = run_eval("samples/tinzaouatene", out="evals/results/tinzaouatene.json")
    >>> rich.print(result.table())
    >>> result.failures
    []
    >>> results = run_all()          # every gold file of evals/gold/
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

import yaml
from pydantic import ValidationError
from rich.table import Table

from summarizer.eval.baseline import baseline_brief
from summarizer.errors import InputError, SummarizerError
from summarizer.eval.scoring import (
    COUNT_METRICS, RATE_METRICS, Gold, Scores, check_thresholds, compare, load_gold, load_thresholds, score,  # noqa: F401
)
from summarizer.eval.scoring.scores import LANGUAGE_METRICS, LanguageCounts
from summarizer.stages.load import load
from summarizer.pipeline import ProgressCallback, summarize
from summarizer.schema import IncidentBrief
from summarizer.settings import Settings
from summarizer.store import RunStore

DEFAULT_FOLDER = "samples/tinzaouatene"
GOLD_DIR = "evals/gold"
DEFAULT_GOLD = f"{GOLD_DIR}/tinzaouatene.yaml"
DEFAULT_THRESHOLDS = "evals/thresholds.toml"
RESULTS_DIR = "evals/results"
SUMMARY = f"{RESULTS_DIR}/all.json"


def result_path(gold: str | os.PathLike) -> Path:
    """Where a folder's result is written and read back as "previous": ``evals/results/<name>.json``."""
    return Path(RESULTS_DIR) / f"{Path(gold).stem}.json"


@dataclass
class EvalResult:
    """Scores of the pipeline (and baseline) on one folder, and the thresholds the pipeline missed."""

    folder: str
    gold: str
    pipeline: Scores
    pipeline_brief: IncidentBrief | None
    baseline: Scores | None = None
    baseline_brief: IncidentBrief | None = None
    previous: Scores | None = None
    failures: list[str] = field(default_factory=list)
    error: str | None = None  # the pipeline failed on this folder: why, in one line
    baseline_error: str | None = None
    created: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    @property
    def name(self) -> str:
        return Path(self.gold).stem

    @property
    def passed(self) -> bool:
        return not self.failures

    def table(self):
        """A rich table: one column each for pipeline, baseline and previous (those present)."""
        columns = {"pipeline": self.pipeline}
        if self.baseline is not None:
            columns["baseline"] = self.baseline
        if self.previous is not None:
            columns["previous"] = self.previous
        return compare(columns)

    def to_json(self) -> str:
        """The result file; ``load_result_scores`` reads its pipeline scores back."""
        return json.dumps({
            "folder": self.folder,
            "gold": self.gold,
            "created": self.created,
            "model": self.pipeline_brief.diagnostics.model if self.pipeline_brief else None,
            "passed": self.passed,
            "error": self.error,
            "baseline_error": self.baseline_error,
            "failures": self.failures,
            "scores": {
                "pipeline": self.pipeline.model_dump(mode="json"),
                "baseline": self.baseline.model_dump(mode="json") if self.baseline else None,
            },
            "briefs": {
                "pipeline": self.pipeline_brief.model_dump(mode="json") if self.pipeline_brief else None,
                "baseline": self.baseline_brief.model_dump(mode="json") if self.baseline_brief else None,
            },
        }, indent=2, ensure_ascii=False)

    def write(self, path: str | os.PathLike) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.to_json() + "\n", encoding="utf-8")
        return target


def load_result_scores(path: str | os.PathLike) -> Scores:
    """The pipeline scores of an earlier result file written by ``EvalResult.write``.

    Example:
        >>> load_result_scores("evals/results/tinzaouatene.json").fact_recall
        0.42
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return Scores.model_validate(data["scores"]["pipeline"])
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror})") from None
    except (ValueError, KeyError, TypeError, ValidationError):
        raise InputError(f"{path}: not an eval result written by 'summarize eval'; pass --previous another file") from None


def run_eval(
    folder: str | os.PathLike = DEFAULT_FOLDER,
    *,
    gold: str | os.PathLike = DEFAULT_GOLD,
    thresholds: str | os.PathLike | None = DEFAULT_THRESHOLDS,
    previous: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    baseline: bool = True,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
) -> EvalResult:
    """Run the pipeline and the one-shot baseline on ``folder`` and score both against ``gold``.

    Both run with ``settings`` (default: ``Settings.from_env()``), the pipeline with no translations.
    ``previous`` is read only if the file exists; ``out``, when given, receives the result JSON.
    The bounds are the ``[<gold name>.min]`` and ``[<gold name>.max]`` tables of ``thresholds``.
    ``progress`` gets the pipeline's events, then "baseline" {} and "baseline-done"
    {seconds, usage}. Inputs (gold, thresholds, previous) are checked before any model runs.

    Example:
        >>> settings = Settings.from_env(base_url="http://localhost:11434/v1", model="qwen2.5:7b")
        >>> result = run_eval(settings=settings, previous=None)
        >>> result.pipeline.fact_recall, result.baseline.fact_recall, result.failures
    """
    notify: Callable[[str, dict], None] = progress or (lambda event, data: None)
    settings = settings or Settings.from_env()
    gold_labels = _load_gold(gold)
    bounds = folder_bounds(_load_thresholds(thresholds), Path(gold).stem) if thresholds is not None else {}
    previous_scores = load_result_scores(previous) if previous is not None and Path(previous).is_file() else None

    corpus = load(folder)
    _check_gold_fits(gold_labels, gold, [a.path for a in corpus.articles], folder)
    store = settings.store
    # Scores read the original sentences: translations beside them would cost model time and change none.
    settings = replace(settings, store=store if isinstance(store, RunStore) else RunStore(store), translate=False)

    brief = summarize(folder, settings=settings, progress=progress)
    result = EvalResult(
        folder=str(folder), gold=str(gold), pipeline=score(brief, gold_labels), pipeline_brief=brief,
        previous=previous_scores,
    )
    if baseline:
        notify("baseline", {})
        started = time.monotonic()
        try:
            result.baseline_brief = baseline_brief(folder, settings)
        except InputError:
            raise
        except SummarizerError as error:  # e.g. all reports in one prompt overflow the model's context
            result.baseline_error = " ".join(str(error).split())
            result.baseline = nothing_shown(gold_labels)  # pooled with the others, its gold counts as missed
            notify("baseline-failed", {"error": result.baseline_error})
        else:
            result.baseline = score(result.baseline_brief, gold_labels)
            notify("baseline-done", {
                "seconds": time.monotonic() - started, "usage": result.baseline_brief.diagnostics.usage.model_dump(),
            })
    result.failures = check_thresholds(result.pipeline, bounds)
    if out is not None:
        result.write(out)
    return result


def folder_bounds(thresholds: dict, name: str) -> dict[str, dict[str, float]]:
    """The ``[min]``/``[max]`` bounds of one folder from ``evals/thresholds.toml``'s ``[<name>.min]`` tables."""
    if "min" in thresholds or "max" in thresholds:
        raise InputError("thresholds: bounds are per folder, in [NAME.min] and [NAME.max] tables "
                         f"(NAME the gold file's name, e.g. [{name}.min]), not [min] and [max]")
    table = thresholds.get(name, {})
    return {bound: dict(table[bound]) for bound in ("min", "max") if bound in table}


def gated_folders(thresholds: str | os.PathLike = DEFAULT_THRESHOLDS) -> list[str]:
    """The gold names CI runs on the embedded model: ``gate = [...]`` in the thresholds file."""
    return list(_load_thresholds(thresholds).get("gate", []))


def gold_files(gold_dir: str | os.PathLike = GOLD_DIR) -> list[Path]:
    """Every gold file of the dev set, in name order."""
    files = sorted(Path(gold_dir).glob("*.yaml"))
    if not files:
        raise InputError(f"{gold_dir}: no gold files (*.yaml); run from the repository root")
    return files


def gold_for(folder: str | os.PathLike, gold_dir: str | os.PathLike = GOLD_DIR) -> Path:
    """The gold file whose ``folder`` is ``folder``."""
    wanted = Path(folder).resolve()
    for path in gold_files(gold_dir):
        if (Path(_load_gold(path).folder)).resolve() == wanted:
            return path
    raise InputError(f"{folder}: no gold file in {gold_dir} labels this folder; pass --gold")


def run_all(
    golds: list[str | os.PathLike] | None = None,
    *,
    thresholds: str | os.PathLike | None = DEFAULT_THRESHOLDS,
    write: bool = True,
    progress_for: Callable[[str], ProgressCallback | None] | None = None,
    **options,
) -> list[EvalResult]:
    """``run_eval`` on each folder of the dev set; a folder the pipeline fails on is recorded, not fatal.

    Each result is compared with, then written over, ``evals/results/<name>.json``; the pooled
    table goes to ``evals/results/all.json``.

    Example:
        >>> for result in run_all(baseline=False): print(result.name, result.pipeline.casualty_precision)
    """
    results = []
    for gold in golds or gold_files():
        folder = _load_gold(gold).folder
        out = result_path(gold) if write else None
        progress = progress_for(folder) if progress_for else None
        try:
            result = run_eval(folder, gold=gold, thresholds=thresholds, previous=out, out=out, progress=progress,
                              **options)
        except InputError:
            raise
        except SummarizerError as error:
            result = EvalResult(
                folder=str(folder), gold=str(gold), pipeline=nothing_shown(_load_gold(gold)), pipeline_brief=None,
                error=" ".join(str(error).split()), failures=[f"the pipeline failed: {' '.join(str(error).split())}"],
            )
            if out is not None:
                result.write(out)
        results.append(result)
    if write:
        Path(SUMMARY).parent.mkdir(parents=True, exist_ok=True)
        Path(SUMMARY).write_text(summary_json(results) + "\n", encoding="utf-8")
    return results


def nothing_shown(gold: Gold) -> Scores:
    """The scores of a folder the pipeline failed on: every gold item missed, nothing shown."""
    return Scores(
        facts=(0, len(gold.facts)), casualties=(0, len(gold.casualties)), disputes=(0, len(gold.disputes)),
        dates=(0, len(gold.dates)), fact_recall=0.0 if gold.facts else None,
        casualty_recall=0.0 if gold.casualties else None, dispute_recall=0.0 if gold.disputes else None,
        date_recall=0.0 if gold.dates else None,
    )


def pooled(scores: list[Scores]) -> Scores:
    """One ``Scores`` over several folders: each rate from the summed counts behind it."""
    total = Scores()
    pairs = {
        "fact_recall": "facts", "casualty_precision": "casualty_rows", "casualty_recall": "casualties",
        "claimant_accuracy": "claimants", "dispute_precision": "disputes_shown", "dispute_recall": "disputes",
        "date_precision": "dates_shown", "date_recall": "dates", "citation_validity": "citations",
    }
    for rate, counts in pairs.items():
        right = sum(getattr(s, counts)[0] for s in scores)
        of = sum(getattr(s, counts)[1] for s in scores)
        setattr(total, counts, (right, of))
        setattr(total, rate, right / of if of else None)
    for metric in ("on_topic_kept", "distractors_flagged", "actor_fragmentation", "actor_side_accuracy"):
        values = [getattr(s, metric) for s in scores if getattr(s, metric) is not None]
        setattr(total, metric, sum(values) / len(values) if values else None)
    for metric in ("unsupported_figures", "calls", "prompt_tokens", "completion_tokens", "tokens"):
        setattr(total, metric, sum(getattr(s, metric) for s in scores))
    seconds = [s.seconds for s in scores if s.seconds is not None]
    total.seconds = sum(seconds) if seconds else None
    for s in scores:
        for language, counts in s.by_language.items():
            total.by_language.setdefault(language, LanguageCounts()).merge(counts)
    total.by_language = dict(sorted(total.by_language.items()))  # one order in every table and file
    return total


def language_table(results: list[EvalResult]):
    """The pipeline's headline rates per language of the reports, pooled over every folder.

    A row or claimant counts in the language of each report it cites; a gold claim or dispute in
    the language of each report it comes from.
    """
    by_language = pooled([r.pipeline for r in results]).by_language
    table = Table(title="Pipeline, per report language (all folders)")
    table.add_column("metric")
    for language in by_language:
        table.add_column(language, justify="right")
    for metric, counts in LANGUAGE_METRICS.items():
        cells = []
        for language_counts in by_language.values():
            right, of = getattr(language_counts, counts)
            cells.append(f"{right / of:.2f} ({right}/{of})" if of else "–")
        table.add_row(metric, *cells)
    return table


def summary_table(results: list[EvalResult]):
    """Pipeline and baseline side by side, per folder and pooled over all."""
    columns: dict[str, Scores] = {}
    for r in results:
        columns[f"{r.name}\npipeline" + (" (failed)" if r.error else "")] = r.pipeline
        if r.baseline is not None:
            columns[f"{r.name}\nbaseline" + (" (failed)" if r.baseline_error else "")] = r.baseline
    columns["all\npipeline"] = pooled([r.pipeline for r in results])
    baselines = [r.baseline for r in results if r.baseline is not None]
    if baselines:
        columns["all\nbaseline"] = pooled(baselines)
    return compare(columns)


def summary_json(results: list[EvalResult]) -> str:
    """Per folder and pooled: every metric of pipeline and baseline, and the failed thresholds."""
    def metrics(s: Scores | None) -> dict | None:
        return None if s is None else {m: getattr(s, m) for m in (*RATE_METRICS, *COUNT_METRICS)}

    baselines = [r.baseline for r in results if r.baseline is not None]
    return json.dumps({
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "folders": {
            r.name: {"folder": r.folder, "error": r.error, "failures": r.failures,
                     "pipeline": metrics(r.pipeline), "baseline": metrics(r.baseline)}
            for r in results
        },
        "all": {"pipeline": metrics(pooled([r.pipeline for r in results])),
                "baseline": metrics(pooled(baselines)) if baselines else None},
        "by_language": {
            language: {"rates": counts.rates(), "counts": counts.model_dump(mode="json")}
            for language, counts in pooled([r.pipeline for r in results]).by_language.items()
        },
    }, indent=2, ensure_ascii=False)


WRONG_AND_MISSED = (
    ("wrong casualty rows", "wrong_casualty_rows"), ("missed casualty claims", "missed_casualties"),
    ("wrong claimants", "wrong_item_claimants"), ("wrong disputes", "wrong_disputes"),
    ("missed disputes", "missed_disputes"), ("on-topic reports flagged off-topic", "dropped_on_topic"),
    ("distractors not flagged", "unflagged_distractors"), ("party names of no gold actor", "unresolved_parties"),
    ("wrong sides", "wrong_sides"), ("dates no report states", "wrong_dates"), ("missed dates", "missed_dates"),
    ("missed facts", "missed_facts"), ("unsupported figures", "unsupported"), ("invalid citations", "invalid_citations"),
)


def wrong_and_missed(scores: Scores) -> list[tuple[str, list[str]]]:
    """Every wrong and missed item of one run, by kind, for reading a score item by item."""
    found = [(title, list(getattr(scores, name))) for title, name in WRONG_AND_MISSED]
    if scores.party_names:
        many = [f"{key}: {', '.join(names)}" for key, names in scores.party_names.items() if len(names) > 1]
        found.insert(4, ("actors under several party names", many))
    return [(title, items) for title, items in found if items]


def _load_gold(path: str | os.PathLike) -> Gold:
    try:
        return load_gold(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file; run from the repository root or pass --gold") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: invalid gold labels at {where or 'top level'}: {first['msg']}") from None
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not a readable gold file ({' '.join(str(error).split())[:200]})") from None


def _load_thresholds(path: str | os.PathLike) -> dict[str, dict[str, float]]:
    try:
        return load_thresholds(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such thresholds file; run from the repository root or pass --thresholds") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror})") from None
    except ValueError as error:  # tomllib.TOMLDecodeError
        raise InputError(f"{path}: not valid TOML ({error})") from None


def _check_gold_fits(gold: Gold, gold_path: str | os.PathLike, paths: list[str | None], folder: str | os.PathLike) -> None:
    """Gold labels name files; scoring a folder that has none of them would score zero silently."""
    names = {PurePath(p).name for p in paths if p}
    if not names & {s.file for s in gold.sources}:
        raise InputError(
            f"{gold_path} labels the reports of {gold.folder}, and {folder} holds none of them: pass --gold for this folder"
        )
