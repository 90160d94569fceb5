"""Cost of db_migrate's schema guard and of the annotated plan (`db_migrate --plan`) at 100 and 1,000 tables.

Uses DATABASE_URL, or starts an embedded server in a temporary folder.
Run by hand:  python bench/guard.py [SIZES...]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import admin_params, schema  # noqa: E402
from schemakit.api import Project, generate, migrate, plan_migrate  # noqa: E402
from schemakit.diff.renames import Resolver  # noqa: E402
from schemakit.pg import introspect  # noqa: E402
from schemakit.pg.quote import ident  # noqa: E402


def timed(fn):
    before = introspect.QUERY_COUNT[0]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0, introspect.QUERY_COUNT[0] - before


def noop(p: Project, name: str) -> None:
    up = generate(p, Resolver(), name=name, custom=True).paths[0]
    up.write_text(up.read_text() + "SELECT 1;\n")


def run(admin: dict, n: int) -> None:
    name = f"bench_guard_{n}"
    with psycopg.connect(**admin, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {ident(name)}")
    params = {**admin, "dbname": name}
    folder = Path(tempfile.mkdtemp(prefix="schemakit-bench-guard-"))
    (folder / "s.py").write_text(schema(n))
    p = Project([str(folder / "s.py")], folder / "migrations", params=lambda: params)
    generate(p, Resolver())
    migrate(p, allow_drift=True)
    rows = []
    noop(p, "a")
    rows.append(("migrate, guard, cold cache", *timed(lambda: migrate(p, allow_drift=False))))
    noop(p, "b")
    rows.append(("migrate, guard, cached", *timed(lambda: migrate(p, allow_drift=False))))
    noop(p, "c")
    rows.append(("migrate --allow-drift", *timed(lambda: migrate(p, allow_drift=True))))
    (folder / "s.py").write_text(schema(n).replace('text("note")', 'text("note"), text("extra")'))
    generate(p, Resolver(), name="extra")
    rows.append((f"--plan, {n} statements", *timed(lambda: plan_migrate(p))))
    for step, wall, queries in rows:
        print(f"{n:>7} {step:<28} {wall:>8.2f} {queries:>16}")
    with psycopg.connect(**admin, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {ident(name)} WITH (FORCE)")


def main(sizes: list[int]) -> None:
    os.environ["SCHEMAKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="schemakit-bench-cache-")  # start cold
    admin = admin_params()
    print(f"{'tables':>7} {'step':<28} {'wall s':>8} {'catalog queries':>16}")
    for n in sizes:
        run(admin, n)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
