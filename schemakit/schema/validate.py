"""Validation of every value that reaches SQL, shared by the schema language and snapshot loading.

SQL fragments (types, expressions, view queries) are parsed by PostgreSQL's own parser (pglast)
inside a wrapper that fails unless the fragment is exactly one thing of its kind, so no fragment
can end a statement, comment out the rest of one, or carry another.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from ..errors import SchemaError
from . import model
from .names import MAX_IDENT_BYTES, canonical_type

# pg_catalog's base, range and multirange types (PostgreSQL 18), plus the serial pseudo-types
BUILTIN_TYPES = frozenset(
    "aclitem bit bool box bpchar bytea char cid cidr circle date datemultirange daterange float4 float8 "
    "gtsvector inet int2 int2vector int4 int4multirange int4range int8 int8multirange int8range interval json "
    "jsonb jsonpath line lseg macaddr macaddr8 money name numeric nummultirange numrange oid oidvector path "
    "pg_lsn pg_snapshot point polygon refcursor regclass regcollation regconfig regdictionary regnamespace regoper "
    "regoperator regproc regprocedure regrole regtype text tid time timestamp timestamptz timetz tsmultirange "
    "tsquery tsrange tstzmultirange tstzrange tsvector txid_snapshot uuid varbit varchar xid xid8 xml "
    "serial bigserial smallserial serial2 serial4 serial8 int bigint smallint integer boolean real float "
    "decimal".split()
)
_PRECISION = (0, 6)
# type -> the allowed range of each modifier (PostgreSQL's limits)
TYPMOD_LIMITS: dict[str, tuple[tuple[int, int], ...]] = {
    "varchar": ((1, 10485760),),
    "bpchar": ((1, 10485760),),
    "bit": ((1, 83886080),),
    "varbit": ((1, 83886080),),
    "numeric": ((1, 1000), (-1000, 1000)),
    "decimal": ((1, 1000), (-1000, 1000)),
    "time": (_PRECISION,),
    "timetz": (_PRECISION,),
    "timestamp": (_PRECISION,),
    "timestamptz": (_PRECISION,),
}
SEQUENCE_TYPES = ("smallint", "integer", "bigint")
_METHOD = re.compile(r"^[a-z_][a-z0-9_]*$")


def name(value: Any, where: str) -> None:
    """A PostgreSQL identifier: a non-empty string, no NUL, at most 63 bytes."""
    if type(value) is str and value.isascii() and 0 < len(value) <= MAX_IDENT_BYTES and "\x00" not in value:
        return  # the usual name, checked without encoding it
    if not isinstance(value, str) or not value:
        raise SchemaError(f"{where}: a name must be a non-empty string, got {value!r}")
    if "\x00" in value:
        raise SchemaError(f"{where}: name {value!r} holds a NUL byte")
    if len(value.encode()) > MAX_IDENT_BYTES:
        raise SchemaError(f"{where}: identifier {value!r} is {len(value.encode())} bytes, PostgreSQL's limit is 63")


def integer(value: Any, where: str, what: str, nonzero: bool = False) -> None:
    """An optional whole number (a bool or a string is refused)."""
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or (nonzero and value == 0):
        raise SchemaError(f"{where}: {what} must be {'a non-zero' if nonzero else 'an'} integer, got {value!r}")
    if not -(2**63) <= value < 2**63:
        raise SchemaError(f"{where}: {what} {value} is outside bigint's range")


def flag(value: Any, where: str, what: str) -> None:
    if not isinstance(value, bool):
        raise SchemaError(f"{where}: {what} must be True or False, got {value!r}")


def index_method(value: Any, where: str) -> None:
    """`using`: an index access method's name (btree, hash, gist, gin, spgist, brin, an extension's)."""
    if not isinstance(value, str) or not _METHOD.match(value):
        raise SchemaError(f"{where}: using={value!r} is not an index method name (btree, hash, gist, gin, spgist, brin)")


def sequence_type(value: Any, where: str) -> None:
    if value not in SEQUENCE_TYPES:
        raise SchemaError(f"{where}: type {value!r} must be one of {', '.join(SEQUENCE_TYPES)}")


def _self_contained(fragment: str, comments: bool = True) -> bool:
    """No `;` and balanced brackets, token by token: the fragment cannot close what wraps it."""
    from pglast.parser import ParseError, scan  # pglast loads when a fragment is first read, not with this module

    depth = 0
    try:
        tokens = scan(fragment)
    except ParseError:
        return False
    for token in tokens:
        depth += {"ASCII_40": 1, "ASCII_91": 1, "ASCII_41": -1, "ASCII_93": -1}.get(token.name, 0)
        if depth < 0 or token.name == "ASCII_59" or (not comments and token.name.endswith("_COMMENT")):
            return False
    return depth == 0


def _parse_one(text: str) -> tuple[str, dict]:
    """(node name, fields) of the only statement of `text`; ("", {}) when it is not exactly one.

    The JSON parse tree is several times cheaper than pglast's Python objects; fields holding a
    zero, false or empty value are absent from it."""
    from pglast.parser import ParseError, parse_sql_json

    try:
        stmts = json.loads(parse_sql_json(text))["stmts"]
    except ParseError:
        return "", {}
    if len(stmts) != 1:
        return "", {}
    ((kind, body),) = stmts[0]["stmt"].items()
    return kind, body


def type_name(text: Any, where: str) -> str:
    """Return the canonical spelling of a type name, refusing anything else."""
    if not isinstance(text, str):
        raise SchemaError(f"{where}: a type must be a string, got {text!r}")
    error, canonical = _type_name(text)
    if error:
        raise SchemaError(f"{where}: type {text!r} {error}")
    return canonical


@functools.lru_cache(maxsize=4096)
def _type_name(text: str) -> tuple[str, str]:
    """(an error or "", the canonical spelling) of one type name."""
    if not _self_contained(text, comments=False):
        return "holds a comment, a semicolon or unbalanced brackets", ""
    kind, body = _parse_one(f"CREATE TABLE t (c {text})")
    elts = body.get("tableElts", []) if kind == "CreateStmt" else []
    col = elts[0].get("ColumnDef", {}) if len(elts) == 1 else {}
    typ = col.get("typeName", {})
    if set(col) - {"colname", "typeName", "is_local", "location"} or set(typ) - {"names", "typmods", "arrayBounds", "typemod", "location"} or not typ:
        return "is not a type name alone", ""
    names = [n["String"]["sval"] for n in typ["names"]]
    qualified = len(names) == 2 and names[0] != "pg_catalog"
    if len(names) > 2 or (not qualified and names[-1] not in BUILTIN_TYPES):
        return ("is not a PostgreSQL built-in type; write an extension's or a domain's type schema-qualified "
                "(e.g. 'public.citext'), an enum as an Enum"), ""
    error = _typmods(names[-1], typ.get("typmods", []), qualified)
    if error:
        return error, ""
    if qualified:
        from ..pg.quote import ident  # psycopg: loaded only for a schema-qualified type

        return "", ident(*names) + ("[]" if typ.get("arrayBounds") else "")
    return "", canonical_type(text)


def _typmods(base: str, typmods: list, qualified: bool) -> str:
    if not typmods:
        return ""
    if base == "interval" and not qualified:
        return ""  # fields and precision: PostgreSQL checks them
    limits = None if qualified else TYPMOD_LIMITS.get(base)
    if limits is None or len(typmods) > len(limits):
        return "takes no such modifier"
    for mod, (low, high) in zip(typmods, limits, strict=False):
        const = mod.get("A_Const", {})
        value = const["ival"].get("ival", 0) if set(const) == {"ival", "location"} else None
        if value is None or not low <= value <= high:
            return f"has a modifier outside {low}..{high}"
    return ""


def _fragment(kind: str, text: Any, where: str, label: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise SchemaError(f"{where}: {label} must be non-empty SQL text, got {text!r}")
    error = _fragment_error(kind, text)
    if error:
        raise SchemaError(f"{where}: {label} {text!r} {error}")


@functools.lru_cache(maxsize=8192)
def _fragment_error(kind: str, text: str) -> str:
    """Why `text` is not one fragment of its kind ("" when it is)."""
    if not _self_contained(text):
        return "has unbalanced brackets or a semicolon"
    if kind == "view query":
        return _query_error(text)
    if kind == "index element":
        node, body = _parse_one(f"CREATE INDEX i ON t ({text})")
        ok = node == "IndexStmt" and len(body.get("indexParams", [])) == 1 and "whereClause" not in body
        return "" if ok else "is not one column or expression"
    node, body = _parse_one(f"SELECT ({text})")
    ok = node == "SelectStmt" and len(body.get("targetList", [])) == 1 and set(body) <= {"targetList", "limitOption", "op"}
    return "" if ok and body.get("op") == "SETOP_NONE" else "is not one SQL expression"


def _query_error(text: str) -> str:
    # a view query ends its statement, so it may end in a -- comment (the renderer ends it on a new line)
    node, body = _parse_one(f"SELECT * FROM ({text}\n) AS s")
    froms = body.get("fromClause", []) if node == "SelectStmt" else []
    sub = froms[0].get("RangeSubselect", {}).get("subquery", {}) if len(froms) == 1 else {}
    inner = sub.get("SelectStmt")
    if inner is None or set(body) - {"targetList", "fromClause", "limitOption", "op"} or len(body["targetList"]) != 1:
        return "is not one SELECT"
    ctes = inner.get("withClause", {}).get("ctes", [])
    if "intoClause" in inner or any("SelectStmt" not in c["CommonTableExpr"]["ctequery"] for c in ctes):
        return "is not one SELECT without data-modifying WITH or INTO"
    return ""


def expression(text: Any, where: str, what: str = "expression") -> None:
    """One SQL value expression (a default, a check, a generated column, an index predicate)."""
    _fragment("expression", text, where, what)


def index_element(text: Any, where: str) -> None:
    """One index element: a quoted column or an expression, with opclass, collation and order."""
    _fragment("index element", text, where, "index element")


def view_query(text: Any, where: str) -> None:
    """One SELECT (or VALUES), with no data-modifying WITH and no INTO."""
    _fragment("view query", text, where, "the view query")


def database(db: model.Database) -> None:
    """Every rule above over a whole canonical schema: what compile ends with and snapshots pass."""
    for s in db.schemas:
        name(s, f"schema {s!r}")
    for e in db.enums:
        enum(e)
    for s in db.sequences:
        _sequence(s)
    passed: set[int] = set()  # ids of columns checked: snapshot.build shares equal columns between tables
    for t in db.tables:
        _table(t, passed)
    for v in db.views:
        where = f"view {v.schema}.{v.name}"
        name(v.schema, where)
        name(v.name, where)
        flag(v.materialized, where, "materialized")
        view_query(v.query, where)
        _view_options(v, where)
        for i in v.indexes:
            _index(i, f"{where}, index {i.name}")
    for x in db.extensions:
        name(x.name, f"extension {x.name}")
        name(x.schema, f"extension {x.name}, schema")
    _relation_names(db)


def _view_options(v: model.View, where: str) -> None:
    """Options a snapshot may carry too: check_option reaches SQL as a word, not a quoted value."""
    flag(v.security_barrier, where, "security_barrier")
    flag(v.security_invoker, where, "security_invoker")
    if v.check_option not in (None, "local", "cascaded"):
        raise SchemaError(f"{where}: check_option is \"local\" or \"cascaded\", got {v.check_option!r}")


def enum(e: model.Enum) -> None:
    where = f"enum {e.schema}.{e.name}"
    name(e.schema, where)
    name(e.name, where)
    _old_name(e.renamed_from, where)
    if not isinstance(e.values, tuple):
        raise SchemaError(f"{where}: values must be a list of strings, got {e.values!r}")
    for v in e.values:
        if not isinstance(v, str) or not v or "\x00" in v or len(v.encode()) > MAX_IDENT_BYTES:
            raise SchemaError(f"{where}: value {v!r} must be a string of 1 to 63 bytes without NUL")
    if len(set(e.values)) != len(e.values):
        raise SchemaError(f"{where}: duplicate values in {list(e.values)}")


def _sequence(s: model.Sequence) -> None:
    where = f"sequence {s.schema}.{s.name}"
    name(s.schema, where)
    name(s.name, where)
    sequence_type(s.type, where)
    for field in ("start", "min_value", "max_value"):
        integer(getattr(s, field), where, field)
    integer(s.increment, where, "increment", nonzero=True)
    integer(s.cache, where, "cache")
    if s.cache is not None and s.cache < 1:
        raise SchemaError(f"{where}: cache must be 1 or more, got {s.cache}")
    flag(s.cycle, where, "cycle")
    if s.owned_by is not None:
        for part in s.owned_by:
            name(part, f"{where}, owned_by")


def _table(t: model.Table, passed: set[int]) -> None:
    where = f"table {t.schema}.{t.name}"
    name(t.schema, where)
    name(t.name, where)
    _old_name(t.renamed_from, where)
    _comment(t.comment, where)
    if len(t.columns) > MAX_COLUMNS:
        raise SchemaError(f"{where}: {len(t.columns)} columns; PostgreSQL allows at most {MAX_COLUMNS:,}")
    for c in t.columns:
        if id(c) not in passed:  # a column's check depends on nothing else: a shared column is checked once
            _column(c, f"{where}, column {c.name}")
            passed.add(id(c))  # `db` holds every column for as long as `passed` lives: ids are not reused
    constraints = t.constraints()
    for k in constraints:
        at = f"{where}, constraint {k.name}"
        name(k.name, at)
        for col in getattr(k, "columns", ()):
            name(col, at)
    for k in t.checks:
        expression(k.expr, f"{where}, check {k.name}", "check")
    for f in t.foreign_keys:
        at = f"{where}, foreign key {f.name}"
        for part in (f.ref_schema, f.ref_table, *f.ref_columns):
            name(part, at)
        for action in (f.on_delete, f.on_update):
            if action not in ("no action", "restrict", "cascade", "set null", "set default"):
                raise SchemaError(f"{where}, foreign key {f.name}: unknown action {action!r}")
    names = [k.name for k in constraints]
    dup = next((n for n in names if names.count(n) > 1), None) if len(set(names)) < len(names) else None
    if dup is not None:
        raise SchemaError(f"{where}: two constraints are named {dup!r}")
    for i in t.indexes:
        _index(i, f"{where}, index {i.name}")
        if i.name in names:
            raise SchemaError(f"{where}, index {i.name}: a constraint of the table has that name")


SYSTEM_COLUMNS = frozenset({"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"})
MAX_COLUMNS = 1600  # PostgreSQL's limit per table


def _column(c: model.Column, where: str) -> None:
    name(c.name, where)
    if c.name in SYSTEM_COLUMNS:
        raise SchemaError(f"{where}: {c.name!r} is the name of a PostgreSQL system column")
    _old_name(c.renamed_from, where)
    type_name(c.type, where)
    flag(c.not_null, where, "not_null")
    if c.default is not None:
        expression(c.default, where, "default")
    if c.generated is not None:
        expression(c.generated, where, "generated expression")
    _comment(c.comment, where)
    if c.identity is not None:
        flag(c.identity.always, where, "identity always")
        integer(c.identity.start, where, "identity start")
        integer(c.identity.increment, where, "identity increment", nonzero=True)


def _old_name(old: Any, where: str) -> None:
    if old is not None:
        name(old, f"{where}, renamed_from")


def _comment(text: Any, where: str) -> None:
    if text is not None and (not isinstance(text, str) or "\x00" in text):
        raise SchemaError(f"{where}: a comment must be a string without NUL, got {text!r}")


def _index(i: model.Index, where: str) -> None:
    name(i.name, where)
    index_method(i.using, where)
    if not i.elements:
        raise SchemaError(f"{where}: an index needs at least one column or expression")
    for e in i.elements:
        index_element(e, where)
    for col in i.include:
        name(col, f"{where}, include")
    if i.where is not None:
        expression(i.where, where, "index predicate")


def _relation_names(db: model.Database) -> None:
    """Tables, views, sequences and indexes (keys' indexes too) share one namespace per schema."""
    seen: dict[tuple[str, str], tuple[str, str, str | None]] = {}  # (schema, name) -> (kind, name, on what)

    def add(schema: str, relname: str, kind: str, on: str | None = None) -> None:
        other = seen.get((schema, relname))
        if other is not None:
            raise SchemaError(f"{_what(schema, kind, relname, on)}: schema {schema} already has {_what(schema, *other)} "
                              "with that name")
        seen[(schema, relname)] = (kind, relname, on)

    for kind, objects in (("table", db.tables), ("view", db.views), ("sequence", db.sequences)):
        for o in objects:
            add(o.schema, o.name, kind)
    for t in db.tables:
        keys = ((t.primary_key,) if t.primary_key else ()) + t.uniques
        for i in (*keys, *t.indexes):
            add(t.schema, i.name, "index", t.name)
    for v in db.views:
        for i in v.indexes:
            add(v.schema, i.name, "index", v.name)
    for e in db.enums:
        other = seen.get((e.schema, e.name))
        if other is not None and other[0] not in ("index", "sequence"):
            raise SchemaError(f"enum {e.schema}.{e.name}: {_what(e.schema, *other)} has that name (its row type)")


def _what(schema: str, kind: str, relname: str, on: str | None) -> str:
    return f"{kind} {schema}.{relname}" + (f" (on {on})" if on is not None else "")
