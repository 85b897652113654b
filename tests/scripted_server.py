"""Where transport and fault tests replace the LLM: an OpenAI-compatible HTTP server on loopback.

It replays scripted responses, so every test call goes through the real ``openai`` client (and
``instructor`` on top of it) over real HTTP. Standard library only. (Tests of the pipeline's own
behaviour use the in-process model of tests/fake_model.py, which gives the same answers.)

Scripting: a FIFO queue of steps (``ScriptedServer(script=[...])`` / ``.enqueue(...)``) and/or a
``responder(request_body) -> Step`` callable for pipelines that call concurrently and in any order.
Queued steps are served first; once the queue is empty the responder answers; with neither, the
server answers 500 "script exhausted" (and records it in ``.problems``) so a test fails loudly.

A server without tool calling or without JSON-schema output: ``ScriptedServer(tools=False)`` answers
every request that carries tools as Ollama does for a model without them (``NO_TOOLS``: 400 "...
does not support tools"), ``json_schema=False`` every ``response_format`` of type json_schema as
OpenAI does for a model without structured outputs (``NO_JSON_SCHEMA``); a ``Fault`` instead of
False is served as that refusal. Refused requests are recorded (``.refused``), not scripted.

    with ScriptedServer([ToolCall({"answer": 42})]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="test-key")
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable, Union

__all__ = [
    "ToolCall", "Text", "Fault", "Delay", "Truncated", "NotJson", "Disconnect", "Step",
    "ScriptedServer", "message_text", "tool_name", "NO_TOOLS", "NO_JSON_SCHEMA",
]

MODEL_ID = "scripted"

# Importable as ``scripted_server`` (pytest puts tests/ on sys.path) and as
# ``tests.scripted_server`` (from the repo root): make both names one module, so the step
# classes a test imports are the very ones the server dispatches on.
for _alias in ("scripted_server", "tests.scripted_server"):
    sys.modules.setdefault(_alias, sys.modules[__name__])

# --------------------------------------------------------------------------- steps


@dataclass
class ToolCall:
    """A chat.completion whose message carries one tool call.

    ``arguments`` is JSON-encoded when a dict (or list); a str is sent verbatim, so a test can
    send invalid JSON. ``name`` defaults to the request's ``tool_choice`` (else its first tool).
    """

    arguments: dict | list | str
    name: str | None = None
    finish_reason: str = "tool_calls"

    @classmethod
    def from_model(cls, model: Any, **kwargs: Any) -> ToolCall:
        """Arguments from a pydantic model instance (``model_dump(mode='json')``)."""
        return cls(model.model_dump(mode="json"), **kwargs)

    def arguments_json(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass
class Text:
    """A plain assistant message (no tool call)."""

    content: str
    finish_reason: str = "stop"


def _default_fault_body(status: int) -> str:
    kind = {
        400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
        429: "rate_limit_error", 500: "server_error", 503: "server_error",
    }.get(status, "api_error")
    return json.dumps({"error": {"message": f"scripted fault {status}", "type": kind, "code": None}})


@dataclass
class Fault:
    """An HTTP error: e.g. ``Fault(429, headers={"Retry-After": "1"})``, ``Fault(500)``, ``Fault(503)``.

    ``body`` defaults to an OpenAI-style JSON error object.
    """

    status: int
    body: str | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Delay:
    """Wait ``seconds`` before serving ``then``."""

    seconds: float
    then: Step


@dataclass
class Truncated:
    """Declares a Content-Length larger than ``body_bytes`` (by ``missing`` bytes), sends them, closes."""

    body_bytes: bytes = b'{"id": "chatcmpl-truncated", "object": "chat.comp'
    missing: int = 100


@dataclass
class NotJson:
    """A 200 answer whose body is not JSON (``text/html`` by default)."""

    body: str = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


@dataclass
class Disconnect:
    """Close the socket without sending any response."""


Step = Union[ToolCall, Text, Fault, Delay, Truncated, NotJson, Disconnect]

# What servers answer a request whose way of asking for structure they do not take (bodies as sent).
NO_TOOLS = Fault(400, body=json.dumps({"error": {  # Ollama, a model whose template has no tools
    "message": "registry.ollama.ai/library/scripted:latest does not support tools", "type": "api_error",
    "param": None, "code": None}}))
NO_JSON_SCHEMA = Fault(400, body=json.dumps({"error": {  # OpenAI, a model without structured outputs
    "message": "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model. "
               "Learn more about supported models at the Structured Outputs guide: "
               "https://platform.openai.com/docs/guides/structured-outputs",
    "type": "invalid_request_error", "param": None, "code": None}}))
Responder = Callable[[dict], Step]

# --------------------------------------------------------------------------- request helpers


def message_text(body: dict) -> str:
    """All message text of a chat request, joined by newlines (for responders to route on)."""
    parts: list[str] = []
    for message in body.get("messages") or []:
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(p.get("text", "") for p in content if isinstance(p, dict))
    return "\n".join(parts)


def tool_name(body: dict) -> str | None:
    """The answer type the request asks for: the function it forces (``tool_choice``), else its
    first tool's name; without tools, the ``response_format`` schema's name, else (JSON mode) the
    title of the JSON schema in its system message."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name:
            return name
    for tool in body.get("tools") or []:
        name = (tool.get("function") or {}).get("name")
        if name:
            return name
    schema = (body.get("response_format") or {}).get("json_schema") or {}
    if schema.get("name"):
        return schema["name"]
    system = next((m.get("content") for m in body.get("messages") or [] if m.get("role") == "system"), "") or ""
    titles = re.findall(r'"title":\s*"(\w+)",\s*"type":\s*"object"', system) if isinstance(system, str) else []
    if titles:  # the top-level schema's title comes last, after those of its $defs
        return titles[-1]
    return None


# --------------------------------------------------------------------------- server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for a handler sleeping in a Delay
    allow_reuse_address = True
    scripted: ScriptedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout) makes our late write fail: expected, stay quiet.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        self.scripted._problem(f"scripted server: handler failed: {type(exc).__name__}: {exc}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        pass

    # --- plumbing

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              declared_length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", headers)

    def _record(self, body_bytes: bytes) -> dict | None:
        try:
            body = json.loads(body_bytes) if body_bytes else None
        except ValueError:
            body = None
        headers = {k: v for k, v in self.headers.items()}
        auth = None
        for key in list(headers):
            if key.lower() == "authorization":
                auth = headers[key]
                headers[key] = "REDACTED"
        self.server.scripted._record(
            {"method": self.command, "path": self.path, "headers": headers, "body": body,
             "raw": body_bytes.decode("utf-8", "replace")},
            auth,
        )
        return body

    # --- endpoints

    def do_GET(self) -> None:  # noqa: N802
        self._record(b"")
        scripted = self.server.scripted
        if scripted.latency:
            time.sleep(scripted.latency)
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._send_json(200, {"object": "list", "data": [
                {"id": scripted.model, "object": "model", "created": 0, "owned_by": "tests"}]})
        else:
            self._send_json(404, {"error": {"message": f"no route GET {self.path}", "type": "not_found_error"}})

    def do_POST(self) -> None:  # noqa: N802
        body_bytes = self._read_body()
        body = self._record(body_bytes)
        scripted = self.server.scripted
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._send_json(404, {"error": {"message": f"no route POST {self.path}", "type": "not_found_error"}})
            return
        if not isinstance(body, dict):
            self._send_json(400, {"error": {"message": "request body is not a JSON object",
                                            "type": "invalid_request_error"}})
            return
        refusal = scripted._refusal(body)
        step = refusal if refusal is not None else scripted._next_step(body)
        if scripted.latency:
            time.sleep(scripted.latency)
        self._serve(step, body)

    def _serve(self, step: Any, body: dict) -> None:
        scripted = self.server.scripted
        while isinstance(step, Delay):
            time.sleep(step.seconds)
            step = step.then
        if isinstance(step, ToolCall) and not body.get("tools"):  # a JSON mode: the answer is the message
            self._send_json(200, scripted._text_completion(Text(step.arguments_json()), body))
        elif isinstance(step, ToolCall):
            self._send_json(200, scripted._tool_completion(step, body))
        elif isinstance(step, Text):
            self._send_json(200, scripted._text_completion(step, body))
        elif isinstance(step, Fault):
            raw = _default_fault_body(step.status) if step.body is None else step.body
            raw_bytes = raw.encode() if isinstance(raw, str) else raw
            ctype = "application/json" if raw_bytes[:1] in (b"{", b"[") else "text/plain; charset=utf-8"
            self._send(step.status, raw_bytes, ctype, step.headers)
        elif isinstance(step, NotJson):
            self._send(step.status, step.body.encode(), step.content_type)
        elif isinstance(step, Truncated):
            self._send(200, step.body_bytes, "application/json",
                       declared_length=len(step.body_bytes) + max(1, step.missing))
            self.close_connection = True
        elif isinstance(step, Disconnect):
            self.close_connection = True  # handler returns without writing; the socket is closed
        elif isinstance(step, _Exhausted):
            self._send_json(500, {"error": {"message": step.message, "type": "scripted_server_error"}})
        else:
            message = f"scripted server: not a Step: {step!r}"
            scripted._problem(message)
            self._send_json(500, {"error": {"message": message, "type": "scripted_server_error"}})


@dataclass
class _Exhausted:
    message: str


class ScriptedServer:
    """OpenAI-compatible server on 127.0.0.1 (free port) replaying a script.

    ``requests``: every request received, in arrival order, as dicts with keys ``method``,
    ``path``, ``headers`` (Authorization replaced by ``"REDACTED"``), ``body`` (parsed JSON or
    None) and ``raw``. ``auth_headers``: the raw Authorization value of each request (same order).
    ``problems``: what went wrong on the server's side (script exhausted, responder raised).
    """

    def __init__(self, script: Iterable[Step] | Responder | None = None, *,
                 responder: Responder | None = None, latency: float = 0.0, model: str = MODEL_ID,
                 tools: bool | Fault = True, json_schema: bool | Fault = True) -> None:
        if callable(script):
            if responder is not None:
                raise TypeError("give the responder once")
            responder, script = script, None
        self._queue: deque[Step] = deque(script or [])
        self.responder: Responder | None = responder
        self.latency = latency
        self.model = model
        self.tools = tools  # True, or the refusal served to a request with tools (False: NO_TOOLS)
        self.json_schema = json_schema  # likewise for response_format json_schema (False: NO_JSON_SCHEMA)
        self.refused: list[dict] = []  # bodies of the requests refused for their tools or json_schema
        self.requests: list[dict] = []
        self.auth_headers: list[str | None] = []
        self.problems: list[str] = []
        self._lock = threading.Lock()
        self._count = 0
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle

    def start(self) -> ScriptedServer:
        if self._httpd is not None:
            return self
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.scripted = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("ScriptedServer is not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- scripting

    def enqueue(self, *steps: Step) -> ScriptedServer:
        with self._lock:
            self._queue.extend(steps)
        return self

    def set_responder(self, responder: Responder | None) -> ScriptedServer:
        self.responder = responder
        return self

    @property
    def remaining(self) -> int:
        """Queued steps not served yet."""
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[dict]:
        """Bodies of the chat-completion requests, in arrival order."""
        with self._lock:
            return [r["body"] for r in self.requests
                    if r["method"] == "POST" and r["path"].rstrip("/").endswith("/chat/completions")]

    def requests_for(self, tool: str) -> list[dict]:
        """Bodies of the chat requests that force ``tool``, in arrival order (calls of different
        kinds may arrive in any order when several are in flight)."""
        return [body for body in self.chat_requests if tool_name(body) == tool]

    def assert_clean(self) -> None:
        """Fail if the server hit a problem (script exhausted, responder raised, bad step)."""
        assert not self.problems, "scripted server problems:\n" + "\n".join(self.problems)

    # --- internals (called from handler threads)

    def _record(self, entry: dict, auth: str | None) -> None:
        with self._lock:
            self.requests.append(entry)
            self.auth_headers.append(auth)

    def _problem(self, message: str) -> None:
        with self._lock:
            self.problems.append(message)

    def _refusal(self, body: dict) -> Fault | None:
        offered = [(self.tools, NO_TOOLS, bool(body.get("tools") or body.get("tool_choice"))),
                   (self.json_schema, NO_JSON_SCHEMA, (body.get("response_format") or {}).get("type") == "json_schema")]
        for setting, default, asked in offered:
            if asked and setting is not True:
                with self._lock:
                    self.refused.append(body)
                return setting if isinstance(setting, Fault) else default
        return None

    def _next_step(self, body: dict) -> Any:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            responder = self.responder
        if responder is None:
            message = "scripted server: script ran out (no queued step and no responder)"
            self._problem(message)
            return _Exhausted(message)
        try:
            return responder(body)
        except Exception as exc:  # noqa: BLE001 - reported to the client and in .problems
            message = f"scripted server: responder raised {type(exc).__name__}: {exc}"
            self._problem(message)
            return _Exhausted(message)

    def _completion(self, body: dict, message: dict, finish_reason: str, completion_text: str) -> dict:
        with self._lock:
            self._count += 1
            n = self._count
        prompt_tokens = len(json.dumps(body.get("messages") or [], sort_keys=True)) // 4
        completion_tokens = max(1, len(completion_text) // 4)
        return {
            "id": f"chatcmpl-scripted-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }

    def _tool_completion(self, step: ToolCall, body: dict) -> dict:
        arguments = step.arguments_json()
        name = step.name or tool_name(body) or "unknown_tool"
        with self._lock:
            call_id = f"call_scripted_{self._count + 1}"
        message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}]}
        return self._completion(body, message, step.finish_reason, arguments)

    def _text_completion(self, step: Text, body: dict) -> dict:
        message = {"role": "assistant", "content": step.content, "refusal": None}
        return self._completion(body, message, step.finish_reason, step.content)
