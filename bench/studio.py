"""Time the studio's pages on big data: server time through Django's test client, median of RUNS runs.

A table of 1,000,000 rows (generated here), its first page, a page deep into it by key, a page
sorted on an indexed column, a filtered page; and the overview of a database of 1,000 tables.
Uses DATABASE_URL, or starts an embedded server in a temporary folder. Run by hand:

    python bench/studio.py [ROWS] [TABLES]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def server() -> dict:
    from schemakit import embedded

    if os.environ.get("DATABASE_URL"):
        return psycopg.conninfo.conninfo_to_dict(os.environ["DATABASE_URL"])
    return embedded.connection_params(Path(tempfile.mkdtemp(prefix="schemakit-bench-")) / "data", cleanup="delete")


def setup_django(params: dict) -> None:
    os.environ["DATABASE_URL"] = psycopg.conninfo.make_conninfo(**params)
    os.environ["DJANGO_SETTINGS_MODULE"] = "project.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(params: dict, rows: int, tables: int) -> None:
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute("DROP SCHEMA IF EXISTS big CASCADE; CREATE SCHEMA big")
        c.execute("""CREATE TABLE big.events (id bigint PRIMARY KEY, kind text NOT NULL, score int,
                     payload jsonb, at timestamptz NOT NULL)""")
        c.execute("""INSERT INTO big.events SELECT i, 'k' || (i %% 50), (i::bigint * 7919) %% 100000,
                     jsonb_build_object('i', i), timestamptz '2026-01-01' + i * interval '1 second'
                     FROM generate_series(1, %s) i""", [rows])
        c.execute("CREATE INDEX ON big.events (score)")
        c.execute("ANALYZE big.events")
        c.execute("DROP SCHEMA IF EXISTS many CASCADE; CREATE SCHEMA many")
        c.execute(f"DO $$ BEGIN FOR i IN 1..{int(tables)} LOOP EXECUTE format("
                  "'CREATE TABLE many.t%s (id serial PRIMARY KEY, name text)', i); END LOOP; END $$")


def main(rows: int, tables: int) -> None:
    params = {**server(), "dbname": "bench_studio"}
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS bench_studio WITH (FORCE)")
        c.execute("CREATE DATABASE bench_studio")
    setup_django(params)
    fill(params, rows, tables)
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.create_superuser("bench", password="x"))
    base = "/studio/table/?s=big&t=events"
    from schemakit.studio.browse import encode_key

    deep = encode_key([str(rows - 100)])
    cases = [
        ("first page", base),
        ("page deep by key", f"{base}&after={deep}"),
        ("sorted on indexed column", f"{base}&sort=score&dir=desc"),
        ("filtered page", f"{base}&fc=kind&fo=eq&fv=k7"),
        (f"overview, {tables:,} tables", "/studio/"),
    ]
    print(f"{'page':<32} {'median ms':>10} {'spread ms':>10}")
    for name, url in cases:
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (url, r.status_code, r.content[:500])
        print(f"{name:<32} {statistics.median(times):>10.1f} {max(times) - min(times):>10.1f}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 1_000_000, args[1] if len(args) > 1 else 1_000)
