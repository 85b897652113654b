"""A bounded pool for model calls: up to ``size`` in flight, and none sent after one has failed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")


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
