"""Time db_pull and a no-op db_push on databases of 100 and 1,000 tables; count catalog queries.

Each table has ~8 columns, a primary key, a unique constraint, a check, two indexes and a foreign
key to the previous table. Uses DATABASE_URL, or starts an embedded server in a temporary folder.
Run by hand:  python bench/live.py [SIZES...]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import schema  # noqa: E402
from schemakit import embedded  # noqa: E402
from schemakit.api import Project  # noqa: E402
from schemakit.api.pull import pull  # noqa: E402
from schemakit.api.push import plan_push  # noqa: E402
from schemakit.diff.renames import Resolver  # noqa: E402
from schemakit.pg import introspect  # noqa: E402
from schemakit.pg.scratch import create_statements  # noqa: E402


def admin_params() -> dict:
    if os.environ.get("DATABASE_URL"):
        return psycopg.conninfo.conninfo_to_dict(os.environ["DATABASE_URL"])
    return embedded.connection_params(Path(tempfile.mkdtemp(prefix="schemakit-bench-")) / "data", cleanup="delete")


def timed(fn):
    before = introspect.QUERY_COUNT[0]
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, introspect.QUERY_COUNT[0] - before, result


def main(sizes: list[int]) -> None:
    os.environ["SCHEMAKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="schemakit-bench-cache-")  # start cold
    admin = admin_params()
    print(f"{'tables':>7} {'step':<14} {'wall s':>8} {'catalog queries':>16} {'peak MiB':>9}")
    for n in sizes:
        name = f"bench_{n}"
        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}".encode())
            c.execute(f"CREATE DATABASE {name}".encode())
        params = {**admin, "dbname": name}
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "schema.py"
            f.write_text(schema(n))
            p = Project([str(f)], Path(tmp) / "migrations", params=lambda params=params: params)
            with psycopg.connect(**params, autocommit=True) as c:
                c.execute(";\n".join(create_statements(p.load_schema())).encode())
            push = lambda p=p: plan_push(p, Resolver(no_renames=True))  # noqa: E731
            for step, fn in (("db_pull", lambda p=p: pull(p)), ("push, cold", push), ("push, cached", push)):
                t, q, result = timed(fn)
                if step.startswith("push"):
                    assert not result.plan, [o.describe() for o in result.plan.ops][:5]
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"{n:>7} {step:<14} {t:>8.3f} {q:>16} {peak:>9.1f}")
        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE {name}".encode())


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
