"""The options every model-running command takes, the settings they make, and errors as exit codes.

Exit codes (README, "Exit codes"): 0 success, 1 eval thresholds missed or the local server did not
start, 2 bad input, 3 endpoint failure, 4 model file, 5 token budget
spent, 70 internal error (a bug), 130 interrupted.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from summarizer.errors import SummarizerError
from summarizer.llm.endpoint import STRUCTURED_OUTPUTS
from summarizer.settings import ENVIRONMENT, Settings, from_environment
from summarizer.store import default_path

EXIT_THRESHOLDS = 1
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_INTERRUPTED = 130
INTERRUPTED_RUN = ("interrupted: the reports' model answers received so far are kept in the run store ({store}); "
                   "re-run the same command to resume")


class SettingOption(click.Option):
    """An option that falls back on its setting's environment variable, read by ``summarizer.settings``;
    click checks that value as it checks the option's, and names the variable in the help and errors."""

    def resolve_envvar_value(self, ctx: click.Context) -> str | None:
        return from_environment(self.name)


def setting_option(flag: str, **attributes: Any) -> Callable:
    """``click.option`` for the setting named like ``flag`` (``--base-url``: ``base_url``), with its variable."""
    setting = flag.removeprefix("--").replace("-", "_")
    return click.option(flag, cls=SettingOption, envvar=ENVIRONMENT[setting], show_envvar=True, **attributes)


def endpoint_options(command: Callable) -> Callable:
    """The model, run store and output-verbosity options every model-running command takes."""
    options = [
        setting_option("--model", help="Model name at the endpoint (e.g. qwen2.5:7b, gpt-4o-mini)."),
        setting_option("--base-url", help="OpenAI-compatible endpoint. Without one, the embedded local model runs."),
        setting_option("--api-key", show_default=False, help="API key for the endpoint (never printed)."),
        click.option("--model-path", type=click.Path(path_type=Path),
                     help="Run this local .gguf file instead of the embedded model."),
        setting_option("--structured-output", type=click.Choice(STRUCTURED_OUTPUTS),
                       help="How an endpoint is asked for structured answers: auto (default: a tool "
                       "call, then a JSON schema, then JSON mode, each once the server refuses the one before; the run "
                       "store remembers what the server took), or always a tool call, a JSON schema (response_format), "
                       "or JSON mode."),
        setting_option("--context-tokens", type=click.IntRange(min=2048), metavar="N",
                       help="The tokens one request may hold (default 8192): a longer report is read "
                       "in windows that fit. Set it to the endpoint's context; the embedded model is started with it."),
        setting_option("--prompts", type=click.Path(file_okay=False, path_type=Path),
                       help="A folder of prompt templates (.j2) that replace the project's of the "
                       "same names; checked before any model call."),
        setting_option("--max-tokens-total", type=click.IntRange(min=1), metavar="N",
                       help="Stop once the endpoint has processed N tokens in this run (answers "
                       "from the store cost none); what was answered is kept, and a re-run goes on from there."),
        setting_option("--price", metavar="INPUT,OUTPUT",
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


def settings_from(options: dict[str, Any]) -> Settings:
    """The run's settings from the options of ``endpoint_options`` and the brief command's ``--language``
    and ``--translate`` (a malformed price fails here)."""
    return Settings.from_env(
        model=options["model"], base_url=options["base_url"], api_key=options["api_key"],
        model_path=options["model_path"], structured_output=options["structured_output"],
        context_tokens=options["context_tokens"], prompts=options["prompts"],
        max_tokens_total=options["max_tokens_total"], price=options["price"], cache=not options["no_cache"],
        store=options["store"], concurrency=options["concurrency"],
        language=options.get("language"), translate=options.get("translate", True),
    )


def check_verbosity(options: dict[str, Any]) -> None:
    """Refuse -v with -q; with -v, show the libraries' logs of re-asks and pages too small to judge."""
    if options["verbose"] and options["quiet"]:
        raise click.UsageError("-v/--verbose and -q/--quiet cannot be used together")
    # llm/client.py silences instructor's log of each failed validation (a re-ask or a counted drop), and
    # stages/load/html.py trafilatura's of each page too small to judge; with -v it is detail worth seeing.
    for name in ("instructor", "trafilatura"):
        logging.getLogger(name).setLevel(logging.WARNING if options["verbose"] else logging.CRITICAL)


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
