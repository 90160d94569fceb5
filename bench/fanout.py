"""Fan-out: one migration (an added column and an index) over many tenant schemas of 20 tables.

Targets: up to 1,000 tenants in one database plus 3 databases of 100 tenants (1,300). For each size and
--jobs: total time, time per target, peak connections, and the status matrix's time.
Uses DATABASE_URL, or starts an embedded server in a temporary folder.
Run by hand:  python bench/fanout.py [SIZES...]   (default 100 300 1000 1300; JOBS=1,2,4)
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import admin_params  # noqa: E402

TABLES = 20
BIG, SMALL = int(os.environ.get("BIG", 1000)), int(os.environ.get("SMALL", 100))  # tenants in the first database, in each of the other three


def schema(extra: bool) -> str:
    body = "from schemakit import *  # noqa: F403\n"
    for i in range(1, TABLES + 1):
        cols = 'bigint("id").primary_key(), text("name"), timestamp("created", tz=True)'
        if extra and i == 1:
            cols += ', text("note"), Index("t01_name", "name")'
        body += f't{i:02} = Table("t{i:02}", {cols})\n'
    return body


def configure(limit: dict[str, int]) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(SCHEMAKIT={"TENANTS": tenants}, INSTALLED_APPS=[])
        django.setup()
    LIMITS.update(limit)


LIMITS: dict[str, int] = {}


def tenants(alias: str) -> list[str]:
    """SCHEMAKIT['TENANTS']: the first LIMITS[alias] tenant schemas of each database."""
    return [f"tenant_{i:04}" for i in range(LIMITS.get(alias, 0))]


class Peak(threading.Thread):
    """Samples the server's client connections every 20 ms."""

    def __init__(self, admin: dict) -> None:
        super().__init__(daemon=True)
        self.admin, self.peak, self.stop = admin, 0, threading.Event()

    def run(self) -> None:
        with psycopg.connect(**self.admin, autocommit=True) as c:
            while not self.stop.wait(0.02):
                n = c.execute("SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchone()[0]
                self.peak = max(self.peak, n)


def build(admin: dict, folder: Path) -> dict[str, dict]:
    """Template databases with every tenant at migration 0000 (created by the fan-out itself)."""
    from schemakit.api import Project, generate
    from schemakit.api.fanout import Rollout, fleet, migrate_all, targets_of
    from schemakit.diff.renames import Resolver

    sizes = {"big": BIG, "s1": SMALL, "s2": SMALL, "s3": SMALL}
    params = {}
    with psycopg.connect(**admin, autocommit=True) as c:
        for alias, n in sizes.items():
            c.execute(f"DROP DATABASE IF EXISTS bench_fan_{alias} WITH (FORCE)".encode())
            c.execute(f"CREATE DATABASE bench_fan_{alias}".encode())
            params[alias] = {**admin, "dbname": f"bench_fan_{alias}"}
            with psycopg.connect(**params[alias], autocommit=True) as d:
                d.execute("".join(f"CREATE SCHEMA tenant_{i:04};" for i in range(n)).encode())
    (folder / "s.py").write_text(schema(False))
    base = Project([str(folder / "s.py")], folder / "migrations", part="shared")
    generate(base, Resolver(), name="init")
    configure(sizes)
    t0 = time.perf_counter()
    projects = {a: dataclasses.replace(base, params=lambda p=p: p) for a, p in params.items()}
    with fleet(projects) as f:
        report = migrate_all(f, targets_of(f, True, []), Rollout(jobs=4), lambda o: None)
    print(f"setup: {len(report.outcomes)} targets x {TABLES} tables created in {time.perf_counter() - t0:.1f} s "
          f"({report.count('failed')} failed)", flush=True)
    return params


def measure(admin: dict, templates: dict[str, dict], folder: Path, size: int, jobs: int) -> tuple:
    """Migrate `size` targets with `jobs`, read the status matrix, then roll the migration back (not timed)."""
    from concurrent.futures import ThreadPoolExecutor

    from schemakit.api import Project, rollback
    from schemakit.api.fanout import Rollout, fleet, migrate_all, states, targets_of

    limit = {"big": min(size, BIG), **({a: SMALL for a in ("s1", "s2", "s3")} if size > BIG else {})}
    configure({a: limit.get(a, 0) for a in templates})
    base = Project([str(folder / "s.py")], folder / "migrations", part="shared")
    projects = {a: dataclasses.replace(base, params=lambda p=p: p) for a, p in templates.items() if a in limit}
    peak = Peak(admin)
    peak.start()
    with fleet(projects) as f:
        chosen = targets_of(f, True, [])
        t0 = time.perf_counter()
        report = migrate_all(f, chosen, Rollout(jobs=jobs), lambda o: None)
        total = time.perf_counter() - t0
        peak.stop.set()
        t1 = time.perf_counter()
        matrix = states(f, chosen)
        status_s = time.perf_counter() - t1
        assert report.count("failed") == 0 and all(s.state == "up to date" for s in matrix), report.outcomes[:3]
        with ThreadPoolExecutor(4) as pool:  # back to the start for the next row
            list(pool.map(lambda t: rollback(f.project(t), 1, force=True), [t for t in chosen if t.schema]))
            list(pool.map(lambda t: rollback(f.project(t), 1, force=True), [t for t in chosen if not t.schema]))
    peak.join()
    return report.count("done") - len(projects), total, peak.peak, status_s


def main(sizes: list[int], jobs_list: list[int]) -> None:
    os.environ["SCHEMAKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="schemakit-bench-cache-")
    admin = admin_params()
    folder = Path(tempfile.mkdtemp(prefix="schemakit-bench-fanout-"))
    templates = build(admin, folder)
    from schemakit.api import Project, generate
    from schemakit.diff.renames import Resolver

    (folder / "s.py").write_text(schema(True))
    generate(Project([str(folder / "s.py")], folder / "migrations", part="shared"), Resolver(), name="note")
    print(f"{'targets':>8} {'jobs':>5} {'total s':>8} {'ms/target':>10} {'peak conns':>11} {'status s':>9}", flush=True)
    for size in sizes:
        for jobs in jobs_list:
            done, total, peak, status_s = measure(admin, templates, folder, size, jobs)
            print(f"{done:>8} {jobs:>5} {total:>8.1f} {total * 1000 / done:>10.1f} {peak:>11} {status_s:>9.2f}", flush=True)
    with psycopg.connect(**admin, autocommit=True) as c:
        for p in templates.values():
            c.execute(f"DROP DATABASE {p['dbname']} WITH (FORCE)".encode())


if __name__ == "__main__":
    jobs = [int(j) for j in os.environ.get("JOBS", "1,2,4").split(",")]
    main([int(a) for a in sys.argv[1:]] or [100, 300, 1000, 1300], jobs)
