"""The default command, ``summarize FOLDER``: the brief of a folder, in the terminal or a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from summarizer.cli.options import (
    INTERRUPTED_RUN, check_verbosity, endpoint_options, reports_errors, setting_option, settings_from,
)
from summarizer.cli.progress import ProgressDisplay
from summarizer.cli.routing import FolderCommand
from summarizer.errors import InputError
from summarizer.pipeline import summarize
from summarizer.render import print_terminal, to_html, to_json, to_markdown
from summarizer.text.language import NAMES

FORMATS = ("terminal", "md", "json", "html")
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html", ".txt": "terminal"}


@click.command(cls=FolderCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("folder", type=click.Path(path_type=str))
@click.option("--format", "format_", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the -o suffix, else terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the brief to this file; .md, .json, .html (or .txt) set the format.")
@click.option("--full", is_flag=True,
              help="In the terminal, every claim, the timeline and the sources' notes (default: the most corroborated).")
@setting_option("--language", type=click.Choice(list(NAMES), case_sensitive=False), default=None, metavar="CODE",
                help=f"The brief's language, ISO 639-1 ({', '.join(NAMES)}; default en): title, summary and dispute "
                     "questions are written in it.")
@click.option("--translate/--no-translate", default=True, show_default=True,
              help="A translation beside each cited sentence of a report in another language than the brief's.")
@endpoint_options
@click.version_option(package_name="incident-brief", prog_name="summarize")
@reports_errors(INTERRUPTED_RUN)
def brief_command(folder: str, format_: str | None, output: Path | None, full: bool, **options: Any) -> None:
    """The brief of the reports in FOLDER (its help is the group's: see routing.FolderCommand)."""
    check_verbosity(options)
    brief_format = _output_format(format_, output)
    if output is not None and not output.parent.is_dir():
        raise InputError(f"{output}: the folder {output.parent} does not exist")

    settings = settings_from(options)
    with ProgressDisplay(folder, settings, quiet=options["quiet"], verbose=options["verbose"]) as display:
        brief = summarize(folder, settings=settings, progress=display)

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
