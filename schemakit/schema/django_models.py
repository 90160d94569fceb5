"""Write Django models (managed = False) for the tables of a schema: the ORM's view of them."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..pg.quote import ident
from . import model
from .writer import py_str as _py_str

HEADER = '"""Django models for the schemakit schema. Written by `manage.py db_models`; do not edit."""'
# Django model attributes a field must not shadow, and names Django refuses for fields
_RESERVED = {"pk", "objects", "check", "save", "delete", "clean", "full_clean", "refresh_from_db", "Meta",
             "DoesNotExist", "MultipleObjectsReturned", "serializable_value", "validate_unique",
             "validate_constraints", "clean_fields", "get_deferred_fields", "from_db", "prepare_database_save"}
_INTS = {"smallint": "SmallIntegerField", "integer": "IntegerField", "bigint": "BigIntegerField"}
_AUTOS = {"smallint": "SmallAutoField", "integer": "AutoField", "bigint": "BigAutoField",
          "smallserial": "SmallAutoField", "serial": "AutoField", "bigserial": "BigAutoField"}
_PLAIN = {
    "text": "TextField", "boolean": "BooleanField", "real": "FloatField", "double precision": "FloatField",
    "date": "DateField", "interval": "DurationField", "uuid": "UUIDField", "jsonb": "JSONField",
    "bytea": "BinaryField", "inet": "GenericIPAddressField", "character varying": "CharField",
    "time without time zone": "TimeField", "time with time zone": "TimeField",
    "timestamp without time zone": "DateTimeField", "timestamp with time zone": "DateTimeField",
}
_ON_DELETE = {"cascade": "CASCADE", "set null": "SET_NULL", "restrict": "RESTRICT"}  # else the database acts
_STRING_TYPES = re.compile(r"^(text|character varying(\(\d+\))?|character\(\d+\))$")

# (schema, table) of a table Django owns -> (model expression, its key column, {column: field name}) or None
External = Callable[[str, str], "tuple[str, str, dict[str, str]] | None"]


def python_name(text: str, taken: set[str], reserved: set[str] = _RESERVED) -> str:
    """A valid, unused Python identifier close to `text` (recorded in `taken`)."""
    name = re.sub(r"__+", "_", re.sub(r"\W", "_", text)).strip("_") or "field"
    if not name.isidentifier():
        name = "f_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in reserved:
        name += "_field"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def class_name(parts: list[str], taken: set[str]) -> str:
    words = [w for p in parts for w in re.split(r"[^0-9A-Za-z]+|(?<=[a-z0-9])(?=[A-Z])", p) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Table"
    if name[0].isdigit():
        name = "T" + name
    return python_name(name, taken, _RESERVED | {"models", "settings", "ArrayField", "RawSQL", "skfields"})


def _table_sql_name(schema: str, name: str) -> str:
    """db_table: a plain name Django quotes itself, or a pre-quoted one that Django leaves alone."""
    if schema == model.DEFAULT_SCHEMA and '"' not in name:
        return name
    return ident(schema, name) if schema != model.DEFAULT_SCHEMA else ident(name)


def _column_sql_name(name: str) -> str:
    return ident(name) if '"' in name else name


@dataclass
class _Model:
    table: model.Table
    cls: str
    fields: dict[str, str] = field(default_factory=dict)  # column -> field name
    fk_fields: dict[str, model.ForeignKey] = field(default_factory=dict)  # column -> its single-column key
    pk: tuple[str, ...] = ()


class ModelWriter:
    def __init__(self, db: model.Database, external: External | None = None) -> None:
        self.db, self.external = db, external or (lambda s, t: None)
        self.imports: set[str] = set()
        taken: set[str] = set()
        self.enums = {e.key: (class_name([e.name] if e.schema == "public" else [e.schema, e.name], taken), e)
                      for e in db.enums}
        self.models = {t.key: _Model(t, class_name([t.name] if t.schema == "public" else [t.schema, t.name], taken))
                       for t in db.tables}
        for m in self.models.values():  # every key first: a foreign key looks at its target's
            m.pk = m.table.primary_key.columns if m.table.primary_key else _stand_in_key(m.table)
        for m in self.models.values():
            self._plan(m)

    # ------------------------------------------------------------ naming
    def _plan(self, m: _Model) -> None:
        t, taken = m.table, set()
        for f in t.foreign_keys:
            if len(f.columns) == 1 and self._target(f) is not None:
                m.fk_fields[f.columns[0]] = f
        names = {c.name for c in t.columns}
        for c in t.columns:
            if c.name in m.fk_fields:
                stem = c.name[:-3] if c.name.endswith("_id") and len(c.name) > 3 else c.name
                if stem in names - {c.name} or f"{stem}_id" in names - {c.name}:
                    stem = c.name + "_ref"
                m.fields[c.name] = python_name(stem, taken)
                taken.add(m.fields[c.name] + "_id")
            else:
                reserved = _RESERVED | ({"id"} if c.name == "id" and m.pk != ("id",) else set())
                m.fields[c.name] = python_name(c.name, taken, reserved)

    def _target(self, f: model.ForeignKey) -> tuple[str, str | None] | None:
        """(model expression, to_field or None) for a key Django can follow, else None."""
        ref = self.models.get((f.ref_schema, f.ref_table))
        if ref is not None:
            if ref.pk == f.ref_columns:
                return (_py_str(ref.cls), None) if len(ref.pk) == 1 else None
            if f.ref_columns in {u.columns for u in ref.table.uniques} and len(ref.pk) == 1:
                return _py_str(ref.cls), f.ref_columns[0]  # resolved to a field name in _fk
            return None
        ext = self.external(f.ref_schema, f.ref_table)
        if ext is None or f.ref_columns[0] not in ext[2]:
            return None
        expr, key, fields = ext
        return expr, None if key == f.ref_columns[0] else fields[f.ref_columns[0]]

    # ------------------------------------------------------------ output
    def module(self) -> str:
        body = [self._enum(*v) for v in self.enums.values()] + [self._model(m) for m in self.models.values()]
        head = [HEADER, ""]
        if "settings" in self.imports:
            head.append("from django.conf import settings")
        if "ArrayField" in self.imports:
            head.append("from django.contrib.postgres.fields import ArrayField")
        head.append("from django.db import models")
        if "RawSQL" in self.imports:
            head.append("from django.db.models.expressions import RawSQL")
        if "skfields" in self.imports:
            head += ["", "from schemakit import fields as skfields"]
        return "\n".join(head) + "\n" + "".join(f"\n\n{b}" for b in body)

    def _enum(self, cls: str, e: model.Enum) -> str:
        taken: set[str] = set()
        lines = [f"class {cls}(models.TextChoices):", f"    # enum {e.schema}.{e.name}" if _printable(e.name) and _printable(e.schema) else "    # an enum"]
        for v in e.values:
            member = python_name(v.upper(), taken, {"NAME", "VALUE", "LABEL", "MRO"}).upper()
            lines.append(f"    {member} = {_py_str(v)}, {_py_str(v)}")
        return "\n".join(lines) + "\n"

    def _model(self, m: _Model) -> str:
        t = m.table
        lines = [f"class {m.cls}(models.Model):"]
        if len(m.pk) > 1:
            lines.append(f"    pk = models.CompositePrimaryKey({', '.join(_py_str(_attname(m, c)) for c in m.pk)})")
        for c in t.columns:
            lines.append(f"    {m.fields[c.name]} = {self._field(m, c)}")
        lines += ["", "    class Meta:", "        managed = False", f"        db_table = {_py_str(_table_sql_name(*t.key))}"]
        if t.comment is not None:
            lines.append(f"        db_table_comment = {_py_str(t.comment)}")
        multi = [u for u in t.uniques if len(u.columns) > 1 and u.columns != m.pk]
        if multi:
            lines.append("        constraints = [")
            for u in multi:
                cols = ", ".join(_py_str(m.fields[c]) for c in u.columns)
                lines.append(f"            models.UniqueConstraint(fields=[{cols}], name={_py_str(u.name)}),")
            lines.append("        ]")
        return "\n".join(lines) + "\n"

    def _field(self, m: _Model, c: model.Column) -> str:
        t, kwargs = m.table, []
        if c.name in m.fk_fields:
            return self._fk(m, c)
        single_pk = m.pk == (c.name,)
        auto = single_pk and (c.type in model.SERIAL_TYPES or c.identity is not None) and c.type.rstrip("[]") in _AUTOS
        cls, args = ("models." + _AUTOS[c.type], []) if auto else self._type(c.type)
        if c.generated is not None:  # never written by the ORM; read back after every save
            self.imports.add("RawSQL")
            kwargs += [f"expression=RawSQL({_py_str(c.generated)}, ())", f"output_field={cls}({', '.join(args)})", "db_persist=True"]
            cls, args = "models.GeneratedField", []
        kwargs += args
        if single_pk:
            kwargs.append("primary_key=True")
        kwargs += self._common(t, c, auto, m)
        return f"{cls}({', '.join(kwargs)})"

    def _common(self, t: model.Table, c: model.Column, auto: bool, m: _Model) -> list[str]:
        out = []
        if m.fields[c.name] != c.name and c.name not in m.fk_fields or '"' in c.name:
            out.append(f"db_column={_py_str(_column_sql_name(c.name))}")
        if not c.not_null:
            out += ["null=True", "blank=True"]
        if (c.name,) in {u.columns for u in t.uniques} and m.pk != (c.name,):
            out.append("unique=True")
        default = None if auto else _db_default(c, self)
        if default is not None:
            out.append(f"db_default={default}")
        if c.comment is not None:
            out.append(f"db_comment={_py_str(c.comment)}")
        return out

    def _type(self, type_sql: str) -> tuple[str, list[str]]:
        if type_sql.endswith("[]"):
            self.imports.add("ArrayField")
            inner, args = self._type(type_sql[:-2])
            return "ArrayField", [f"{inner}({', '.join(args)})"]
        enum = self._enum_of(type_sql)
        if enum is not None:
            return "models.TextField", [f"choices={enum}.choices"]
        base, _, mod = type_sql.partition("(")
        nums = [int(n) for n in re.findall(r"\d+", mod.split(")")[0])] if mod else []
        if base in ("serial", "bigserial", "smallserial"):
            return "models." + _INTS[model.SERIAL_TYPES[base]], []
        if base in _INTS:
            return "models." + _INTS[base], []
        if base == "numeric":
            if nums:
                return "models.DecimalField", [f"max_digits={nums[0]}", f"decimal_places={nums[1]}"]
            self.imports.add("skfields")
            return "skfields.NumericField", []
        if base in ("character varying", "character"):
            return "models.CharField", [f"max_length={nums[0]}"] if nums else []
        if base == "json":
            self.imports.add("skfields")
            return "skfields.JSONTextField", []
        zone = re.sub(r"\(\d+\)", "", type_sql)
        return "models." + _PLAIN.get(zone, "TextField"), []

    def _enum_of(self, type_sql: str) -> str | None:
        for (schema, name), (cls, _) in self.enums.items():
            if type_sql in (ident(schema, name), f"{schema}.{name}", ident(name) if schema == "public" else None,
                            name if schema == "public" else None):
                return cls
        return None

    def _fk(self, m: _Model, c: model.Column) -> str:
        f = m.fk_fields[c.name]
        target, to_field = self._target(f)  # type: ignore[misc]
        if target.startswith("settings."):
            self.imports.add("settings")
        ref = self.models.get((f.ref_schema, f.ref_table))
        if to_field is not None and ref is not None:
            to_field = ref.fields[to_field]
        on_delete = _ON_DELETE.get(f.on_delete, "DO_NOTHING")
        if on_delete == "SET_NULL" and c.not_null:
            on_delete = "DO_NOTHING"  # Django wants null=True for SET_NULL; the database acts anyway
        kwargs = [target, f"on_delete=models.{on_delete}"]
        if to_field is not None:
            kwargs.append(f"to_field={_py_str(to_field)}")
        if _attname(m, c.name) != c.name or '"' in c.name:
            kwargs.append(f"db_column={_py_str(_column_sql_name(c.name))}")
        same = [k for k in m.fk_fields.values() if (k.ref_schema, k.ref_table) == (f.ref_schema, f.ref_table)]
        if len(same) > 1 or ref is m or ref is None:  # reverse accessors would clash, or land on Django's models
            rel = python_name(f"{m.cls.lower()}_{m.fields[c.name]}", set())
            kwargs += [f"related_name={_py_str(rel + '_set')}", f"related_query_name={_py_str(rel)}"]
        if m.pk == (c.name,):
            kwargs.append("primary_key=True")
        kwargs += [k for k in self._common(m.table, c, False, m) if not k.startswith("db_column")]
        return f"models.ForeignKey({', '.join(kwargs)})"


def _attname(m: _Model, column: str) -> str:
    return m.fields[column] + "_id" if column in m.fk_fields else m.fields[column]


def _printable(text: str) -> bool:
    return text.isprintable() and "\n" not in text


def _stand_in_key(t: model.Table) -> tuple[str, ...]:
    """Django needs a primary key: a unique set of NOT NULL columns, else every column."""
    not_null = {c.name for c in t.columns if c.not_null}
    for u in sorted(t.uniques, key=lambda u: len(u.columns)):
        if set(u.columns) <= not_null:
            return u.columns
    return tuple(c.name for c in t.columns)


def _db_default(c: model.Column, w: ModelWriter) -> str | None:
    """A Python literal where the SQL default is one, else RawSQL(...) with the SQL text."""
    if c.default is None and c.type not in model.SERIAL_TYPES and c.identity is None:
        return None
    text = c.default or "DEFAULT"  # a sequence or identity fills it; only the DEFAULT keyword is ever sent
    if c.type == "boolean" and text in ("true", "false"):
        return "True" if text == "true" else "False"
    if c.type in _INTS and re.fullmatch(r"-?\d{1,18}", text):
        return text
    m = re.fullmatch(r"'((?:[^']|'')*)'(::.+)?", text)
    if m and (_STRING_TYPES.match(c.type) or w._enum_of(c.type)) and "\\" not in m.group(1):
        return _py_str(m.group(1).replace("''", "'"))
    w.imports.add("RawSQL")
    return f"RawSQL({_py_str(text)}, ())"


def write_models(db: model.Database, external: External | None = None) -> str:
    """Return the text of a models module for every table of `db`."""
    return ModelWriter(db, external).module()
