"""Hostile and broken input: nothing from a schema module, a snapshot, a file or a database name runs
unless it is meant to, and every bad input is one clear error before anything runs."""

from __future__ import annotations

import json
import sys

import psycopg
import pytest

from schemakit import Enum, Index, Sequence, Table, View, column, integer, numeric, sql, varchar
from schemakit.api import Project, generate, migrate, status
from schemakit.api.check import check
from schemakit.api.pull import pull
from schemakit.api.push import plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import MigrationsDirError, SchemaError
from schemakit.history.folder import MigrationsDir, checksum
from schemakit.pg.quote import ident
from schemakit.schema.compile import compile_objects

from .helpers import create_database, drop_database, project_for, run_sql
from .test_commands import run

BROKEN = [
    pytest.param(lambda: Table("t", varchar("v", "1); DROP TABLE victim; --")), "column v", id="varchar-statement"),
    pytest.param(lambda: Table("t", numeric("n", "10,2); DROP TABLE victim; --")), "column n", id="numeric-statement"),
    pytest.param(lambda: Table("t", integer("i"), Index("i_ix", "i", using="btree (t); CREATE TABLE x; --")),
                 "not an index method", id="using-statement"),
    pytest.param(lambda: Sequence("s", type="bigint; CREATE TABLE x; --"), "smallint, integer or bigint", id="sequence-type"),
    pytest.param(lambda: Table("t", varchar("v", -1)), "column v", id="varchar-negative"),
    pytest.param(lambda: Table("t", varchar("v", "abc")), "column v", id="varchar-text"),
    pytest.param(lambda: Table("t", varchar("v", 0)), "1..10485760", id="varchar-zero"),
    pytest.param(lambda: Table("t", varchar("v", 10485761)), "1..10485760", id="varchar-too-long"),
    pytest.param(lambda: Table("t", numeric("n", 1001)), "1..1000", id="numeric-precision"),
    pytest.param(lambda: Table("t", column("v", "notatype")), "not a PostgreSQL built-in type", id="unknown-type"),
    pytest.param(lambda: Table("t", column("v", "integer); CREATE ROLE x; --")), "column v", id="column-statement"),
    pytest.param(lambda: Table("t", column("v", "text COLLATE \"C\"")), "not a type name alone", id="column-collate"),
    pytest.param(lambda: Table("t\x00x", integer("i")), "NUL", id="nul-in-name"),
    pytest.param(lambda: Table("t", integer("xmin")), "system column", id="system-column-name"),
    pytest.param(lambda: Table("t", *(integer(f"c{k}") for k in range(1601))), "at most 1,600", id="1601-columns"),
    pytest.param(lambda: [Table("a", integer("i"), Index("ix", "i")), Table("b", integer("i"), Index("ix", "i"))],
                 "already has index", id="duplicate-index-name"),
    pytest.param(lambda: Table("t", integer("i"), Index("t", "i")), "already has table public.t", id="index-named-like-table"),
    pytest.param(lambda: Table("t", integer("i").unique(), Index("t_i_key", "i")), "constraint", id="index-named-like-key"),
    pytest.param(lambda: View("v", sql("SELECT 1 AS a"), Index("x" * 64, "a"), materialized=True), "64 bytes",
                 id="matview-index-64-bytes"),
    pytest.param(lambda: Sequence("s", schema="s" * 64), "64 bytes", id="sequence-schema-64-bytes"),
    pytest.param(lambda: Enum("m", "abc"), "list of strings", id="enum-string-values"),
    pytest.param(lambda: Table("t", integer("i").identity(start="5; DROP")), "identity start", id="identity-start-text"),
    pytest.param(lambda: Table("t", integer("i").identity(increment=True)), "identity increment", id="identity-bool"),
    pytest.param(lambda: Sequence("s", start="1"), "start", id="sequence-start-text"),
    pytest.param(lambda: Table("t", integer("i").default(sql("1) + (2"))), "unbalanced", id="default-escapes"),
    pytest.param(lambda: Table("t", integer("i").check(sql("i > 0); DROP TABLE x; --"))), "check", id="check-statement"),
    pytest.param(lambda: View("v", sql("WITH d AS (DELETE FROM x RETURNING 1) SELECT * FROM d")), "data-modifying",
                 id="view-delete"),
    pytest.param(lambda: View("v", sql("SELECT 1) s; DROP TABLE x; SELECT * FROM (SELECT 1")), "view public.v",
                 id="view-statement"),
]


@pytest.mark.parametrize(("make", "message"), BROKEN)
def test_broken_schema_values_are_one_schema_error(make, message):
    with pytest.raises(SchemaError) as err:
        objects = make()
        compile_objects(objects if isinstance(objects, list) else [objects])
    assert message in str(err.value) and "\n" not in str(err.value)


def test_valid_values_still_compile_to_canonical_types():
    db = compile_objects([Table(
        "t", numeric("n", 10, 2), varchar("v", 10485760), column("s", "tsvector"), column("c", "public.citext").array(),
        column("iv", "interval year to month"), column("a", "int[]"),
        Index("t_expr", sql("lower(s::text) text_pattern_ops"), sql("n DESC NULLS LAST"), using="gin"),
    ), View("v", sql("SELECT 1 AS a;"))])
    types = [c.type for c in db.tables[0].columns]
    assert types == ["numeric(10,2)", "character varying(10485760)", "tsvector", '"public"."citext"[]',
                     "interval year to month", "integer[]"]
    assert db.views[0].query == "SELECT 1 AS a"


@pytest.fixture
def db(admin_params):
    params = create_database(admin_params)
    yield params
    drop_database(admin_params, params)


def _roles(params) -> set[str]:
    with psycopg.connect(**params) as c:
        return {r[0] for r in c.execute("SELECT rolname FROM pg_roles")}


def _applied_project(tmp_path, params) -> Project:
    p = project_for(tmp_path, params, 'users = Table("users", integer("id").primary_key(), text("name"))\n')
    generate(p, Resolver())
    migrate(p)
    return p


def _edit_snapshot(p: Project, edit, reseal: bool) -> None:
    folder = p.folder
    path = folder.snapshot_path(0)
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    if reseal:  # an attacker who also updates the journal's checksum
        journal_path = folder.meta / "_journal.json"
        journal = json.loads(journal_path.read_text())
        journal["entries"][0]["snapshot"] = checksum(path.read_bytes())
        journal_path.write_text(json.dumps(journal))


INJECTED_TYPE = "text); CREATE ROLE sk_evil SUPERUSER LOGIN; CREATE TABLE z (y int"


@pytest.mark.parametrize("reseal", [False, True], ids=["edited", "edited-and-resealed"])
def test_snapshot_type_never_runs_as_sql(tmp_path, db, reseal, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    p = _applied_project(tmp_path, db)
    _edit_snapshot(p, lambda d: d["tables"][0]["columns"][1].update(type=INJECTED_TYPE), reseal)
    with pytest.raises(MigrationsDirError) as err:
        status(p)
    message = str(err.value)
    assert "0000_snapshot.json" in message and "\n" not in message
    assert ("tables[0].columns[1].type" in message or "column name" in message) if reseal else "edited" in message
    assert "sk_evil" not in _roles(db)
    assert any("0000_snapshot.json" in e for e in check(p, database=True).errors) if not reseal else True


def test_snapshot_wrong_shapes_are_refused_naming_the_key(tmp_path, db):
    p = _applied_project(tmp_path, db)
    _edit_snapshot(p, lambda d: d["tables"][0]["columns"][0].update(not_null="yes"), reseal=True)
    with pytest.raises(MigrationsDirError, match=r"0000_snapshot.json: .*tables\[0\]\.columns\[0\]\.not_null"):
        p.folder.latest()


def test_edited_snapshot_is_reported_by_check_and_refused_by_generate(tmp_path, db):
    p = _applied_project(tmp_path, db)
    path = p.folder.snapshot_path(0)
    path.write_text(path.read_text().replace('"name"', '"nom"'))
    assert any("0000_snapshot.json was edited" in e for e in check(p).errors)
    with pytest.raises(MigrationsDirError, match="0000_snapshot.json was edited"):
        generate(p, Resolver())


def test_broken_journals_are_one_line(tmp_path):
    folder = MigrationsDir(tmp_path / "migrations")
    folder.meta.mkdir(parents=True)
    journal = folder.meta / "_journal.json"
    for entries in ([{"index": "0", "name": "0000_a", "created": "x"}],
                    [{"index": 0, "name": "../../secret", "created": "x"}],
                    "nope", [{"index": 0, "name": "0000_a", "created": "x", "transactional": "yes"}]):
        journal.write_text(json.dumps({"version": 1, "entries": entries}))
        with pytest.raises(MigrationsDirError, match="not a valid journal"):
            folder.journal()
    journal.unlink()
    journal.mkdir()
    with pytest.raises(MigrationsDirError, match="not a valid journal"):
        folder.journal()
    (tmp_path / "userschema.py").write_text("")
    r = run("db_generate", tmp=tmp_path)
    assert r.returncode == 1 and "not a valid journal" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def _custom(p: Project, body: bytes) -> str:
    g = generate(p, Resolver(), name="custom", custom=True)
    g.paths[0].write_bytes(body)
    return g.paths[0].stem


def test_bom_is_stripped_and_checksums_hold(tmp_path, db):
    p = project_for(tmp_path, db, "")
    _custom(p, "\ufeff-- schemakit:custom\nCREATE TABLE bom_t (id int);\n".encode())
    migrate(p)
    assert [m.state for m in status(p, check_drift=False).migrations] == ["applied"]
    with psycopg.connect(**db) as c:
        assert c.execute("SELECT to_regclass('bom_t') IS NOT NULL").fetchone()[0]


def test_transaction_control_in_transactional_file_is_refused(tmp_path, db):
    p = project_for(tmp_path, db, "")
    body = b"CREATE TABLE half (id int);\n--> statement-breakpoint\nCOMMIT;\n--> statement-breakpoint\nSELECT 1/0;\n"
    _custom(p, body)
    with pytest.raises(MigrationsDirError, match=r"statement 2: COMMIT"):
        migrate(p)
    with psycopg.connect(**db) as c:
        assert not c.execute("SELECT to_regclass('half') IS NOT NULL").fetchone()[0]
    assert any("statement 2: COMMIT" in e for e in check(p).errors)


def test_generate_writes_gitattributes_and_journal_checksums(tmp_path):
    p = project_for(tmp_path, {}, 't = Table("t", integer("id"))\n')
    generate(p, Resolver())
    assert "*.sql -text" in (p.migrations_dir / ".gitattributes").read_text()
    entry = p.folder.journal()[0]
    assert entry.snapshot == checksum(p.folder.snapshot_path(0).read_bytes())


TQ = '"' * 3  # a triple quote, spelled so that this file can hold the payloads
HOSTILE_DB = 'a<TQ>+str(__import__("sys").modules.setdefault("pwn1",1))+<TQ>'.replace("<TQ>", TQ)
HOSTILE_CONTENT = r"""
CREATE SCHEMA "q'''s";
CREATE TYPE "q'''s"."m""ood" AS ENUM ('a<TQ>b', 'c''d', 'e\f', '<TQ>+__import__("sys").modules.setdefault("pwn3",1)+<TQ>');
CREATE TABLE "q'''s"."t<TQ>"x" (
  "id" integer PRIMARY KEY,
  "c<TQ><TQ>+__import__('os')" text DEFAULT 'x<TQ>y\z' CHECK ("c<TQ><TQ>+__import__('os')" <> E'<TQ>\n'),
  "m" "q'''s"."m""ood",
  "back\slash" text
);
COMMENT ON TABLE "q'''s"."t<TQ>"x" IS E'<TQ>+str(__import__("sys").modules.setdefault("pwn2",1))+<TQ>\n\\ # ''';
COMMENT ON COLUMN "q'''s"."t<TQ>"x"."m" IS E'line\nbreak <TQ> \\';
CREATE INDEX "i<TQ><TQ>x" ON "q'''s"."t<TQ>"x" (lower("back\slash")) WHERE "back\slash" <> '<TQ>';
CREATE VIEW "q'''s"."v<TQ>"" AS SELECT '<TQ>' || "back\slash" AS "x<TQ>"y" FROM "q'''s"."t<TQ>"x";
""".replace("<TQ>", TQ)


def test_pulled_module_holds_names_and_comments_as_literals(tmp_path, admin_params):
    params = {**admin_params, "dbname": HOSTILE_DB}
    with psycopg.connect(**admin_params, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {ident(HOSTILE_DB)} TEMPLATE template0")
    try:
        run_sql(params, HOSTILE_CONTENT)
        module = pull(Project([], tmp_path, params=lambda: params))
        path = tmp_path / "pulled.py"
        path.write_text(module)
        p = Project([str(path)], tmp_path / "migrations", params=lambda: params)
        p.load_schema()  # imports the module
        assert not {"pwn1", "pwn2", "pwn3"} & set(sys.modules)
        assert not plan_push(p, Resolver(no_renames=True)).plan  # the module round-trips
    finally:
        with psycopg.connect(**admin_params, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {ident(HOSTILE_DB)} WITH (FORCE)")
