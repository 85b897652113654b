"""Bounded retries of one request: which errors are worth another try and how long to wait first.

Timeouts, broken connections, 429 and 5xx are retried; a 429/503 Retry-After is honoured, any
other wait is exponential backoff with full jitter.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable
from typing import Any, TypeVar

import tenacity

R = TypeVar("R")


class NotACompletion(Exception):
    """A 200 answer whose body is not a chat completion (HTML error page, cut-off JSON)."""


def transient() -> tuple[type[Exception], ...]:
    """The errors worth retrying: timeouts, broken connections, 429 and 5xx."""
    import openai

    return openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError


def with_retries(send: Callable[[], R], *, attempts: int, max_wait: float) -> R:
    """``send()``, tried up to ``attempts`` times while it fails with a transient error.

    The error that ends the tries carries their number as ``summarizer_attempts`` (a 401 is tried once).
    """
    retrying = tenacity.Retrying(
        # 501 is a server saying it does not implement what was asked: asking again changes nothing.
        retry=tenacity.retry_if_exception(lambda e: isinstance(e, transient() + (NotACompletion,))
                                          and getattr(e, "status_code", None) != 501),
        wait=RetryAfterOrBackoff(max_wait),
        stop=tenacity.stop_after_attempt(attempts),
        reraise=True,
    )
    tries = 0
    try:
        for attempt in retrying:
            with attempt:
                tries += 1
                return send()
    except Exception as error:
        error.summarizer_attempts = tries
        raise
    raise AssertionError("unreachable")


class RetryAfterOrBackoff(tenacity.wait.wait_base):
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
