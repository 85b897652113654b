"""The terminal progress display: what the pipeline (and the eval's baseline) is doing, on stderr."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.text import Text

from summarizer.settings import Settings


class ProgressDisplay:
    """Pipeline progress on stderr: the model, one line per report, consolidation, totals.

    It is the ``progress`` callback of ``summarize()`` (and ``run_eval()``): a line per report
    when its claims are read ("read") and when its casualty figures are ("extracted"). With the embedded
    model it assembles the weights (the library draws its own bar) and starts the server once
    the reports are read, so each step shows as it happens. Use it as a context manager: the
    spinner stops even when the run fails.
    """

    def __init__(self, folder: str, settings: Settings, *, quiet: bool = False, verbose: bool = False):
        # soft_wrap: a progress line stays one line in a log file or CI output, whatever the width.
        self.console = Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)
        self.folder = folder
        self.settings = settings
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
        endpoint = self.settings.endpoint()
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

    def _on_translating(self, data: dict) -> None:
        sources = _count(data["sources"], "report")
        self.console.print(Text(f"Translating {_count(data['sentences'], 'cited sentence')} of {sources} in another language"))
        self._spin("Translating cited sentences")

    def _on_done(self, data: dict) -> None:
        self._closing_line("Done", data)

    def _on_baseline(self, data: dict) -> None:
        self._spin("One-shot baseline: every report in one prompt")

    def _on_baseline_done(self, data: dict) -> None:
        self._closing_line("Baseline done", data)

    def _closing_line(self, what: str, data: dict) -> None:
        """'Done in 1.2 s · 31 calls · ... tokens (...) · $0.0036 (...)': a run's time, calls, tokens and cost."""
        self._spin(None)
        usage = _usage(data["usage"]) + _cost(data["usage"], data.get("sent"), data.get("price"))
        self.console.print(Text(f"{what} in {data['seconds']:.1f} s · {usage}", style="green"))

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
