"""All model access: endpoint choice, the openai client, instructor, retries, cache, usage.

No other module imports ``openai``. One function, ``LLM._send``, sits between instructor and
the HTTP client: it answers from the run store when the same request was answered before,
otherwise sends it with bounded retries (timeouts, 429 with Retry-After, 5xx) and logs it.
Instructor sits above it and re-asks the model when its answer fails validation.

``openai`` and ``instructor`` are imported on the first structured call, not with this module:
together they take 0.7 s to import, a third of an unchanged re-run, which makes no call.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import email.utils
import hashlib
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import tenacity
from pydantic import BaseModel, ValidationError, model_validator

from summarizer.errors import BudgetError, EndpointError
from summarizer.llm.prices import Price, table_price
from summarizer.schema import Usage
from summarizer.store import RunStore

if TYPE_CHECKING:
    import instructor
    import openai
    from openai.types.chat import ChatCompletion

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

# Instructor logs every failed validation at ERROR; here a failed validation is a re-ask or a
# counted drop, reported in the brief's diagnostics, not an error for the user's terminal.
logging.getLogger("instructor").setLevel(logging.CRITICAL)
log = logging.getLogger(__name__)

EMBEDDED_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"
STATUS_HINTS = {
    401: "; check the API key (OPENAI_API_KEY)", 403: "; check the API key (OPENAI_API_KEY)",
    404: "; check the model name and the base URL (it usually ends in /v1)",
}


def _transient() -> tuple[type[Exception], ...]:
    """The errors worth retrying: timeouts, broken connections, 429 and 5xx."""
    import openai

    return openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError


# How a structured answer is asked for: a forced tool call (OpenAI, vLLM, llama.cpp, Ollama), a
# JSON schema as response_format (servers that constrain output but offer no tools), or JSON mode
# with the schema in the prompt (any server that can answer JSON). Instructor's modes of these names.
# "auto" (an endpoint's default) starts with tools and takes the next mode when the server refuses one.
MODES = ("tools", "json_schema", "json")
STRUCTURED_OUTPUTS = ("auto", *MODES)
# A server that does not take a way of asking says so with one of these statuses and names it
# (Ollama: 400 "... does not support tools"; OpenAI: 400 "'response_format' of type 'json_schema'
# is not supported with this model"). An auth error, a 5xx or a context overflow is not a refusal.
REFUSAL_STATUSES = frozenset({400, 404, 422, 501})
_REFUSED = {
    "tools": re.compile(r"\btool|function", re.I),
    "json_schema": re.compile(r"response_format|json_schema|json schema|structured output", re.I),
}
_UNSUPPORTED = re.compile(r"not supported|unsupported|does ?n[o']t support|not implemented", re.I)
_ABOUT_ANOTHER_PARAMETER = re.compile(
    r"max_tokens|max_completion_tokens|temperature|\bseed\b|context (length|window|size)|maximum context", re.I)
# The context a request may fill unless told otherwise: the embedded model's, and the smallest
# that models served today commonly have. Below the minimum, the instructions, a window of a few
# sentences and the answer do not fit (see ``extract.window_chars``).
DEFAULT_CONTEXT_TOKENS = 8192
MIN_CONTEXT_TOKENS = 2048


@dataclass(frozen=True)
class Endpoint:
    """Where requests go. ``base_url`` None means the embedded model, started on first need."""

    model: str
    base_url: str | None = None
    api_key: str = field(default="not-needed", repr=False)
    model_path: Path | None = None
    structured_output: str = "tools"  # the mode requests are sent in (one of MODES)
    # Chosen by "auto": a server's refusal of the mode moves the run on to the next (see LLM.structured).
    auto_structured_output: bool = False
    # The tokens one request may hold, prompt and answer: a long report is read in windows that fit.
    context_tokens: int = DEFAULT_CONTEXT_TOKENS

    @property
    def is_local(self) -> bool:
        return self.base_url is None

    @property
    def identity(self) -> str:
        """What the cache keys on: the model that answers, not the port it answers on."""
        # A context other than the default changes how long reports are cut into windows, so the brief.
        context = "" if self.context_tokens == DEFAULT_CONTEXT_TOKENS else f" [{self.context_tokens} tokens]"
        if not self.is_local:
            mode = "" if self.structured_output == "tools" else f" ({self.structured_output})"
            return f"{self.model}@{self.base_url}{mode}{context}"
        if self.model_path is None:
            return f"embedded:{EMBEDDED_MODEL}{context}"
        stat = self.model_path.stat()
        return f"gguf:{self.model_path.name}:{stat.st_size}{context}"

    @property
    def label(self) -> str:
        return self.base_url or (str(self.model_path) if self.model_path else f"embedded {EMBEDDED_MODEL}")

    @property
    def server(self) -> str:
        """The model at its server: what the run store remembers a structured-output mode for."""
        return f"{self.model}@{self.base_url}"


def remembered_structured_output(endpoint: Endpoint, store: RunStore | None) -> Endpoint:
    """In auto mode, the endpoint in the mode an earlier run found its server to take, if one did.

    What a brief depends on (``Endpoint.identity``, so the cache keys and the fingerprint) is the
    mode requests are sent in, not how it was chosen; this lets a run know it before its first call.
    """
    if not endpoint.auto_structured_output or store is None:
        return endpoint
    found = store.structured_output(endpoint.server)
    return dataclasses.replace(endpoint, structured_output=found) if found in MODES else endpoint


def resolve_endpoint(
    model: str | None = None, base_url: str | None = None, api_key: str | None = None,
    model_path: str | os.PathLike | None = None, structured_output: str | None = None,
    context_tokens: int | None = None,
) -> Endpoint:
    """Arguments first, then ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` / ``SUMMARIZER_MODEL`` /
    ``SUMMARIZER_STRUCTURED_OUTPUT`` (default "auto") / ``SUMMARIZER_CONTEXT_TOKENS``; with no endpoint
    configured, the embedded model (or the GGUF file at ``model_path``), which always answers by tool
    call and is started with a context of ``context_tokens``.

    Example:
        >>> resolve_endpoint(base_url="http://localhost:11434/v1", model="qwen2.5:7b").is_local
        False
    """
    base_url = base_url or os.environ.get("OPENAI_BASE_URL")
    api_key = api_key or os.environ.get("OPENAI_API_KEY")
    model = model or os.environ.get("SUMMARIZER_MODEL")
    mode = structured_output or os.environ.get("SUMMARIZER_STRUCTURED_OUTPUT") or "auto"
    if mode not in STRUCTURED_OUTPUTS:
        raise EndpointError(f"structured output '{mode}' is not one of {', '.join(STRUCTURED_OUTPUTS)}; "
                            "pass --structured-output (or set SUMMARIZER_STRUCTURED_OUTPUT) to one of them")
    context = _context_tokens(context_tokens or os.environ.get("SUMMARIZER_CONTEXT_TOKENS") or DEFAULT_CONTEXT_TOKENS)
    if model_path is None and (base_url or (api_key and model)):
        if not model:
            raise EndpointError(f"{base_url}: no model name; pass --model (or set SUMMARIZER_MODEL)")
        return Endpoint(model=model, base_url=base_url or "https://api.openai.com/v1", api_key=api_key or "not-needed",
                        structured_output="tools" if mode == "auto" else mode, auto_structured_output=mode == "auto",
                        context_tokens=context)
    if model_path is not None:
        from summarizer.local.server import check_model_file

        path = check_model_file(Path(model_path))
        return Endpoint(model=path.stem, model_path=path, context_tokens=context)
    return Endpoint(model=EMBEDDED_MODEL, context_tokens=context)


def _context_tokens(value: int | str) -> int:
    try:
        tokens = int(value)
    except ValueError:
        tokens = 0
    if tokens < MIN_CONTEXT_TOKENS:
        raise EndpointError(f"a context of '{value}' tokens cannot hold the instructions, a window of a report and "
                            f"the answer; pass --context-tokens (or set SUMMARIZER_CONTEXT_TOKENS) of at least "
                            f"{MIN_CONTEXT_TOKENS}")
    return tokens


@dataclass
class Structured(Generic[T]):
    """One structured answer: the validated value, or the last raw answer when every try failed."""

    value: T | None
    raw: dict | None
    usage: Usage
    reasks: int
    errors: list[str]
    seconds: float


_call_usage: contextvars.ContextVar[list[Usage]] = contextvars.ContextVar("call_usage")
# The answer type a call asks for: its purpose in the call log, in every structured-output mode.
_call_purpose: contextvars.ContextVar[str | None] = contextvars.ContextVar("call_purpose", default=None)


class LLM:
    """A model endpoint with structured output, retries, a response cache and a call log.

    Example:
        >>> llm = LLM(resolve_endpoint(), store=RunStore())
        >>> answer = llm.structured(ExtractionResponse, system="...", user="...")
    """

    def __init__(
        self, endpoint: Endpoint, *, store: RunStore | None = None, cache: bool = True,
        timeout: float = 600.0, attempts: int = 4, max_wait: float = 60.0, token_budget: int | None = None,
        price: Price | None = None,
    ):
        # In auto mode, the mode the run store found the server to take; replaced (once per mode
        # refused) by a copy in the next mode, so the cache keys and the call log name the mode in use.
        self.endpoint = remembered_structured_output(endpoint, store)
        self._remembered = self.endpoint.structured_output  # what the store says (or tools, the first tried)
        self._mode_lock = threading.Lock()
        # USD per million tokens: the user's, else the price table's; the embedded model has none.
        self.price = None if endpoint.is_local else price or table_price(endpoint.model)
        self.store = store
        self.cache = cache
        self.timeout = timeout
        self.attempts = attempts
        self.max_wait = max_wait
        # Tokens the endpoint may process in this run (answers from the store cost none); once
        # spent, the next request stops the run with BudgetError and every answer so far kept.
        self.token_budget = token_budget
        self._spent = Usage()
        self._spent_lock = threading.Lock()
        self.run_id: int | None = None
        # progress(event, data) hears "model-starting" and "model-ready" when the local server starts.
        self.progress: Callable[[str, dict], None] = lambda event, data: None
        self._client: openai.OpenAI | None = None
        self._instructors: dict[str, instructor.Instructor] = {}
        self._server = None
        self._served_model: str | None = None

    # ------------------------------------------------------------------ public

    def structured(
        self, response_model: type[T], *, system: str, user: str,
        check: Callable[[T], list[str]] | None = None, max_tokens: int = 1500, reasks: int = 1,
    ) -> Structured[T]:
        """Ask for ``response_model``; re-ask up to ``reasks`` times when validation or ``check`` fails.

        ``check`` returns the problems of an answer (empty when it is good); they go back to the
        model as the re-ask. It replaces instructor's ``context=``, which would also render the
        messages as Jinja templates and so rewrite ``{{ }}`` inside article text.
        """
        from instructor.core import IncompleteOutputException, InstructorRetryException

        usage: list[Usage] = []
        token = _call_usage.set(usage)
        purpose = _call_purpose.set(response_model.__name__)
        started = time.monotonic()
        errors: list[str] = []
        try:
            while True:  # at most once per mode: a refused mode moves the run on to the next one
                try:
                    value, _ = self._instructor_client().chat.completions.create_with_completion(
                        response_model=_with_check(response_model, check) if check else response_model,
                        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                        max_retries=reasks,
                        temperature=0,
                        seed=0,
                        max_tokens=max_tokens,
                    )
                    raw = None
                    break
                except InstructorRetryException as e:
                    if not isinstance(e.__cause__, _ModeRefused):
                        raise
                    self._fall_back(e.__cause__)
        except InstructorRetryException as e:
            cause = e.__cause__
            if isinstance(cause, (EndpointError, BudgetError)):
                raise cause from None
            if not isinstance(cause, (ValidationError, json.JSONDecodeError, ValueError)) and not _is_parse_error(cause):
                raise EndpointError(f"{self.endpoint.label}: {self._redact(str(cause or e))}") from None
            value, raw = None, _tool_arguments(e.last_completion)
            errors = [_first_line(str(a.exception)) for a in getattr(e, "failed_attempts", [])] or [_first_line(str(cause))]
        except IncompleteOutputException as e:
            value, raw = None, _tool_arguments(getattr(e, "last_completion", None))
            errors = ["the answer was cut off at max_tokens"]
        finally:
            _call_usage.reset(token)
            _call_purpose.reset(purpose)
        total = sum(usage, Usage())
        return Structured(
            value=value, raw=raw, usage=total, reasks=max(total.calls - 1, 0), errors=errors,
            seconds=time.monotonic() - started,
        )

    @property
    def spent(self) -> Usage:
        """What the endpoint processed in this run: the calls the run store did not answer."""
        with self._spent_lock:
            return self._spent

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def _fall_back(self, refused: _ModeRefused) -> None:
        """Take the mode after the refused one, once for the whole run (calls run on many threads)."""
        with self._mode_lock:
            if self.endpoint.structured_output != refused.mode:
                return  # another call already moved on
            mode = MODES[MODES.index(refused.mode) + 1]
            self.endpoint = dataclasses.replace(self.endpoint, structured_output=mode)
        line = f"the endpoint refused {_MODE_NAMES[refused.mode]} ({refused.reason}); asking for {_MODE_NAMES[mode]} from now on"
        log.info(line)
        self.progress("structured-output", {"refused": refused.mode, "mode": mode, "reason": refused.reason,
                                            "message": line})

    # ------------------------------------------------------------------ plumbing

    def _instructor_client(self) -> instructor.Instructor:
        """Instructor over one openai client, in the structured-output mode the run is in now."""
        with self._mode_lock:
            mode = self.endpoint.structured_output
            if mode not in self._instructors:
                import instructor
                import openai

                if self._client is None:
                    client = openai.OpenAI(
                        base_url=self.endpoint.base_url or "http://127.0.0.1:9/v1",  # the local server sets it on first send
                        api_key=self.endpoint.api_key, timeout=self.timeout, max_retries=0,
                    )
                    # Instructor calls client.chat.completions.create; route it through _send (cache, retries, log).
                    self._raw_create = client.chat.completions.create
                    client.chat.completions.create = self._send  # type: ignore[method-assign]
                    self._client = client
                self._instructors[mode] = instructor.from_openai(self._client, mode={
                    "tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA,
                    "json": instructor.Mode.JSON}[mode])
            return self._instructors[mode]

    def _send(self, **request: Any) -> ChatCompletion:
        from openai.types.chat import ChatCompletion

        mode = _mode_of(request)
        # The endpoint in the mode this request was built in (another call may have moved the run on).
        endpoint = dataclasses.replace(self.endpoint, structured_output=mode)
        keyed = {k: v for k, v in request.items() if k not in {"model", "timeout"}}
        request_hash = hashlib.sha256(
            json.dumps({"model": endpoint.identity, **keyed}, sort_keys=True, default=str).encode()
        ).hexdigest()
        purpose = _purpose(request)
        if self.cache and self.store and (hit := self.store.cached_response(request_hash)):
            completion = ChatCompletion.model_validate_json(hit)
            used = _usage(completion).model_copy(update={"cost_usd": 0.0 if self.price else None})  # paid before
            self.store.record_call(
                run_id=self.run_id, model=endpoint.identity, endpoint=endpoint.label, purpose=purpose,
                request_hash=request_hash, request=keyed, response=None, cached=True,
                prompt_tokens=used.prompt_tokens, completion_tokens=used.completion_tokens, cost_usd=used.cost_usd,
            )
            self._count(used)
            return completion

        self._check_budget()
        self._ensure_server()
        started = time.monotonic()
        try:
            completion = self._send_with_retries({**request, "model": self._served_model or self.endpoint.model})
        except Exception as e:
            message = self._describe(e)
            if self.store:
                self.store.record_call(
                    run_id=self.run_id, model=endpoint.identity, endpoint=endpoint.label,
                    purpose=purpose, request_hash=request_hash, request=keyed, response=None,
                    duration_ms=int((time.monotonic() - started) * 1000), error=message,
                )
            if endpoint.auto_structured_output and mode != MODES[-1] and refuses(e, mode):
                raise _ModeRefused(message, mode=mode, reason=message.removeprefix(f"{endpoint.label}: ")) from None
            raise EndpointError(message) from None
        used = _usage(completion)
        if self.price:
            used = used.model_copy(update={"cost_usd": self.price.cost(used.prompt_tokens, used.completion_tokens)})
        with self._spent_lock:
            self._spent = self._spent + used
        if self.store:
            self.store.record_call(
                run_id=self.run_id, model=endpoint.identity, endpoint=endpoint.label, purpose=purpose,
                request_hash=request_hash, request=keyed, response=completion.model_dump_json(),
                prompt_tokens=used.prompt_tokens, completion_tokens=used.completion_tokens,
                duration_ms=int((time.monotonic() - started) * 1000), cost_usd=used.cost_usd,
            )
            if endpoint.auto_structured_output and mode != self._remembered:
                self._remember(mode)
        self._count(used)
        return completion

    def _remember(self, mode: str) -> None:
        """Keep the mode the server answered in for the next run (auto mode), once it has answered."""
        with self._mode_lock:
            if mode == self._remembered or mode != self.endpoint.structured_output:
                return
            self._remembered = mode
        self.store.remember_structured_output(self.endpoint.server, mode)

    def _send_with_retries(self, request: dict) -> ChatCompletion:
        from openai.types.chat import ChatCompletion

        retrying = tenacity.Retrying(
            # 501 is a server saying it does not implement what was asked: asking again changes nothing.
            retry=tenacity.retry_if_exception(lambda e: isinstance(e, _transient() + (_NotACompletion,))
                                              and getattr(e, "status_code", None) != 501),
            wait=_RetryAfterOrBackoff(self.max_wait),
            stop=tenacity.stop_after_attempt(self.attempts),
            reraise=True,
        )
        tries = 0
        try:
            for attempt in retrying:
                with attempt:
                    tries += 1
                    if self._server is not None and not self._server.is_running():
                        raise EndpointError(f"{self.endpoint.label}: the local model server stopped; see {self._server.log_path}")
                    completion = self._raw_create(**request)
                    if not isinstance(completion, ChatCompletion) or not completion.choices:
                        raise _NotACompletion(f"the endpoint answered with something that is not a chat completion: {str(completion)[:80]!r}")
                    return completion
        except Exception as error:
            error.summarizer_attempts = tries  # what _describe reports: a 401 is not retried
            raise
        raise AssertionError("unreachable")

    def _ensure_server(self) -> None:
        if not self.endpoint.is_local or self._server is not None:
            return
        from summarizer.local.server import shared_server

        started = time.monotonic()
        self.progress("model-starting", {"model": self.endpoint.label})
        self._server = shared_server(self.endpoint.model_path, n_ctx=self.endpoint.context_tokens)
        self.progress("model-ready", {"model": self.endpoint.label, "base_url": self._server.base_url,
                                      "seconds": time.monotonic() - started})
        self._client.base_url = self._server.base_url
        self._served_model = self._server.model

    def _check_budget(self) -> None:
        with self._spent_lock:
            spent = self._spent
        tokens = spent.prompt_tokens + spent.completion_tokens
        if self.token_budget is not None and tokens >= self.token_budget:
            raise BudgetError(
                f"the token budget of {self.token_budget:,} is spent ({tokens:,} tokens in {spent.calls} model calls); "
                "every answer so far is stored: re-run with a larger --max-tokens-total (or none) to go on from there")

    def _count(self, used: Usage) -> None:
        usage = _call_usage.get(None)
        if usage is not None:
            usage.append(used)

    def _describe(self, error: Exception) -> str:
        import openai

        hint = ""
        if isinstance(error, openai.APIStatusError):
            # The server's own message ("Incorrect API key provided"), not openai's "Error code: 401 - {...}" dump.
            said = error.body.get("message") if isinstance(error.body, dict) else None
            cause_text = f"HTTP {error.status_code}: {_first_line(str(said or error.message))}"
            hint = STATUS_HINTS.get(error.status_code, "")
        elif isinstance(error, openai.APITimeoutError):
            cause_text = f"no answer within {self.timeout:g} s"
        elif isinstance(error, openai.APIConnectionError):
            reason = _first_line(str(error.__cause__ or error))
            if type(error.__cause__).__name__ == "ConnectError":  # the HTTP library's: refused, no route, bad host
                cause_text, hint = f"cannot connect ({reason})", "; is the server running at that address?"
            else:
                cause_text = f"the connection broke ({reason})"
        else:
            cause_text = _first_line(str(error))
        if cause_text.startswith(self.endpoint.label):
            return self._redact(cause_text)
        tries = getattr(error, "summarizer_attempts", self.attempts)
        after = f" after {tries} attempts" if tries > 1 else ""
        return self._redact(f"{self.endpoint.label}: {cause_text}{after}{hint}")

    def _redact(self, text: str) -> str:
        key = self.endpoint.api_key
        if key and key != "not-needed" and len(key) >= 6:
            text = text.replace(key, "[redacted]")
        return re.sub(r"\b(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+)", "[redacted]", text)


def _with_check(response_model: type[T], check: Callable[[T], list[str]]) -> type[T]:
    # Same class name and JSON schema: the model sees the same tool, only validation differs.
    class Checked(response_model):  # type: ignore[valid-type, misc]
        @model_validator(mode="after")
        def _passes_check(self):
            problems = check(self)
            if problems:
                raise ValueError("; ".join(problems[:8]))
            return self

    Checked.__name__ = Checked.__qualname__ = response_model.__name__
    Checked.__doc__ = response_model.__doc__
    return Checked


class CallPool:
    """Model calls with up to ``size`` in flight, queued in the order submitted.

    After a call fails, calls not yet started are not sent (they raise the same error); calls
    in flight finish and their answers reach the run store. On Ctrl-C nothing waits for them.

    Example:
        >>> with CallPool(16) as pool:
        ...     answers = pool.map(lambda a: read_claims(a, llm), articles)
    """

    def __init__(self, size: int):
        self._pool = ThreadPoolExecutor(max_workers=max(size, 1), thread_name_prefix="model-call")
        self._failure: BaseException | None = None

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        return self._pool.submit(self._guarded, fn, *args)

    def map(self, fn: Callable[[Any], R], items: Iterable[Any]) -> list[R]:
        return [future.result() for future in [self.submit(fn, item) for item in items]]

    def _guarded(self, fn: Callable[..., R], *args: Any) -> R:
        if self._failure is not None:
            raise self._failure
        try:
            return fn(*args)
        except BaseException as error:
            self._failure = self._failure or error
            raise

    def __enter__(self) -> CallPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        interrupted = kind is not None and issubclass(kind, KeyboardInterrupt)
        self._pool.shutdown(wait=not interrupted, cancel_futures=True)


class _NotACompletion(Exception):
    """A 200 answer whose body is not a chat completion (HTML error page, cut-off JSON)."""


class _ModeRefused(EndpointError):
    """The server refused the structured-output mode of a request (auto mode: the run takes the next)."""

    def __init__(self, message: str, *, mode: str, reason: str):
        super().__init__(message)
        self.mode = mode
        self.reason = reason


_MODE_NAMES = {"tools": "tool calls", "json_schema": "a JSON schema as response_format",
               "json": "JSON mode (the schema in the prompt)"}


def refuses(error: Exception, mode: str) -> bool:
    """Whether ``error`` is a server saying it does not take ``mode``'s way of asking for structure:
    a 400, 404, 422 or 501 whose body names it ("tools", "function", "response_format", "json_schema")
    or says "not supported", and names no other parameter (max_tokens, temperature, the context).
    Ollama's 400 "llama3 does not support tools" is one; a 401, a 500 or a context overflow is not.
    """
    if getattr(error, "status_code", None) not in REFUSAL_STATUSES or mode not in _REFUSED:
        return False
    response = getattr(error, "response", None)
    try:
        body = response.text if response is not None else ""
    except Exception:  # noqa: BLE001 - a body that cannot be read says nothing
        body = ""
    body = f"{body} {getattr(error, 'message', '')}"
    if _ABOUT_ANOTHER_PARAMETER.search(body):
        return False
    return bool(_REFUSED[mode].search(body) or _UNSUPPORTED.search(body))


def _mode_of(request: dict) -> str:
    """The structured-output mode instructor built ``request`` in."""
    if request.get("tools"):
        return "tools"
    if (request.get("response_format") or {}).get("type") == "json_schema":
        return "json_schema"
    return "json"


class _RetryAfterOrBackoff(tenacity.wait.wait_base):
    """Honour a 429/503 Retry-After (seconds, an HTTP date, or retry-after-ms); otherwise exponential
    backoff from 1 s with full random jitter, so that 32 concurrent calls do not retry in lockstep."""

    def __init__(self, max_wait: float):
        self.max_wait = max_wait
        self._backoff = tenacity.wait_random_exponential(multiplier=1, max=max_wait)

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        response = getattr(error, "response", None)
        asked = retry_after(response.headers) if response is not None else None
        if asked is not None:
            return min(asked, self.max_wait)
        return self._backoff(retry_state)


def retry_after(headers: Any, now: dt.datetime | None = None) -> float | None:
    """Seconds a server asks the client to wait, from ``retry-after-ms`` or ``Retry-After``.

    Example:
        >>> retry_after({"retry-after": "3"}), retry_after({"retry-after-ms": "250"})
        (3.0, 0.25)
        >>> retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:05 GMT"},
        ...             now=dt.datetime(2015, 10, 21, 7, 28, tzinfo=dt.timezone.utc))
        5.0
    """
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    header = headers.get("retry-after")
    if not header:
        return None
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max((when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds(), 0.0)


def _purpose(request: dict) -> str | None:
    choice = request.get("tool_choice")
    if isinstance(choice, dict):
        return choice.get("function", {}).get("name")
    return _call_purpose.get()


def _usage(completion: ChatCompletion) -> Usage:
    """One call's tokens, as the endpoint counted them."""
    return Usage(calls=1, prompt_tokens=_tokens(completion, "prompt_tokens"),
                 completion_tokens=_tokens(completion, "completion_tokens"))


def _tokens(completion: ChatCompletion, name: str) -> int:
    return getattr(completion.usage, name, 0) or 0 if completion.usage else 0


def _tool_arguments(completion: Any) -> dict | None:
    """The answer's JSON object: a tool call's arguments, or the message itself (JSON modes)."""
    try:
        message = completion.choices[0].message
        arguments = message.tool_calls[0].function.arguments if message.tool_calls else message.content
        arguments = re.sub(r"^```(?:json)?\s*|\s*```$", "", arguments.strip())  # a fenced JSON answer
        answer = json.loads(arguments)
        return answer if isinstance(answer, dict) else None
    except Exception:
        return None


def _is_parse_error(error: BaseException | None) -> bool:
    return error is not None and type(error).__name__ in {"ResponseParsingError", "AsyncValidationError"}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else ""
