"""``summarize eval``: the pipeline and the one-shot baseline scored against gold labels, and the bounds checked."""

from __future__ import annotations

import contextlib
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from summarizer.cli.options import (
    EXIT_THRESHOLDS, INTERRUPTED_RUN, check_verbosity, endpoint_options, reports_errors, settings_from,
)
from summarizer.cli.progress import ProgressDisplay
from summarizer.eval.runner import (
    DEFAULT_FOLDER, DEFAULT_THRESHOLDS, SUMMARY, EvalResult, gold_for, language_table, result_path, run_all, run_eval,
    summary_table, wrong_and_missed,
)


@click.command("eval")
@click.argument("folder", required=False, default=None, type=click.Path(path_type=str))
@click.option("--all", "all_folders", is_flag=True, help="Every folder of the dev set (each gold file of evals/gold/).")
@click.option("--gold", default=None, type=click.Path(dir_okay=False),
              help="Hand-reviewed labels to score against [default: the file of evals/gold/ that labels FOLDER].")
@click.option("--thresholds", default=DEFAULT_THRESHOLDS, show_default=True, type=click.Path(dir_okay=False),
              help="[NAME.min] and [NAME.max] bounds each folder's pipeline scores must meet.")
@click.option("--previous", default=None, type=click.Path(dir_okay=False),
              help="An earlier result, shown as a column if the file exists [default: the --out file].")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="Where to write this result [default: evals/results/NAME.json].")
@click.option("--no-baseline", is_flag=True, help="Skip the one-shot baseline.")
@endpoint_options
@reports_errors(INTERRUPTED_RUN)
def eval_command(folder: str | None, all_folders: bool, gold: str | None, thresholds: str, previous: str | None,
                 out: str | None, no_baseline: bool, **options: Any) -> None:
    """Score the pipeline and the one-shot baseline against gold labels.

    Prints the scores side by side (pipeline, baseline, previous result) and every wrong and
    missed item, writes the result JSON, and exits 1 with one line per threshold the pipeline
    misses. With --all, every folder of the dev set, then a table of all of them pooled. The
    default paths are those of the repository: run it from the repository root.

    \b
    Examples:
      summarize eval
      summarize eval --all
      summarize eval evals/dev/barsalogho --no-baseline
      OPENAI_BASE_URL=http://localhost:11434/v1 summarize eval --all --model qwen2.5:7b
    """
    check_verbosity(options)
    if all_folders and (folder or gold or out or previous):
        raise click.UsageError("--all runs every gold file of evals/gold/: give no FOLDER, --gold, --out or --previous")
    console = Console(highlight=False)
    settings = settings_from(options)
    arguments = dict(thresholds=thresholds, baseline=not no_baseline, settings=settings)
    if all_folders:
        with contextlib.ExitStack() as displays:  # one progress display per folder, each closed at the end
            results = run_all(progress_for=lambda name: displays.enter_context(ProgressDisplay(
                name, settings, quiet=options["quiet"], verbose=options["verbose"])), **arguments)
        for result in results:
            _print_result(console, result)
        console.print(summary_table(results))
        console.print(language_table(results))
        written = SUMMARY
    else:
        folder = folder or DEFAULT_FOLDER
        gold = gold or str(gold_for(folder))
        out = out or str(result_path(gold))
        with ProgressDisplay(folder, settings, quiet=options["quiet"], verbose=options["verbose"]) as display:
            result = run_eval(folder, gold=gold, previous=previous or out, out=out, progress=display, **arguments)
        _print_result(console, result)
        results = [result]
        written = out
    if not options["quiet"]:
        Console(stderr=True, highlight=False, soft_wrap=True).print(Text(f"Wrote {written}"))
    failures = [f"{r.name}: {failure}" for r in results for failure in r.failures]
    if failures:
        for failure in failures:
            click.echo(f"summarize: threshold failed: {failure}", err=True)
        raise SystemExit(EXIT_THRESHOLDS)


def _print_result(console: Console, result: EvalResult) -> None:
    """One folder's table, then every wrong and missed item of the pipeline's brief."""
    console.print(Text(f"{result.name} ({result.folder})", style="bold"))
    if result.error:
        console.print(Text(f"  the pipeline failed: {result.error}", style="red"))
        return
    if result.baseline_error:
        console.print(Text(f"  the baseline failed: {result.baseline_error}", style="yellow"))
    console.print(result.table())
    for title, items in wrong_and_missed(result.pipeline):
        console.print(Text(f"  {title} ({len(items)}):", style="bold"))
        for item in items:
            console.print(Text(f"    {item}"), soft_wrap=True)
