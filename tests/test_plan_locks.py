"""db_migrate --plan names the lock each statement takes: checked against pg_locks on a real server."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from schemakit.history.plan_locks import locks

SETUP = """
CREATE TABLE "public"."p" ("id" integer PRIMARY KEY);
CREATE TABLE "public"."t" ("id" integer, "v" text, "p_id" integer, CONSTRAINT "t_nv" CHECK ("id" > 0) NOT VALID);
CREATE INDEX "t_v" ON "public"."t" ("v");
INSERT INTO "public"."p" VALUES (1); INSERT INTO "public"."t" VALUES (1, 'a', 1);
"""
STATEMENTS = [
    'ALTER TABLE "public"."t" ADD COLUMN "w" text',
    'ALTER TABLE "public"."t" ADD COLUMN "n" integer NOT NULL DEFAULT 0',
    'ALTER TABLE "public"."t" DROP COLUMN "v"',
    'ALTER TABLE "public"."t" ALTER COLUMN "v" SET DATA TYPE varchar(10) USING "v"::varchar(10)',
    'ALTER TABLE "public"."t" ALTER COLUMN "v" SET NOT NULL',
    'ALTER TABLE "public"."t" ALTER COLUMN "v" DROP NOT NULL',
    'ALTER TABLE "public"."t" ALTER COLUMN "v" SET DEFAULT \'x\'',
    'ALTER TABLE "public"."t" ADD CONSTRAINT "t_ck" CHECK ("id" > 0)',
    'ALTER TABLE "public"."t" ADD CONSTRAINT "t_ck" CHECK ("id" > 0) NOT VALID',
    'ALTER TABLE "public"."t" VALIDATE CONSTRAINT "t_nv"',
    'ALTER TABLE "public"."t" ADD CONSTRAINT "t_fk" FOREIGN KEY ("p_id") REFERENCES "public"."p" ("id")',
    'ALTER TABLE "public"."t" ADD CONSTRAINT "t_fk" FOREIGN KEY ("p_id") REFERENCES "public"."p" ("id") NOT VALID',
    'ALTER TABLE "public"."t" ADD CONSTRAINT "t_u" UNIQUE ("id")',
    'ALTER TABLE "public"."t" DROP CONSTRAINT "t_nv"',
    'ALTER TABLE "public"."t" RENAME COLUMN "v" TO "v2"',
    'ALTER TABLE "public"."t" RENAME TO "t2"',
    'CREATE INDEX "t_id" ON "public"."t" USING btree ("id")',
    'CREATE UNIQUE INDEX "t_id" ON "public"."t" USING btree ("id")',
    'COMMENT ON TABLE "public"."t" IS \'hi\'',
    'DROP TABLE "public"."t"',
]
MODES = {"AccessExclusiveLock": "ACCESS EXCLUSIVE", "ShareRowExclusiveLock": "SHARE ROW EXCLUSIVE", "ShareLock": "SHARE",
         "ShareUpdateExclusiveLock": "SHARE UPDATE EXCLUSIVE", "RowShareLock": "ROW SHARE",
         "AccessShareLock": "ACCESS SHARE", "RowExclusiveLock": "ROW EXCLUSIVE", "ExclusiveLock": "EXCLUSIVE"}
ORDER = ["ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
         "EXCLUSIVE", "ACCESS EXCLUSIVE"]


def _strongest(conn, pid: int, oid: int) -> str:
    modes = [MODES[m] for (m,) in conn.execute(
        "SELECT mode FROM pg_locks WHERE pid = %s AND locktype = 'relation' AND relation = %s", (pid, oid))]
    return max(modes, key=ORDER.index) if modes else "none"


@pytest.fixture
def db(fresh_db):
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute(SETUP.encode())
        oids = dict(c.execute("SELECT relname::text, oid::int FROM pg_class WHERE relname IN ('t', 'p')").fetchall())
    return fresh_db, oids


@pytest.mark.parametrize("statement", STATEMENTS)
def test_annotation_names_the_lock_actually_taken(db, statement):
    params, oids = db
    predicted = {lk.relation.split(".")[-1].strip('"'): lk.mode for lk in locks(statement)}
    with psycopg.connect(**params) as c:  # the statement's locks stay until the transaction ends: read them, roll back
        c.execute(statement.encode())
        pid = c.info.backend_pid
        actual = {name: _strongest(c, pid, oid) for name, oid in oids.items()}
        c.rollback()
    assert predicted["t"] == actual["t"], (statement, predicted, actual)
    if "p" in predicted:
        assert predicted["p"] == actual["p"]


@pytest.mark.parametrize("statement", ['CREATE INDEX CONCURRENTLY "t_id" ON "public"."t" USING btree ("id")',
                                       'DROP INDEX CONCURRENTLY "public"."t_v"'])
def test_concurrently_statements_sampled_while_they_wait(db, statement):
    params, oids = db
    predicted = locks(statement)[0].mode
    with psycopg.connect(**params) as writer, psycopg.connect(**params, autocommit=True) as runner, \
            psycopg.connect(**params, autocommit=True) as sampler:
        writer.execute("INSERT INTO t VALUES (2, 'b', 1)")  # an open writer: the build waits for it, holding its lock
        th = threading.Thread(target=lambda: runner.execute(statement.encode()))
        th.start()
        pid = runner.info.backend_pid
        deadline, actual = time.monotonic() + 20, "none"
        while actual == "none" and time.monotonic() < deadline:
            actual = _strongest(sampler, pid, oids["t"])
            time.sleep(0.02)
        writer.commit()
        th.join(20)
    assert predicted == actual == "SHARE UPDATE EXCLUSIVE"


def test_plan_prints_each_statement_with_its_lock_and_the_table_size(tmp_path, fresh_db):
    from schemakit.api import generate, migrate
    from schemakit.diff.renames import Resolver

    from .helpers import project_for
    from .test_migrate import _custom, manage

    p = project_for(tmp_path, fresh_db, 'users = Table("users", serial("id").primary_key(), text("name"))\n')
    generate(p, Resolver())
    migrate(p)
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute("INSERT INTO users (name) SELECT 'n' || g FROM generate_series(1, 1000) g; ANALYZE users")
    _custom(p, "ALTER TABLE users ALTER COLUMN name TYPE varchar(80);\n--> statement-breakpoint\n"
               "CREATE INDEX CONCURRENTLY users_name ON users (name);", "two")
    r = manage("db_migrate", "--plan", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert ('-- statement 1: ACCESS EXCLUSIVE on "users" (blocks reads and writes); rewrites the table '
            '(unless the types are binary-compatible); ') in r.stdout and "~1000 rows" in r.stdout
    assert '-- statement 2: SHARE UPDATE EXCLUSIVE on "users" (blocks other DDL only); scans the table; ' in r.stdout
    assert "; lint [alter-column-type]: changing a column's type rewrites the table" in r.stdout  # the rules it triggers
    assert "lint [concurrently-in-transaction]" in r.stdout.split("-- statement 2:")[1]
