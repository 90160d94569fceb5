"""Canonicalise inside the target database: no CREATEDB, and the target's extensions are there.

The schema is built in fresh schemas with random names (one per schema it uses), inside a
transaction that is always rolled back, then read back and renamed to its own schemas. Nothing
the target holds is touched; the role needs CREATE on the database (for CREATE SCHEMA), which
migrating a schema that adds schemas needs anyway.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import replace

import psycopg

from ..errors import BuildError
from ..schema import model
from .introspect import introspect
from .quote import ident
from .sqltext import terminate


def requalify(text: str, mapping: dict[str, str], objects: set[tuple[str, str]]) -> str:
    """`text` with the schema of every qualified name `s.x` that is in `objects` renamed by `mapping`.

    PostgreSQL's own lexer finds identifiers, so string literals and comments are left alone;
    names the schema does not define (an extension's type, a function) keep their schema.
    """
    low = text.lower()
    if "." not in text or ("u&" not in low and not any(s.replace('"', '""').lower() in low for s in mapping)):
        return text  # no dotted name, or no schema of `mapping` spelled in it (quoted or not)
    from pglast.parser import scan

    try:
        tokens = scan(text)
    except Exception:  # not SQL the lexer knows: PostgreSQL will say what is wrong with it
        return text

    def word(i: int) -> str:  # the scanner's offsets count characters, both ends included
        w = text[tokens[i].start:tokens[i].end + 1]
        return w[1:-1].replace('""', '"') if w.startswith('"') else w.lower()

    out, last = [], 0
    for i, tok in enumerate(tokens[:-2]):
        if tokens[i + 1].name != "ASCII_46" or (i and tokens[i - 1].name == "ASCII_46"):
            continue  # only the first part of a dotted name can be a schema
        schema = word(i)
        if schema in mapping and (schema, word(i + 2)) in objects:
            out += [text[last:tok.start], ident(mapping[schema])]
            last = tok.end + 1
    return "".join(out) + text[last:]


def rename(db: model.Database, names: dict[str, str], sql: Callable[[str], str]) -> model.Database:
    """`db` with its schemas renamed by `names` and every SQL fragment passed through `sql`; objects
    keep their order, and lose what a snapshot does not keep (rename hints, CONCURRENTLY). Fields
    that hold a schema's name: schema, ref_schema and the schemas list; SQL text: type, default,
    generated, expr, elements, where and query."""
    name = lambda s: names.get(s, s)  # noqa: E731
    sql_of = functools.cache(sql)  # a thousand tables repeat a handful of types and defaults
    done: dict[model.Column, model.Column] = {}  # a thousand tables repeat a handful of columns

    def index(i: model.Index) -> model.Index:
        return replace(i, elements=tuple(sql_of(e) for e in i.elements), where=_opt(sql_of, i.where),
                       concurrently=False, renamed_from=None)

    def column(c: model.Column) -> model.Column:
        out = done.get(c)  # == ignores the hint, which the result drops
        if out is None:
            out = done[c] = replace(c, type=sql_of(c.type), default=_opt(sql_of, c.default),
                                    generated=_opt(sql_of, c.generated), renamed_from=None)
        return out

    def table(t: model.Table) -> model.Table:
        return replace(t, schema=name(t.schema), columns=tuple(column(c) for c in t.columns),
                       checks=tuple(replace(c, expr=sql_of(c.expr)) for c in t.checks),
                       foreign_keys=tuple(replace(f, ref_schema=name(f.ref_schema)) for f in t.foreign_keys),
                       indexes=tuple(index(i) for i in t.indexes), renamed_from=None)

    return model.Database(
        schemas=tuple(name(s) for s in db.schemas),
        enums=tuple(replace(e, schema=name(e.schema), renamed_from=None) for e in db.enums),
        sequences=tuple(replace(s, schema=name(s.schema), type=sql_of(s.type)) for s in db.sequences),
        tables=tuple(table(t) for t in db.tables),
        views=tuple(replace(v, schema=name(v.schema), query=sql_of(v.query), indexes=tuple(index(i) for i in v.indexes))
                    for v in db.views),
        extensions=tuple(replace(x, schema=name(x.schema)) for x in db.extensions),
    )


def _opt(fn: Callable[[str], str], text: str | None) -> str | None:
    return None if text is None else fn(text)


def schemas_of(db: model.Database) -> set[str]:
    return {model.DEFAULT_SCHEMA, *db.schemas, *(o.schema for o in (*db.enums, *db.sequences, *db.tables, *db.views))}


def build_in_target(conn: psycopg.Connection, db: model.Database, statements) -> model.Database:
    """Build `statements(renamed db)` in temporary schemas of `conn`'s database, read it back, roll back."""
    token = secrets.token_hex(4)
    prefix = f"schemakit_tmp_{token}_"
    forward = {s: f"{prefix}{n}" for n, s in enumerate(sorted(schemas_of(db)))}
    back = {v: k for k, v in forward.items()}
    objects = {o.key for o in (*db.enums, *db.sequences, *db.tables, *db.views)}
    renamed = rename(db, forward, lambda t: requalify(t, forward, objects))
    built = statements(renamed)
    with conn.transaction(force_rollback=True):
        path = conn.execute("SELECT current_setting('search_path')").fetchone()[0]
        # unqualified names find the schema's own public first, then what the target's would find
        conn.execute("SELECT set_config('search_path', %s, true)", (f"{forward[model.DEFAULT_SCHEMA]}, {path}",))
        for name in sorted(set(forward.values()) - set(renamed.schemas)):  # the statements create the others
            conn.execute(f"CREATE SCHEMA {ident(name)}")
        _run(conn, built)
        got = introspect(conn, lambda s, t: s not in back, within=prefix)
        quoted = dict(conn.execute("SELECT s, quote_ident(s) FROM unnest(%s::text[]) AS s", (list(back.values()),)).fetchall())
    got = model.build_database([s for s in got.schemas if s in back], [e for e in got.enums if e.schema in back],
                               got.sequences, got.tables, got.views)

    def restore(text: str) -> str:
        for tmp, orig in back.items():  # the names are random tokens: plain replacement is exact
            text = text.replace(f'"{tmp}"', ident(orig)).replace(tmp, quoted[orig])
        return text

    out = rename(got, back, restore)
    return model.build_database(out.schemas, out.enums, out.sequences, out.tables, out.views)


def _run(conn: psycopg.Connection, statements: list[str]) -> None:
    """Run every statement in one round trip; on failure, replay them one by one to name the one that fails."""
    if not statements:
        return
    try:
        with conn.transaction():
            conn.execute("\n".join(terminate(s) for s in statements).encode())
        return
    except psycopg.errors.InsufficientPrivilege:
        raise
    except (psycopg.ProgrammingError, psycopg.DataError, psycopg.NotSupportedError, psycopg.IntegrityError):
        pass  # the schema is wrong: find the statement (timeouts and lost connections propagate)
    for n, statement in enumerate(statements, 1):
        try:
            with conn.transaction():
                conn.execute(statement.encode())
        except psycopg.Error as exc:
            msg = (exc.diag.message_primary or str(exc)).strip()
            raise BuildError(f"the schema does not build on PostgreSQL: statement {n} failed: {msg}: "
                                 f"{statement.splitlines()[0]}") from None
