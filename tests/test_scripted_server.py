"""The scripted LLM server speaks enough OpenAI for the real ``openai`` client and ``instructor``."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import instructor
import openai
import pytest
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from scripted_server import (
    Delay, Disconnect, Fault, NotJson, ScriptedServer, Text, ToolCall, Truncated, message_text,
)


class Answer(BaseModel):
    city: str
    population: int


_clients: list[openai.OpenAI] = []


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while _clients:
        _clients.pop().close()


def raw_client(server: ScriptedServer, **kwargs) -> openai.OpenAI:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 5.0)
    client = openai.OpenAI(base_url=server.base_url, api_key="test-key", **kwargs)
    _clients.append(client)
    return client


def structured_client(server: ScriptedServer, **kwargs) -> instructor.Instructor:
    return instructor.from_openai(raw_client(server, **kwargs), mode=instructor.Mode.TOOLS)


def api_error(exc_info: pytest.ExceptionInfo) -> BaseException:
    """instructor wraps the openai error in InstructorRetryException; unwrap it."""
    exc = exc_info.value
    return exc.__cause__ if isinstance(exc, InstructorRetryException) else exc


def ask(client: instructor.Instructor, text: str = "Which city?", **kwargs) -> Answer:
    return client.chat.completions.create(
        model="scripted", response_model=Answer, max_retries=0,
        messages=[{"role": "user", "content": text}], **kwargs,
    )


# --------------------------------------------------------------------------- happy path


def test_instructor_tools_mode_parses_scripted_tool_call(scripted_llm):
    scripted_llm.enqueue(ToolCall({"city": "Kidal", "population": 25000}))
    answer, completion = structured_client(scripted_llm).chat.completions.create_with_completion(
        model="scripted", response_model=Answer, max_retries=0,
        messages=[{"role": "user", "content": "Which city?"}],
    )
    assert isinstance(answer, Answer)
    assert answer.model_dump() == {"city": "Kidal", "population": 25000}
    # the usage block is there and deterministic
    usage = completion.usage
    assert usage.prompt_tokens == len(json.dumps([{"role": "user", "content": "Which city?"}], sort_keys=True)) // 4
    assert usage.completion_tokens == len(json.dumps({"city": "Kidal", "population": 25000})) // 4
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert completion.choices[0].message.tool_calls[0].function.name == "Answer"
    scripted_llm.assert_clean()


def test_request_record_shows_tool_choice_and_auth(scripted_llm):
    scripted_llm.enqueue(ToolCall.from_model(Answer(city="Gao", population=87000)))
    assert ask(structured_client(scripted_llm)).city == "Gao"

    (request,) = scripted_llm.requests
    assert request["method"] == "POST" and request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Answer"}}
    assert body["tools"][0]["type"] == "function"
    assert body["tools"][0]["function"]["name"] == "Answer"
    assert set(body["tools"][0]["function"]["parameters"]["properties"]) == {"city", "population"}
    assert scripted_llm.auth_headers == ["Bearer test-key"]
    # the key never shows in the recorded headers
    assert "test-key" not in json.dumps(request["headers"])
    assert scripted_llm.chat_requests == [body]


def test_text_step_and_models_endpoint(scripted_llm):
    client = raw_client(scripted_llm)
    assert [m.id for m in client.models.list()] == ["scripted"]
    scripted_llm.enqueue(Text("hello"))
    completion = client.chat.completions.create(model="scripted", messages=[{"role": "user", "content": "hi"}])
    assert completion.choices[0].message.content == "hello"
    assert completion.choices[0].message.tool_calls is None


def test_invalid_json_arguments_are_sent_verbatim(scripted_llm):
    scripted_llm.enqueue(ToolCall('{"city": "Kidal", "population": '), ToolCall({"city": "Kidal"}))
    client = structured_client(scripted_llm)
    with pytest.raises(InstructorRetryException, match="json_invalid") as err:
        ask(client)
    assert isinstance(api_error(err), ValidationError)
    with pytest.raises(InstructorRetryException, match="population") as err:  # missing field
        ask(client)
    assert isinstance(api_error(err), ValidationError)
    assert scripted_llm.remaining == 0


def test_text_instead_of_tool_call_and_length_cutoff_are_instructor_errors(scripted_llm):
    scripted_llm.enqueue(Text("I cannot call tools"),
                         ToolCall({"city": "x", "population": 1}, finish_reason="length"))
    client = structured_client(scripted_llm)
    with pytest.raises(InstructorRetryException, match="No tool calls"):
        ask(client)
    with pytest.raises(IncompleteOutputException):
        ask(client)


def test_instructor_reasks_after_invalid_output(scripted_llm):
    scripted_llm.enqueue(ToolCall({"city": "Kidal"}), ToolCall({"city": "Kidal", "population": 1}))
    answer = structured_client(scripted_llm).chat.completions.create(
        model="scripted", response_model=Answer, max_retries=1,
        messages=[{"role": "user", "content": "Which city?"}],
    )
    assert answer.population == 1
    assert len(scripted_llm.chat_requests) == 2
    # the re-ask carries the validation error back to the model
    assert "population" in message_text(scripted_llm.chat_requests[1])


# --------------------------------------------------------------------------- faults


def test_rate_limit_then_success(scripted_llm):
    scripted_llm.enqueue(Fault(429, headers={"Retry-After": "1"}), ToolCall({"city": "Mopti", "population": 3}))
    client = structured_client(scripted_llm)
    with pytest.raises(openai.RateLimitError) as err:
        raw_client(scripted_llm).chat.completions.create(
            model="scripted", messages=[{"role": "user", "content": "x"}])
    assert err.value.status_code == 429
    assert err.value.response.headers["retry-after"] == "1"
    assert ask(client).city == "Mopti"


def test_openai_client_honours_retry_after(scripted_llm):
    scripted_llm.enqueue(Fault(429, headers={"Retry-After": "1"}), Text("ok"))
    client = raw_client(scripted_llm, max_retries=1)
    started = time.monotonic()
    completion = client.chat.completions.create(model="scripted", messages=[{"role": "user", "content": "x"}])
    assert completion.choices[0].message.content == "ok"
    assert time.monotonic() - started >= 0.9
    assert len(scripted_llm.chat_requests) == 2


@pytest.mark.parametrize(("status", "error"), [
    (500, openai.InternalServerError), (503, openai.InternalServerError), (400, openai.BadRequestError),
])
def test_http_faults_map_to_openai_errors(scripted_llm, status, error):
    scripted_llm.enqueue(Fault(status))
    with pytest.raises(error):
        raw_client(scripted_llm).chat.completions.create(
            model="scripted", messages=[{"role": "user", "content": "x"}])


def test_a_server_without_tools_or_json_schema_refuses_them_as_real_servers_do_and_answers_json_mode():
    custom = Fault(422, body='{"detail": [{"loc": ["body", "tools"], "msg": "Extra inputs are not permitted"}]}')
    with ScriptedServer([ToolCall({"city": "Gao", "population": 1})], tools=False, json_schema=False) as server, \
            ScriptedServer(tools=custom) as strict:
        with pytest.raises(InstructorRetryException) as no_tools:
            ask(structured_client(server))
        assert isinstance(api_error(no_tools), openai.BadRequestError)
        assert "registry.ollama.ai/library/scripted:latest does not support tools" in str(api_error(no_tools))
        schema_mode = instructor.from_openai(raw_client(server), mode=instructor.Mode.JSON_SCHEMA)
        with pytest.raises(InstructorRetryException) as refused:
            ask(schema_mode)
        assert "'response_format' of type 'json_schema' is not supported" in str(api_error(refused))
        json_mode = instructor.from_openai(raw_client(server), mode=instructor.Mode.JSON)
        assert ask(json_mode).model_dump() == {"city": "Gao", "population": 1}  # the script was kept for it
        assert len(server.refused) == 2 and server.remaining == 0
        with pytest.raises(InstructorRetryException) as extra:
            ask(structured_client(strict))
        assert isinstance(api_error(extra), openai.UnprocessableEntityError) and strict.refused


@pytest.mark.parametrize("step", [Disconnect(), Truncated()], ids=["disconnect", "truncated"])
def test_broken_transport_is_a_connection_error_not_a_hang(scripted_llm, step):
    scripted_llm.enqueue(step, step, ToolCall({"city": "Kidal", "population": 5}))
    messages = [{"role": "user", "content": "x"}]
    started = time.monotonic()
    with pytest.raises(openai.APIConnectionError):
        raw_client(scripted_llm, timeout=3.0).chat.completions.create(model="scripted", messages=messages)
    client = structured_client(scripted_llm, timeout=3.0)
    with pytest.raises(InstructorRetryException) as err:
        ask(client)
    assert isinstance(api_error(err), openai.APIConnectionError)
    assert time.monotonic() - started < 2.5
    # the server is still up for the next call
    assert ask(client).population == 5


def test_delay_past_client_timeout_is_a_timeout(scripted_llm):
    scripted_llm.enqueue(Delay(2.0, ToolCall({"city": "x", "population": 1})))
    with pytest.raises(InstructorRetryException) as err:
        ask(structured_client(scripted_llm, timeout=0.5))
    assert isinstance(api_error(err), openai.APITimeoutError)


def test_not_json_is_an_error(scripted_llm):
    scripted_llm.enqueue(NotJson(), NotJson(), NotJson())
    messages = [{"role": "user", "content": "x"}]
    # strict client: a response validation error
    strict = raw_client(scripted_llm, _strict_response_validation=True)
    with pytest.raises(openai.APIResponseValidationError):
        strict.chat.completions.create(model="scripted", messages=messages)
    # default client: hands back the text itself, which is not a completion
    result = raw_client(scripted_llm).chat.completions.create(model="scripted", messages=messages)
    assert isinstance(result, str) and "502 Bad Gateway" in result
    # instructor on top fails rather than returning a model
    with pytest.raises(InstructorRetryException, match="No choices"):
        ask(structured_client(scripted_llm))


def test_exhausted_script_fails_loudly(scripted_llm):
    with pytest.raises(InstructorRetryException) as err:
        ask(structured_client(scripted_llm))
    assert isinstance(api_error(err), openai.InternalServerError)
    assert "script ran out" in str(err.value)
    assert scripted_llm.problems
    with pytest.raises(AssertionError):
        scripted_llm.assert_clean()


# --------------------------------------------------------------------------- responder, concurrency


def test_responder_routes_concurrent_calls(scripted_llm):
    def responder(body):
        text = message_text(body)
        city = text.split("ARTICLE ")[1].split()[0]
        # the first article answers last: order of replies is not order of requests
        return Delay(0.3 if city == "a" else 0.0, ToolCall({"city": city, "population": len(city)}))

    scripted_llm.set_responder(responder)
    client = structured_client(scripted_llm)
    results: dict[str, Answer] = {}

    def work(name: str) -> None:
        results[name] = ask(client, f"Summarise ARTICLE {name} now")

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "bb", "ccc", "dddd")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert {k: v.city for k, v in results.items()} == {n: n for n in ("a", "bb", "ccc", "dddd")}
    assert len(scripted_llm.requests) == 4
    scripted_llm.assert_clean()


def test_queue_is_served_before_responder_and_responder_errors_are_reported():
    calls = []

    def responder(body):
        calls.append(body)
        if len(calls) > 1:
            raise RuntimeError("no route for this prompt")
        return Text("from responder")

    with ScriptedServer([Text("from queue")], responder=responder) as server:
        client = raw_client(server)
        messages = [{"role": "user", "content": "x"}]
        got = [client.chat.completions.create(model="scripted", messages=messages).choices[0].message.content
               for _ in range(2)]
        assert got == ["from queue", "from responder"]
        with pytest.raises(openai.InternalServerError, match="no route for this prompt"):
            client.chat.completions.create(model="scripted", messages=messages)
        assert server.problems and "RuntimeError" in server.problems[0]


def test_latency_is_added_and_calls_overlap():
    with ScriptedServer(lambda body: Text("ok"), latency=0.5) as server:
        client = raw_client(server)
        threads = [threading.Thread(target=client.chat.completions.create,
                                    kwargs={"model": "scripted", "messages": [{"role": "user", "content": "x"}]})
                   for _ in range(4)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 1.5  # four calls of 0.5 s each: 2 s if served one by one
    assert len(server.requests) == 4


def test_stop_does_not_wait_for_a_sleeping_handler():
    server = ScriptedServer([Delay(30, Text("late"))]).start()
    url = server.base_url + "/chat/completions"
    req = urllib.request.Request(url, data=b'{"messages": []}', headers={"Content-Type": "application/json"})
    threading.Thread(target=lambda: _swallow(urllib.request.urlopen, req, timeout=1), daemon=True).start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(RuntimeError):
        server.base_url  # noqa: B018


def _swallow(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception:  # noqa: BLE001
        pass


def test_cache_dir_is_isolated(tmp_path_factory):
    import os

    cache = os.environ["SUMMARIZER_CACHE_DIR"]
    assert cache.startswith(str(tmp_path_factory.getbasetemp()))
