"""The model seam: what answers a chat request once instructor has built it.

``LLM`` sends every request that the run store cannot answer to a ``ChatModel``. The default is
``OpenAIChatModel`` (the endpoint over HTTP, the embedded model's server started on first need); a
caller may pass its own, which answers in-process (a test's fake, a model loaded in Python).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from summarizer.errors import EndpointError
from summarizer.llm.endpoint import Endpoint
from summarizer.llm.retries import NotACompletion

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion


@dataclass(frozen=True)
class ChatRequest:
    """One chat request: the answer type asked for and the request body as it is sent.

    ``body`` holds ``model``, ``messages``, ``temperature``, ``seed``, ``max_tokens`` and either
    ``tools`` and ``tool_choice`` (tools mode) or ``response_format`` (the JSON modes). Instructor
    appends a re-ask to the same ``messages`` list: a model that keeps requests keeps a copy.
    """

    response_model: type[BaseModel] | None
    body: dict[str, Any]


class ChatModel(Protocol):
    """Answers chat requests: with a chat completion, or with the answer itself (a model or a dict)."""

    def complete(self, request: ChatRequest) -> ChatCompletion | BaseModel | dict: ...


def as_completion(request: ChatRequest, answer: ChatCompletion | BaseModel | dict) -> ChatCompletion:
    """``answer`` as the chat completion a server would send for ``request``: a tool call when it
    offers tools, else the JSON as the message. Tokens are counted at four characters each."""
    from openai.types.chat import ChatCompletion

    if isinstance(answer, ChatCompletion):
        return answer
    arguments = json.dumps(answer.model_dump(mode="json") if isinstance(answer, BaseModel) else answer)
    body = request.body
    if body.get("tools"):
        choice = body.get("tool_choice")
        name = (choice.get("function") or {}).get("name") if isinstance(choice, dict) else None
        name = name or body["tools"][0]["function"]["name"]
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_0", "type": "function", "function": {"name": name, "arguments": arguments}}]}
        finish = "tool_calls"
    else:
        message, finish = {"role": "assistant", "content": arguments}, "stop"
    prompt_tokens = len(json.dumps(body.get("messages") or [], sort_keys=True)) // 4
    completion_tokens = max(1, len(arguments) // 4)
    return ChatCompletion.model_validate({
        "id": "chatcmpl-in-process", "object": "chat.completion", "created": 0, "model": body.get("model") or "",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    })


class OpenAIChatModel:
    """The endpoint's server over HTTP, through one openai client (imported on first use).

    For the embedded model, ``start`` starts the local server and points the client at it.
    """

    def __init__(self, endpoint: Endpoint, *, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()
        self._server = None
        self.served_model: str | None = None  # the local server's name for its model

    def start(self, progress: Callable[[str, dict], None]) -> None:
        """Start the embedded model's server if the endpoint is local and it is not started yet."""
        if not self.endpoint.is_local or self._server is not None:
            return
        import time

        from summarizer.local.server import shared_server

        started = time.monotonic()
        progress("model-starting", {"model": self.endpoint.label})
        self._server = shared_server(self.endpoint.model_path, n_ctx=self.endpoint.context_tokens)
        progress("model-ready", {"model": self.endpoint.label, "base_url": self._server.base_url,
                                 "seconds": time.monotonic() - started})
        self._openai().base_url = self._server.base_url
        self.served_model = self._server.model

    def complete(self, request: ChatRequest) -> ChatCompletion:
        """Send ``request.body`` once (no retries: the caller retries)."""
        from openai.types.chat import ChatCompletion

        if self._server is not None and not self._server.is_running():
            raise EndpointError(f"{self.endpoint.label}: the local model server stopped; see {self._server.log_path}")
        completion = self._openai().chat.completions.create(**request.body)
        if not isinstance(completion, ChatCompletion) or not completion.choices:
            raise NotACompletion(f"the endpoint answered with something that is not a chat completion: {str(completion)[:80]!r}")
        return completion

    def close(self) -> None:
        """Close the openai client's connections, if it was made."""
        if self._client is not None:
            self._client.close()

    def _openai(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    base_url=self.endpoint.base_url or "http://127.0.0.1:9/v1",  # the local server sets it in start()
                    api_key=self.endpoint.api_key, timeout=self.timeout, max_retries=0,
                )
            return self._client
