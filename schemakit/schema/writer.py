"""Write a Database as a schema module in the schemakit language (what db_pull prints)."""

from __future__ import annotations

import json
import keyword
import re

from ..pg.quote import ident
from . import model
from .names import fkey_name, pkey_name, unique_name

_SIMPLE = {
    "smallint": "smallint", "integer": "integer", "bigint": "bigint", "real": "real", "double precision": "double",
    "text": "text", "boolean": "boolean", "date": "date", "interval": "interval", "uuid": "uuid", "json": "json",
    "jsonb": "jsonb", "bytea": "bytea", "inet": "inet", "serial": "serial", "bigserial": "bigserial",
}
_PARAM = re.compile(r"^(numeric|character varying|character)(?:\((\d+)(?:,(\d+))?\))?$")
_TEMPORAL = re.compile(r"^(timestamp|time)(?:\((\d+)\))? (with|without) time zone$")


class _Names:
    """Python variable names for database objects: readable, unique, never a keyword."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, *parts: str) -> str:
        base = "_".join(re.sub(r"\W+", "_", p, flags=re.ASCII).strip("_").lower() for p in parts if p) or "obj"
        if base[0].isdigit():
            base = "_" + base
        if keyword.iskeyword(base) or base in _RESERVED:
            base += "_"
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name


_RESERVED = {"sql", "column", *_SIMPLE.values(), "numeric", "varchar", "char", "timestamp", "time",
             "Table", "Enum", "View", "Sequence", "Schema", "Extension", "Index", "Unique", "Check", "PrimaryKey", "ForeignKey"}


def py_str(text: str) -> str:
    """A Python string literal (never pasted text) as ruff format writes it: double quotes unless the text holds one."""
    r = repr(text)
    if r.startswith("'") and '"' not in text:
        r = '"' + r[1:-1].replace("\\'", "'") + '"'
    return r


def _sql_text(text: str) -> str:
    """SQL text: triple-quoted when it spans lines and reads back exactly, else one literal."""
    if "\n" not in text:  # one line (most checks and defaults): no character to look at
        return py_str(text)
    plain = all(ch.isprintable() or ch in "\n\t" for ch in text) and "\\" not in text
    if plain and '"""' not in text and not text.endswith('"'):
        return '"""' + text + '"""'
    return py_str(text)


def _tuple(parts: tuple[str, ...] | list[str], brackets: str = "()") -> str:
    inner = ", ".join(py_str(p) for p in parts)
    if brackets == "()" and len(parts) == 1:
        inner += ","
    return brackets[0] + inner + brackets[1]


class Writer:
    def __init__(self, db: model.Database) -> None:
        self.db = db
        self.names = _Names()
        self.imports: set[str] = set()
        self.enum_vars: dict[str, str] = {}
        self.table_vars: dict[tuple[str, str], str] = {}
        self.columns: dict[tuple[model.Column, bool, bool], str] = {}

    def use(self, name: str) -> str:
        self.imports.add(name)
        return name

    def module(self, title: str, left_out: list[str] | tuple[str, ...] = ()) -> str:
        body = self.body()
        return self.head(title, left_out) + body

    def body(self) -> str:
        """Every statement of the module, after its imports."""
        body: list[str] = []
        counts: dict[str, int] = {}
        for t in self.db.tables:
            counts[t.name] = counts.get(t.name, 0) + 1
        used_schemas = {o.schema for o in (*self.db.tables, *self.db.enums, *self.db.views, *self.db.sequences,
                                           *self.db.extensions)}
        for s in self.db.schemas:
            if s not in used_schemas:
                body.append(f"{self.names.make('schema', s)} = {self.use('Schema')}({py_str(s)})")
        for x in self.db.extensions:
            body.append(f"{self.names.make(x.name)} = {self.use('Extension')}({py_str(x.name)}{self._schema(x.schema)})")
        for e in self.db.enums:
            var = self.names.make(e.name if e.schema == "public" else f"{e.schema}_{e.name}")
            self.enum_vars[ident(e.schema, e.name)] = var
            values = ", ".join(py_str(v) for v in e.values)
            body.append(f"{var} = {self.use('Enum')}({py_str(e.name)}, [{values}]{self._schema(e.schema)})")
        for s in self.db.sequences:
            body.append(self.sequence(s))
        for t in _fk_order(self.db.tables):
            var = self.names.make(t.name if counts[t.name] == 1 and t.schema == "public" else f"{t.schema}_{t.name}")
            body.append(f"{var} = " + self.table(t))
            self.table_vars[t.key] = var
        for v in self.db.views:
            body.append(self.view(v))
        return "\n" + "\n\n".join(body) + ("\n" if body else "")

    def head(self, title: str, left_out: list[str] | tuple[str, ...]) -> str:
        """The title, what is left out and the imports the body uses (after body())."""
        imports = "".join(f"    {n},\n" for n in sorted(self.imports, key=lambda n: (not n[0].isupper(), n)))
        # the title holds a database name: a literal (never pasted into a docstring)
        head = f"{py_str(title)}\n" + _left_out(left_out)
        return head + (f"\nfrom schemakit import (\n{imports})\n" if self.imports else "")

    def _schema(self, schema: str) -> str:
        return "" if schema == "public" else f", schema={py_str(schema)}"

    def sequence(self, s: model.Sequence) -> str:
        args = [py_str(s.name)]
        for field in ("start", "increment", "min_value", "max_value", "cache"):
            value = getattr(s, field)
            if value is not None:
                args.append(f"{field}={value}")
        if s.cycle:
            args.append("cycle=True")
        if s.owned_by:
            args.append(f"owned_by={py_str('.'.join(s.owned_by))}" if all("." not in p for p in s.owned_by) else f"owned_by={s.owned_by!r}")
        if s.schema != "public":
            args.append(f"schema={py_str(s.schema)}")
        if s.type != "bigint":
            args.append(f"type={py_str(s.type)}")
        return f"{self.names.make(s.name if s.schema == 'public' else s.schema + '_' + s.name)} = {self.use('Sequence')}({', '.join(args)})"

    def column_type(self, c: model.Column) -> str:
        t, array = (c.type[:-2], True) if c.type.endswith("[]") else (c.type, False)
        name = py_str(c.name)
        if t in _SIMPLE:
            out = f"{self.use(_SIMPLE[t])}({name})"
        elif t in self.enum_vars:
            out = f"{self.enum_vars[t]}({name})"
        elif m := _PARAM.match(t):
            fn = {"numeric": "numeric", "character varying": "varchar", "character": "char"}[m.group(1)]
            args = [name] + [g for g in m.groups()[1:] if g]
            out = f"{self.use(fn)}({', '.join(args)})"
        elif m := _TEMPORAL.match(t):
            args = [name] + (["tz=True"] if m.group(3) == "with" else []) + ([f"precision={m.group(2)}"] if m.group(2) else [])
            out = f"{self.use(m.group(1))}({', '.join(args)})"
        else:
            return f"{self.use('column')}({name}, {py_str(c.type)})"
        return out + (".array()" if array else "")

    def table(self, t: model.Table) -> str:
        lines = []
        inline_pk = t.primary_key if t.primary_key and len(t.primary_key.columns) == 1 and t.primary_key.name == pkey_name(t.name) else None
        inline_unique = {u.columns[0]: u for u in t.uniques if len(u.columns) == 1 and u.nulls_distinct and u.name == unique_name(t.name, u.columns)}
        inline_fk = {f.columns[0]: f for f in t.foreign_keys if len(f.columns) == 1 and not f.deferrable and f.name == fkey_name(t.name, f.columns)}
        for c in t.columns:
            if c.name in inline_fk:  # names another table's variable
                lines.append(self.column(t, c, inline_pk, inline_unique, inline_fk))
                continue
            # a thousand tables repeat a handful of columns: each spelled once (the imports it uses are noted then)
            key = (c, inline_pk is not None and inline_pk.columns[0] == c.name, c.name in inline_unique)
            text = self.columns.get(key)
            if text is None:
                text = self.columns[key] = self.column(t, c, inline_pk, inline_unique, inline_fk)
            lines.append(text)
        if t.primary_key and not inline_pk:
            cols = ", ".join(py_str(x) for x in t.primary_key.columns)
            name = "" if t.primary_key.name == pkey_name(t.name) else f", name={py_str(t.primary_key.name)}"
            lines.append(f"{self.use('PrimaryKey')}({cols}{name})")
        for u in t.uniques:
            if inline_unique.get(u.columns[0]) is not u:
                extra = "" if u.nulls_distinct else ", nulls_distinct=False"
                lines.append(f"{self.use('Unique')}({', '.join(py_str(x) for x in u.columns)}, name={py_str(u.name)}{extra})")
        for ch in t.checks:
            lines.append(f"{self.use('Check')}({py_str(ch.name)}, {self.use('sql')}({_sql_text(ch.expr)}))")
        for f in t.foreign_keys:
            if inline_fk.get(f.columns[0]) is not f:
                lines.append(self.foreign_key(t, f))
        for i in t.indexes:
            lines.append(self.index(i, [c.name for c in t.columns]))
        opts = [f"schema={py_str(t.schema)}"] if t.schema != "public" else []
        if t.comment is not None:
            opts.append(f"comment={py_str(t.comment)}")
        if not lines:
            return f"{self.use('Table')}({', '.join([py_str(t.name), *opts])})"
        inner = "".join(f"    {ln},\n" for ln in [py_str(t.name), *lines, *opts])
        return f"{self.use('Table')}(\n{inner})"

    def column(self, t, c: model.Column, inline_pk, inline_unique, inline_fk) -> str:
        out = self.column_type(c)
        if inline_pk and inline_pk.columns[0] == c.name:
            out += ".primary_key()"
        elif c.not_null and not c.identity and c.type not in model.SERIAL_TYPES:
            out += ".not_null()"
        if c.name in inline_unique:
            out += ".unique()"
        if c.default is not None:
            out += f".default({_default(c.default, c.type, self)})"
        if c.identity:
            args = [] if c.identity.always else ["always=False"]
            args += [f"start={c.identity.start}"] if c.identity.start is not None else []
            args += [f"increment={c.identity.increment}"] if c.identity.increment is not None else []
            out += f".identity({', '.join(args)})"
        if c.generated:
            out += f".generated({self.use('sql')}({_sql_text(c.generated)}))"
        if c.name in inline_fk:
            f = inline_fk[c.name]
            out += f".references({self.ref(f, f.ref_columns[0])}{_actions(f)})"
        if c.comment is not None:
            out += f".comment({py_str(c.comment)})"
        return out

    def ref(self, f: model.ForeignKey, column: str) -> str:
        var = self.table_vars.get((f.ref_schema, f.ref_table))
        if var is None:  # a forward or self reference: spell it out
            return _tuple((f.ref_schema, f.ref_table, column))
        # ASCII only: Python NFKC-normalises other identifiers (`ﬁ` reads as `fi`)
        plain = column.isascii() and column.isidentifier() and not keyword.iskeyword(column) and not column.startswith("_")
        return f"{var}.c.{column}" if plain else f"{var}.c[{py_str(column)}]"

    def foreign_key(self, t: model.Table, f: model.ForeignKey) -> str:
        cols = _tuple(f.columns, "[]")
        var = self.table_vars.get((f.ref_schema, f.ref_table))
        ref = var if var else _tuple((f.ref_schema, f.ref_table))
        extra = _actions(f)
        if f.deferrable:
            extra += ", deferrable=True" + (", initially_deferred=True" if f.initially_deferred else "")
        if f.name != fkey_name(t.name, f.columns):
            extra += f", name={py_str(f.name)}"
        return f"{self.use('ForeignKey')}({cols}, {ref}, {_tuple(f.ref_columns, '[]')}{extra})"

    def index(self, i: model.Index, columns: list[str]) -> str:
        elements = ", ".join(_element(e, columns, self) for e in i.elements)
        extra = ", unique=True" if i.unique else ""
        if i.using != "btree":
            extra += f", using={py_str(i.using)}"
        if i.include:
            extra += f", include={_tuple(i.include, '[]')}"
        if not i.nulls_distinct:
            extra += ", nulls_distinct=False"
        if i.where:
            extra += f", where={self.use('sql')}({_sql_text(i.where)})"
        return f"{self.use('Index')}({py_str(i.name)}, {elements}{extra})"

    def view(self, v: model.View) -> str:
        var = self.names.make(v.name if v.schema == "public" else f"{v.schema}_{v.name}")
        parts = [py_str(v.name), f"{self.use('sql')}({_sql_text(v.query)})"]
        parts += [self.index(i, []) for i in v.indexes]
        opts = self._schema(v.schema) + (", materialized=True" if v.materialized else "")
        opts += "".join(f", {n}=True" for n in ("security_barrier", "security_invoker") if getattr(v, n))
        opts += f", check_option={py_str(v.check_option)}" if v.check_option else ""
        return f"{var} = {self.use('View')}({', '.join(parts)}{opts})"


def _actions(f: model.ForeignKey) -> str:
    out = ""
    if f.on_delete != "no action":
        out += f", on_delete={py_str(f.on_delete)}"
    if f.on_update != "no action":
        out += f", on_update={py_str(f.on_update)}"
    return out


_QUOTED = re.compile(r"^'((?:[^']|'')*)'::([^']+)$")
_STRING_TYPES = re.compile(r"^(text|character varying(\(\d+\))?|character\(\d+\)|\"[^\[]*)$")


def _default(text: str, type_sql: str, w: Writer) -> str:
    """A Python value where it reads better and round-trips exactly, else sql(...)."""
    if text in ("true", "false") and type_sql == "boolean":
        return "True" if text == "true" else "False"
    if re.fullmatch(r"-?\d{1,15}", text) and type_sql in ("smallint", "integer", "bigint"):
        return text
    m = _QUOTED.match(text)
    same_type = m and re.sub(r"\(\d+\)", "", type_sql).replace('"', "") == m.group(2)
    if m and same_type and _STRING_TYPES.match(type_sql) and "\\" not in m.group(1):
        return py_str(m.group(1).replace("''", "'"))
    if m and type_sql in ("json", "jsonb") and m.group(2) == type_sql:
        try:
            value = json.loads(m.group(1).replace("''", "'"))
        except ValueError:
            value = None
        if isinstance(value, (dict, list)) and not value:
            return repr(value)
    return f"{w.use('sql')}({_sql_text(text)})"


def _element(e: str, columns: list[str], w: Writer) -> str:
    for c in columns:
        q = ident(c)
        if e == q:
            return py_str(c)
        if e.startswith(q + " ") and re.fullmatch(r"( DESC)?( NULLS (FIRST|LAST))?", e[len(q):]):
            return py_str(c + e[len(q):].lower())
    return f"{w.use('sql')}({_sql_text(e)})"


def _fk_order(tables: tuple[model.Table, ...]) -> list[model.Table]:
    """Tables in name order, each after the tables it references where the references allow.

    A depth-first walk with its own stack: a chain of foreign keys thousands of tables long would
    pass Python's recursion limit (and copying the path at every step made it quadratic)."""
    by_key = {t.key: t for t in tables}
    out: list[model.Table] = []
    seen: set[tuple[str, str]] = set()
    path: set[tuple[str, str]] = set()  # the tables being walked: a reference back to one is a cycle

    def refs(t: model.Table):
        for f in t.foreign_keys:
            ref = by_key.get((f.ref_schema, f.ref_table))
            if ref is not None and ref.key != t.key:
                yield ref

    for first in tables:
        if first.key in seen:
            continue
        path.add(first.key)
        stack = [(first, refs(first))]
        while stack:
            t, pending = stack[-1]
            ref = next(pending, None)
            if ref is None:
                stack.pop()
                path.discard(t.key)
                seen.add(t.key)
                out.append(t)
            elif ref.key not in seen and ref.key not in path:
                path.add(ref.key)
                stack.append((ref, refs(ref)))
    return out


def _left_out(lines: list[str] | tuple[str, ...]) -> str:
    if not lines:
        return ""
    body = "".join(f"#   {' '.join(line.split())}\n" for line in lines)
    return ("\n# Left alone in the database: the schema language cannot say these, and db_push never changes them\n"
            "# (db_status lists them as unmanaged):\n" + body)


def write_module(db: model.Database, title: str = "Schema pulled from the database by schemakit db_pull.",
                 left_out: list[str] | tuple[str, ...] = ()) -> str:
    """Return Python source for a schema module that reproduces `db`, listing what it leaves out."""
    return Writer(db).module(title, left_out)

