"""Schema evolution: renames, enum values, type changes with data, NOT NULL online, rollback rules."""

from __future__ import annotations

import os
import sys

import psycopg
import pytest

from schemakit.api import generate, migrate, rollback, status
from schemakit.diff.renames import Resolver, parse_rename_flags
from schemakit.errors import ChecksumError, MigrationsDirError, RenameAmbiguity, UsageError

from .helpers import assert_same, project_for, write_schema


def _evolve(p, tmp_path, body, resolver=None):
    write_schema(tmp_path / "schema.py", body)
    g = generate(p, resolver or Resolver(no_renames=True))
    assert g is not None
    return g, migrate(p)


def _q(params, sql):
    with psycopg.connect(**params) as c:
        return c.execute(sql).fetchall()


def _exec(params, sql):
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute(sql)


def test_enum_value_rename_keeps_rows(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 'mood = Enum("mood", ["sad", "ok"])\nt = Table("t", mood("m"))\n')
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO t VALUES ('sad'), ('ok')")
    g, _ = _evolve(p, tmp_path, 'mood = Enum("mood", ["blue", "ok"])\nt = Table("t", mood("m"))\n',
                   Resolver(parse_rename_flags(["mood.sad=mood.blue"])))
    assert "RENAME VALUE 'sad' TO 'blue'" in "".join(g.sql.values())
    assert _q(fresh_db, "SELECT m::text FROM t ORDER BY 1") == [("blue",), ("ok",)]
    rollback(p)
    assert _q(fresh_db, "SELECT m::text FROM t ORDER BY 1") == [("ok",), ("sad",)]


def test_enum_value_removal(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 'mood = Enum("mood", ["a", "b", "c"])\nt = Table("t", mood("m").default("a"))\n')
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO t VALUES ('a'), ('c')")
    _, _ = _evolve(p, tmp_path, 'mood = Enum("mood", ["a", "c"])\nt = Table("t", mood("m").default("a"))\n')
    assert _q(fresh_db, "SELECT enum_range(NULL::mood)::text") == [("{a,c}",)]
    assert _q(fresh_db, "SELECT m::text FROM t ORDER BY 1") == [("a",), ("c",)]
    rollback(p)
    assert _q(fresh_db, "SELECT enum_range(NULL::mood)::text") == [("{a,b,c}",)]


def test_removed_enum_value_in_use_is_flagged(tmp_path, fresh_db):
    from schemakit.api.push import plan_push

    p = project_for(tmp_path, fresh_db, 'mood = Enum("mood", ["a", "b"])\nt = Table("t", mood("m"))\n')
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO t VALUES ('b'), ('b'), ('a')")
    write_schema(tmp_path / "schema.py", 'mood = Enum("mood", ["a"])\nt = Table("t", mood("m"))\n')
    g = generate(p, Resolver(no_renames=True))
    assert any("remove value(s) 'b'" in w for w in g.warnings)
    losses = plan_push(p, Resolver(no_renames=True)).losses
    assert [(type(x.op).__name__, x.rows) for x in losses] == [("RecreateEnum", 2)]


def test_new_enum_value_used_in_same_change(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 'mood = Enum("mood", ["a"])\nt = Table("t", mood("m").default("a"))\n')
    generate(p, Resolver())
    migrate(p)
    after = 'mood = Enum("mood", ["a", "z"])\nt = Table("t", mood("m").default("z"))\n'
    g, applied = _evolve(p, tmp_path, after)
    assert len(applied) == 2  # the value is committed by a migration of its own first
    assert_same(fresh_db, p.load_schema(), admin_params)
    _exec(fresh_db, "INSERT INTO t DEFAULT VALUES")
    assert _q(fresh_db, "SELECT m::text FROM t") == [("z",)]


@pytest.mark.parametrize("before, after, rows, expected", [
    ('text("v")', 'integer("v")', "('1'), ('42'), (NULL)", [(1,), (42,), (None,)]),
    ('varchar("v", 40)', 'uuid("v")', "('6f1d3c50-2b1e-4a57-9a43-1ff0f64f6a4b')", [("6f1d3c50-2b1e-4a57-9a43-1ff0f64f6a4b",)]),
    ('text("v")', 'mood("v")', "('x'), ('y')", [("x",), ("y",)]),
    ('text("v").default("1")', 'bigint("v").default(7)', "('5')", [(5,)]),
])
def test_type_changes_convert_data(tmp_path, fresh_db, admin_params, before, after, rows, expected):
    head = 'mood = Enum("mood", ["x", "y"])\n'
    p = project_for(tmp_path, fresh_db, head + f't = Table("t", {before})\n')
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, f"INSERT INTO t (v) VALUES {rows}")
    g, _ = _evolve(p, tmp_path, head + f't = Table("t", {after})\n')
    assert "USING" in "".join(g.sql.values())
    got = _q(fresh_db, "SELECT v::text FROM t ORDER BY v NULLS LAST")
    assert [(None if v is None else v,) for (v,) in got] == [(None if e[0] is None else str(e[0]),) for e in expected]
    assert_same(fresh_db, p.load_schema(), admin_params)


def test_narrowing_is_flagged(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, 't = Table("t", varchar("v", 200), bigint("n"), numeric("p", 10, 4))\n')
    generate(p, Resolver())
    write_schema(tmp_path / "schema.py", 't = Table("t", varchar("v", 100), integer("n"), numeric("p", 10, 2))\n')
    g = generate(p, Resolver(no_renames=True))
    assert sum("narrowing" in w for w in g.warnings) == 3


def test_rename_table_renames_default_named_objects(tmp_path, fresh_db, admin_params):
    body = ('users = Table("users", serial("id").primary_key(), text("name").unique())\n'
            'posts = Table("posts", serial("id").primary_key(), integer("author_id").references(users.c.id))\n')
    p = project_for(tmp_path, fresh_db, body)
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO users (name) VALUES ('ann'); INSERT INTO posts (author_id) VALUES (1)")
    renamed = body.replace('Table("posts",', 'Table("articles",').replace("author_id", "writer_id")
    g, _ = _evolve(p, tmp_path, renamed, Resolver(parse_rename_flags(["posts=articles", "articles.author_id=articles.writer_id"])))
    sql_text = "".join(g.sql.values())
    assert "DROP TABLE" not in sql_text and "ADD CONSTRAINT" not in sql_text
    for name in ("articles_pkey", "articles_writer_id_fkey", "articles_id_seq"):
        assert f'"{name}"' in sql_text
    assert_same(fresh_db, p.load_schema(), admin_params)
    assert _q(fresh_db, "SELECT writer_id FROM articles") == [(1,)]
    _exec(fresh_db, "INSERT INTO articles (writer_id) VALUES (1)")  # the renamed sequence still feeds the default
    rollback(p)
    assert _q(fresh_db, "SELECT count(*) FROM posts") == [(2,)]


def test_ambiguous_rename_needs_an_answer(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"), integer("b"))\n')
    generate(p, Resolver())
    write_schema(tmp_path / "schema.py", 't = Table("t", integer("c"))\n')
    with pytest.raises(RenameAmbiguity) as info:
        generate(p, Resolver())
    assert info.value.exit_code == 3 and info.value.choices == ["t.a=t.c", "t.b=t.c"]
    with pytest.raises(UsageError, match="no such removed/added pair"):
        generate(p, Resolver(parse_rename_flags(["t.x=t.c"])))
    g = generate(p, Resolver(no_renames=True))
    text = "".join(g.sql.values())
    assert "DROP COLUMN" in text and "RENAME" not in text


def test_rename_flag_that_reads_two_ways_is_a_usage_error(tmp_path, fresh_db):
    # "a.b=a.c": table public.a's column b -> c, or schema a's table b -> c
    p = project_for(tmp_path, fresh_db, 'x = Table("a", integer("b"))\nz = Table("b", integer("y"), schema="a")\n')
    generate(p, Resolver())
    write_schema(tmp_path / "schema.py", 'x = Table("a", integer("c"))\nz = Table("c", integer("y"), schema="a")\n')
    with pytest.raises(UsageError, match="ambiguous: it can name a column or a table"):
        generate(p, Resolver(parse_rename_flags(["a.b=a.c"]), no_renames=True))


def test_not_null_is_set_online(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"))\n')
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO t VALUES (1)")
    g, applied = _evolve(p, tmp_path, 't = Table("t", integer("a").not_null())\n')
    text = "".join(v for k, v in g.sql.items() if not k.endswith(".down.sql"))
    assert "NOT VALID" in text and "VALIDATE CONSTRAINT" in text and len(applied) == 2
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p, steps=2)
    assert _q(fresh_db, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 't'") == [("YES",)]


def test_rollback_rules(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"))\n')
    first = generate(p, Resolver())
    migrate(p)
    second, _ = _evolve(p, tmp_path, 't = Table("t", integer("a"), text("b"))\n')
    third, _ = _evolve(p, tmp_path, 't = Table("t", integer("a"), text("b"), text("c"))\n')
    rolled_back = [s.name for s in rollback(p, to=first.paths[0].stem)]
    assert rolled_back == [third.paths[0].stem, second.paths[0].stem]  # newest first, `first` kept
    assert_same(fresh_db, p.folder.read_snapshot(0)[0], admin_params)
    migrate(p)
    down = p.folder.down_path(p.folder.journal()[-1].name)
    down.write_text(down.read_text().split("\n", 1)[0] + "\n")  # emptied, checksum line kept
    with pytest.raises(ChecksumError, match=r"\.down\.sql was edited after it was generated"):
        rollback(p)
    custom = generate(p, Resolver(), name="data_fix", custom=True)
    migrate(p)
    with pytest.raises(MigrationsDirError, match=r"data_fix\.down\.sql has no statement.*--force"):
        rollback(p)  # a custom down never written undoes nothing: refused, and it stays recorded
    assert [s.state for s in status(p, check_drift=False).migrations][-1] == "applied"
    assert [s.name for s in rollback(p, force=True)] == [custom.paths[0].stem]
    with pytest.raises(UsageError, match="--steps must be 1 or more"):
        rollback(p, steps=0)


def test_serial_to_identity_continues_after_existing_rows(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 't = Table("t", serial("id").primary_key(), text("v"))\n')
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO t (v) VALUES ('a'), ('b'), ('c')")
    _evolve(p, tmp_path, 't = Table("t", integer("id").identity().primary_key(), text("v"))\n')
    _exec(fresh_db, "INSERT INTO t (v) VALUES ('d')")
    assert _q(fresh_db, "SELECT id FROM t WHERE v = 'd'") == [(4,)]
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p)
    _exec(fresh_db, "INSERT INTO t (v) VALUES ('e')")
    assert _q(fresh_db, "SELECT id FROM t WHERE v = 'e'") == [(5,)]


def test_renamed_referenced_table_and_column_keep_foreign_keys(tmp_path, fresh_db, admin_params):
    body = ('users = Table("users", serial("uid").primary_key())\n'
            'posts = Table("posts", integer("author_id").references(users.c.uid))\n')
    p = project_for(tmp_path, fresh_db, body)
    generate(p, Resolver())
    migrate(p)
    renamed = ('people = Table("people", serial("pid").primary_key().renamed_from("uid"), renamed_from="users")\n'
               'posts = Table("posts", integer("author_id").references(people.c.pid))\n')
    g, _ = _evolve(p, tmp_path, renamed)
    up = next(v for k, v in g.sql.items() if not k.endswith(".down.sql"))
    assert "FOREIGN KEY" not in up and "DROP CONSTRAINT" not in up
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p)
    assert_same(fresh_db, p.folder.read_snapshot(0)[0], admin_params)


ENUM_T = 'mood = Enum("mood", ["a", "b"])\nt = Table("t", serial("id").primary_key(), mood("m"), text("note"))\n'


def test_unused_new_enum_value_stays_in_the_transaction(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, ENUM_T)
    generate(p, Resolver())
    migrate(p)
    # a new table with a foreign key and an unrelated 'c' literal (on a text column) beside the new value c
    after = ENUM_T.replace('["a", "b"]', '["a", "b", "c"]') + (
        'u = Table("u", integer("t_id").references(t.c.id), text("s").default("c"), Check("u_s", sql("s <> \'c\'")))\n')
    g, applied = _evolve(p, tmp_path, after)
    assert len(applied) == 1, "an unused value needs no migration of its own"
    up = next(text for name, text in g.sql.items() if not name.endswith(".down.sql"))
    assert not up.startswith("-- schemakit:no-transaction"), up
    assert "ADD VALUE 'c'" in up and "CREATE TABLE" in up and "FOREIGN KEY" in up
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p)
    assert _q(fresh_db, "SELECT enum_range(NULL::mood)::text, to_regclass('u') IS NULL") == [("{a,b}", True)]


@pytest.mark.parametrize("use", [
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), text("note"), Check("t_m", sql("m <> \'c\'")))\n', id="check"),
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), text("note"), Index("t_c", "id", where=sql("m = \'c\'")))\n', id="index-predicate"),
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), text("note"))\nv = View("v", sql("SELECT id FROM t WHERE m = \'c\'"))\n', id="view-body"),
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), text("note"))\nu = Table("u", text("s").check(sql("s::mood <> \'c\'::mood")))\n', id="explicit-cast"),
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), text("note"))\nv = View("v", sql("SELECT id, m FROM t"))\nw = View("w", sql("SELECT id FROM v WHERE m = \'c\'"))\n', id="view-over-view"),
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), mood("m2").default("c"), text("note"))\n', id="new-column-default"),
    pytest.param('t = Table("t", serial("id").primary_key(), mood("m"), mood("note"))\n', id="column-cast-to-the-enum"),
])
def test_used_new_enum_value_is_committed_first(tmp_path, fresh_db, admin_params, use):
    p = project_for(tmp_path, fresh_db, ENUM_T)
    generate(p, Resolver())
    migrate(p)
    _exec(fresh_db, "INSERT INTO t (m, note) VALUES ('a', 'c')")
    g, applied = _evolve(p, tmp_path, 'mood = Enum("mood", ["a", "b", "c"])\n' + use)
    assert len(applied) == 2
    first = g.sql[g.paths[0].name]
    assert first.startswith("-- schemakit:no-transaction") and first.count("--> statement-breakpoint") == 0, first
    assert not g.sql[g.paths[3].name].startswith("-- schemakit:no-transaction")
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p, steps=2)


def test_push_keeps_an_unused_new_enum_value_in_its_transaction(tmp_path, fresh_db, admin_params):
    from schemakit.api.push import apply_push, plan_push

    _exec(fresh_db, "CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood, note text CHECK (note <> 'c'))")
    p = project_for(tmp_path, fresh_db, ENUM_T.replace('["a", "b"]', '["a", "b", "c"]').replace(
        'serial("id").primary_key(), mood("m"), text("note")', 'mood("m"), text("note").check(sql("note <> \'c\'"))')
        + 'u = Table("u", text("s").default("c"))\n')
    pushed = plan_push(p, Resolver(no_renames=True))
    assert pushed.before == [] and any("ADD VALUE 'c'" in s for s in pushed.transactional)
    apply_push(p, pushed)
    assert _q(fresh_db, "SELECT enum_range(NULL::mood)::text, to_regclass('u') IS NOT NULL") == [("{a,b,c}", True)]
    _exec(fresh_db, "ALTER TYPE mood RENAME VALUE 'c' TO 'z'")  # the schema now wants c again, and uses it
    write_schema(tmp_path / "schema.py", ENUM_T.replace('["a", "b"]', '["a", "b", "z", "c"]').replace(
        'mood("m")', 'mood("m").default("c")'))
    pushed = plan_push(p, Resolver(no_renames=True))
    assert pushed.before == ["ALTER TYPE \"public\".\"mood\" ADD VALUE 'c'"]


def test_custom_writes_the_empty_pair_without_diffing(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"))\n')
    generate(p, Resolver())
    write_schema(tmp_path / "schema.py", 't = Table("t", integer("b"))\n')  # a pending rename candidate
    g = generate(p, Resolver(), name="by_hand", custom=True)  # no terminal, no flags: would exit 3 when diffing
    assert [x.name for x in g.paths] == ["0001_by_hand.sql", "0001_by_hand.down.sql", "0001_snapshot.json"]
    assert p.folder.read_snapshot(1)[0] == p.folder.read_snapshot(0)[0]
    write_schema(tmp_path / "schema.py", "raise RuntimeError('half written')\n")
    assert generate(p, Resolver(), name="again", custom=True).paths[0].name == "0002_again.sql"


VIEW_WITH_COMMENT = ('t = Table("t", integer("a"))\n'
                     'v = View("v", sql("SELECT a FROM t -- every row"))\n'
                     'w = View("w", sql("SELECT a FROM v\\n-- note\\n"))\n'
                     'u = Table("u", integer("b"))\n')


def test_view_ending_in_a_comment_pushes(tmp_path, fresh_db, admin_params):
    from schemakit.api.push import apply_push, plan_push
    from schemakit.pg.scratch import build_and_introspect

    p = project_for(tmp_path, fresh_db, VIEW_WITH_COMMENT)
    apply_push(p, plan_push(p, Resolver(no_renames=True)))
    assert _q(fresh_db, "SELECT count(*) FROM pg_views WHERE viewname IN ('v', 'w')") == [(2,)]
    assert plan_push(p, Resolver(no_renames=True)).plan.ops == []
    assert {v.name for v in build_and_introspect(admin_params, p.load_schema()).views} == {"v", "w"}


def test_view_ending_in_a_comment_migrates_and_rolls_back(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, 't0 = Table("t0", integer("a"))\n')
    generate(p, Resolver())
    migrate(p)
    g, _ = _evolve(p, tmp_path, VIEW_WITH_COMMENT)
    assert "-- every row\n;" in g.sql[g.paths[0].name]
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p)
    assert _q(fresh_db, "SELECT count(*) FROM pg_views WHERE viewname IN ('v', 'w')") == [(0,)]


def test_index_renamed_from_settles_the_rename(tmp_path, fresh_db, admin_params):
    from schemakit.api.push import apply_push, plan_push

    before = 't = Table("t", integer("a"), Index("t_a_idx", "a"))\n'
    after = 't = Table("t", integer("a"), Index("t_a_index", "a", renamed_from="t_a_idx"))\n'
    p = project_for(tmp_path, fresh_db, before)
    generate(p, Resolver())
    migrate(p)
    g, _ = _evolve(p, tmp_path, after, Resolver())  # no terminal, no flags: the schema settles it
    assert g.sql[g.paths[0].name] == 'ALTER INDEX "public"."t_a_idx" RENAME TO "t_a_index";\n'
    assert_same(fresh_db, p.load_schema(), admin_params)
    rollback(p)
    write_schema(tmp_path / "schema.py", after)
    pushed = plan_push(p, Resolver())
    assert [o.describe() for o in pushed.plan.ops] == ["rename index public.t_a_idx to t_a_index"]
    apply_push(p, pushed)
    assert _q(fresh_db, "SELECT indexname FROM pg_indexes WHERE tablename = 't'") == [("t_a_index",)]


def test_push_refuses_a_primary_key_over_nulls(tmp_path, fresh_db):
    from schemakit.api.push import plan_push

    _exec(fresh_db, "CREATE TABLE c (cc integer UNIQUE); INSERT INTO c VALUES (1), (NULL)")
    p = project_for(tmp_path, fresh_db, 'c = Table("c", integer("cc").primary_key())\n')
    assert plan_push(p, Resolver(no_renames=True)).doomed == ["PRIMARY KEY (cc) on public.c: 1 row(s) hold NULL"]


def test_schema_file_edited_within_the_same_second_is_read_again(tmp_path, monkeypatch):
    # Python's bytecode cache trusts (mtime in whole seconds, size): an edit of the same size within
    # one second must not load the previous version of the schema
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as on a machine without PYTHONDONTWRITEBYTECODE
    p = project_for(tmp_path, {}, 't = Table("t", integer("a"))\n')
    assert p.load_schema().table("public", "t").column("a") is not None
    path = tmp_path / "schema.py"
    before = path.stat()
    write_schema(path, 't = Table("t", integer("b"))\n')
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert [c.name for c in p.load_schema().table("public", "t").columns] == ["b"]
