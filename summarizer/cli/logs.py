"""``summarize logs``: the runs of the run store, the model calls of one run, or one call in full."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.cli.options import reports_errors
from summarizer.errors import InputError
from summarizer.store import RunStore, default_path


@click.group("logs", invoke_without_command=True)
@click.option("-n", "--count", "--runs", "count", type=click.IntRange(min=1), default=20, show_default=True,
              metavar="N", help="How many runs (or calls) to list, newest first.")
@click.option("--calls", "run_id", type=int, metavar="RUN_ID", help="List the model calls of this run instead.")
@click.option("--call", "call_id", type=int, metavar="CALL_ID", help="Show one call: the prompt sent and the answer.")
@click.option("-m", "--model", help="Only runs or calls of this model (a part of its name).")
@click.option("-s", "--source", help="Only runs of this folder (a part of its path).")
@click.option("-q", "--query", help="Only calls whose prompt or answer holds this text (lists calls).")
@click.option("--json", "as_json", is_flag=True,
              help="JSON lines, one run or call a line; calls carry their request and response.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path),
              help="Run store file (default: the one summarize writes).")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks for internal errors.")
@reports_errors()
def logs_command(count: int, run_id: int | None, call_id: int | None, model: str | None,
                 source: str | None, query: str | None, as_json: bool, store: Path | None, verbose: bool) -> None:
    """Recent runs from the run store, the model calls of one run, or one call in full.

    \b
    Examples:
      summarize logs
      summarize logs -n 5 --source barsalogho
      summarize logs --calls 12
      summarize logs --calls 12 --json > run-12.jsonl
      summarize logs --query "Wagner" -m qwen
      summarize logs --call 340
      summarize logs path
    """
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is not None:
        ctx.obj = store
        return
    path = store or default_path()
    console = Console(highlight=False)
    if not path.exists():
        if not as_json:
            console.print(Text(f"No runs recorded yet ({path} does not exist)."))
        return
    run_store = RunStore(path)
    try:
        if call_id is not None:
            if (call := run_store.call(call_id)) is None:
                raise InputError(f"no call {call_id} in {path}; 'summarize logs --calls RUN_ID' lists a run's calls")
            _print_call(console, call, as_json)
        elif run_id is None and query is None:
            _print_rows(console, run_store.runs(limit=count, model=model, source=source), as_json,
                        lambda rows: _runs_table(rows, path))
        else:
            if run_id is not None and not any(r["id"] == run_id for r in run_store.runs(limit=1_000_000)):
                raise InputError(f"no run {run_id} in {path}; 'summarize logs' lists the runs")
            calls = run_store.calls(run_id, limit=1_000_000 if run_id is not None else count, model=model,
                                    search=query, full=as_json)
            _print_rows(console, calls, as_json, lambda rows: _calls_table(run_id, rows))
    finally:
        run_store.close()


@logs_command.command("path")
@click.pass_obj
def logs_path(store: Path | None) -> None:
    """Print the run store's path."""
    click.echo(str(store or default_path()))


def _print_rows(console: Console, rows: list[dict], as_json: bool, table: Callable[[list[dict]], Table]) -> None:
    if as_json:
        for row in reversed(rows):  # oldest first, as a log reads
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    else:
        console.print(table(rows))


def _print_call(console: Console, call: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(call, ensure_ascii=False, default=str))
        return
    tokens = f"{call['prompt_tokens'] or 0:,} prompt + {call['completion_tokens'] or 0:,} completion tokens"
    console.print(Text(f"Call {call['id']} of run {call['run_id']}: {call['purpose'] or '—'}, {call['model']}, "
                       f"{_time(call['created'])}, {tokens}" + (" (cached)" if call["cached"] else "")))
    for message in (call.get("request") or {}).get("messages", []):
        console.print(Text(f"\n## {message.get('role', '?')}", style="bold"))
        console.print(Text(message.get("content") if isinstance(message.get("content"), str) else
                           json.dumps(message.get("content"), ensure_ascii=False)))
    console.print(Text("\n## answer", style="bold"))
    console.print(Text(_answer_text(call.get("response")) if call.get("response") else
                       (call.get("error") or "(served from the cache: the answer is the original call's)")))


def _answer_text(response: Any) -> str:
    """A completion's answer as a reader wants it: the tool call's arguments, else the message."""
    try:
        message = response["choices"][0]["message"]
        if message.get("tool_calls"):
            return json.dumps(json.loads(message["tool_calls"][0]["function"]["arguments"]), indent=2, ensure_ascii=False)
        return message.get("content") or ""
    except (KeyError, IndexError, TypeError, json.JSONDecodeError):
        return json.dumps(response, ensure_ascii=False)


def _runs_table(runs: list[dict], path: Path) -> Table:
    table = Table(title=f"Runs in {path}", title_justify="left")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("started (UTC)", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("source", overflow="fold", ratio=1)
    table.add_column("model", overflow="fold", ratio=1)
    table.add_column("model calls", justify="right", min_width=5)
    table.add_column("cached calls", justify="right", min_width=6)
    style = {"done": "green", "failed": "red", "running": "yellow"}
    for run in runs:
        table.add_row(
            str(run["id"]), _time(run["started"]), Text(run["status"], style=style.get(run["status"], "")),
            Text(run["source"] or ""), Text(run["model"] or ""), str(run["model_calls"]), str(run["cached_calls"]),
        )
    return table


def _calls_table(run_id: int | None, calls: list[dict]) -> Table:
    title = f"Model calls of run {run_id}" if run_id is not None else "Model calls, newest last"
    table = Table(title=title, title_justify="left")
    priced = any(call.get("cost_usd") is not None for call in calls)  # a column only where a price was known
    columns = [("id", "right"), ("run", "right"), ("purpose", "left"), ("tokens", "right"), *([("USD", "right")] * priced),
               ("ms", "right"), ("cached", "left"), ("error", "left")]
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    for call in reversed(calls):  # the store lists newest first; a run reads better in call order
        tokens = (call["prompt_tokens"] or 0) + (call["completion_tokens"] or 0)
        cost = [] if not priced else ["" if call.get("cost_usd") is None else f"{call['cost_usd']:.6f}"]
        table.add_row(
            str(call["id"]), str(call["run_id"] or ""), Text(call["purpose"] or "—"), f"{tokens:,}", *cost,
            "" if call["duration_ms"] is None else f"{call['duration_ms']:,}",
            "yes" if call["cached"] else "", Text(call["error"] or "", style="red"),
        )
    return table


def _time(iso: str | None) -> str:
    return (iso or "").replace("T", " ").removesuffix("+00:00")[:16]  # to the minute
