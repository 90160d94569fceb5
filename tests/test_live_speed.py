"""Issue 12's shortcuts for the commands that read the live database give what the long way gave."""

from __future__ import annotations

import psycopg
import pytest

from schemakit.api import generate, migrate, status
from schemakit.diff.renames import Resolver
from schemakit.errors import BuildError
from schemakit.pg import canonical
from schemakit.pg.introspect import fetch, introspect
from schemakit.schema import snapshot

from .helpers import project_for
from .test_fast_paths import synthetic_db

# the indexes query before issue 12: one subquery per index and key (the reference for the new one)
OLD_INDEX_KEYS = """
SELECT ic.relname AS name,
       ARRAY(SELECT a.attname::text FROM generate_series(0, i.indnkeyatts - 1) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] AND i.indkey[k] <> 0
             ORDER BY k) AS key_columns,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) END
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k) AS key_exprs,
       ARRAY(SELECT i.indoption[k]::int FROM generate_series(0, i.indnkeyatts - 1) k ORDER BY k) AS options,
       ARRAY(SELECT a.attname::text FROM generate_series(i.indnkeyatts, i.indnatts - 1) k
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] ORDER BY k) AS include
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
"""


def test_index_keys_named_in_python_match_the_old_subqueries(fresh_db):
    """Key and INCLUDE columns named from attribute numbers equal what the per-key subqueries gave:
    expressions, DESC / NULLS FIRST, INCLUDE, a dropped column before, an index on a materialized view."""
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA "Other"')
        conn.execute('CREATE TABLE "Other".t (gone int, "we""ird" text, b int, c int)')
        conn.execute('ALTER TABLE "Other".t DROP COLUMN gone')
        conn.execute('CREATE INDEX i1 ON "Other".t (b DESC NULLS LAST, lower("we""ird"), c NULLS FIRST) INCLUDE ("we""ird")')
        conn.execute('CREATE UNIQUE INDEX i2 ON "Other".t ((b + c), b) WHERE c > 0')
        conn.execute('CREATE INDEX i3 ON "Other".t (c) INCLUDE (b, "we""ird")')
        conn.execute('CREATE MATERIALIZED VIEW mv AS SELECT b AS x, c AS y FROM "Other".t')
        conn.execute("CREATE INDEX i4 ON mv (y, (x * 2))")
        old = {r[0]: r[1:] for r in conn.execute(OLD_INDEX_KEYS).fetchall()}
        rows = fetch(conn)["indexes"]
    new = {i["name"]: (i["key_columns"], i["key_exprs"], i["options"], i["include"]) for i in rows}
    assert set(new) == {"i1", "i2", "i3", "i4"}
    assert new == {k: tuple(list(x) for x in v) for k, v in old.items()}


def _patterned(n: int) -> str:
    """Tables cut from one pattern (and one that differs, one a view reads, one in another schema)."""
    tables = [f't{k} = Table("t{k}", serial("id").primary_key(), varchar("name", 50), st("s").default("a"),'
              f' numeric("price", 10, 2).check(sql("price >= 0")), Index("t{k}_lower", sql("lower(name)")),'
              f' Index("t{k}_plain", "price"))' for k in range(n)]
    tables.append('odd = Table("odd", serial("id").primary_key(), varchar("name", 50), st("s").default("b"),'
                  ' numeric("price", 10, 2).check(sql("price > 1")), Index("odd_lower", sql("upper(name)")))')
    tables.append('far = Table("far", varchar("name", 50), st("s").default("a"), numeric("price", 10, 2)'
                  '.check(sql("price >= 0")), Index("far_lower", sql("lower(name)")), schema="other")')
    tables.append('v = View("v", sql("SELECT id, name FROM t0 GROUP BY id"))')
    return 'st = Enum("st", ["a", "b"])\n' + "\n".join(tables) + "\n"


# fragments a holder must spell as the table's own copy does: mixed-case, quoted and non-ASCII column
# names, one check text over columns of different types, opclasses and DESC, a partial index, defaults
# of every kind, a table named by another's SQL (a row type), a generated column, another schema
_TRICKY = """
st = Enum("st", ["a", "b"])
t_a = Table("t_a", serial("id").primary_key(), numeric("Price", 10, 2), text('we"ird'), text("größe"),
            st("s").default("a"), jsonb("meta").not_null().default({}), varchar("v", 20).default("x"),
            timestamp("at", tz=True).default(sql("now()")), bigint("n").identity(),
            Check("t_a_both", sql('"Price" > 0 AND length("we""ird") > 1')), Check("t_a_g", sql("length(größe) < 9")),
            Index("t_a_lower", sql('lower("we""ird") text_pattern_ops DESC')),
            Index("t_a_open", "s", where=sql("s <> 'b'")), Index("t_a_plain", "v"))
t_b = Table("t_b", integer("Price"), text('we"ird'), Check("t_b_both", sql('"Price" > 0 AND length("we""ird") > 1')),
            Index("t_b_lower", sql('lower("we""ird") text_pattern_ops DESC')))
t_c = Table("t_c", integer("price").check(sql("price > 0")), numeric("total").generated(sql("price * 2")))
t_d = Table("t_d", column("row", "public.t_b"), integer("k").check(sql("k <> 1")))
far = Table("far", integer("Price"), text('we"ird'), Check("far_both", sql('"Price" > 0 AND length("we""ird") > 1')),
            schema="other")
"""


@pytest.mark.parametrize("body", [_TRICKY, None], ids=["tricky", "patterned"])
def test_fragments_packed_in_holders_canonicalise_as_tables_built_one_by_one(tmp_path, fresh_db, monkeypatch, body):
    """PostgreSQL spells each fragment in a holder table as in a copy of its own table."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    db = project_for(tmp_path, fresh_db, body or _patterned(5)).load_schema()
    built, p = canonical.packed(db)
    fast = canonical.canonicalize(fresh_db, db)
    monkeypatch.setattr(canonical, canonical.packed.__name__, lambda d: (canonical.stripped(d), None))
    slow = canonical.canonicalize(fresh_db, db)
    assert snapshot.plain(fast, full=True) == snapshot.plain(slow, full=True)
    assert fast != db  # PostgreSQL's spelling differs from the module's
    if body:  # t_b is named by t_d's column type: both built as themselves, like the generated column's t_c
        assert p.whole == {("public", "t_b"), ("public", "t_c"), ("public", "t_d")}
        assert {h[1] for h in p.holders} <= {t.name for t in built.tables if t.schema in ("public", "other")}
    else:  # every t_k checks and indexes the same columns: one holder for them, one for the values
        assert p.whole == {("public", "t0")} and len(p.holders) == 4  # public and other: values, fragments
        assert fast.table("public", "t3").checks[0].name == "t3_price_check"


def test_the_benchmark_schema_packs_into_four_holders():
    """bench/synthetic.py's 1,000 tables (README): one holder of values, and the checks and indexes of
    tables that mention (name, price) or (name, price, status), at most PER_HOLDER on each."""
    built, p = canonical.packed(synthetic_db(1000))
    assert not p.whole and len(p.holders) == 4 and len(built.tables) == 4
    assert sorted(len(t.checks) for t in built.tables) == [0, 200, 300, 500]


def test_names_written_quoted_or_with_a_dollar_are_found(tmp_path):
    """A table named only in quotes (a row type) is built as itself with the table naming it; a
    column spelled with $ or in quotes goes on its holder; a quote mark inside a literal misleads nothing."""
    db = project_for(tmp_path, {}, r"""
w = Table("t-1", integer("a"))
u = Table("u", integer("a"), Check("u_row", sql('(ROW(a)::"t-1").a > 0')))
x = Table("x", integer("a$b"), text('we"ird'), integer("c"),
          Check("x_c", sql("a$b > 0 AND c > 0")), Check("x_q", sql('length(\'"\') > 0 AND "we""ird" <> \'\'')))
""").load_schema()
    built, p = canonical.packed(db)
    assert p.whole == {("public", "t-1"), ("public", "u")}
    holder = next(t for t in built.tables if t.checks)
    assert [c.name for c in holder.columns] == ["a$b", 'we"ird', "c"]


def test_a_view_naming_a_table_in_unicode_escapes_builds_every_table_as_itself(tmp_path, fresh_db, monkeypatch):
    r"""U&"\0074" is t: the word test cannot read it, so no table is packed or left storage-free."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    db = project_for(tmp_path, fresh_db, r"""
t = Table("t", integer("a"), integer("b").check(sql("b > 0")))
v = View("v", sql('SELECT * FROM U&"\\0074"'))
""").load_schema()
    built, p = canonical.packed(db)
    assert p.whole == {("public", "t")} and not p.holders
    fast = canonical.canonicalize(fresh_db, db)
    assert "scratch" not in fast.views[0].query and "b" in fast.views[0].query


def test_a_schema_that_does_not_build_names_its_own_statement(tmp_path, fresh_db, monkeypatch):
    """When the packed build fails, the tables are built as themselves to name the user's statement."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    db = project_for(tmp_path, fresh_db, 't = Table("t", integer("a").check(sql("a > length(1)")))').load_schema()
    with pytest.raises(BuildError) as err:
        canonical.canonicalize(fresh_db, db)
    assert "function length(integer) does not exist" in str(err.value)
    assert str(err.value).endswith('."t" (') and "schemakit_holder" not in str(err.value)


def test_status_without_drift_skips_the_model_and_still_sees_drift(tmp_path, fresh_db, monkeypatch):
    """The second db_status answers from the pointer to the cached canonical form; a change to the
    database makes the bytes differ, and the full path reports it."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    p = project_for(tmp_path, fresh_db, _patterned(3))
    generate(p, Resolver())
    migrate(p)
    assert status(p).drift == []  # the full path, which leaves the pointer
    source = p.folder.snapshot_bytes(p.folder.journal()[-1].index)
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        assert canonical.matches_cached(fresh_db, source, introspect(conn, p.ignored))
    assert status(p).drift == []
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute("ALTER TABLE t1 ADD COLUMN extra int")
        assert not canonical.matches_cached(fresh_db, source, introspect(conn, p.ignored))
    assert status(p).drift == ["drop column public.t1.extra and its data"]


@pytest.mark.parametrize("within, tables", [("", {"t", "u"}), ("oth", {"u"})])
def test_introspection_within_a_schema_prefix(fresh_db, within, tables):
    """`within` limits every catalog query to the schemas whose names start with it."""
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA other; CREATE TABLE t (a int); CREATE TABLE other.u (b int CHECK (b > 0))")
        conn.execute("CREATE INDEX ON other.u ((b + 1))")
        db = introspect(conn, within=within)
    assert {t.name for t in db.tables} == tables
    assert "other" in db.schemas and db.table("other", "u").indexes[0].elements == ("(b + 1)",)


def _old_fk_order(tables):
    """schema/writer._fk_order before issue 12: recursive, the path copied at every step."""
    by_key = {t.key: t for t in tables}
    out, seen = [], set()

    def visit(t, stack):
        if t.key in seen or t.key in stack:
            return
        for f in t.foreign_keys:
            ref = by_key.get((f.ref_schema, f.ref_table))
            if ref is not None and ref.key != t.key:
                visit(ref, stack | {t.key})
        seen.add(t.key)
        out.append(t)

    for t in tables:
        visit(t, frozenset())
    return out


def _fk_tables(edges: dict[int, list[int]], n: int) -> tuple:
    from schemakit.schema import model

    return tuple(model.Table("public", f"t{k:05d}", (model.Column("id", "integer"),), foreign_keys=tuple(
        model.ForeignKey(f"f{j}", ("id",), "public", f"t{j:05d}", ("id",)) for j in edges.get(k, ()))) for k in range(n))


def test_writer_table_order_is_the_recursive_walks_and_survives_deep_chains():
    import random

    from schemakit.schema.writer import _fk_order

    rnd = random.Random(12)
    for _ in range(200):
        n = rnd.randint(1, 12)
        edges = {k: [rnd.randrange(n) for _ in range(rnd.randint(0, 3))] for k in range(n)}
        tables = _fk_tables(edges, n)
        assert [t.key for t in _fk_order(tables)] == [t.key for t in _old_fk_order(tables)]
    chain = _fk_tables({k: [k + 1] for k in range(2999)}, 3000)  # each references the next: 3,000 deep
    assert [t.name for t in _fk_order(chain)] == [f"t{k:05d}" for k in reversed(range(3000))]


@pytest.mark.parametrize("text", [
    None,  # a snapshot as schemakit writes it (filled in below)
    '{"id": "a", "parent": "b", "tables": []}',  # not laid out by schemakit: parsed whole
    '{\n  "enums": [\n    {\n      "id": "nested"\n    }\n  ],\n  "id": "top",\n  "parent": null\n}\n',
    '{\n  "id": "x\\"y",\n  "parent": "p\\\\q",\n  "version": 1\n}\n',
    '{\n  "id": 5,\n  "parent": null\n}\n',  # not a string: whatever the whole parse says
])
def test_snapshot_head_reads_what_the_whole_parse_reads(text):
    import orjson

    from schemakit.history.folder import snapshot_head
    from schemakit.schema import model as m

    if text is None:
        db = m.build_database({"s"}, tables=[m.Table("s", "id", (m.Column("id", "integer"),))])
        text = snapshot.dumps(db, "the-id", "the-parent")
    whole = orjson.loads(text)
    assert snapshot_head(text.encode()) == (whole["id"], whole.get("parent"))
    assert snapshot_head(text.encode(), as_written=False) == (whole["id"], whole.get("parent"))


def test_a_snapshot_of_unknown_origin_is_parsed_whole():
    """A crafted layout puts a nested key on a top-level-looking line: without the journal's checksum
    vouching for the bytes, the head is what the whole parse says."""
    from schemakit.history.folder import snapshot_head

    crafted = b'{\n  "x": {\n  "id": "fake"\n},\n  "parent": null,\n "id": "real"\n}\n'
    assert snapshot_head(crafted, as_written=False) == ("real", None)
    assert snapshot_head(crafted) == ("fake", None)  # what the line read alone would take


def _old_rename(db, names, sql):
    """pg/inplace.rename before issue 12: the model through its snapshot JSON and back."""
    import json

    def walk(value):
        if isinstance(value, dict):
            return {k: (names.get(v, v) if k in ("schema", "ref_schema") and isinstance(v, str)
                        else [names.get(s, s) for s in v] if k == "schemas"
                        else walk(v) if k not in ("type", "default", "generated", "expr", "elements", "where", "query")
                        else sql(v) if isinstance(v, str)
                        else [sql(x) for x in v] if isinstance(v, list) else v)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return snapshot.loads(json.dumps({"id": "", **walk(snapshot.plain(db))}))[0]


def test_rename_in_place_matches_the_round_trip_through_json(tmp_path, fresh_db):
    """The model renamed field by field equals the old rename through snapshot JSON, renames kept."""
    from schemakit.pg.inplace import rename, requalify, schemas_of

    text = _patterned(3) + ('w = Table("w", integer("a").renamed_from("b"), st("s").default("a"), schema="other",'
                            ' renamed_from="w0")\n'
                            'x = Table("x", integer("id").primary_key(), integer("w_a").references(w.c.a),'
                            ' Index("x_lower", sql("abs(w_a)"), concurrently=True, renamed_from="x_old"))\n')
    db = project_for(tmp_path, fresh_db, text).load_schema()
    forward = {s: f"tmp_{n}" for n, s in enumerate(sorted(schemas_of(db)))}
    objects = {o.key for o in (*db.enums, *db.sequences, *db.tables, *db.views)}
    for names, sql in ((forward, lambda t: requalify(t, forward, objects)), ({}, str.upper)):
        new, old = rename(db, names, sql), _old_rename(db, names, sql)
        assert snapshot.plain(new, full=True) == snapshot.plain(old, full=True)
        assert [t.key for t in new.tables] == [t.key for t in old.tables]


def test_push_with_a_warm_cache_skips_the_model_only_when_nothing_changed(tmp_path, fresh_db, monkeypatch):
    """A no-op push whose cached canonical form is the live schema's JSON takes the live model; a change
    in the database is still planned (the bytes differ and the cached form is built)."""
    from schemakit.api.push import apply_push, plan_push

    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    p = project_for(tmp_path, fresh_db, _patterned(3))
    apply_push(p, plan_push(p, Resolver(no_renames=True)))
    first = plan_push(p, Resolver(no_renames=True))  # fills the cache
    again = plan_push(p, Resolver(no_renames=True))
    assert not first.plan.ops and not again.plan.ops
    assert snapshot.plain(again.target, full=True) == snapshot.plain(first.target, full=True)
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute("ALTER TABLE t2 DROP CONSTRAINT t2_price_check")
    assert [op.describe() for op in plan_push(p, Resolver(no_renames=True)).plan.ops] == [
        "add constraint t2_price_check on public.t2 (fails if existing rows violate it)"]


@pytest.mark.parametrize("pack", [False, True], ids=["whole", "packed"])
def test_a_large_stripped_copy_is_built_in_batches_with_the_same_result(tmp_path, fresh_db, monkeypatch, pack):
    """Each rolled-back transaction builds at most BATCH tables and indexes besides the views' (PostgreSQL's
    lock table runs out near 2,000 tables in one); the batches together give what one build gives."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    if not pack:
        monkeypatch.setattr(canonical, canonical.packed.__name__, lambda d: (canonical.stripped(d), None))
    db = project_for(tmp_path, fresh_db, _patterned(5)).load_schema()
    whole = canonical.canonicalize(fresh_db, db)
    parts: list[list[str]] = []
    real = canonical.in_batches

    def counted(stripped, build):
        return real(stripped, lambda part: parts.append([t.name for t in part.tables]) or build(part))

    monkeypatch.setattr(canonical, "BATCH", 4)
    monkeypatch.setattr(canonical, canonical.in_batches.__name__, counted)
    batched = canonical.canonicalize(fresh_db, db)
    if pack:  # the view's t0 (itself and an index), then the holders of "other" and of "public"
        assert [len(p) for p in parts] == [2, 2, 1] and "t0" in parts[0]
    else:  # two tables of one fragment index each fill a batch
        assert parts == [["far", "t0"], ["odd", "t1"], ["t2", "t3"], ["t4"]]
    assert snapshot.plain(batched, full=True) == snapshot.plain(whole, full=True)


def test_a_whole_row_check_is_read_back_and_canonicalised(tmp_path, fresh_db, monkeypatch):
    """A check on the row as a whole (attribute 0 in conkey) is read like any other; its table names
    itself, so it is built as itself, and PostgreSQL's spelling matches the live table's."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (a integer, CONSTRAINT c CHECK (t IS NOT NULL))")
        live = introspect(conn)
    db = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"), Check("c", sql("t IS NOT NULL")))').load_schema()
    assert canonical.packed(db)[1].whole == {("public", "t")}
    assert canonical.canonicalize(fresh_db, db).tables[0].checks == live.tables[0].checks
    assert live.tables[0].checks[0].expr == "t.* IS NOT NULL"
