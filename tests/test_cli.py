"""The ``summarize`` command line, run against the scripted OpenAI server on loopback.

The scripted model is ``SampleResponder`` (tests/sample_responder.py), which answers every
pipeline call about samples/tinzaouatene from tests/fixtures/scripted/tinzaouatene.json. For
``summarize eval`` it also answers the one-shot baseline's call, with what the hand-written
perfect brief (tests/fixtures/briefs/tinzaouatene_perfect.json) says, cited by report.sentence.
"""

from __future__ import annotations

import json
import shutil
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

from sample_responder import SampleResponder
from scripted_server import Delay, Fault, ScriptedServer, ToolCall, message_text, tool_name
from summarizer.cli import cli
from summarizer.eval.runner import run_eval
from summarizer.schema import IncidentBrief
from summarizer.settings import Settings
from summarizer.store import RunStore

REPO = Path(__file__).parent.parent
SAMPLES = REPO / "samples" / "tinzaouatene"
GOLD = REPO / "evals" / "gold" / "tinzaouatene.yaml"
THRESHOLDS = Path(__file__).parent / "fixtures" / "eval" / "scripted_thresholds.toml"
PERFECT = IncidentBrief.model_validate_json(
    (Path(__file__).parent / "fixtures" / "briefs" / "tinzaouatene_perfect.json").read_text(encoding="utf-8")
)
REPORTS = sorted(p.name for p in SAMPLES.iterdir())
API_KEY = "sk-test-0123456789abcdef"


# --------------------------------------------------------------------------- the scripted model


class Responder(SampleResponder):
    """SampleResponder, plus the one-shot baseline's answer."""

    def __call__(self, body: dict):
        if tool_name(body) == "BaselineResponse":
            self.asked.append("BaselineResponse")
            return ToolCall(one_shot_answer(message_text(body)))
        return super().__call__(body)


def one_shot_answer(prompt: str, brief: IncidentBrief = PERFECT) -> dict:
    """The perfect brief's summary, casualties and disputes, citing "report.sentence" labels."""
    report = {}
    for source in brief.sources:
        if m := re.search(r"^\[(\d+)\.1\] " + re.escape(source.sentences[0].text) + "$", prompt, re.M):
            report[source.id] = int(m[1])

    def labels(item, limit: int) -> list[str]:
        cited = sorted((c.source_id, n) for c in item.citations for n in c.sentences)
        return [f"{report[s]}.{n}" for s, n in cited if s in report][:limit]

    return {
        "title": brief.title,
        "summary": [{"text": s.text, "cites": labels(s, 6)} for s in brief.summary[:5]],
        "casualties": [
            {"party": c.party, "metric": c.metric, "figure": c.figure, "by": c.claimant, "cites": labels(c, 4)}
            for c in brief.casualties[:12]
        ],
        "disputes": [
            {"question": d.question,
             "sides": [{"by": p.claimant, "text": p.statement, "cites": labels(p, 4)} for p in d.positions[:4]]}
            for d in brief.disputes[:6]
        ],
    }


@pytest.fixture
def reader(scripted_llm: ScriptedServer) -> Responder:
    responder = Responder()
    scripted_llm.set_responder(responder)
    return responder


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
    assert brief.title == reader.script["consolidation"]["title"]
    assert [s.path for s in brief.sources] == REPORTS
    assert brief.casualties and all(c.citations for c in brief.casualties)

    progress = process.stderr.splitlines()
    assert progress[:3] == [
        f"Read 5 reports from {SAMPLES}", f"Model scripted at {scripted_llm.base_url}", "Claims, one model call per report:",
    ]
    claims_read, figures_read = progress[3:8], progress[9:14]
    assert sorted(line.split()[0] for line in claims_read) == REPORTS
    assert all(re.fullmatch(r"  \S+  \d+ claims?  \d+\.\d s", line) for line in claims_read)
    assert progress[8] == "Casualty figures, one model call per sentence that gives one:"
    assert sorted(line.split()[0] for line in figures_read) == REPORTS
    assert all(re.fullmatch(r"  \S+  \d+ claims?, \d+ casualty figures?(, \d+ dropped)?  \d+\.\d s", line)
               for line in figures_read)
    assert re.fullmatch(r"Consolidating \d+ claims", progress[14])
    assert re.fullmatch(r"Done in \d+\.\d s · \d+ calls · [\d,]+ tokens \([\d,]+ prompt \+ [\d,]+ completion\)", progress[15])
    assert len(progress) == 16
    assert API_KEY not in process.stdout + process.stderr
    assert scripted_llm.auth_headers[0] == f"Bearer {API_KEY}"
    scripted_llm.assert_clean()


def test_terminal_is_the_default_format(scripted_llm, reader, store):
    result = run(SAMPLES, *endpoint(scripted_llm, store))
    assert result.exit_code == 0, result.output
    assert reader.script["consolidation"]["title"] in result.stdout
    assert "Casualties" in result.stdout and "Sources" in result.stdout
    assert "Done in" in result.stderr and "Done in" not in result.stdout


def test_output_file_ending_in_md_gets_markdown(scripted_llm, reader, store, tmp_path):
    out = tmp_path / "brief.md"
    result = run(SAMPLES, "-o", out, *endpoint(scripted_llm, store))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith(f"# {reader.script['consolidation']['title']}")
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
    assert result.stdout.startswith(f"# {reader.script['consolidation']['title']}")


def test_rerun_of_an_unchanged_folder_is_answered_from_the_run_store(scripted_llm, reader, store):
    first = run(SAMPLES, "--format", "json", *endpoint(scripted_llm, store))
    asked = len(scripted_llm.chat_requests)
    again = run(SAMPLES, "--format", "json", *endpoint(scripted_llm, store))
    assert first.exit_code == again.exit_code == 0
    assert len(scripted_llm.chat_requests) == asked  # the model was not asked again
    before, after = (IncidentBrief.model_validate_json(r.stdout) for r in (first, again))
    assert after.model_dump(exclude={"diagnostics"}) == before.model_dump(exclude={"diagnostics"})
    rerun, original = RunStore(store).runs()
    assert (rerun["model_calls"], rerun["cached_calls"]) == (0, 0)  # the stored brief, not replayed calls
    assert (after.diagnostics.unchanged_since, before.diagnostics.unchanged_since) == (original["id"], None)
    assert f"Nothing changed since run {original['id']}" in again.stderr
    assert "0 calls" in again.stderr.splitlines()[-1]


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

    monkeypatch.setattr("summarizer.cli.brief.summarize", broken)
    result = run(SAMPLES, "--store", store)
    assert result.exit_code == 70
    assert result.stderr.splitlines() == [
        "summarize: internal error: RuntimeError: stage exploded; re-run with -v for the traceback"
    ]
    verbose = run(SAMPLES, "--store", store, "-v")
    assert verbose.exit_code == 70
    assert verbose.stderr.startswith("Traceback (most recent call last):")
    assert verbose.stderr.splitlines()[-1] == "summarize: internal error: RuntimeError: stage exploded"


def test_interrupt_exits_130_and_a_rerun_resumes_from_the_answers_received(scripted_llm, store):
    responder = Responder()
    third_report = responder.script["articles"][REPORTS[2]]
    waiting = threading.Event()

    def slow_on_the_third_report(body):
        if tool_name(body) == "ClaimsResponse" and responder.article(message_text(body)) is third_report:
            waiting.set()
            return Delay(60, responder(body))
        return responder(body)

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
    progress = stderr.splitlines()
    assert progress[2] == "Claims, one model call per report:"
    assert [line.split()[0] for line in progress[3:5]] == REPORTS[:2]
    assert progress[-1].startswith(
        "summarize: interrupted: the reports' model answers received so far are kept in the run store"
    )
    assert progress[-1].endswith("; re-run the same command to resume")
    (interrupted,) = RunStore(store).runs()
    assert interrupted["status"] == "failed" and interrupted["error"].startswith("KeyboardInterrupt")

    scripted_llm.set_responder(responder)
    resumed = run(SAMPLES, "--concurrency", "1", "--format", "json", *endpoint(scripted_llm, store))
    assert resumed.exit_code == 0
    latest = RunStore(store).runs()[0]
    assert latest["status"] == "done"
    assert latest["cached_calls"] == interrupted["model_calls"] > 0  # what was answered costs nothing again


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
    rows = table_rows(result.stdout)
    assert Counter(row[2] for row in rows) == Counter(reader.asked)  # id, run, purpose, ...
    assert {row[1] for row in rows} == {"1"}


def test_logs_as_json_lines_filter_search_show_one_call_and_print_their_path(scripted_llm, reader, store):
    """What users of `llm logs` expect: --json, -n, -m, -s, -q, one call in full, `logs path`."""
    assert run(SAMPLES, "--format", "json", "-q", *endpoint(scripted_llm, store)).exit_code == 0
    assert run(SAMPLES, "--format", "json", "-q", "--no-cache", *endpoint(scripted_llm, store)).exit_code == 0

    runs = [json.loads(line) for line in run("logs", "--json", "--store", store).stdout.splitlines()]
    assert [r["id"] for r in runs] == [1, 2] and runs[0]["source"] == str(SAMPLES)
    assert [json.loads(x)["id"] for x in run("logs", "--json", "-n", "1", "--store", store).stdout.splitlines()] == [2]
    assert run("logs", "--json", "-m", "no-such-model", "--store", store).stdout == ""
    assert run("logs", "--json", "-s", "no-such-folder", "--store", store).stdout == ""

    calls = [json.loads(line) for line in run("logs", "--calls", "1", "--json", "--store", store).stdout.splitlines()]
    assert len(calls) == len(reader.asked) // 2 and all(c["run_id"] == 1 for c in calls)
    assert all(c["request"]["messages"] and c["response"]["choices"] for c in calls)  # the JSON lines export

    found = [json.loads(x) for x in run("logs", "-q", "Tinzaouatene", "--json", "-n", "500", "--store", store).stdout.splitlines()]
    assert found and all("Tinzaouatene" in json.dumps(c["request"], ensure_ascii=False) for c in found)
    assert len(found) < 2 * len(calls)  # only the calls whose prompt holds the text

    shown = run("logs", "--call", str(calls[0]["id"]), "--store", store)
    assert shown.exit_code == 0
    assert f"Call {calls[0]['id']} of run 1: {calls[0]['purpose']}" in shown.stdout
    assert "## system" in shown.stdout and "## user" in shown.stdout and "## answer" in shown.stdout
    assert run("logs", "--call", "99999", "--store", store).exit_code == 2

    assert run("logs", "--store", store, "path").stdout == f"{store}\n"


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
    assert reader.asked.count("BaselineResponse") == 1

    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["passed"] is True and saved["failures"] == []
    IncidentBrief.model_validate(saved["briefs"]["pipeline"])
    IncidentBrief.model_validate(saved["briefs"]["baseline"])
    assert all(0 <= saved["scores"][run]["fact_recall"] <= 1 for run in ("pipeline", "baseline"))
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
    strict.write_text("[tinzaouatene.min]\nfact_recall = 0.99\n\n[tinzaouatene.max]\nunsupported_figures = 0\ncalls = 5\n",
                      encoding="utf-8")
    result = run("eval", SAMPLES, "--gold", GOLD, "--thresholds", strict, "--no-baseline",
                 "--previous", tmp_path / "absent.json", "--out", tmp_path / "latest.json",
                 *endpoint(scripted_llm, store), "-q")
    assert result.exit_code == 1
    failed = result.stderr.splitlines()
    assert len(failed) == 2
    assert re.fullmatch(r"summarize: threshold failed: tinzaouatene: fact_recall 0\.\d\d is below the minimum 0\.99",
                        failed[0])
    assert re.fullmatch(r"summarize: threshold failed: tinzaouatene: calls \d+ is above the maximum 5", failed[1])
    assert json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))["failures"] == [
        line.removeprefix("summarize: threshold failed: tinzaouatene: ") for line in failed
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
    result = run_eval(SAMPLES, gold=GOLD, thresholds=THRESHOLDS, previous=None,
                      settings=Settings(store=store, base_url=scripted_llm.base_url, model="scripted"))
    assert result.passed
    assert result.pipeline.citation_validity == 1.0
    assert result.baseline is not None and result.baseline.calls == 1
    assert [c.header for c in result.table().columns] == ["metric", "pipeline", "baseline"]


# --------------------------------------------------------------------------- help and version


def test_version_prints_the_installed_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"summarize, version {version('incident-brief')}\n"


def test_help_shows_the_folder_usage_the_commands_and_examples():
    result = run("--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: summarize [OPTIONS] FOLDER\n       summarize eval [OPTIONS] [FOLDER]\n")
    for text in ("--format [terminal|md|json|html]", "OPENAI_API_KEY", "eval ", "logs ",
                 "summarize reports/ --format html -o brief.html",
                 "OPENAI_BASE_URL=http://localhost:11434/v1 summarize reports/ --model qwen2.5:7b"):
        assert text in result.stdout
    assert run(SAMPLES, "--help").stdout == result.stdout


def test_eval_of_every_folder_records_a_folder_the_pipeline_fails_on_and_scores_the_others(
    scripted_llm, reader, store, tmp_path,
):
    from summarizer.eval.runner import run_all, summary_json, summary_table

    broken = tmp_path / "broken"
    broken.mkdir()
    text = (SAMPLES / REPORTS[0]).read_text(encoding="utf-8")
    (broken / REPORTS[0]).write_text(text + "\nA sentence the model cannot take.\n", encoding="utf-8")
    broken_gold = tmp_path / "broken.yaml"
    broken_gold.write_text(
        f"folder: {broken}\nsources: [{{file: {REPORTS[0]}}}]\nclaimants: {{reporter: {{name: reporter}}}}\n"
        f"facts: [{{id: f, statement: s, match: [[tuareg]], sources: [{REPORTS[0]}]}}]\ncasualties: []\ndisputes: []\n",
        encoding="utf-8",
    )

    def context_overflow(body: dict):
        if "A sentence the model cannot take." in message_text(body):
            return Fault(400, body='{"error": {"message": "This model\'s maximum context length is 8192 tokens", '
                                   '"type": "invalid_request_error", "code": null}}')
        return reader(body)

    scripted_llm.set_responder(context_overflow)
    results = run_all([GOLD, broken_gold], thresholds=THRESHOLDS, write=False, baseline=True,
                      settings=Settings(store=store, base_url=scripted_llm.base_url, model="scripted"))

    samples, failed = results
    assert samples.error is None and samples.passed and samples.baseline is not None
    assert failed.pipeline_brief is None
    assert "maximum context length" in failed.error
    assert failed.failures == [f"the pipeline failed: {failed.error}"]
    assert failed.pipeline.facts == (0, 1) and failed.pipeline.fact_recall == 0.0  # its gold counts as missed
    assert [c.header for c in summary_table(results).columns] == [
        "metric", "tinzaouatene\npipeline", "tinzaouatene\nbaseline", "broken\npipeline (failed)",
        "all\npipeline", "all\nbaseline",
    ]
    found, facts = samples.pipeline.facts
    assert json.loads(summary_json(results))["all"]["pipeline"]["fact_recall"] == found / (facts + 1)


def test_eval_all_scores_every_gold_file_prints_the_pooled_table_and_writes_each_result(
    scripted_llm, reader, store, tmp_path, monkeypatch,
):
    gold_dir = tmp_path / "evals" / "gold"
    gold_dir.mkdir(parents=True)
    gold_text = GOLD.read_text(encoding="utf-8").replace("folder: samples/tinzaouatene", f"folder: {SAMPLES}")
    (gold_dir / "tinzaouatene.yaml").write_text(gold_text, encoding="utf-8")
    shutil.copy(THRESHOLDS, tmp_path / "evals" / "thresholds.toml")
    monkeypatch.chdir(tmp_path)

    result = CliRunner(env={"COLUMNS": "160"}).invoke(cli, ["eval", "--all", *endpoint(scripted_llm, store)])

    assert result.exit_code == 0, result.output
    assert "tinzaouatene" in result.stdout and "all" in result.stdout
    assert "pipeline" in result.stdout and "baseline" in result.stdout
    written = json.loads((tmp_path / "evals" / "results" / "tinzaouatene.json").read_text(encoding="utf-8"))
    assert written["passed"] and written["scores"]["baseline"] is not None
    summary = json.loads((tmp_path / "evals" / "results" / "all.json").read_text(encoding="utf-8"))
    assert list(summary["folders"]) == ["tinzaouatene"]
    assert summary["all"]["pipeline"]["fact_recall"] == written["scores"]["pipeline"]["fact_recall"]
    assert "per report language" in result.stdout and list(summary["by_language"]) == ["en"]
    assert summary["by_language"]["en"]["counts"] == written["scores"]["pipeline"]["by_language"]["en"]


def test_eval_all_with_a_folder_is_a_usage_error(scripted_llm, reader, store):
    result = run("eval", SAMPLES, "--all", *endpoint(scripted_llm, store))
    assert result.exit_code == 2
    assert "--all runs every gold file of evals/gold/" in result.stderr
    assert scripted_llm.chat_requests == []


def test_the_version_is_the_installed_distributions_and_the_package_is_typed():
    import importlib.metadata
    from pathlib import Path
    import summarizer
    assert summarizer.__version__ == importlib.metadata.version("incident-brief")
    assert (Path(summarizer.__file__).parent / "py.typed").is_file()


def test_every_install_hint_names_the_projects_own_distribution_not_the_unrelated_summarizer_on_pypi():
    """"summarizer" on PyPI is someone else's 2015 project: a hint to install it would install that."""
    import re
    from pathlib import Path
    import tomllib

    root = Path(__file__).parent.parent
    name = tomllib.loads((root / "pyproject.toml").read_text())["project"]["name"]
    assert name == "incident-brief"
    texts = [p.read_text() for p in [root / "README.md", *(root / "summarizer").rglob("*.py")]]
    hints = [h for t in texts for h in re.findall(r"pip install (?:-e )?'?([\w.-]+)\[", t)]
    assert hints and set(hints) <= {name, "."}


def test_structured_output_is_an_option_and_a_setting_and_a_wrong_one_is_a_usage_error(scripted_llm, reader, store,
                                                                                          monkeypatch):
    result = run(SAMPLES, "--format", "json", "--structured-output", "json_schema", *endpoint(scripted_llm, store))
    assert result.exit_code == 0, result.stderr
    assert scripted_llm.chat_requests and all("tools" not in r for r in scripted_llm.chat_requests)

    monkeypatch.setenv("SUMMARIZER_STRUCTURED_OUTPUT", "xml")
    refused = run(SAMPLES, *endpoint(scripted_llm, store))
    assert refused.exit_code == 2 and "'xml' is not one of 'auto', 'tools', 'json_schema', 'json'" in refused.stderr


def test_a_spent_token_budget_exits_5_with_one_line_saying_how_to_go_on(scripted_llm, reader, store):
    result = run(SAMPLES, "--max-tokens-total", "2000", "-q", *endpoint(scripted_llm, store))
    assert result.exit_code == 5
    (line,) = result.stderr.splitlines()
    assert line.startswith("summarize: error: the token budget of 2,000 is spent") and "--max-tokens-total" in line
