"""The ``summarize`` command line, run against the scripted OpenAI server on loopback.

The scripted model is ``CarefulReader``: it answers every call the pipeline (and the one-shot
baseline) makes with what the hand-written perfect brief of samples/tinzaouatene
(tests/fixtures/briefs/tinzaouatene_perfect.json) says about the report or sentence in the
prompt, citing that brief's sentence numbers. Like a real model, some of its paraphrases fail
the pipeline's grounding check, are re-asked, and are dropped.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from scripted_server import Delay, ScriptedServer, ToolCall, message_text, tool_name
from summarizer.cli import cli
from summarizer.eval_runner import run_eval
from summarizer.schema import IncidentBrief
from summarizer.store import RunStore

REPO = Path(__file__).parent.parent
SAMPLES = REPO / "samples" / "tinzaouatene"
GOLD = REPO / "evals" / "gold.yaml"
THRESHOLDS = REPO / "evals" / "thresholds.toml"
PERFECT = IncidentBrief.model_validate_json(
    (Path(__file__).parent / "fixtures" / "briefs" / "tinzaouatene_perfect.json").read_text(encoding="utf-8")
)
REPORTS = sorted(p.name for p in SAMPLES.iterdir())
API_KEY = "sk-test-0123456789abcdef"


# --------------------------------------------------------------------------- the scripted model


def _cited(item) -> set[tuple[str, int]]:
    return {(c.source_id, n) for c in item.citations for n in c.sentences}


class CarefulReader:
    """A responder for ScriptedServer: one method per tool the pipeline and baseline call."""

    def __init__(self, brief: IncidentBrief = PERFECT):
        self.brief = brief
        self.calls: Counter[str] = Counter()

    def __call__(self, body: dict) -> ToolCall:
        name = tool_name(body)
        self.calls[name] += 1
        return ToolCall(getattr(self, name)(message_text(body)))

    def report_in(self, text: str):
        """The source whose numbered sentences ("[n] text") the extraction prompt carries."""
        return next(s for s in self.brief.sources if all(f"[{x.n}] {x.text}" in text for x in s.sentences))

    def ClaimsResponse(self, text: str) -> dict:  # noqa: N802 - named after the tool
        source = self.report_in(text)
        claims = []
        for claim in self.brief.claims:
            ids = [n for c in claim.citations if c.source_id == source.id for n in c.sentences][:4]
            if ids:
                claims.append({"ids": ids, "kind": claim.kind, "by": claim.claimant[:60], "text": claim.statement[:160],
                               "when": claim.when.as_written if claim.when else None})
        return {"claims": claims[:10]}

    def SentenceCasualties(self, text: str) -> dict:  # noqa: N802
        n, sentence = re.search(r'^Sentence: "\[(\d+)\] (.*)"$', text, re.M).groups()
        source = next(s for s in self.brief.sources if any(x.n == int(n) and x.text == sentence for x in s.sentences))
        return {"figures": [
            {"by": c.claimant, "party": c.party, "metric": c.metric, "figure": c.figure}
            for c in self.brief.casualties if (source.id, int(n)) in _cited(c)
        ][:6]}

    def ConsolidationResponse(self, text: str) -> dict:  # noqa: N802
        names = dict(re.findall(r"^(\d+)\. (.+)$", text.split("Names:")[1].split("Claims:")[0], re.M))
        listed = dict(re.findall(r"^(\d+)\. \([^)]*\) (.+)$", text.split("Claims:")[1], re.M))
        by_statement = {c.statement[:160]: c for c in self.brief.claims}
        claims = {int(i): _cited(by_statement[t]) for i, t in listed.items() if t in by_statement}

        def resting_on(item, limit: int) -> list[int]:
            return [i for i, cited in claims.items() if cited & _cited(item)][:limit]

        actors, taken = [], set()
        for actor in self.brief.actors:
            spellings = [actor.name.lower(), *(a.lower() for a in actor.aliases)]
            numbers = [int(i) for i, name in names.items()
                       if i not in taken and any(s in name.lower() for s in spellings)][:12]
            taken |= {str(i) for i in numbers}
            if numbers:
                actors.append({"name": actor.name, "side": actor.side, "names": numbers})
        disputes = []
        for dispute in self.brief.disputes:
            if dispute.kind == "figure":  # code finds figure disputes itself
                continue
            sides, used = [], set()
            for position in dispute.positions:
                side = [i for i in resting_on(position, 6) if i not in used]
                used |= set(side)
                if side:
                    sides.append(side)
            if len(sides) >= 2:
                disputes.append({"question": dispute.question, "kind": dispute.kind, "sides": sides[:4]})
        summary = [{"text": s.text, "claims": resting_on(s, 6)} for s in self.brief.summary]
        return {
            "actors": actors[:12],
            "places": [{"name": p.name, "spellings": p.spellings[:6], "country": p.country} for p in self.brief.where[:8]],
            "disputes": disputes[:6],
            "summary": [s for s in summary if s["claims"]][:5],
            "title": self.brief.title,
            "incident_type": self.brief.incident_type,
            "open_questions": self.brief.open_questions[:4],
        }

    def BaselineResponse(self, text: str) -> dict:  # noqa: N802
        report = {}
        for source in self.brief.sources:
            if m := re.search(r"^\[(\d+)\.1\] " + re.escape(source.sentences[0].text) + "$", text, re.M):
                report[source.id] = int(m[1])

        def labels(item, limit: int) -> list[str]:
            return [f"{report[s]}.{n}" for s, n in sorted(_cited(item)) if s in report][:limit]

        return {
            "title": self.brief.title,
            "summary": [{"text": s.text, "cites": labels(s, 6)} for s in self.brief.summary[:5]],
            "casualties": [
                {"party": c.party, "metric": c.metric, "figure": c.figure, "by": c.claimant, "cites": labels(c, 4)}
                for c in self.brief.casualties[:12]
            ],
            "disputes": [
                {"question": d.question,
                 "sides": [{"by": p.claimant, "text": p.statement, "cites": labels(p, 4)} for p in d.positions[:4]]}
                for d in self.brief.disputes[:6]
            ],
        }


@pytest.fixture
def reader(scripted_llm: ScriptedServer) -> CarefulReader:
    careful = CarefulReader()
    scripted_llm.set_responder(careful)
    return careful


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "runs.db"


@pytest.fixture(autouse=True)
def _no_endpoint_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


def endpoint(server: ScriptedServer, store: Path) -> list[str]:
    return ["--base-url", server.base_url, "--model", "scripted", "--api-key", API_KEY, "--store", str(store)]


def run(*args: str) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- summarize FOLDER


def test_json_goes_to_stdout_alone_and_progress_to_stderr(scripted_llm, reader, store):
    # A real process, so stdout and stderr are the real streams (and python -m summarizer works).
    process = subprocess.run(
        [sys.executable, "-m", "summarizer", str(SAMPLES), "--format", "json", *endpoint(scripted_llm, store)],
        capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 0, process.stderr
    brief = IncidentBrief.model_validate_json(process.stdout)
    assert brief.title == PERFECT.title
    assert [s.path for s in brief.sources] == REPORTS
    assert brief.casualties and all(c.citations for c in brief.casualties)

    progress = process.stderr.splitlines()
    assert progress[0] == f"Read 5 reports from {SAMPLES}"
    assert progress[1] == f"Model scripted at {scripted_llm.base_url}"
    report_lines = [line for line in progress if line.strip().split(" ")[0] in REPORTS]
    assert sorted(line.split()[0] for line in report_lines) == REPORTS
    assert all(re.search(r"\d+ claims?, \d+ casualty figures?.* \d+\.\d s$", line) for line in report_lines)
    assert re.fullmatch(r"Consolidating \d+ claims", progress[-2])
    assert re.fullmatch(r"Done in \d+\.\d s · \d+ calls · [\d,]+ tokens \(.*\)", progress[-1])
    assert API_KEY not in process.stdout + process.stderr
    assert scripted_llm.auth_headers[0] == f"Bearer {API_KEY}"
    scripted_llm.assert_clean()


def test_terminal_is_the_default_format(scripted_llm, reader, store):
    result = run(SAMPLES, *endpoint(scripted_llm, store))
    assert result.exit_code == 0, result.output
    assert PERFECT.title in result.stdout
    assert "Casualties" in result.stdout and "Sources" in result.stdout
    assert "Done in" in result.stderr and "Done in" not in result.stdout


def test_output_file_ending_in_md_gets_markdown(scripted_llm, reader, store, tmp_path):
    out = tmp_path / "brief.md"
    result = run(SAMPLES, "-o", out, *endpoint(scripted_llm, store))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith(f"# {PERFECT.title}")
    assert result.stderr.splitlines()[-1] == f"Wrote {out}"


def test_output_file_ending_in_html_gets_a_page_and_format_wins_over_the_suffix(scripted_llm, reader, store, tmp_path):
    page, forced = tmp_path / "brief.html", tmp_path / "brief.txt"
    assert run(SAMPLES, "-o", page, *endpoint(scripted_llm, store)).exit_code == 0
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    assert run(SAMPLES, "-o", forced, "--format", "json", *endpoint(scripted_llm, store)).exit_code == 0
    IncidentBrief.model_validate_json(forced.read_text(encoding="utf-8"))


def test_output_suffix_that_names_no_format_is_a_usage_error(tmp_path):
    result = run(SAMPLES, "-o", tmp_path / "brief.pdf")
    assert result.exit_code == 2
    assert "cannot tell the format from 'brief.pdf'" in result.stderr


def test_quiet_leaves_stderr_empty(scripted_llm, reader, store):
    result = run(SAMPLES, "--format", "md", "-q", *endpoint(scripted_llm, store))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith(f"# {PERFECT.title}")


def test_rerun_of_an_unchanged_folder_is_answered_from_the_run_store(scripted_llm, reader, store):
    first = run(SAMPLES, "--format", "json", *endpoint(scripted_llm, store))
    asked = len(scripted_llm.chat_requests)
    again = run(SAMPLES, "--format", "json", *endpoint(scripted_llm, store))
    assert first.exit_code == again.exit_code == 0
    assert len(scripted_llm.chat_requests) == asked  # the model was not asked again
    before, after = (IncidentBrief.model_validate_json(r.stdout) for r in (first, again))
    assert after.model_dump(exclude={"diagnostics"}) == before.model_dump(exclude={"diagnostics"})
    rerun, original = RunStore(store).runs()
    assert (rerun["model_calls"], rerun["cached_calls"]) == (0, original["model_calls"])


def test_folder_named_like_a_command_is_given_as_a_path(scripted_llm, reader, store, tmp_path, monkeypatch):
    folder = tmp_path / "eval"
    folder.mkdir()
    for report in REPORTS[:2]:
        (folder / report).write_bytes((SAMPLES / report).read_bytes())
    monkeypatch.chdir(tmp_path)
    result = run("./eval", "--format", "json", *endpoint(scripted_llm, store))
    assert result.exit_code == 0, result.output
    assert [s.path for s in IncidentBrief.model_validate_json(result.stdout).sources] == REPORTS[:2]


# --------------------------------------------------------------------------- errors and exit codes


def test_missing_folder_exits_2_with_one_line_naming_the_path(store, tmp_path):
    missing = tmp_path / "no-such-reports"
    result = run(missing, "--store", store)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("summarize: error: ") and str(missing) in line


def test_endpoint_refusing_connections_exits_3_with_one_line_naming_the_endpoint(store):
    base_url = f"http://127.0.0.1:{closed_port()}/v1"
    result = run(SAMPLES, "--base-url", base_url, "--model", "scripted", "--store", store, "--concurrency", "1", "-q")
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"summarize: error: {base_url}: cannot connect")
    assert RunStore(store).runs()[0]["status"] == "failed"


def test_endpoint_without_a_model_name_exits_3(store):
    result = run(SAMPLES, "--base-url", "http://127.0.0.1:9/v1", "--store", store, "-q")
    assert result.exit_code == 3
    assert result.stderr == "summarize: error: http://127.0.0.1:9/v1: no model name; pass --model (or set SUMMARIZER_MODEL)\n"


def test_model_file_that_is_not_gguf_exits_4(store):
    not_a_model = Path(__file__).parent / "fixtures" / "local_model" / "not-a-model.gguf"
    result = run(SAMPLES, "--model-path", not_a_model, "--store", store, "-q")
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert line.startswith("summarize: error: ") and "not a GGUF model file" in line


def test_unexpected_exception_is_an_internal_error_with_exit_70(monkeypatch, store):
    def broken(*args, **kwargs):
        raise RuntimeError("stage exploded")

    monkeypatch.setattr("summarizer.cli.summarize", broken)
    result = run(SAMPLES, "--store", store)
    assert result.exit_code == 70
    assert result.stderr.splitlines() == [
        "summarize: internal error: RuntimeError: stage exploded; re-run with -v for the traceback"
    ]
    verbose = run(SAMPLES, "--store", store, "-v")
    assert verbose.exit_code == 70
    assert verbose.stderr.startswith("Traceback (most recent call last):")
    assert verbose.stderr.splitlines()[-1] == "summarize: internal error: RuntimeError: stage exploded"


def test_interrupt_exits_130_and_a_rerun_resumes_from_the_finished_reports(scripted_llm, store):
    careful = CarefulReader()
    third_report = next(s for s in PERFECT.sources if s.path == REPORTS[2])
    waiting = threading.Event()

    def slow_on_the_third_report(body):
        if tool_name(body) == "ClaimsResponse" and careful.report_in(message_text(body)) == third_report:
            waiting.set()
            return Delay(60, careful(body))
        return careful(body)

    scripted_llm.set_responder(slow_on_the_third_report)
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer", str(SAMPLES), "--concurrency", "1", "--format", "json",
         *endpoint(scripted_llm, store)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert waiting.wait(60), "the third report was never asked for"
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert stdout == ""
    assert [line.split()[0] for line in stderr.splitlines()[2:4]] == REPORTS[:2]
    last = stderr.splitlines()[-1]
    assert last.startswith("summarize: interrupted: the reports finished so far are kept in the run store")
    assert "re-run the same command to resume" in last
    (interrupted,) = RunStore(store).runs()
    assert interrupted["status"] == "failed" and interrupted["error"].startswith("KeyboardInterrupt")

    scripted_llm.set_responder(careful)
    resumed = run(SAMPLES, "--concurrency", "1", "--format", "json", *endpoint(scripted_llm, store))
    assert resumed.exit_code == 0
    latest = RunStore(store).runs()[0]
    assert latest["status"] == "done"
    assert latest["cached_calls"] == interrupted["model_calls"]  # the two finished reports cost nothing


# --------------------------------------------------------------------------- summarize logs


def table_rows(printed: str) -> list[list[str]]:
    """The body rows of a rich table, as stripped cell texts."""
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in printed.splitlines() if line.startswith("│")]


def test_logs_lists_the_run_just_made(scripted_llm, reader, store):
    assert run(SAMPLES, "--format", "json", *endpoint(scripted_llm, store)).exit_code == 0
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["logs", "--store", str(store)])
    assert result.exit_code == 0, result.output
    (row,) = table_rows(result.stdout)
    assert row[0] == "1" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[1])
    assert row[2:] == [
        "done", str(SAMPLES), f"scripted@{scripted_llm.base_url}", str(len(scripted_llm.chat_requests)), "0",
    ]


def test_logs_calls_lists_one_runs_model_calls(scripted_llm, reader, store):
    assert run(SAMPLES, "--format", "json", *endpoint(scripted_llm, store)).exit_code == 0
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["logs", "--calls", "1", "--store", str(store)])
    assert result.exit_code == 0, result.output
    purposes = Counter(row[0] for row in table_rows(result.stdout))
    assert purposes == {
        "ClaimsResponse": reader.calls["ClaimsResponse"],
        "SentenceCasualties": reader.calls["SentenceCasualties"],
        "ConsolidationResponse": 1,
    }


def test_logs_of_an_unknown_run_exits_2(scripted_llm, reader, store):
    assert run(SAMPLES, "--format", "json", "-q", *endpoint(scripted_llm, store)).exit_code == 0
    result = run("logs", "--calls", "99", "--store", store)
    assert result.exit_code == 2
    assert result.stderr == f"summarize: error: no run 99 in {store}; 'summarize logs' lists the runs\n"


def test_logs_without_a_store_says_there_are_no_runs(tmp_path):
    result = run("logs", "--store", tmp_path / "never-written.db")
    assert result.exit_code == 0
    assert "No runs recorded yet" in result.stdout
    assert not (tmp_path / "never-written.db").exists()


# --------------------------------------------------------------------------- summarize eval


def test_eval_scores_pipeline_and_baseline_side_by_side_and_writes_the_result(scripted_llm, reader, store, tmp_path):
    out = tmp_path / "results" / "latest.json"
    result = CliRunner(env={"COLUMNS": "120"}).invoke(cli, [
        "eval", str(SAMPLES), "--gold", str(GOLD), "--thresholds", str(THRESHOLDS),
        "--previous", str(tmp_path / "absent.json"), "--out", str(out), *endpoint(scripted_llm, store),
    ])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "metric" in line)
    assert [c.strip() for c in header.strip("┃").split("┃")] == ["metric", "pipeline", "baseline"]
    assert "Baseline done in" in result.stderr
    assert reader.calls["BaselineResponse"] == 1

    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["passed"] is True and saved["failures"] == []
    IncidentBrief.model_validate(saved["briefs"]["pipeline"])
    IncidentBrief.model_validate(saved["briefs"]["baseline"])
    assert 0 < saved["scores"]["baseline"]["fact_recall"] < saved["scores"]["pipeline"]["fact_recall"]
    assert [r["source"] for r in RunStore(store).runs()] == [f"{SAMPLES} (one-shot baseline)", str(SAMPLES)]

    again = CliRunner(env={"COLUMNS": "120"}).invoke(cli, [
        "eval", str(SAMPLES), "--gold", str(GOLD), "--thresholds", str(THRESHOLDS), "--no-baseline",
        "--previous", str(out), "--out", str(tmp_path / "next.json"), *endpoint(scripted_llm, store),
    ])
    assert again.exit_code == 0, again.output
    header = next(line for line in again.stdout.splitlines() if "metric" in line)
    assert [c.strip() for c in header.strip("┃").split("┃")] == ["metric", "pipeline", "previous"]


def test_eval_exits_1_with_one_line_per_failed_threshold(scripted_llm, reader, store, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\nfact_recall = 0.99\n\n[max]\nunsupported_figures = 0\ncalls = 5\n", encoding="utf-8")
    result = run("eval", SAMPLES, "--gold", GOLD, "--thresholds", strict, "--no-baseline",
                 "--previous", tmp_path / "absent.json", "--out", tmp_path / "latest.json",
                 *endpoint(scripted_llm, store), "-q")
    assert result.exit_code == 1
    failed = result.stderr.splitlines()
    assert len(failed) == 2
    assert re.fullmatch(r"summarize: threshold failed: fact_recall 0\.\d\d is below the minimum 0\.99", failed[0])
    assert re.fullmatch(r"summarize: threshold failed: calls \d+ is above the maximum 5", failed[1])
    assert json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))["failures"] == [
        line.removeprefix("summarize: threshold failed: ") for line in failed
    ]


def test_eval_with_gold_labels_of_another_folder_exits_2_before_any_model_call(scripted_llm, reader, store, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "report.txt").write_text("Two soldiers were killed in Gao on Monday, the army said.\n", encoding="utf-8")
    result = run("eval", other, "--gold", GOLD, "--thresholds", THRESHOLDS, "--out", tmp_path / "o.json",
                 *endpoint(scripted_llm, store))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"summarize: error: {GOLD} labels the reports of samples/tinzaouatene, and {other} holds none of them: "
        "pass --gold for this folder"
    ]
    assert scripted_llm.chat_requests == []


def test_run_eval_can_be_called_directly(scripted_llm, reader, store):
    result = run_eval(SAMPLES, gold=GOLD, thresholds=THRESHOLDS, previous=None, store=store,
                      base_url=scripted_llm.base_url, model="scripted")
    assert result.passed
    assert result.pipeline.citation_validity == 1.0
    assert result.baseline is not None and result.baseline.calls == 1
    assert [c.header for c in result.table().columns] == ["metric", "pipeline", "baseline"]


# --------------------------------------------------------------------------- help and version


def test_version_prints_the_installed_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"summarize, version {version('summarizer')}\n"


def test_help_shows_the_folder_usage_the_commands_and_examples():
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: summarize [OPTIONS] FOLDER\n       summarize eval [OPTIONS] [FOLDER]\n")
    for text in ("--format [terminal|md|json|html]", "OPENAI_API_KEY", "eval ", "logs ",
                 "summarize reports/ --format html -o brief.html",
                 "OPENAI_BASE_URL=http://localhost:11434/v1 summarize reports/ --model qwen2.5:7b"):
        assert text in result.stdout
    assert run(SAMPLES, "--help").stdout == result.stdout
