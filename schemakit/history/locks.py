"""Running DDL on a busy database: timeouts, retry with backoff, who holds the lock, interruption."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

Notify = Callable[[str], None]

# the sessions blocking one backend, as pg_stat_activity knows them
BLOCKERS = """
SELECT a.pid, a.usename, a.application_name, a.client_addr::text, a.state,
       coalesce(a.xact_start, a.backend_start), split_part(btrim(a.query, E' \\n\\t'), E'\\n', 1)
FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(%s)) ORDER BY a.pid
"""
# the session holding a session-level advisory lock (a bigint key is stored as two 32-bit halves)
ADVISORY_HOLDERS = """
SELECT a.pid, a.usename, a.application_name, a.client_addr::text, a.state,
       a.backend_start, split_part(btrim(a.query, E' \\n\\t'), E'\\n', 1)
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid::bigint = %s AND l.objid::bigint = %s AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY a.pid
"""


@dataclass(frozen=True)
class Limits:
    """Timeouts applied to every migration statement, and how lock timeouts are retried."""

    lock_timeout: str | None = "5s"  # None: leave the server's setting alone
    statement_timeout: str | None = None
    retries: int = 5
    backoff: float = 0.5  # seconds before the first retry; doubles each time, with jitter
    report_every: float = 3.0  # seconds between "still waiting" lines

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter, so retrying runs do not queue up in step."""
        return min(30.0, self.backoff * 2**attempt) * random.uniform(0.5, 1.0)

    def settings(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in (("lock_timeout", self.lock_timeout), ("statement_timeout", self.statement_timeout))
                if v is not None]


NO_LIMITS = Limits(lock_timeout=None, statement_timeout=None, retries=0)


def apply_limits(conn: psycopg.Connection, limits: Limits, local: bool) -> None:
    """SET LOCAL the timeouts (inside a transaction) or SET them for the next statement (outside one)."""
    for name, value in limits.settings():
        conn.execute("SELECT set_config(%s, %s, %s)", (name, str(value), local))


def reset_limits(conn: psycopg.Connection, limits: Limits) -> None:
    """Put the session's timeouts back (after a statement run outside a transaction)."""
    if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        return
    for name, _ in limits.settings():
        with contextlib.suppress(psycopg.Error):
            conn.execute(f"RESET {name}")


@dataclass(frozen=True)
class Holder:
    pid: int
    user: str | None
    application: str | None
    client: str | None
    state: str | None
    since: datetime | None
    query: str | None

    def describe(self) -> str:
        when = f"{self.since:%Y-%m-%d %H:%M:%S %Z}".strip() if self.since else "?"
        app = self.application or ""
        if app.startswith("schemakit "):
            return f"{app.removeprefix('schemakit ')} (pid {self.pid}, since {when})"
        query = (self.query or "")[:120]
        return (f"pid {self.pid} (user {self.user}, application {app!r}, client {self.client or 'local'}, "
                f"{self.state} since {when}, query: {query!r})")


def describe(holders: list[Holder]) -> str:
    return "; ".join(h.describe() for h in holders) if holders else "no session seen (it ended first)"


def blockers(conn: psycopg.Connection, pid: int) -> list[Holder]:
    return [Holder(*row) for row in conn.execute(BLOCKERS, (pid,)).fetchall()]


def advisory_holders(conn: psycopg.Connection, key: int) -> list[Holder]:
    high, low = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    return [Holder(*row) for row in conn.execute(ADVISORY_HOLDERS, (high, low)).fetchall()]


class Watcher:
    """A second connection that samples who blocks our backend while a statement runs."""

    def __init__(self, params: dict[str, Any], pid: int, notify: Notify, every: float = 3.0, poll: float = 0.05) -> None:
        self.params, self.pid, self.notify, self.every, self.poll = params, pid, notify, every, poll
        self.label: str | None = None
        self.last: list[Holder] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="schemakit-lock-watcher", daemon=True)

    def __enter__(self) -> Watcher:
        self._conn = psycopg.connect(**self.params, autocommit=True, application_name="schemakit lock watcher")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._conn.close()

    @contextlib.contextmanager
    def watching(self, label: str) -> Iterator[None]:
        """Sample blockers while the block runs; `last` keeps the latest ones seen."""
        self.last, self.label = [], label
        try:
            yield
        finally:
            self.label = None

    def _run(self) -> None:
        blocked_since: float | None = None
        reported = 0.0
        while not self._stop.wait(self.poll):
            label = self.label
            if label is None:
                blocked_since = None
                continue
            try:
                found = blockers(self._conn, self.pid)
            except psycopg.Error:
                return
            if not found:
                blocked_since = None
                continue
            self.last = found
            now = time.monotonic()
            blocked_since = blocked_since or now
            if now - blocked_since >= self.every and now - reported >= self.every:
                reported = now
                self.notify(f"  waiting {now - blocked_since:.0f} s for a lock: {label}, held by {describe(found)}")
