"""Pages of rows by key (never OFFSET deep into a table), sorted and filtered; each query read-only and timed out.

Values typed in the page travel as parameters of unknown type, so PostgreSQL reads them as the
column's type; names are checked against the table's columns and quoted with sql.Identifier.
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
    for col, op, value in zip(get.getlist("fc"), get.getlist("fo"), get.getlist("fv"), strict=False):
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


ALIAS = "_sk_row"  # every column is qualified by it, so no output column name can shadow one


def col(name: str) -> sql.Composable:
    return sql.Identifier(ALIAS, name)


def key_columns(rel: Relation) -> list[sql.Composable]:
    """What orders rows uniquely: the primary key, else the row's physical address (tables) or nothing (views)."""
    if rel.primary_key:
        return [col(c) for c in rel.primary_key]
    if rel.kind in ("r", "p", "m"):
        return [sql.SQL("{}.ctid").format(sql.Identifier(ALIAS))]
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


def _keyset(q: Query, keys: list[sql.Composable], params: list[Any]) -> sql.Composable | None:
    """Rows after the last one shown, in (sort column, key) order with NULLs last."""
    if q.after is None:
        return None
    cmp = sql.SQL("<" if q.desc else ">")
    n = len(keys)
    if len(q.after) != n + (1 if q.sort else 0):
        raise BadRequest("the page token does not fit this table")
    key_vals = q.after[-n:]
    key_row = sql.SQL("({}) {} ({})").format(sql.SQL(", ").join(keys), cmp,
                                             sql.SQL(", ").join(sql.Placeholder() * n))
    if not q.sort:
        params.extend(key_vals)
        return key_row
    s, last = col(q.sort), q.after[0]
    if last is None:
        params.extend(key_vals)
        return sql.SQL("({} IS NULL AND {})").format(s, key_row)
    params.extend([last, last, *key_vals])
    return sql.SQL("({s} {cmp} {p} OR ({s} = {p} AND {k}) OR {s} IS NULL)").format(
        s=s, cmp=cmp, p=sql.Placeholder(), k=key_row)


def page(conn: psycopg.Connection, rel: Relation, q: Query, size: int = PAGE) -> Page:
    """One page of rows of `rel`, with the key of each row and of the next page."""
    params: list[Any] = []
    keys = key_columns(rel)
    conds = _where(rel, q, params)
    direction = sql.SQL(" DESC" if q.desc else "")
    order: list[sql.Composable] = []
    sort_key: list[sql.Composable] = []
    if q.sort:
        order.append(sql.SQL("{}{} NULLS LAST").format(col(q.sort), direction))
        sort_key.append(sql.SQL("{}::text").format(col(q.sort)))
    order += [sql.SQL("{}{}").format(k, direction) for k in keys]
    offset = sql.SQL("")
    if keys:
        ks = _keyset(q, keys, params)
        if ks is not None:
            conds.append(ks)
    elif q.after:  # a view: OFFSET, bounded
        skip = int(q.after[0] or 0)
        if skip > VIEW_OFFSET_LIMIT:
            raise BadRequest(f"a view is paged {VIEW_OFFSET_LIMIT:,} rows deep at most; filter to narrow it")
        offset = sql.SQL(" OFFSET {}").format(sql.Literal(skip))
    texts = sort_key + [sql.SQL("{}::text").format(k) for k in keys]
    query = sql.SQL("SELECT {cols}{extra} FROM {rel}{where}{order} LIMIT {limit}{offset}").format(
        cols=sql.SQL(", ").join(col(c) for c in rel.column_names) if rel.columns else sql.SQL("NULL"),
        extra=sql.SQL("").join(sql.SQL(", ") + t for t in texts),
        rel=_from(rel),
        where=sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conds) if conds else sql.SQL(""),
        order=sql.SQL(" ORDER BY ") + sql.SQL(", ").join(order) if order else sql.SQL(""),
        limit=sql.Literal(size + 1), offset=offset,
    )
    rows = conn.execute(query, params).fetchall()
    more = len(rows) > size
    rows = rows[:size]
    width = len(rel.columns)
    keys_text = [list(r[width:]) for r in rows]
    next_key = None
    if more:
        next_key = keys_text[-1] if keys else [str(int((q.after or ["0"])[0] or 0) + size)]
    count, estimate = _count(conn, rel, q)
    row_keys = [k[len(sort_key):] for k in keys_text]
    return Page(rel.column_names, [r[:width] for r in rows], row_keys, next_key, count, estimate)


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
    return sql.SQL("{} AS {}").format(sql.Identifier(rel.schema, rel.name), sql.Identifier(ALIAS))


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
        sql.SQL(", ").join(col(c) for c in rel.column_names), sql.Identifier(ALIAS), _from(rel), cond)
    return conn.execute(query, params).fetchone()


def referencing_count(conn: psycopg.Connection, schema: str, table: str, columns: tuple[str, ...],
                      values: list[Any]) -> int:
    cond = sql.SQL(" AND ").join(sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder()) for c in columns)
    query = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(sql.Identifier(schema, table), cond)
    return conn.execute(query, values).fetchone()[0]
