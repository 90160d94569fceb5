"""Overlap waiting on the server with work in Python."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Later(Generic[T]):
    """`fn()` run in a thread: the catalog queries wait on the server (psycopg lets go of the GIL
    meanwhile), so Python work in the caller runs beside them. Used as a context, it is waited
    for on the way out, an error or not."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def __enter__(self) -> Later[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        # on an error in the caller too: the thread may be using a connection the caller closes next
        self._thread.join()

    def result(self) -> T:
        """Wait for `fn()`; return its value or raise what it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
