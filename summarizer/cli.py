"""The ``summarize`` command: parsing, progress on stderr, calling the library, output, exit codes.

Everything else is in the library: ``summarize()`` (pipeline.py), the renderers (render/),
the run store (store.py) and the eval run (eval/runner.py).

Exit codes (README, "Exit codes"): 0 success, 1 eval thresholds missed or the local server did not
start, 2 bad input, 3 endpoint failure, 4 model file, 5 token budget
spent, 70 internal error (a bug), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.errors import InputError, SummarizerError
from summarizer.eval.runner import (
    DEFAULT_FOLDER, DEFAULT_THRESHOLDS, SUMMARY, EvalResult, gold_for, result_path, run_all, run_eval, summary_table,
    wrong_and_missed,
)
from summarizer.llm.endpoint import STRUCTURED_OUTPUTS, resolve_endpoint
from summarizer.pipeline import summarize
from summarizer.llm.prices import parse_price
from summarizer.render import print_terminal, to_html, to_json, to_markdown
from summarizer.store import RunStore, default_path

FORMATS = ("terminal", "md", "json", "html")
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html", ".txt": "terminal"}
EXIT_THRESHOLDS = 1
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130
INTERRUPTED_RUN = ("interrupted: the reports' model answers received so far are kept in the run store ({store}); "
                   "re-run the same command to resume")

EXAMPLES = """
\b
Examples:
  summarize samples/tinzaouatene
  summarize reports/ --format html -o brief.html
  summarize reports/ --format json > brief.json
  OPENAI_BASE_URL=http://localhost:11434/v1 summarize reports/ --model qwen2.5:7b
  summarize logs --runs 5
  summarize eval --no-baseline

With no endpoint configured the embedded local model runs on the CPU (installed with
pip install 'incident-brief[local]'). Every model call is kept in the run store: an unchanged
re-run costs no model time and an interrupted run resumes. A folder named like a command
(eval, logs) is given as ./eval.
"""


# --------------------------------------------------------------------------- command routing


class _FolderContext(click.Context):
    @property
    def command_path(self) -> str:
        # The default command has no name of its own: its usage reads "summarize [OPTIONS] FOLDER".
        return self.parent.command_path if self.parent is not None and not self.info_name else super().command_path


class _FolderCommand(click.Command):
    """The default command, run when the first argument is not a command name."""

    context_class = _FolderContext

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        parent = ctx.parent
        if parent is not None and isinstance(parent.command, _DefaultGroup):
            parent.command.format_help(parent, formatter)
        else:
            super().format_help(ctx, formatter)


class _DefaultGroup(click.Group):
    """A group whose default command takes the folder: ``summarize FOLDER`` or ``summarize logs``."""

    _ROUTE = "\0folder"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.default_command: click.Command | None = None

    def default(self, command: click.Command) -> click.Command:
        self.default_command = command
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self._ROUTE, *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] == self._ROUTE:
            return "", self.default_command, args[1:]
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert self.default_command is not None
        lines = [" ".join(self.default_command.collect_usage_pieces(ctx))]
        for name in self.list_commands(ctx):
            command = self.commands[name]
            sub = click.Context(command, info_name=name, parent=ctx)
            lines.append(" ".join([name, *command.collect_usage_pieces(sub)]))
        formatter.write_usage(ctx.command_path, lines[0])
        for line in lines[1:]:
            formatter.write_usage(ctx.command_path, line, prefix="       ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert self.default_command is not None
        self.default_command.format_options(ctx, formatter)
        self.format_commands(ctx, formatter)


# --------------------------------------------------------------------------- shared options


def endpoint_options(command: Callable) -> Callable:
    """The model, run store and output-verbosity options every model-running command takes."""
    options = [
        click.option("--model", envvar="SUMMARIZER_MODEL", show_envvar=True,
                     help="Model name at the endpoint (e.g. qwen2.5:7b, gpt-4o-mini)."),
        click.option("--base-url", envvar="OPENAI_BASE_URL", show_envvar=True,
                     help="OpenAI-compatible endpoint. Without one, the embedded local model runs."),
        click.option("--api-key", envvar="OPENAI_API_KEY", show_envvar=True, show_default=False,
                     help="API key for the endpoint (never printed)."),
        click.option("--model-path", type=click.Path(path_type=Path),
                     help="Run this local .gguf file instead of the embedded model."),
        click.option("--structured-output", type=click.Choice(STRUCTURED_OUTPUTS), envvar="SUMMARIZER_STRUCTURED_OUTPUT",
                     show_envvar=True, help="How an endpoint is asked for structured answers: auto (default: a tool "
                     "call, then a JSON schema, then JSON mode, each once the server refuses the one before; the run "
                     "store remembers what the server took), or always a tool call, a JSON schema (response_format), "
                     "or JSON mode."),
        click.option("--context-tokens", type=click.IntRange(min=2048), metavar="N", envvar="SUMMARIZER_CONTEXT_TOKENS",
                     show_envvar=True, help="The tokens one request may hold (default 8192): a longer report is read "
                     "in windows that fit. Set it to the endpoint's context; the embedded model is started with it."),
        click.option("--prompts", type=click.Path(file_okay=False, path_type=Path), envvar="SUMMARIZER_PROMPTS",
                     show_envvar=True, help="A folder of prompt templates (.j2) that replace the project's of the "
                     "same names; checked before any model call."),
        click.option("--max-tokens-total", type=click.IntRange(min=1), metavar="N", envvar="SUMMARIZER_MAX_TOKENS_TOTAL",
                     show_envvar=True, help="Stop once the endpoint has processed N tokens in this run (answers "
                     "from the store cost none); what was answered is kept, and a re-run goes on from there."),
        click.option("--price", metavar="INPUT,OUTPUT", envvar="SUMMARIZER_PRICE", show_envvar=True,
                     help="USD per million prompt and completion tokens, for the run's cost (default: the price "
                     "table's, for the hosted models it lists, e.g. gpt-4o-mini)."),
        click.option("--no-cache", is_flag=True, help="Ask the model again even for requests answered before."),
        click.option("--store", type=click.Path(dir_okay=False, path_type=Path),
                     help="Run store file (default: runs.db in the user cache folder, or in $SUMMARIZER_CACHE_DIR)."),
        click.option("--concurrency", type=click.IntRange(min=1), metavar="N",
                     help="Model calls in flight at once (default: 1 for the local model, 32 for an endpoint)."),
        click.option("-v", "--verbose", is_flag=True, help="More detail; tracebacks for internal errors."),
        click.option("-q", "--quiet", is_flag=True, help="No progress; only errors on stderr."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _library_arguments(options: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": options["model"], "base_url": options["base_url"], "api_key": options["api_key"],
        "model_path": options["model_path"], "structured_output": options["structured_output"],
        "context_tokens": options["context_tokens"], "prompts": options["prompts"], "max_tokens_total": options["max_tokens_total"],
        "price": parse_price(options["price"]) if options["price"] else None,
        "cache": not options["no_cache"], "store": options["store"],
        "concurrency": options["concurrency"],
    }


def reports_errors(interrupted: str = "interrupted") -> Callable:
    """Turn exceptions into one stderr line and an exit code (see the module docstring)."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def run(**options: Any) -> None:
            verbose = options.get("verbose", False)
            try:
                command(**options)
            except SummarizerError as error:
                _fail(f"error: {_one_line(error)}", error.exit_code)
            except KeyboardInterrupt:
                click.echo(f"summarize: {interrupted.format(store=options.get('store') or default_path())}", err=True)
                _exit_now(EXIT_INTERRUPTED)
            except (click.exceptions.Exit, click.ClickException, SystemExit):
                raise
            except Exception as error:  # noqa: BLE001 - the one place a bug becomes an exit code
                if verbose:
                    traceback.print_exc(file=sys.stderr)
                hint = "" if verbose else "; re-run with -v for the traceback"
                _fail(f"internal error: {type(error).__name__}: {_one_line(error)}{hint}", EXIT_INTERNAL)

        return run

    return decorate


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _exit_now(code: int) -> None:
    """Exit without waiting for model calls still in flight on worker threads (a hosted
    endpoint may take minutes to answer them); the local server is stopped first."""
    from summarizer.local.server import stop_shared_server

    stop_shared_server()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _fail(message: str, code: int) -> None:
    click.echo(f"summarize: {message}", err=True)
    raise SystemExit(code)


def _check_verbosity(options: dict[str, Any]) -> None:
    if options["verbose"] and options["quiet"]:
        raise click.UsageError("-v/--verbose and -q/--quiet cannot be used together")
    # llm/client.py silences instructor's log of each failed validation (a re-ask or a counted drop), and
    # stages/load/html.py trafilatura's of each page too small to judge; with -v it is detail worth seeing.
    for name in ("instructor", "trafilatura"):
        logging.getLogger(name).setLevel(logging.WARNING if options["verbose"] else logging.CRITICAL)


# --------------------------------------------------------------------------- progress


class ProgressDisplay:
    """Pipeline progress on stderr: the model, one line per report, consolidation, totals.

    It is the ``progress`` callback of ``summarize()`` (and ``run_eval()``): a line per report
    when its claims are read ("read") and when its casualty figures are ("extracted"). With the embedded
    model it assembles the weights (the library draws its own bar) and starts the server once
    the reports are read, so each step shows as it happens. Use it as a context manager: the
    spinner stops even when the run fails.
    """

    def __init__(self, folder: str, endpoint: dict[str, Any], *, quiet: bool = False, verbose: bool = False):
        # soft_wrap: a progress line stays one line in a log file or CI output, whatever the width.
        self.console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
        self.folder = folder
        self.endpoint = endpoint
        self.quiet = quiet
        self.verbose = verbose
        self.articles = 0
        self.read = 0
        self.extracted = 0
        self._status = None
        self._lock = threading.Lock()

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self._spin(None)

    def __call__(self, event: str, data: dict) -> None:
        handler = getattr(self, "_on_" + event.replace("-", "_"), None)
        if handler is not None:
            with self._lock:  # reports finish on worker threads
                handler(data)

    def _spin(self, message: str | None) -> None:
        self._message = message
        if message is None:
            if self._status is not None:
                self._status.stop()
                self._status = None
        elif self._status is None:
            self._status = self.console.status(message)
            self._status.start()
        else:
            self._status.update(message)

    def _on_loaded(self, data: dict) -> None:
        self.articles = data["articles"]
        self.console.print(Text(f"Read {self.articles} report{'s' if self.articles != 1 else ''} from {self.folder}"))
        for skipped in data.get("skipped") or []:
            self.console.print(Text(f"  skipped {skipped['path']}: {skipped['reason']}", style="yellow"))
        if data.get("unchanged_since"):
            self.console.print(Text(f"Nothing changed since run {data['unchanged_since']} (reports, model, code): "
                                    "its brief, no model call"))
            return
        self._prepare_model()
        self.console.print(Text("Claims, one model call per report:"))
        self._spin(f"Claims: 0/{self.articles} reports")

    def _prepare_model(self) -> None:
        endpoint = resolve_endpoint(**self.endpoint)
        if not endpoint.is_local:
            self.console.print(Text(f"Model {endpoint.model} at {endpoint.label}"))

    def _on_model_starting(self, data: dict) -> None:
        # The library starts the local model only when a request is not in the run store; its
        # assembly bar is a live display of its own, so the spinner stops first.
        self._paused = self._message if self._status is not None else None
        self._spin(None)
        self.console.print(Text(f"Starting the local model ({data['model']})"))

    def _on_model_ready(self, data: dict) -> None:
        self.console.print(Text(f"Local model ready on {data['base_url']} ({data['seconds']:.1f} s)"))
        if getattr(self, "_paused", None):
            self._spin(self._paused)

    def _on_read(self, data: dict) -> None:
        self.read += 1
        self._report_line(data["path"], _count(data["claims"], "claim"), data["seconds"])
        if self.read < self.articles:
            self._spin(f"Claims: {self.read}/{self.articles} reports")
        else:
            self.console.print(Text("Casualty figures, one model call per sentence that gives one:"))
            self._spin(f"Casualty figures: 0/{self.articles} reports")

    def _on_window_read(self, data: dict) -> None:
        first, last = data["sentences"]
        self._spin(f"Claims: {data['path']}, window {data['window']} of {data['windows']} read "
                   f"(sentences {first}–{last}); {self.read}/{self.articles} reports")

    def _on_extracted(self, data: dict) -> None:
        self.extracted += 1
        counts = Text(f"{_count(data['claims'], 'claim')}, {_count(data['casualties'], 'casualty figure')}")
        if data.get("dropped"):
            counts.append(f", {data['dropped']} dropped", style="yellow")
        tokens = f"{data.get('tokens', 0):,} tokens" if self.verbose else None
        self._report_line(data["path"], counts, data["seconds"], tokens)
        self._spin(f"Casualty figures: {self.extracted}/{self.articles} reports")

    def _report_line(self, path: str, counts: str | Text, seconds: float, extra: str | None = None) -> None:
        line = Text("  ")
        line.append(str(path), style="bold")
        line.append("  ")
        line.append(counts)
        line.append(f"  {seconds:.1f} s", style="dim")
        if extra:
            line.append(f"  {extra}", style="dim")
        self.console.print(line)

    def _on_structured_output(self, data: dict) -> None:
        line = data["message"]
        self.console.print(Text(line[:1].upper() + line[1:], style="yellow"))

    def _on_consolidating(self, data: dict) -> None:
        self.console.print(Text(f"Consolidating {_count(data['claims'], 'claim')}"))
        self._spin("Consolidating: actors, disputes, summary")

    def _on_done(self, data: dict) -> None:
        self._spin(None)
        usage = _usage(data["usage"]) + _cost(data["usage"], data.get("sent"), data.get("price"))
        self.console.print(Text(f"Done in {data['seconds']:.1f} s · {usage}", style="green"))

    def _on_baseline(self, data: dict) -> None:
        self._spin("One-shot baseline: every report in one prompt")

    def _on_baseline_done(self, data: dict) -> None:
        self._spin(None)
        usage = _usage(data["usage"]) + _cost(data["usage"], data.get("sent"), data.get("price"))
        self.console.print(Text(f"Baseline done in {data['seconds']:.1f} s · {usage}", style="green"))

    def _on_baseline_failed(self, data: dict) -> None:
        self._spin(None)
        self.console.print(Text(f"Baseline failed: {data['error']}", style="yellow"))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _usage(usage: dict) -> str:
    prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    # Calls and tokens include answers the run store already held (an unchanged re-run costs none).
    return (f"{_count(usage.get('calls', 0), 'call')} · {prompt + completion:,} tokens "
            f"({prompt:,} prompt + {completion:,} completion)")


def _cost(usage: dict, sent: dict | None, price: dict | None) -> str:
    """' · $0.0123 (prices as of ...)' when the price is known: the tokens the endpoint processed in
    this run, the run store's answers costing nothing; empty when it is not (or the embedded model)."""
    if usage.get("cost_usd") is None:
        return ""
    note = [price["note"]] if price else []
    if sent is not None:
        tokens = usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0)
        paid = sent.get("prompt_tokens", 0) + sent.get("completion_tokens", 0)
        if paid < tokens:
            note.insert(0, f"for the {paid:,} tokens sent; the run store's answers cost nothing")
    return f" · ${usage['cost_usd']:.4f}" + (f" ({'; '.join(note)})" if note else "")


# --------------------------------------------------------------------------- commands


@click.group("summarize", cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXAMPLES, no_args_is_help=True)
def cli() -> None:
    """Turn a folder of news reports about one incident into a source-attributed brief.

    Every statement in the brief cites the report sentences it rests on; casualty figures
    keep who claims them; disagreements between sources are shown as disputes.
    """


@cli.default
@click.command(cls=_FolderCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("folder", type=click.Path(path_type=str))
@click.option("--format", "format_", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the -o suffix, else terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the brief to this file; .md, .json, .html (or .txt) set the format.")
@click.option("--full", is_flag=True,
              help="In the terminal, every claim, the timeline and the sources' notes (default: the most corroborated).")
@endpoint_options
@click.version_option(package_name="incident-brief", prog_name="summarize")
@reports_errors(INTERRUPTED_RUN)
def brief_command(folder: str, format_: str | None, output: Path | None, full: bool, **options: Any) -> None:
    _check_verbosity(options)
    brief_format = _output_format(format_, output)
    if output is not None and not output.parent.is_dir():
        raise InputError(f"{output}: the folder {output.parent} does not exist")

    with ProgressDisplay(folder, _endpoint_arguments(options), quiet=options["quiet"],
                         verbose=options["verbose"]) as display:
        brief = summarize(folder, **_library_arguments(options), progress=display)

    if output is None:
        if brief_format == "terminal":
            print_terminal(brief, full=full)
        else:
            click.echo(_rendered(brief, brief_format))
        return
    try:
        if brief_format == "terminal":
            with output.open("w", encoding="utf-8") as stream:
                print_terminal(brief, Console(file=stream, width=100, color_system=None, force_terminal=False), full=full)
        else:
            output.write_text(_rendered(brief, brief_format) + "\n", encoding="utf-8")
    except OSError as error:
        raise InputError(f"{output}: cannot write the brief ({error.strerror}); the run is kept in the run store") from None
    if not options["quiet"]:
        Console(stderr=True, highlight=False, soft_wrap=True).print(Text(f"Wrote {output}"))


def _output_format(format_: str | None, output: Path | None) -> str:
    if format_ is not None:
        return format_
    if output is None:
        return "terminal"
    suffix = output.suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise click.BadParameter(
            f"cannot tell the format from {output.name!r}; use a .md, .json or .html name or pass --format",
            param_hint="'-o' / '--output'",
        )
    return SUFFIX_FORMATS[suffix]


def _rendered(brief, brief_format: str) -> str:
    return {"md": to_markdown, "json": to_json, "html": to_html}[brief_format](brief)


def _endpoint_arguments(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options[k] for k in ("model", "base_url", "api_key", "model_path", "structured_output", "context_tokens")}


@cli.group("logs", invoke_without_command=True)
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


@cli.command("eval")
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
    _check_verbosity(options)
    if all_folders and (folder or gold or out or previous):
        raise click.UsageError("--all runs every gold file of evals/gold/: give no FOLDER, --gold, --out or --previous")
    console = Console(highlight=False)
    arguments = dict(thresholds=thresholds, baseline=not no_baseline, **_library_arguments(options))
    if all_folders:
        with contextlib.ExitStack() as displays:  # one progress display per folder, each closed at the end
            results = run_all(progress_for=lambda name: displays.enter_context(ProgressDisplay(
                name, _endpoint_arguments(options), quiet=options["quiet"], verbose=options["verbose"])), **arguments)
        for result in results:
            _print_result(console, result)
        console.print(summary_table(results))
        written = SUMMARY
    else:
        folder = folder or DEFAULT_FOLDER
        gold = gold or str(gold_for(folder))
        out = out or str(result_path(gold))
        with ProgressDisplay(folder, _endpoint_arguments(options), quiet=options["quiet"],
                             verbose=options["verbose"]) as display:
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


def main(argv: list[str] | None = None) -> None:
    """The console script ``summarize`` (and ``python -m summarizer``)."""
    cli.main(args=argv)
