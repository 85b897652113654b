"""The ``summarize`` command: parsing, progress on stderr, calling the library, output, exit codes.

Everything else is in the library: ``summarize()`` (pipeline.py), the renderers (render/),
the run store (store.py) and the eval run (eval/runner.py). Here: the group and its entry point;
options.py the shared options and exit codes, routing.py folder-or-command, progress.py the
progress display, and a module per command (brief.py, evaluate.py, logs.py).
"""

from __future__ import annotations

import click

from summarizer.cli.brief import brief_command
from summarizer.cli.evaluate import eval_command
from summarizer.cli.logs import logs_command
from summarizer.cli.routing import DefaultGroup

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


@click.group("summarize", cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXAMPLES, no_args_is_help=True)
def cli() -> None:
    """Turn a folder of news reports about one incident into a source-attributed brief.

    Every statement in the brief cites the report sentences it rests on; casualty figures
    keep who claims them; disagreements between sources are shown as disputes.
    """


cli.default(brief_command)
cli.add_command(eval_command)
cli.add_command(logs_command)


def main(argv: list[str] | None = None) -> None:
    """The console script ``summarize`` (and ``python -m summarizer``)."""
    cli.main(args=argv)
