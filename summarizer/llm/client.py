"""All model access: instructor, the response cache, retries, the call log and the token budget.

One function, ``LLM._send``, sits between instructor and the model: it answers from the run store
when the same request was answered before, otherwise hands it to the run's ``ChatModel`` (the
endpoint over HTTP unless the caller gave another) with bounded retries, and logs it. Instructor
sits above it and re-asks the model when its answer fails validation.

``openai`` and ``instructor`` are imported on the first structured call, not with this module:
together they take 0.7 s to import, a third of an unchanged re-run, which makes no call.
"""

from __future__ import annotations

import contextvars
import dataclasses
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError, model_validator

from summarizer.errors import BudgetError, EndpointError
from summarizer.llm.endpoint import MODES, Endpoint, refuses, remembered_structured_output
from summarizer.llm.model import ChatModel, ChatRequest, OpenAIChatModel, as_completion
from summarizer.llm.prices import Price, run_price
from summarizer.llm.replies import (
    MODE_NAMES, describe, first_line, is_parse_error, mode_of, redact, tool_arguments, usage_of,
)
from summarizer.llm.retries import NotACompletion, with_retries
from summarizer.schema import Usage
from summarizer.store import RunStore

if TYPE_CHECKING:
    import instructor
    from openai.types.chat import ChatCompletion

T = TypeVar("T", bound=BaseModel)

# Instructor logs every failed validation at ERROR; here a failed validation is a re-ask or a
# counted drop, reported in the brief's diagnostics, not an error for the user's terminal.
logging.getLogger("instructor").setLevel(logging.CRITICAL)
log = logging.getLogger(__name__)



@dataclass
class Structured(Generic[T]):
    """One structured answer: the validated value, or the last raw answer when every try failed."""

    value: T | None
    raw: dict | None
    usage: Usage
    reasks: int
    errors: list[str]
    seconds: float

    def salvaged(self, response_model: type[T]) -> T | None:
        """The value; else the raw answer when it has the answer's shape and only failed a check
        (the caller then drops the parts the check refused); else None."""
        if self.value is not None or not self.raw:
            return self.value
        try:
            return response_model.model_validate(self.raw)
        except ValidationError:
            return None

    def raw_items(self, field: str) -> list:
        """The items of the raw answer's list ``field`` when no valid value came back: each item is
        then checked on its own by the caller, so one bad item costs only itself."""
        items = (self.raw or {}).get(field) if self.value is None else None
        return items if isinstance(items, list) else []


_call_usage: contextvars.ContextVar[list[Usage]] = contextvars.ContextVar("call_usage")
# The answer type a call asks for: its purpose in the call log, in every structured-output mode.
_call_purpose: contextvars.ContextVar[str | None] = contextvars.ContextVar("call_purpose", default=None)
# The answer type itself, as instructor was given it: what a ChatModel hears it is asked for.
_call_model: contextvars.ContextVar[type[BaseModel] | None] = contextvars.ContextVar("call_model", default=None)


class LLM:
    """A model endpoint with structured output, retries, a response cache and a call log.

    ``chat_model`` answers the requests instead of the endpoint's server (see ``summarizer.llm.model``).

    Example:
        >>> llm = LLM(resolve_endpoint(), store=RunStore())
        >>> answer = llm.structured(ExtractionResponse, system="...", user="...")
    """

    def __init__(
        self, endpoint: Endpoint, *, store: RunStore | None = None, cache: bool = True,
        timeout: float = 600.0, attempts: int = 4, max_wait: float = 60.0, token_budget: int | None = None,
        price: Price | None = None, chat_model: ChatModel | None = None,
    ):
        # In auto mode, the mode the run store found the server to take; replaced (once per mode
        # refused) by a copy in the next mode, so the cache keys and the call log name the mode in use.
        self.endpoint = remembered_structured_output(endpoint, store)
        self._remembered = self.endpoint.structured_output  # what the store says (or tools, the first tried)
        self._mode_lock = threading.Lock()
        self.price = run_price(endpoint.model, is_local=endpoint.is_local, given=price)  # USD per million tokens
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
        self._instructors: dict[str, instructor.Instructor] = {}
        # What answers the requests the run store cannot: the caller's model, else the endpoint over HTTP.
        self._http = None if chat_model is not None else OpenAIChatModel(endpoint, timeout=timeout)
        self.chat_model: ChatModel = chat_model or self._http

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
            if not isinstance(cause, (ValidationError, json.JSONDecodeError, ValueError)) and not is_parse_error(cause):
                raise EndpointError(f"{self.endpoint.label}: {redact(self.endpoint.api_key, str(cause or e))}") from None
            value, raw = None, tool_arguments(e.last_completion)
            errors = [first_line(str(a.exception)) for a in getattr(e, "failed_attempts", [])] or [first_line(str(cause))]
        except IncompleteOutputException as e:
            value, raw = None, tool_arguments(getattr(e, "last_completion", None))
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
        if self._http is not None:
            self._http.close()

    def _fall_back(self, refused: _ModeRefused) -> None:
        """Take the mode after the refused one, once for the whole run (calls run on many threads)."""
        with self._mode_lock:
            if self.endpoint.structured_output != refused.mode:
                return  # another call already moved on
            mode = MODES[MODES.index(refused.mode) + 1]
            self.endpoint = dataclasses.replace(self.endpoint, structured_output=mode)
        line = f"the endpoint refused {MODE_NAMES[refused.mode]} ({refused.reason}); asking for {MODE_NAMES[mode]} from now on"
        log.info(line)
        self.progress("structured-output", {"refused": refused.mode, "mode": mode, "reason": refused.reason,
                                            "message": line})

    # ------------------------------------------------------------------ plumbing

    def _instructor_client(self) -> instructor.Instructor:
        """Instructor over ``_send`` (cache, retries, log), in the structured-output mode the run is in now."""
        with self._mode_lock:
            mode = self.endpoint.structured_output
            if mode not in self._instructors:
                import instructor

                instructor_mode = {"tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA,
                                   "json": instructor.Mode.JSON}[mode]
                patched = instructor.patch(create=self._send, mode=instructor_mode)

                def create(*args: Any, response_model: type[BaseModel] | None = None, **kwargs: Any) -> Any:
                    asked = _call_model.set(response_model)  # what _send tells the chat model it asks for
                    try:
                        return patched(*args, response_model=response_model, **kwargs)
                    finally:
                        _call_model.reset(asked)

                self._instructors[mode] = instructor.Instructor(client=None, create=create, mode=instructor_mode)
            return self._instructors[mode]

    def _send(self, **request: Any) -> ChatCompletion:
        from openai.types.chat import ChatCompletion

        mode = mode_of(request)
        # The endpoint in the mode this request was built in (another call may have moved the run on).
        endpoint = dataclasses.replace(self.endpoint, structured_output=mode)
        keyed = {k: v for k, v in request.items() if k not in {"model", "timeout"}}
        request_hash = hashlib.sha256(
            json.dumps({"model": endpoint.identity, **keyed}, sort_keys=True, default=str).encode()
        ).hexdigest()
        purpose = _purpose(request)
        if self.cache and self.store and (hit := self.store.cached_response(request_hash)):
            completion = ChatCompletion.model_validate_json(hit)
            used = usage_of(completion).model_copy(update={"cost_usd": 0.0 if self.price else None})  # paid before
            self.store.record_call(
                run_id=self.run_id, model=endpoint.identity, endpoint=endpoint.label, purpose=purpose,
                request_hash=request_hash, request=keyed, response=None, cached=True,
                prompt_tokens=used.prompt_tokens, completion_tokens=used.completion_tokens, cost_usd=used.cost_usd,
            )
            self._count(used)
            return completion

        self._check_budget()
        if self._http is not None:
            self._http.start(self.progress)
        started = time.monotonic()
        try:
            served = self._http.served_model if self._http is not None else None
            completion = self._send_with_retries(ChatRequest(_call_model.get(), {**request, "model": served or self.endpoint.model}))
        except Exception as e:
            message = describe(e, label=self.endpoint.label, api_key=self.endpoint.api_key,
                               timeout=self.timeout, attempts=self.attempts)
            if self.store:
                self.store.record_call(
                    run_id=self.run_id, model=endpoint.identity, endpoint=endpoint.label,
                    purpose=purpose, request_hash=request_hash, request=keyed, response=None,
                    duration_ms=int((time.monotonic() - started) * 1000), error=message,
                )
            if endpoint.auto_structured_output and mode != MODES[-1] and refuses(e, mode):
                raise _ModeRefused(message, mode=mode, reason=message.removeprefix(f"{endpoint.label}: ")) from None
            raise EndpointError(message) from None
        used = usage_of(completion)
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

    def _send_with_retries(self, request: ChatRequest) -> ChatCompletion:
        def send() -> ChatCompletion:
            completion = as_completion(request, self.chat_model.complete(request))
            if not completion.choices:
                raise NotACompletion(f"the model answered with a chat completion without choices: {str(completion)[:80]!r}")
            return completion

        return with_retries(send, attempts=self.attempts, max_wait=self.max_wait)

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


class _ModeRefused(EndpointError):
    """The server refused the structured-output mode of a request (auto mode: the run takes the next)."""

    def __init__(self, message: str, *, mode: str, reason: str):
        super().__init__(message)
        self.mode = mode
        self.reason = reason


def _purpose(request: dict) -> str | None:
    choice = request.get("tool_choice")
    if isinstance(choice, dict):
        return choice.get("function", {}).get("name")
    return _call_purpose.get()
