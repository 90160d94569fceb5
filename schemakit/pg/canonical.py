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

from ..schema import model, snapshot
from ..schema.cache import digest_of
from ..schema.cachefiles import cache_dir, read_entry, write_entry
from .quote import ident
from .scratch import build_statements_and_introspect

CACHE_FORMAT = 3  # bump when the canonical model or the entry's layout changes shape


def _has_fragment(i: model.Index) -> bool:
    return i.where is not None or any(not e.startswith('"') for e in i.elements)


def _viewed(db: model.Database) -> set[tuple[str, str]]:
    """The tables some view mentions: built whole (keys included), and never shared or split from the views."""
    from ..diff.order import mentions

    return {t.key for t in db.tables if any(mentions(v.query, t.name) for v in db.views)}


def stripped(db: model.Database) -> model.Database:
    """The parts of `db` whose spelling PostgreSQL decides."""
    tables = []
    bare: dict[model.Column, model.Column] = {}
    viewed = _viewed(db)
    for t in db.tables:
        # a view may GROUP BY a primary key (functional dependency): keep keys of tables views mention
        pk = t.primary_key if t.key in viewed else None
        cols = tuple(_once(bare, c, _bare) for c in t.columns)
        if pk is not None:
            cols = tuple(dataclasses.replace(c, not_null=c.not_null or c.name in pk.columns) for c in cols)
        tables.append(model.Table(t.schema, t.name, cols, primary_key=pk, checks=t.checks,
                                  indexes=tuple(i for i in t.indexes if _has_fragment(i))))
    views = [dataclasses.replace(v, indexes=tuple(i for i in v.indexes if _has_fragment(i))) for v in db.views]
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


def shared(db: model.Database) -> tuple[model.Database, dict[tuple[str, str], model.Table]]:
    """`db` (stripped) with one table per shape among the tables no view mentions, and the table that
    stands for each one left out. PostgreSQL spells the fragments of two tables alike when their
    columns, checks and indexes are alike but for the names of checks and indexes, so a thousand
    tables cut from one pattern are built once."""
    first: dict[tuple, model.Table] = {}
    stands_for: dict[tuple[str, str], model.Table] = {}
    tables = []
    viewed = _viewed(db)
    for t in db.tables:
        if t.key in viewed:
            tables.append(t)
            continue
        shape = (t.schema, t.columns, tuple(dataclasses.replace(c, name="") for c in t.checks),
                 tuple(dataclasses.replace(i, name="") for i in t.indexes))
        rep = first.setdefault(shape, t)
        if rep is t:
            tables.append(t)
        else:
            stands_for[t.key] = rep
    if not stands_for:
        return db, stands_for
    return model.build_database(db.schemas, db.enums, db.sequences, tables, db.views, db.extensions), stands_for


def merge(db: model.Database, canon: model.Database,
          stands_for: dict[tuple[str, str], model.Table] | None = None) -> model.Database:
    """`db` with every SQL fragment (and column type) replaced by its canonical spelling; a table of
    `stands_for` takes its representative's, its checks and indexes matched by position."""
    c_tables = {t.key: t for t in canon.tables}
    stands_for = stands_for or {}
    spelled: dict[tuple[model.Column, model.Column], model.Column] = {}
    tables = []
    for t in db.tables:
        rep = stands_for.get(t.key)
        c_t = c_tables[rep.key if rep else t.key]
        c_cols = {c.name: c for c in c_t.columns}
        cols = tuple(c if c.type in model.SERIAL_TYPES else _once(spelled, (c, c_cols[c.name]), _spelled) for c in t.columns)
        checks = {c.name: c for c in c_t.checks}
        idx = {i.name: i for i in c_t.indexes}
        alias: dict[str, str] = {}
        if rep is not None:  # `rep` is stripped: its checks and indexes pair with t's own, in order
            alias = {c.name: r.name for c, r in zip(t.checks, rep.checks, strict=True)}
            alias.update(zip([i.name for i in t.indexes if _has_fragment(i)], [i.name for i in rep.indexes], strict=True))
        tables.append(dataclasses.replace(
            t, columns=cols,
            checks=tuple(dataclasses.replace(checks[alias.get(c.name, c.name)], name=c.name, validated=c.validated)
                         for c in t.checks),
            indexes=tuple(_fragments(i, idx, alias.get(i.name, i.name)) for i in t.indexes)))
    views = []
    c_views = {v.key: v for v in canon.views}
    for v in db.views:
        cv = c_views[v.key]
        idx = {i.name: i for i in cv.indexes}
        views.append(dataclasses.replace(v, query=cv.query, indexes=tuple(_fragments(i, idx, i.name) for i in v.indexes)))
    return model.build_database(db.schemas, db.enums, db.sequences, tables, views, db.extensions)


def _spelled(pair: tuple[model.Column, model.Column]) -> model.Column:
    c, canon = pair
    return dataclasses.replace(c, type=canon.type, default=canon.default, generated=canon.generated)


def _fragments(i: model.Index, canonical: dict[str, model.Index], name: str) -> model.Index:
    """`i` with its expressions and predicate as PostgreSQL spells them (canonical[name])."""
    c = canonical.get(name)
    if c is None or not _has_fragment(i):
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


BATCH = 1000  # tables per rolled-back transaction: each table and index it builds holds a lock until it ends


def in_batches(db: model.Database, build: Callable[[model.Database], model.Database]) -> model.Database:
    """build(stripped part) for parts of at most BATCH tables no view mentions (the first part also has
    the views and their tables), merged. A transaction holds a lock per object it creates, and
    PostgreSQL's shared lock table (max_locks_per_transaction x max_connections: 6,400 by default)
    runs out near 2,000 tables of a stripped copy built in one: "out of shared memory"."""
    seen = _viewed(db)
    viewed, cheap = [t for t in db.tables if t.key in seen], [t for t in db.tables if t.key not in seen]
    if len(cheap) <= BATCH:
        return build(db)
    parts = [model.build_database(db.schemas, db.enums, db.sequences, viewed + cheap[:BATCH], db.views, db.extensions)]
    parts += [model.build_database(db.schemas, db.enums, db.sequences, cheap[i:i + BATCH], (), db.extensions)
              for i in range(BATCH, len(cheap), BATCH)]
    built = [build(p) for p in parts]
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
        return data == orjson.dumps(snapshot.plain(db, full=True))
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
        built, stands_for = shared(stripped(db))
        result = merge(db, _build(conn, params, built, can_schema, can_database), stands_for)
    if path is not None:
        try:  # what equality ignores (renames, CONCURRENTLY) is kept, so a hit returns what a build does
            write_entry(path, {"id": key}, orjson.dumps(snapshot.plain(result, full=True)))
        except TypeError:
            pass  # an integer orjson cannot write: no entry
    return result
