"""Pages of rows by key (never OFFSET deep into a table), sorted and filtered; each query read-only and timed out.

Values typed in the page travel as parameters of unknown type, so PostgreSQL reads them as the
column's type; names are checked against the table's columns and quoted with `ident` (sql.Identifier).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from .catalog import Relation

PAGE = 50
EXACT_COUNT_UP_TO = 100_000  # tables estimated above this get the planner's estimate, marked as such
VIEW_OFFSET_LIMIT = 10_000  # views have no key: paged by OFFSET, this deep at most

OPS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "contains": "contains",
       "null": "is null", "notnull": "is not null"}


class BadRequest(ValueError):
    """A page parameter that names no column or cannot be read."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: str = ""


@dataclass
class Query:
    sort: str | None = None
    desc: bool = False
    filters: list[Filter] = field(default_factory=list)
    after: list[str | None] | None = None  # key of the last row shown, as text

    def params(self, after: list[str | None] | None = None) -> list[tuple[str, str]]:
        """The query string that reproduces this page (or the next one)."""
        out: list[tuple[str, str]] = []
        if self.sort:
            out += [("sort", self.sort), ("dir", "desc" if self.desc else "asc")]
        for f in self.filters:
            out += [("fc", f.column), ("fo", f.op), ("fv", f.value)]
        if after is not None:
            out.append(("after", encode_key(after)))
        return out


@dataclass
class Page:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    keys: list[list[str | None]]  # per row: its key as text (primary key values, or ctid)
    next_key: list[str | None] | None
    count: int | None
    count_is_estimate: bool


def encode_key(values: list[str | None]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_key(token: str) -> list[str | None]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except ValueError as exc:
        raise BadRequest("the page token is damaged") from exc
    if not isinstance(data, list) or not all(v is None or isinstance(v, str) for v in data):
        raise BadRequest("the page token is damaged")
    return data


def parse(rel: Relation, get: Any) -> Query:
    """Read sort, filters and the page key from a QueryDict, checking every column name."""
    names = set(rel.column_names)
    q = Query()
    sort = get.get("sort")
    if sort:
        if sort not in names:
            raise BadRequest(f"no column {sort!r} to sort by")
        q.sort, q.desc = sort, get.get("dir") == "desc"
    columns, ops, values = get.getlist("fc"), get.getlist("fo"), get.getlist("fv")
    if not len(columns) == len(ops) == len(values):
        raise BadRequest("each filter needs a column (fc), an operator (fo) and a value (fv, may be empty)")
    for col, op, value in zip(columns, ops, values, strict=True):
        if not col:
            continue
        if col not in names:
            raise BadRequest(f"no column {col!r} to filter on")
        if op not in OPS:
            raise BadRequest(f"unknown filter {op!r}")
        q.filters.append(Filter(col, op, value))
    if get.get("after"):
        q.after = decode_key(get["after"])
    return q


def view_offset(q: Query) -> int:
    """How many rows of a view the page token skips (a view is paged by OFFSET, bounded)."""
    token = (q.after or ["0"])[0] or "0"
    if not (token.isascii() and token.isdigit()) or int(token) > VIEW_OFFSET_LIMIT:
        raise BadRequest(f"a view is paged {VIEW_OFFSET_LIMIT:,} rows deep at most; filter to narrow it")
    return int(token)


ALIAS = "_sk_row"  # every column is qualified by it, so no output column name can shadow one


def ident(*names: str) -> sql.Identifier:
    """A quoted name for a query run with parameters: psycopg reads every % there, so a % in a name is doubled."""
    return sql.Identifier(*(n.replace("%", "%%") for n in names))


def col(name: str) -> sql.Composable:
    return ident(ALIAS, name)


def key_columns(rel: Relation) -> list[sql.Composable]:
    """What orders rows uniquely: the primary key, else the row's physical address (tables) or nothing (views)."""
    if rel.primary_key:
        return [col(c) for c in rel.primary_key]
    if rel.kind in ("r", "p", "m"):
        return [sql.SQL("{}.ctid").format(ident(ALIAS))]
    return []


def _where(rel: Relation, q: Query, params: list[Any]) -> list[sql.Composable]:
    out: list[sql.Composable] = []
    for f in q.filters:
        c = col(f.column)
        if f.op == "null":
            out.append(sql.SQL("{} IS NULL").format(c))
        elif f.op == "notnull":
            out.append(sql.SQL("{} IS NOT NULL").format(c))
        elif f.op == "contains":
            escaped = f.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            out.append(sql.SQL("{}::text ILIKE {}").format(c, sql.Placeholder()))
            params.append(f"%{escaped}%")
        else:
            out.append(sql.SQL("{} " + OPS[f.op] + " {}").format(c, sql.Placeholder()))
            params.append(f.value)
    return out


def _key_after(keys: list[sql.Composable], values: list[str | None], desc: bool, params: list[Any]) -> sql.Composable:
    params.extend(values)
    return sql.SQL("({}) {} ({})").format(sql.SQL(", ").join(keys), sql.SQL("<" if desc else ">"),
                                          sql.SQL(", ").join(sql.Placeholder() * len(keys)))


def _regions(q: Query, keys: list[sql.Composable], base: list[sql.Composable], base_params: list[Any]):
    """The (conditions, params, order) of each part of the order still to read, in order.

    Sorted by a column, rows with a value come first (an index range on that column, read in the
    index's own direction), then rows where it is NULL, by key: two plain queries instead of one
    with an OR that no index serves.
    """
    direction = sql.SQL(" DESC" if q.desc else "")
    by_key = [sql.SQL("{}{}").format(k, direction) for k in keys]
    if not q.sort:
        params = list(base_params)
        conds = list(base)
        if q.after is not None:
            if len(q.after) != len(keys):
                raise BadRequest("the page token does not fit this table")
            conds.append(_key_after(keys, q.after, q.desc, params))
        return [(conds, params, by_key)]
    s = col(q.sort)
    if q.after is not None and len(q.after) != len(keys) + 1:
        raise BadRequest("the page token does not fit this table")
    last, key_vals = (q.after[0], q.after[1:]) if q.after is not None else (None, None)
    out = []
    if q.after is None or last is not None:  # the rows with a value
        params = list(base_params)
        conds = [*base, sql.SQL("{} IS NOT NULL").format(s)]
        if q.after is not None:
            cmp = "<" if q.desc else ">"
            params.append(last)
            conds.append(sql.SQL("{} {}= {}").format(s, sql.SQL(cmp), sql.Placeholder()))
            params.append(last)
            tie = _key_after(keys, key_vals, q.desc, params)
            conds.append(sql.SQL("({} {} {} OR {})").format(s, sql.SQL(cmp), sql.Placeholder(), tie))
        out.append((conds, params, [sql.SQL("{}{}").format(s, direction), *by_key]))
    params = list(base_params)
    conds = [*base, sql.SQL("{} IS NULL").format(s)]
    if q.after is not None and last is None:
        conds.append(_key_after(keys, key_vals, q.desc, params))
    out.append((conds, params, by_key))
    return out


def page(conn: psycopg.Connection, rel: Relation, q: Query, size: int = PAGE) -> Page:
    """One page of rows of `rel`, with the key of each row and of the next page."""
    keys = key_columns(rel)
    base_params: list[Any] = []
    base = _where(rel, q, base_params)
    texts = ([sql.SQL("{}::text").format(col(q.sort))] if q.sort else []) + [sql.SQL("{}::text").format(k) for k in keys]
    select = sql.SQL("SELECT {cols}{extra} FROM {rel}").format(
        cols=sql.SQL(", ").join(col(c) for c in rel.column_names) if rel.columns else sql.SQL("NULL"),
        extra=sql.SQL("").join(sql.SQL(", ") + t for t in texts), rel=_from(rel))
    if keys:
        rows: list[tuple[Any, ...]] = []
        for conds, params, order in _regions(q, keys, base, base_params):
            if len(rows) > size:
                break
            rows += conn.execute(select + _clauses(conds, order, size + 1 - len(rows)), params).fetchall()
    else:  # a view: no key, so OFFSET, bounded
        skip = view_offset(q)
        direction = sql.SQL(" DESC" if q.desc else "")
        order = [sql.SQL("{}{} NULLS LAST").format(col(q.sort), direction)] if q.sort else []
        rows = conn.execute(select + _clauses(base, order, size + 1, skip), base_params).fetchall()
    more = len(rows) > size
    rows = rows[:size]
    width = len(rel.columns)
    keys_text = [list(r[width:]) for r in rows]
    next_key = None
    if more:
        next_key = keys_text[-1] if keys else [str(view_offset(q) + size)]
    count, estimate = _count(conn, rel, q)
    row_keys = [k[1 if q.sort else 0:] for k in keys_text]
    return Page(rel.column_names, [r[:width] for r in rows], row_keys, next_key, count, estimate)


def _clauses(conds: list[sql.Composable], order: list[sql.Composable], limit: int, offset: int = 0) -> sql.Composable:
    return sql.SQL("{where}{order} LIMIT {limit}{offset}").format(
        where=sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conds) if conds else sql.SQL(""),
        order=sql.SQL(" ORDER BY ") + sql.SQL(", ").join(order) if order else sql.SQL(""),
        limit=sql.Literal(limit), offset=sql.SQL(" OFFSET {}").format(sql.Literal(offset)) if offset else sql.SQL(""))


def _count(conn: psycopg.Connection, rel: Relation, q: Query) -> tuple[int | None, bool]:
    """Exact where cheap, the planner's estimate beyond that."""
    params: list[Any] = []
    conds = _where(rel, q, params)
    where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conds) if conds else sql.SQL("")
    target = sql.SQL("FROM {}{}").format(_from(rel), where)
    if rel.kind in ("r", "p", "m") and rel.estimate > EXACT_COUNT_UP_TO:
        if not conds:
            return rel.estimate, True
        plan = conn.execute(sql.SQL("EXPLAIN (FORMAT JSON) SELECT 1 ") + target, params).fetchone()[0]
        return int(plan[0]["Plan"]["Plan Rows"]), True
    return conn.execute(sql.SQL("SELECT count(*) ") + target, params).fetchone()[0], False


def _from(rel: Relation) -> sql.Composable:
    return sql.SQL("{} AS {}").format(ident(rel.schema, rel.name), ident(ALIAS))


def key_condition(rel: Relation, key: list[str]) -> tuple[sql.Composable, list[str]]:
    """WHERE condition selecting one row by its key text (as `page` gives it)."""
    keys = key_columns(rel)
    if not keys or len(key) != len(keys):
        raise BadRequest("this row cannot be addressed (the relation has no key)")
    cond = sql.SQL(" AND ").join(sql.SQL("{} = {}").format(k, sql.Placeholder()) for k in keys)
    return cond, list(key)


def row(conn: psycopg.Connection, rel: Relation, key: list[str]) -> tuple[Any, ...] | None:
    cond, params = key_condition(rel, key)
    query = sql.SQL("SELECT {}, md5({}::text) FROM {} WHERE {}").format(
        sql.SQL(", ").join(col(c) for c in rel.column_names), ident(ALIAS), _from(rel), cond)
    return conn.execute(query, params).fetchone()


def referencing_count(conn: psycopg.Connection, schema: str, table: str, columns: tuple[str, ...],
                      values: list[Any]) -> int:
    cond = sql.SQL(" AND ").join(sql.SQL("{} = {}").format(ident(c), sql.Placeholder()) for c in columns)
    query = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(ident(schema, table), cond)
    return conn.execute(query, values).fetchone()[0]
