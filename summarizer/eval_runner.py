"""The eval run behind ``summarize eval``: pipeline and one-shot baseline on one folder, scored.

Both briefs are scored against the gold labels (``evals/gold/tinzaouatene.yaml``), shown side by side with
the previous result, and the pipeline's scores are checked against ``evals/thresholds.toml``.
The result (scores of both, the briefs, the failed thresholds) is one JSON file, which a later
run reads back as its "previous" column. CI calls ``run_eval`` directly.

Example:
    >>> result = run_eval("samples/tinzaouatene", out="evals/results/latest.json")
    >>> rich.print(result.table())
    >>> result.failures
    []
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import yaml
from pydantic import ValidationError

from summarizer.baseline import one_shot_brief
from summarizer.errors import InputError
from summarizer.evaluation import Gold, Scores, check_thresholds, compare, load_gold, load_thresholds, score
from summarizer.llm import resolve_endpoint
from summarizer.load import load
from summarizer.pipeline import ProgressCallback, recorded_run, summarize
from summarizer.schema import IncidentBrief
from summarizer.segment import segment
from summarizer.store import RunStore

DEFAULT_FOLDER = "samples/tinzaouatene"
DEFAULT_GOLD = "evals/gold/tinzaouatene.yaml"
DEFAULT_THRESHOLDS = "evals/thresholds.toml"
DEFAULT_PREVIOUS = "evals/results/previous.json"
DEFAULT_OUT = "evals/results/latest.json"


@dataclass
class EvalResult:
    """Scores of the pipeline (and baseline) on one folder, and the thresholds the pipeline missed."""

    folder: str
    gold: str
    pipeline: Scores
    pipeline_brief: IncidentBrief
    baseline: Scores | None = None
    baseline_brief: IncidentBrief | None = None
    previous: Scores | None = None
    failures: list[str] = field(default_factory=list)
    created: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

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
            "model": self.pipeline_brief.diagnostics.model,
            "passed": self.passed,
            "failures": self.failures,
            "scores": {
                "pipeline": self.pipeline.model_dump(mode="json"),
                "baseline": self.baseline.model_dump(mode="json") if self.baseline else None,
            },
            "briefs": {
                "pipeline": self.pipeline_brief.model_dump(mode="json"),
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
        >>> load_result_scores("evals/results/previous.json").fact_recall
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
    previous: str | os.PathLike | None = DEFAULT_PREVIOUS,
    out: str | os.PathLike | None = None,
    baseline: bool = True,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    model_path: str | os.PathLike | None = None,
    cache: bool = True,
    store: RunStore | str | os.PathLike | None = None,
    concurrency: int | None = None,
    progress: ProgressCallback | None = None,
) -> EvalResult:
    """Run the pipeline and the one-shot baseline on ``folder`` and score both against ``gold``.

    ``previous`` is read only if the file exists; ``out``, when given, receives the result JSON.
    ``progress`` gets the pipeline's events, then "baseline" {} and "baseline-done"
    {seconds, usage}. Inputs (gold, thresholds, previous) are checked before any model runs.

    Example:
        >>> result = run_eval(base_url="http://localhost:11434/v1", model="qwen2.5:7b", previous=None)
        >>> result.pipeline.fact_recall, result.baseline.fact_recall, result.failures
    """
    notify: Callable[[str, dict], None] = progress or (lambda event, data: None)
    gold_labels = _load_gold(gold)
    bounds = _load_thresholds(thresholds) if thresholds is not None else {}
    previous_scores = load_result_scores(previous) if previous is not None and Path(previous).is_file() else None

    corpus = load(folder)
    _check_gold_fits(gold_labels, gold, [a.path for a in corpus.articles], folder)
    run_store = store if isinstance(store, RunStore) else RunStore(store)
    endpoint_args = dict(model=model, base_url=base_url, api_key=api_key, model_path=model_path)

    brief = summarize(folder, **endpoint_args, cache=cache, store=run_store, concurrency=concurrency, progress=progress)
    result = EvalResult(
        folder=str(folder), gold=str(gold), pipeline=score(brief, gold_labels), pipeline_brief=brief,
        previous=previous_scores,
    )
    if baseline:
        notify("baseline", {})
        started = time.monotonic()
        result.baseline_brief = baseline_brief(folder, **endpoint_args, cache=cache, store=run_store)
        result.baseline = score(result.baseline_brief, gold_labels)
        notify("baseline-done", {
            "seconds": time.monotonic() - started, "usage": result.baseline_brief.diagnostics.usage.model_dump(),
        })
    result.failures = check_thresholds(result.pipeline, bounds)
    if out is not None:
        result.write(out)
    return result


def baseline_brief(
    folder: str | os.PathLike, *, model: str | None = None, base_url: str | None = None,
    api_key: str | None = None, model_path: str | os.PathLike | None = None, cache: bool = True,
    store: RunStore | str | os.PathLike | None = None,
) -> IncidentBrief:
    """The one-shot baseline brief of ``folder``, with an LLM built as ``summarize`` builds its own.

    It is logged in the run store as its own run, "<folder> (one-shot baseline)".

    Example:
        >>> baseline_brief("samples/tinzaouatene", base_url="http://localhost:11434/v1", model="qwen2.5:7b")
    """
    segmented = [segment(article) for article in load(folder).articles]
    endpoint = resolve_endpoint(model=model, base_url=base_url, api_key=api_key, model_path=model_path)
    with recorded_run(endpoint, store, f"{folder} (one-shot baseline)", segmented, cache=cache) as llm:
        brief = one_shot_brief(segmented, llm)
        llm.store.finish_run(llm.run_id, brief_json=brief.model_dump_json())
        return brief


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
