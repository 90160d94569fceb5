"""db_migrate over many targets (databases, tenant schemas): shared passes first, a canary, bounded
parallelism, fail-fast or continue-on-error, and a stop that lets running targets finish.

Each target is migrated by api.migrate() on its own connection, under its own advisory lock (the key
of its tracking table), so workers never wait on each other and two runs on one target exclude each
other. Threads are enough: psycopg releases the GIL while the server works."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import psycopg

from ..errors import SchemaKitError, UsageError, pg_error_line
from ..interrupts import signal_name
from .migrate import migrate
from .project import Project
from .states import Step
from .tenants import Target, TargetState, ensure_results, matrix, record_result, select_targets, target_project

CONNECTIONS_PER_JOB = 2  # the migration's own, and the lock watcher's while a statement runs


@dataclass
class Outcome:
    target: Target
    result: str  # done, failed, nothing (to do), skipped
    applied: list[str] = field(default_factory=list)
    ms: int = 0
    error: str = ""


@dataclass
class Report:
    outcomes: list[Outcome]
    interrupted: bool = False
    signal: str = ""  # SIGINT or SIGTERM, when interrupted

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def failed(self) -> bool:
        return self.interrupted or self.count("failed") > 0


@dataclass
class Rollout:
    jobs: int = 1
    canary: int = 0
    keep_going: bool = False  # --continue-on-error
    only_failed: bool = False
    to: str | None = None
    fake: bool = False


@dataclass
class Fleet:
    """The databases of a run: each alias's Project, connection settings and one control connection."""

    projects: dict[str, Project]
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    conns: dict[str, psycopg.Connection] = field(default_factory=dict)

    def project(self, target: Target) -> Project:
        return target_project(self.projects[target.alias], self.params[target.alias], target)

    def close(self) -> None:
        for c in self.conns.values():
            c.close()


@contextlib.contextmanager
def fleet(projects: dict[str, Project]) -> Iterator[Fleet]:
    """Connect once to each database (settings resolved here, in the main thread: Django's are per thread)."""
    f = Fleet(projects)
    try:
        for alias, p in projects.items():
            f.params[alias] = p.connection_params()
            f.conns[alias] = p.connect()
            # it records results only (the tracking tables are the truth): no flush wait per target
            f.conns[alias].execute("SET synchronous_commit TO off")
        yield f
    finally:
        f.close()


def targets_of(f: Fleet, all_tenants: bool, named: list[str]) -> list[Target]:
    tracking = next(iter(f.projects.values())).tracking[0]
    return select_targets(list(f.projects), f.conns, all_tenants, named, tracking)


def states(f: Fleet, targets: list[Target]) -> list[TargetState]:
    """The status matrix: every target's state, one catalog query per database."""
    out = []
    for alias in f.projects:
        out += matrix(f.conns[alias], f.projects[alias], [t for t in targets if t.alias == alias])
    return out


def check_jobs(f: Fleet, jobs: int) -> None:
    """Refuse --jobs above what each server's max_connections leaves free now."""
    if jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    for alias, conn in f.conns.items():
        free, limit, used = conn.execute(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
            " - count(*), current_setting('max_connections')::int, count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend'").fetchone()
        if jobs * CONNECTIONS_PER_JOB > free:
            raise UsageError(f"--jobs {jobs} needs up to {jobs * CONNECTIONS_PER_JOB} connections to {alias!r}, "
                             f"which has {free} free (max_connections {limit}, {used} in use); use --jobs "
                             f"{max(1, free // CONNECTIONS_PER_JOB)} or fewer")


def migrate_all(f: Fleet, targets: list[Target], rollout: Rollout, on_done: Callable[[Outcome], None],
                notify: Callable[[str], None] | None = None) -> Report:
    """Shared passes first, then the canary, then the other targets; see the module's docstring."""
    check_jobs(f, rollout.jobs)
    known = {s.target: s for s in states(f, targets)}
    run = _Run(f, rollout, on_done, notify, known)
    shared = [t for t in targets if not t.schema]
    tenants = [t for t in targets if t.schema]
    if rollout.only_failed:
        tenants = [t for t in tenants if known[t].last and known[t].last[0] == "failed"]
    # nothing pending: no connection, no lock (a concurrent run may still get there first: migrate() rechecks)
    idle = {t for t in tenants if not known[t].pending and not known[t].edited}
    busy = [t for t in tenants if t not in idle]
    run.batch(shared, keep_going=rollout.keep_going)
    broken = {o.target.alias for o in run.report.outcomes if o.result == "failed"}
    for t in (t for t in tenants if t in idle):
        run.finish(Outcome(t, "nothing"))
    busy = [t for t in busy if t.alias not in broken]
    canary, rest = busy[:rollout.canary], busy[rollout.canary:]
    run.batch(canary, keep_going=False)
    run.batch(rest, keep_going=rollout.keep_going)
    seen = {o.target for o in run.report.outcomes}
    run.report.outcomes += [Outcome(t, "skipped") for t in shared + tenants if t not in seen]
    return run.report


class _Run:
    def __init__(self, f: Fleet, rollout: Rollout, on_done: Callable[[Outcome], None],
                 notify: Callable[[str], None] | None, known: dict[Target, TargetState]) -> None:
        self.f, self.rollout, self.on_done, self.known = f, rollout, on_done, known
        self.report = Report([])
        self.stop = False
        self.lock = threading.Lock()
        self.made: set[str] = set()  # aliases whose results table exists
        self.notify = notify or (lambda line: None)

    def batch(self, targets: list[Target], keep_going: bool) -> None:
        """Run targets with at most `jobs` at once; stop starting new ones on a failure (unless
        `keep_going`) or on Ctrl-C/SIGTERM, and wait for the running ones either way."""
        queue: deque[Target] = deque(targets)
        running: dict[Future, Target] = {}
        with ThreadPoolExecutor(self.rollout.jobs, thread_name_prefix="schemakit-target") as pool:
            while (queue and not self.stop) or running:
                try:
                    while queue and not self.stop and len(running) < self.rollout.jobs:
                        t = queue.popleft()
                        running[pool.submit(self.one, t)] = t
                    done, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
                    for fut in done:
                        running.pop(fut)
                        outcome = fut.result()
                        self.stop = self.stop or (outcome.result == "failed" and not keep_going)
                        self.finish(outcome)
                except KeyboardInterrupt as exc:
                    self.stop = self.report.interrupted = True
                    self.report.signal = signal_name(exc)
                    self.notify(f"interrupted: starting no new target; waiting for {len(running)} running")

    def one(self, target: Target) -> Outcome:
        """Migrate one target on its own connection (a worker thread; never raises)."""
        done: list[Step] = []
        began = time.monotonic()

        def say(line: str) -> None:
            with self.lock:
                self.notify(f"{target}: {line.strip()}")

        try:
            migrate(self.f.project(target), self.rollout.to, self.rollout.fake, done.append, notify=say)
            result, error = ("done" if done else "nothing"), ""
        except SchemaKitError as exc:
            result, error = "failed", str(exc)
        except psycopg.Error as exc:
            result, error = "failed", f"database error: {pg_error_line(exc)}"
        ms = int((time.monotonic() - began) * 1000)
        return Outcome(target, result, [s.name for s in done], ms, error.splitlines()[0] if error else "")

    def finish(self, outcome: Outcome) -> None:
        """Report a target (main thread) and record its result on its database."""
        self.report.outcomes.append(outcome)
        last = self.known[outcome.target].last
        if outcome.result == "nothing" and not (last and last[0] == "failed"):
            pass  # nothing to record: keeps an up-to-date fleet at one catalog query per database
        elif outcome.target.schema and outcome.result != "skipped":
            result = "failed" if outcome.result == "failed" else "done"
            try:
                alias = outcome.target.alias
                if alias not in self.made:
                    ensure_results(self.f.conns[alias], self.f.projects[alias])
                    self.made.add(alias)
                record_result(self.f.conns[outcome.target.alias], self.f.projects[outcome.target.alias],
                              outcome.target.schema, result, outcome.error)
            except psycopg.Error as exc:
                self.notify(f"{outcome.target}: its result was not recorded: {pg_error_line(exc)}")
        self.on_done(outcome)
