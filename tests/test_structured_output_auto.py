"""--structured-output auto (an endpoint's default): tool calls first; when the server refuses them
(or then a JSON schema), the run moves on to the next way of asking, once, and the run store
remembers what the server took. Any other error still stops the run."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from sample_responder import SAMPLES, SampleResponder
from scripted_server import Fault, ScriptedServer

import summarizer.pipeline as pipeline
from summarizer import summarize
from summarizer.errors import EndpointError
from summarizer.llm.client import LLM
from summarizer.schema import IncidentBrief
from summarizer.store import RunStore

KEY = "sk-test-secret-key"


def run(server: ScriptedServer, store: Path, events: list | None = None, **options) -> IncidentBrief:
    progress = (lambda event, data: events.append((event, data))) if events is not None else None
    return summarize(SAMPLES, base_url=server.base_url, model="scripted", api_key=KEY, store=store,
                     progress=progress, **options)


def content(brief: IncidentBrief) -> dict:
    return brief.model_dump(exclude={"diagnostics"})


def switches(events: list) -> list[dict]:
    return [data for event, data in events if event == "structured-output"]


def kind(body: dict) -> str:
    if body.get("tools") or body.get("tool_choice"):
        return "tools"
    return (body.get("response_format") or {}).get("type", "none")


@pytest.fixture(scope="module")
def by_tools(tmp_path_factory) -> IncidentBrief:
    """The brief tool calls give, from a server that takes them."""
    with ScriptedServer(SampleResponder()) as server:
        return run(server, tmp_path_factory.mktemp("tools") / "runs.db", structured_output="tools")


@pytest.fixture
def server_without(request):
    """A started ScriptedServer without what ``request.param`` names ("tools" or "tools+json_schema")."""
    missing = request.param.split("+")
    with ScriptedServer(SampleResponder(), tools="tools" not in missing, json_schema="json_schema" not in missing) as server:
        yield server


def test_auto_against_a_server_with_tools_asks_by_tool_call_and_shares_the_tools_cache(by_tools, scripted_llm, tmp_path):
    scripted_llm.set_responder(SampleResponder())
    events: list = []

    brief = run(scripted_llm, tmp_path / "runs.db", events)  # auto: the default

    assert {kind(body) for body in scripted_llm.chat_requests} == {"tools"}
    assert switches(events) == [] and scripted_llm.refused == []
    assert content(brief) == content(by_tools)
    assert brief.diagnostics.model == f"scripted@{scripted_llm.base_url}"  # what an explicit tools run is keyed on
    asked = len(scripted_llm.chat_requests)
    again = run(scripted_llm, tmp_path / "runs.db", structured_output="tools")
    assert again.diagnostics.unchanged_since is not None and len(scripted_llm.chat_requests) == asked
    assert RunStore(tmp_path / "runs.db").structured_output(f"scripted@{scripted_llm.base_url}") is None


@pytest.mark.parametrize("server_without", ["tools"], indirect=True)
def test_auto_against_a_server_without_tools_switches_once_to_a_json_schema_and_gives_the_same_brief(
        by_tools, server_without, tmp_path):
    events: list = []

    brief = run(server_without, tmp_path / "runs.db", events, concurrency=1)

    kinds = [kind(body) for body in server_without.chat_requests]
    assert kinds[0] == "tools" and set(kinds[1:]) == {"json_schema"}  # after the switch no request carries tools
    assert server_without.refused == server_without.chat_requests[:1]
    (switch,) = switches(events)
    assert (switch["refused"], switch["mode"]) == ("tools", "json_schema")
    assert "HTTP 400: registry.ollama.ai/library/scripted:latest does not support tools" in switch["reason"]
    assert content(brief) == content(by_tools)
    assert brief.diagnostics.model == f"scripted@{server_without.base_url} (json_schema)"
    assert RunStore(tmp_path / "runs.db").structured_output(f"scripted@{server_without.base_url}") == "json_schema"
    server_without.assert_clean()


@pytest.mark.parametrize("server_without", ["tools"], indirect=True)
def test_the_next_run_asks_in_the_remembered_mode_without_probing_and_reuses_the_brief(by_tools, server_without, tmp_path):
    first = run(server_without, tmp_path / "runs.db")
    asked = len(server_without.chat_requests)

    replayed = run(server_without, tmp_path / "runs.db")  # same reports, model and code: the finished brief
    assert replayed.diagnostics.unchanged_since is not None and len(server_without.chat_requests) == asked

    events: list = []
    fresh = run(server_without, tmp_path / "runs.db", events, cache=False)
    sent = server_without.chat_requests[asked:]
    assert sent and {kind(body) for body in sent} == {"json_schema"} and switches(events) == []
    assert content(fresh) == content(first) == content(by_tools)


@pytest.mark.parametrize("server_without", ["tools"], indirect=True)
def test_concurrent_calls_refused_together_switch_the_run_once(by_tools, server_without, tmp_path):
    events: list = []

    brief = run(server_without, tmp_path / "runs.db", events, concurrency=8)

    assert len(switches(events)) == 1
    assert 1 <= len(server_without.refused) <= 8  # only calls already in flight went out with tools
    assert all(kind(body) == "tools" for body in server_without.refused)
    assert content(brief) == content(by_tools)
    server_without.assert_clean()


@pytest.mark.parametrize("server_without", ["tools+json_schema"], indirect=True)
def test_auto_against_a_server_with_neither_tools_nor_json_schema_ends_in_json_mode(by_tools, server_without, tmp_path):
    events: list = []

    brief = run(server_without, tmp_path / "runs.db", events, concurrency=1)

    kinds = [kind(body) for body in server_without.chat_requests]
    assert kinds[:2] == ["tools", "json_schema"] and set(kinds[2:]) == {"json_object"}
    assert [(s["refused"], s["mode"]) for s in switches(events)] == [("tools", "json_schema"), ("json_schema", "json")]
    assert "'response_format' of type 'json_schema' is not supported" in switches(events)[1]["reason"]
    assert content(brief) == content(by_tools)
    assert RunStore(tmp_path / "runs.db").structured_output(f"scripted@{server_without.base_url}") == "json"


@pytest.mark.parametrize("server_without", ["tools"], indirect=True)
def test_a_mode_set_explicitly_never_falls_back(server_without, tmp_path):
    with pytest.raises(EndpointError, match="does not support tools"):
        run(server_without, tmp_path / "runs.db", structured_output="tools")
    assert {kind(body) for body in server_without.chat_requests} == {"tools"}


OPENAI_401 = json.dumps({"error": {"message": "Incorrect API key provided: sk-test-***-key. Tool calls are not "
                                              "supported without a valid key.", "type": "invalid_request_error"}})
CONTEXT_400 = json.dumps({"error": {"message": "This model's maximum context length is 8192 tokens. However, your "
                                               "messages resulted in 9120 tokens (8900 in the messages, 220 in the "
                                               "functions). Please reduce the length of the messages or functions.",
                                    "type": "invalid_request_error"}})
LLAMA_CPP_500 = json.dumps({"error": {"code": 500, "message": "tools param requires --jinja flag", "type": "server_error"}})


@pytest.mark.parametrize("fault, said", [
    (Fault(401, body=OPENAI_401), "HTTP 401: Incorrect API key provided"),
    (Fault(403), "HTTP 403: scripted fault 403"),
    (Fault(400, body=CONTEXT_400), "HTTP 400: This model's maximum context length is 8192 tokens"),
    (Fault(500, body=LLAMA_CPP_500), "HTTP 500: tools param requires --jinja flag after 2 attempts"),
])
def test_an_error_that_is_not_a_refusal_of_tools_stops_an_auto_run_as_before(fault, said, scripted_llm, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "LLM", functools.partial(LLM, attempts=2, max_wait=0.01))
    scripted_llm.set_responder(lambda body: fault)
    events: list = []

    with pytest.raises(EndpointError, match=said.replace("(", r"\(").replace(")", r"\)")):
        run(scripted_llm, tmp_path / "runs.db", events)

    assert {kind(body) for body in scripted_llm.chat_requests} == {"tools"}  # never asked another way
    assert switches(events) == []
    assert RunStore(tmp_path / "runs.db").structured_output(f"scripted@{scripted_llm.base_url}") is None


@pytest.mark.parametrize("server_without", ["tools"], indirect=True)
def test_the_command_announces_the_switch_in_one_line(server_without, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from summarizer.cli import cli

    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL", "SUMMARIZER_STRUCTURED_OUTPUT"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, [str(SAMPLES), "--format", "json", "--base-url", server_without.base_url,
                                      "--model", "scripted", "--api-key", KEY, "--store", str(tmp_path / "runs.db")])

    assert result.exit_code == 0, result.output
    announced = [line for line in result.stderr.splitlines() if "refused" in line]
    assert announced == [
        f"The endpoint refused tool calls (HTTP 400: registry.ollama.ai/library/scripted:latest does not support "
        f"tools); asking for a JSON schema as response_format from now on"]
