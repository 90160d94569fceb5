"""Canonicalise a schema's SQL fragments (defaults, checks, index expressions, view bodies) cheaply.

Only the fragments need PostgreSQL's spelling; names, keys, foreign keys and plain indexes are
canonical as the schema language writes them. So the scratch database gets a stripped copy (no
keys, no plain indexes, no serial sequences), whose fragments are merged back into the model.
It is built in temporary schemas inside the target database, in a transaction that is always
rolled back (inplace.py), so no role needs CREATEDB and the target's extensions are there; a
scratch database is the fallback for a role that may create databases but not schemas.
The result is cached on disk per server version, extensions and schema, so a no-op db_push or drift check on
a large schema reads the cache instead of running thousands of DDL statements.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import psycopg

from ..errors import BuildError
from ..schema import model, snapshot
from ..schema.cache import digest_of
from ..schema.cachefiles import cache_dir, model_json, read_entry, write_entry
from . import packing
from .packing import has_fragment
from .quote import ident
from .scratch import build_statements_and_introspect

CACHE_FORMAT = 3  # bump when the canonical model or the entry's layout changes shape


def _viewed(db: model.Database) -> set[tuple[str, str]]:
    """The tables some view mentions: built whole (keys included), and never shared or split from the views."""
    from ..diff.order import mentions

    if any("u&" in v.query.lower() for v in db.views):  # a name the word test cannot read: every table
        return {t.key for t in db.tables}
    return {t.key for t in db.tables if any(mentions(v.query, t.name) for v in db.views)}


def stripped(db: model.Database, only: set[tuple[str, str]] | None = None,
             more: list[model.Table] | None = None) -> model.Database:
    """The parts of `db` whose spelling PostgreSQL decides: of the tables in `only` (default all),
    with the tables `more` (holders)."""
    tables = list(more or ())
    bare: dict[model.Column, model.Column] = {}
    viewed = _viewed(db)
    for t in db.tables:
        if only is not None and t.key not in only:
            continue
        # a view may GROUP BY a primary key (functional dependency): keep keys of tables views mention
        pk = t.primary_key if t.key in viewed else None
        cols = tuple(_once(bare, c, _bare) for c in t.columns)
        if pk is not None:
            cols = tuple(dataclasses.replace(c, not_null=c.not_null or c.name in pk.columns) for c in cols)
        tables.append(model.Table(t.schema, t.name, cols, primary_key=pk, checks=t.checks,
                                  indexes=tuple(i for i in t.indexes if has_fragment(i))))
    views = [dataclasses.replace(v, indexes=tuple(i for i in v.indexes if has_fragment(i))) for v in db.views]
    sequences = [dataclasses.replace(s, owned_by=None) for s in db.sequences]
    return model.build_database(db.schemas, db.enums, sequences, tables, views, db.extensions)


def _bare(c: model.Column) -> model.Column:
    if c.type in model.SERIAL_TYPES:
        return dataclasses.replace(c, type=model.SERIAL_TYPES[c.type], default=None, identity=None, not_null=False, comment=None)
    return dataclasses.replace(c, identity=None, not_null=False, comment=None)


def _once(memo: dict, key: Any, make) -> Any:
    """make(key), once per distinct key: a thousand tables repeat a handful of columns. A key that
    carries a rename hint (which `==` ignores) is made afresh, so the hint is its own."""
    if any(getattr(k, "renamed_from", None) is not None for k in (key if isinstance(key, tuple) else (key,))):
        return make(key)
    out = memo.get(key)
    if out is None:
        out = memo[key] = make(key)
    return out


def scratch_statements(db: model.Database) -> list[str]:
    """Build a stripped schema cheaply: tables no view mentions become partitioned tables, which
    have no storage (a thousand of them take a fraction of a second instead of seconds)."""
    from .ddl import index_sql, storage_free_table_sql
    from .scratch import create_statements

    viewed = _viewed(db)
    cheap = [t for t in db.tables if t.key not in viewed]
    rest = [t for t in db.tables if t.key in viewed]
    out = create_statements(model.build_database(db.schemas, db.enums, db.sequences, rest, db.views, db.extensions))
    tables = [storage_free_table_sql(t) for t in cheap]
    # a unique index on a partitioned table must contain the partition key: uniqueness does not
    # change how PostgreSQL spells the index, so build these as plain ones
    indexes = [index_sql(t.schema, t.name, dataclasses.replace(i, unique=False, concurrently=False))
               for t in cheap for i in t.indexes]
    first_view = next((n for n, st in enumerate(out) if st.lstrip().upper().startswith(("CREATE VIEW", "CREATE MATERIALIZED"))), len(out))
    return out[:first_view] + tables + indexes + out[first_view:]


def packed(db: model.Database) -> tuple[model.Database, packing.Packing]:
    """The stripped copy to build, most tables' fragments packed into a few holder tables (packing.py)."""
    holders, p = packing.pack(db, _viewed(db))
    return stripped(db, p.whole, holders), p


def merge(db: model.Database, canon: model.Database, p: packing.Packing | None = None) -> model.Database:
    """`db` with every SQL fragment (and column type) replaced by its canonical spelling: a table
    `p` packed takes them from its holders in `canon`, any other from its own copy there."""
    c_tables = {t.key: t for t in canon.tables}
    memo: dict[tuple[model.Column, model.Column], model.Column] = {}

    def spelled(c: model.Column, canon: model.Column) -> model.Column:
        if c.renamed_from is not None:  # the hint, which == ignores, stays its own
            return _spelled(c, canon)
        out = memo.get((c, canon))
        if out is None:
            out = memo[c, canon] = _spelled(c, canon)
        return out

    named = packing.parts([c_tables[k] for k in p.holders]) if p else {}
    tables = [_merged(t, c_tables[t.key], spelled) if p is None or t.key in p.whole
              else packing.unpacked(t, named, p, spelled) for t in db.tables]
    views = []
    c_views = {v.key: v for v in canon.views}
    for v in db.views:
        cv = c_views[v.key]
        idx = {i.name: i for i in cv.indexes}
        views.append(dataclasses.replace(v, query=cv.query, indexes=tuple(_fragments(i, idx, i.name) for i in v.indexes)))
    return model.build_database(db.schemas, db.enums, db.sequences, tables, views, db.extensions)


def _merged(t: model.Table, c_t: model.Table, spelled: Callable) -> model.Table:
    """`t` with the fragments of its own canonical copy `c_t`."""
    c_cols = {c.name: c for c in c_t.columns}
    checks = {c.name: c for c in c_t.checks}
    idx = {i.name: i for i in c_t.indexes}
    return dataclasses.replace(
        t, columns=tuple(c if c.type in model.SERIAL_TYPES else spelled(c, c_cols[c.name]) for c in t.columns),
        checks=tuple(dataclasses.replace(checks[c.name], name=c.name, validated=c.validated) for c in t.checks),
        indexes=tuple(_fragments(i, idx, i.name) for i in t.indexes))


def _spelled(c: model.Column, canon: model.Column) -> model.Column:
    return dataclasses.replace(c, type=canon.type, default=canon.default, generated=canon.generated)


def _fragments(i: model.Index, canonical: dict[str, model.Index], name: str) -> model.Index:
    """`i` with its expressions and predicate as PostgreSQL spells them (canonical[name])."""
    c = canonical.get(name)
    if c is None or not has_fragment(i):
        return i
    return dataclasses.replace(i, elements=c.elements, where=c.where)


def _facts(conn: psycopg.Connection) -> tuple[str, bool, bool]:
    """(what the canonical form depends on, may create schemas here, may create databases)."""
    row = conn.execute(
        "SELECT (SELECT coalesce(string_agg(extname || ' ' || extversion || ' ' || extnamespace::regnamespace, ','"
        "        ORDER BY extname), '') FROM pg_extension),"
        " has_database_privilege(current_database(), 'CREATE'),"
        " (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user)").fetchone()
    return f"{conn.info.server_version}\n{row[0]}", bool(row[1]), bool(row[2])


def _build(conn: psycopg.Connection, params: dict[str, Any], db: model.Database, can_schema: bool,
           can_database: bool) -> model.Database:
    """Build the stripped `db` in temporary schemas of the target, else in a scratch database."""
    from ..errors import CannotCanonicalise
    from .inplace import build_in_target

    if can_schema:  # faster than CREATE DATABASE, and the target's extensions are there
        return in_batches(db, lambda part: build_in_target(conn, part, scratch_statements))
    if can_database:
        return build_statements_and_introspect(params, scratch_statements(db))
    raise CannotCanonicalise(
        f"role {conn.info.user!r} lacks CREATE on database {conn.info.dbname!r}: schemakit builds the schema "
        f"in a temporary schema there (rolled back) to read PostgreSQL's spelling of it "
        f"(GRANT CREATE ON DATABASE {ident(conn.info.dbname)} TO {ident(conn.info.user)})")


BATCH = 2000  # tables and indexes per rolled-back transaction: each one it builds holds a lock until it ends


def in_batches(db: model.Database, build: Callable[[model.Database], model.Database]) -> model.Database:
    """build(stripped part) for parts of at most BATCH tables and indexes (the first part also has the
    views and the tables they mention), merged. A transaction holds a lock per object it creates (about
    two per table or index), and PostgreSQL's shared lock table (max_locks_per_transaction x
    max_connections: 6,400 by default) ran out near 2,000 tables with their indexes built in one."""
    seen = _viewed(db)
    parts: list[list[model.Table]] = [[t for t in db.tables if t.key in seen]]
    weight = sum(1 + len(t.indexes) for t in parts[0])
    for t in db.tables:
        if t.key in seen:
            continue
        if weight + 1 + len(t.indexes) > BATCH and weight:
            parts.append([])
            weight = 0
        parts[-1].append(t)
        weight += 1 + len(t.indexes)
    if len(parts) == 1:
        return build(db)
    built = [build(model.build_database(db.schemas, db.enums, db.sequences, part, db.views if n == 0 else (),
                                        db.extensions)) for n, part in enumerate(parts)]
    first = built[0]
    return model.build_database(first.schemas, first.enums, first.sequences, [t for b in built for t in b.tables],
                                first.views, first.extensions)


def _source_path(folder: Path, depends: str, source: bytes) -> Path:
    """Where the key of the canonical form of the snapshot text `source` is kept."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{depends}\nsnapshot\n".encode() + source).hexdigest()
    return folder / f"{digest}.json"


def matches_cached(params: dict[str, Any], source: bytes, live: model.Database) -> bool:
    """Whether the cached canonical form of the snapshot text `source` is `live`, down to the byte of
    its plain data: no drift, decided without building either model. False: unknown (build them)."""
    folder = cache_dir()
    if folder is None:
        return False
    with psycopg.connect(**params, autocommit=True) as conn:
        depends = _facts(conn)[0]
    pointer = read_entry(_source_path(folder, depends, source))
    key = pointer[0].get("canonical") if pointer else None
    entry = read_entry(folder / f"{key}.json") if isinstance(key, str) and key.isalnum() else None
    return entry is not None and _same(entry[1], live)


def _same(data: bytes, db: model.Database) -> bool:
    """Whether `data` is the JSON of `db`'s plain data with what == ignores (renames, CONCURRENTLY)."""
    try:
        return data == model_json(db)
    except TypeError:  # an integer orjson cannot write
        return False


def canonicalize(params: dict[str, Any], db: model.Database, server_version: int | None = None,
                 source: bytes | None = None, live: Callable[[], model.Database] | None = None) -> model.Database:
    """Return `db` as PostgreSQL spells it: from the cache, or from a stripped build in the target database.
    `source`: the snapshot text `db` was read from, remembered for matches_cached(). `live()`: the
    live schema, returned as it is when the cached form's JSON is its JSON (no model built)."""
    with psycopg.connect(**params, autocommit=True) as conn:
        depends, can_schema, can_database = _facts(conn)
        # the digest of its full JSON when the compiled-schema cache has it, else repr() of the frozen
        # model: deterministic and far cheaper than its JSON
        known = digest_of(db)
        material = f"full-json {known}" if known is not None else repr(db)
        key = hashlib.sha256(f"{CACHE_FORMAT}\n{depends}\n{material}".encode()).hexdigest()
        folder = cache_dir()
        path = folder / f"{key}.json" if folder else None
        if folder is not None and source is not None:
            pointer = _source_path(folder, depends, source)
            if not pointer.exists():
                write_entry(pointer, {"id": pointer.stem, "canonical": key}, b"")
        entry = read_entry(path) if path is not None else None
        if entry is not None:
            if live is not None and _same(entry[1], live()):
                return live()  # a no-op push: equal down to what == ignores
            try:
                return snapshot.build(model.Database, orjson.loads(entry[1]))
            except (ValueError, snapshot.Bad):
                pass  # an entry of another shape is rebuilt
        built, p = packed(db)
        try:
            result = merge(db, _build(conn, params, built, can_schema, can_database), p)
        except BuildError:  # built whole, the failing statement is the user's own
            result = merge(db, _build(conn, params, stripped(db), can_schema, can_database))
    if path is not None:
        try:  # what equality ignores (renames, CONCURRENTLY) is kept, so a hit returns what a build does
            write_entry(path, {"id": key}, model_json(result))
        except TypeError:
            pass  # an integer orjson cannot write: no entry
    return result
