"""Read a live database back into the canonical model, with a fixed number of catalog queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from importlib import resources
from threading import Thread
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from ..errors import SchemaKitError
from ..schema import model
from ..schema.names import seq_name
from .quote import ident

Ignore = Callable[[str, str], bool]  # (schema, relation) -> leave it alone?
QUERIES = ("schemas", "enums", "relations", "columns", "constraints", "indexes", "sequences", "extensions")
_FK_ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
_SERIAL_OF = {v: k for k, v in model.SERIAL_TYPES.items()}


@cache
def query(name: str, server_version: int) -> str:
    text = resources.files("schemakit.pg").joinpath(f"queries/{name}.sql").read_text()
    if server_version < 150000:  # NULLS NOT DISTINCT arrived in PostgreSQL 15
        text = text.replace("NOT i.indnullsnotdistinct", "true")
    return text


QUERY_COUNT = [0]  # catalog queries run by this process (the benchmark reports it)
# run on a second connection when there is one: both deparse expressions against their table, which
# builds that table's cache entry in the server process, so they share one process
BESIDE = ("constraints", "indexes")
# per transaction: catalog sorts of 10,000 tables spill to disk at the default 4MB, and parallel
# workers start with cold caches and fight the connections schemakit already runs side by side
_SETTINGS = ("SELECT set_config('search_path', 'pg_catalog', true), set_config('schemakit.within', %s, true),"
             " set_config('work_mem', '64MB', true), set_config('max_parallel_workers_per_gather', '0', true)")
Connect = Callable[[], psycopg.Connection]
Rows = dict[str, list[dict[str, Any]]]


def fetch(conn: psycopg.Connection, within: str = "", connect: Connect | None = None,
          early: Callable[[Rows], object] | None = None) -> Rows:
    """Run every catalog query once, with a search_path that makes PostgreSQL qualify every name;
    `within`: only schemas whose names start with it (a scratch build among the target's own);
    `connect`: a second connection to share the queries with (in one snapshot), when `conn` is idle;
    `early`: called with the rows of the other queries while the second connection is still reading."""
    QUERY_COUNT[0] += len(QUERIES)
    if connect is not None and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        out = _fetch_shared(conn, within, connect, early)
        if out is not None:
            return out
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_SETTINGS, (within,))
        out = _run(cur, QUERIES)
        _name_columns(cur, out)
    return out


def _run(cur: psycopg.Cursor, names: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    version = cur.connection.info.server_version
    return {name: cur.execute(query(name, version)).fetchall() for name in names}


def _fetch_shared(conn: psycopg.Connection, within: str, connect: Connect, early: Callable[[Rows], object] | None) -> Rows | None:
    """fetch() on two connections that read one snapshot, so the server answers on two cores: `conn`
    exports its snapshot (a REPEATABLE READ transaction), a second connection imports it. None when
    the server refuses to export (a hot standby, where older servers do; a role without EXECUTE on
    pg_export_snapshot()): the caller then reads everything on `conn` alone. When the second
    connection or the import fails (no free connection; a pooler that sends it to another server),
    `conn` runs its share too, in the same snapshot."""
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            snapshot = cur.execute("SELECT pg_export_snapshot()").fetchone()["pg_export_snapshot"]
        except psycopg.Error:
            raise psycopg.Rollback from None  # leaves the transaction block quietly
        theirs: list[dict[str, list[dict[str, Any]]]] = []
        beside = Thread(target=lambda: theirs.extend(_imported(snapshot, within, connect)), daemon=True)
        beside.start()
        try:  # psycopg lets go of the GIL while it waits, so both connections wait at once
            cur.execute(_SETTINGS, (within,))
            out = _run(cur, tuple(q for q in QUERIES if q not in BESIDE))
            if early is not None:
                early(out)
        finally:
            beside.join()
        out.update(theirs[0] if theirs else _run(cur, BESIDE))
        out = {name: out[name] for name in QUERIES}
        _name_columns(cur, out)
        return out
    return None  # the export was refused


def _imported(snapshot: str, within: str, connect: Connect) -> list[dict[str, list[dict[str, Any]]]]:
    """[the BESIDE queries' rows] from a new connection in the exported `snapshot`; [] if that fails."""
    try:
        with connect() as other, other.transaction(), other.cursor(row_factory=dict_row) as cur:
            cur.execute(sql.SQL("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
                                " SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
            cur.execute(_SETTINGS, (within,))
            return [_run(cur, BESIDE)]
    except (psycopg.Error, SchemaKitError):  # no connection, or the import refused: `conn` runs these itself
        return []


def _name_columns(cur: psycopg.Cursor, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Replace the attribute numbers of constraint and index rows by column names, from the columns
    query's rows (a table outside them, a materialized view or one in a schema that query skips, is
    looked up once)."""
    names = {(c["relid"], c["num"]): c["name"] for c in rows["columns"]}
    wanted = {(c["relid"], n) for c in rows["constraints"] for n in c["columns"] or () if n}
    wanted |= {(c["ref_relid"], n) for c in rows["constraints"] if c["ref_relid"] for n in c["ref_columns"] or ()}
    wanted |= {(i["relid"], n) for i in rows["indexes"] for n in i["keys"] if n}
    missing = sorted(wanted - names.keys())
    if missing:
        QUERY_COUNT[0] += 1
        cur.execute("SELECT a.attrelid AS relid, a.attnum AS num, a.attname AS name FROM pg_attribute a"
                    " JOIN unnest(%s::oid[], %s::int2[]) k(relid, num) ON a.attrelid = k.relid AND a.attnum = k.num",
                    ([r for r, _ in missing], [n for _, n in missing]))
        names.update({(c["relid"], c["num"]): c["name"] for c in cur.fetchall()})
    for c in rows["constraints"]:
        c["columns"] = [names[(c["relid"], n)] for n in c["columns"] or () if n]  # 0: a whole-row reference
        c["ref_columns"] = [names[(c["ref_relid"], n)] for n in c["ref_columns"] or ()]
    for i in rows["indexes"]:
        keys, count = i["keys"], i["key_count"]
        i["key_columns"] = [names[(i["relid"], n)] if n else None for n in keys[:count]]
        i["include"] = [names[(i["relid"], n)] for n in keys[count:]]
        i["key_exprs"] = i["key_exprs"] or [None] * count
        i["options"] = i["options"][:count]


def introspect(conn: psycopg.Connection, ignore: Ignore | None = None, within: str = "",
               connect: Connect | None = None) -> model.Database:
    """Return the schema of the database behind `conn`, leaving out what `ignore` says (and schemas
    whose names do not start with `within`); `connect` opens a second connection to read beside `conn`."""
    ignore = ignore or (lambda s, t: False)
    early: list[Columns] = []  # the columns, made while the second connection still reads
    rows = fetch(conn, within, connect, lambda rows: early.append(columns_of(rows, ignore)))
    return build(rows, ignore, early[0] if early else None)


Columns = tuple[dict[int, dict], dict[int, list[model.Column]], list[dict], dict]


def columns_of(rows: dict[str, list[dict[str, Any]]], ignore: Ignore) -> Columns:
    """What build() needs only the relations, columns and sequences queries for: the relations kept,
    each table's columns, the standalone sequences and the serial ones (marked where a column absorbs them)."""
    rels = {r["oid"]: r for r in rows["relations"] if not ignore(r["schema"], r["name"])}
    standalone, serials, identities = _sequences(rows["sequences"], ignore)
    columns: dict[int, list[model.Column]] = defaultdict(list)
    for c in rows["columns"]:
        r = rels.get(c["relid"])
        if r is not None:
            columns[c["relid"]].append(_column(r, c, serials, identities))
    return rels, columns, standalone, serials


def build(rows: dict[str, list[dict[str, Any]]], ignore: Ignore, early: Columns | None = None) -> model.Database:
    """The model from the catalog queries' rows (`early`: columns_of(rows, ignore), if already made)."""
    rels, columns, standalone, serials = early or columns_of(rows, ignore)
    # a schema holding ignored tables is not ours to drop (it stays if it also holds managed objects)
    hosts = {r["schema"] for r in rows["relations"] if r["oid"] not in rels}
    constraints: dict[int, list[dict]] = defaultdict(list)
    for c in rows["constraints"]:
        if c["relid"] in rels:
            constraints[c["relid"]].append(c)
    indexes: dict[int, list[model.Index]] = defaultdict(list)
    for i in rows["indexes"]:
        if i["relid"] in rels:
            indexes[i["relid"]].append(_index(i))
    tables, views = [], []
    for oid, r in rels.items():
        if r["kind"] in ("r", "p"):
            tables.append(_table(r, columns[oid], constraints[oid], indexes[oid]))
        else:
            query = (r["query"] or "").strip().rstrip(";").strip()
            views.append(model.View(r["schema"], r["name"], query, r["kind"] == "m", tuple(indexes[oid]), **_view_options(r)))
    sequences = [_sequence(s) for s in standalone]
    sequences += [_sequence(s) for s in serials.values() if not s.get("absorbed")]
    enums = [model.Enum(e["schema"], e["name"], tuple(e["values"])) for e in rows["enums"]]
    extensions = [model.Extension(e["name"], e["schema"]) for e in rows["extensions"]]
    return model.build_database({s["name"] for s in rows["schemas"]} - hosts, enums, sequences, tables, views, extensions)


_TRUE = ("true", "on", "yes", "1", "t", "y")


def _view_options(r: dict) -> dict[str, Any]:
    """security_barrier, security_invoker and check_option from a view's reloptions."""
    opts = dict(o.split("=", 1) for o in r["options"] or ())
    check = opts.get("check_option")
    return {
        "security_barrier": opts.get("security_barrier", "").lower() in _TRUE,
        "security_invoker": opts.get("security_invoker", "").lower() in _TRUE,
        "check_option": check.lower() if check else None,
    }


def _index(i: dict) -> model.Index:
    elements = []
    for col, expr, opt in zip(i["key_columns"], i["key_exprs"], i["options"], strict=True):
        text = ident(col) if col is not None else expr
        desc, nulls_first = bool(opt & 1), bool(opt & 2)
        if desc:
            text += " DESC"
        if nulls_first != desc:
            text += " NULLS FIRST" if nulls_first else " NULLS LAST"
        elements.append(text)
    return model.Index(
        name=i["name"], elements=tuple(elements), unique=i["unique"], using=i["using"], where=i["where"],
        include=tuple(i["include"]), nulls_distinct=i["nulls_distinct"], valid=i["valid"],
    )


def _seq_defaults(s: dict) -> dict[str, Any]:
    """Options of a sequence, None where PostgreSQL's default applies."""
    return dict(_canonical_options(s["type"], s["start"], s["increment"], s["min_value"], s["max_value"], s["cache"]))


@cache
def _canonical_options(*options: Any) -> tuple[tuple[str, Any], ...]:
    """One canonicalisation per distinct option set: a thousand serial columns share a handful."""
    c = model.canonical_sequence(model.Sequence("", "", *options))
    return (("start", c.start), ("increment", c.increment), ("min_value", c.min_value), ("max_value", c.max_value),
            ("cache", c.cache))


def _sequences(rows: list[dict], ignore: Ignore):
    """Split sequences into standalone ones, serial candidates and identity options."""
    standalone: list[dict] = []
    serials: dict[tuple[int, str], dict] = {}
    identities: dict[tuple[int, str], dict] = {}
    for s in rows:
        if ignore(s["schema"], s["name"]):
            continue
        if s["owner_kind"] == "i":
            identities[(s["owner_relid"], s["owner_column"])] = s
            continue
        if s["owner_kind"] == "a":
            if ignore(s["owner_schema"], s["owner_table"]):
                continue
            serials[(s["owner_relid"], s["owner_column"])] = s
        else:
            standalone.append(s)
    return standalone, serials, identities


def _sequence(s: dict) -> model.Sequence:
    owned = (s["owner_schema"], s["owner_table"], s["owner_column"]) if s["owner_kind"] == "a" else None
    return model.Sequence(schema=s["schema"], name=s["name"], type=s["type"], cycle=s["cycle"], owned_by=owned, **_seq_defaults(s))


def _is_serial(c: dict, table: str, seq: dict | None) -> bool:
    if seq is None or c["type"] not in _SERIAL_OF or seq["type"] != c["type"] or not c["not_null"]:
        return False
    if seq["name"] != seq_name(table, c["name"]) or seq["cycle"] or any(_seq_defaults(seq).values()):
        return False
    return c["default"] == f"nextval('{seq['regclass']}'::regclass)"


def _column(r: dict, c: dict, serials: dict, identities: dict) -> model.Column:
    key = (r["oid"], c["name"])
    seq = serials.get(key)
    if _is_serial(c, r["name"], seq):
        serials[key] = {**seq, "absorbed": True}  # type: ignore[dict-item]
        return model.Column(c["name"], _SERIAL_OF[c["type"]], True, None, comment=c["comment"])
    identity = None
    if c["identity"]:
        # an identity's bounds are not modelled (db_status reports them): its start counts from the defaults
        opts = _seq_defaults({**identities[key], "min_value": None, "max_value": None}) if key in identities else {}
        identity = model.Identity(c["identity"] == "a", opts.get("start"), opts.get("increment"))
    generated = c["default"] if c["generated"] == "s" else None
    default = None if generated else c["default"]
    return model.Column(c["name"], c["type"], c["not_null"], default, identity, generated, c["comment"])


def _table(r: dict, columns: list[model.Column], cons: list[dict], idx: list[model.Index]) -> model.Table:
    pk, uniques, checks, fks = None, [], [], []
    for c in cons:
        cols_ = tuple(c["columns"])
        if c["type"] == "p":
            pk = model.PrimaryKey(c["name"], cols_)
        elif c["type"] == "u":
            uniques.append(model.Unique(c["name"], cols_, c["nulls_distinct"]))
        elif c["type"] == "c":
            checks.append(model.Check(c["name"], c["expr"], c["validated"]))
        else:
            fks.append(model.ForeignKey(
                c["name"], cols_, c["ref_schema"], c["ref_table"], tuple(c["ref_columns"]),
                _FK_ACTIONS[c["on_delete"]], _FK_ACTIONS[c["on_update"]], c["deferrable"], c["deferred"], c["validated"],
            ))
    return model.Table(r["schema"], r["name"], tuple(columns), pk, tuple(uniques), tuple(checks), tuple(fks), tuple(idx), r["comment"])


def unmanaged(conn: psycopg.Connection, ignore: Ignore | None = None) -> list[str]:
    """Objects schemakit does not manage and leaves alone, as "kind name" lines; then what PostgreSQL
    stores on managed objects that the schema language cannot say, as "what: value" lines."""
    ignore = ignore or (lambda s, t: False)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(_SETTINGS, ("",))
        cur.execute(query("unmanaged", conn.info.server_version))
        out = [f"{kind} {name}" for kind, name in cur.fetchall()]
        cur.execute(query("unmanaged_properties", conn.info.server_version))
        for what, schema, relation, detail in cur.fetchall():
            if relation is None or not ignore(schema, relation):
                out.append(f"{what}: {' '.join(str(detail).split())}")
    return out
