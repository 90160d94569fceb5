"""Pack a schema's SQL fragments into a few holder tables, so canonicalising a thousand tables
builds a handful.

PostgreSQL spells a column's type and default from that type and default alone, and a check, an
index expression or a predicate from its text and the types of the columns it mentions. So each
distinct (type, default) becomes one column of a value holder, and each distinct check and
expression index goes to a holder carrying only the columns it may mention (every column whose
name is a word of its text), shared by the tables that have those columns. A table is built whole,
as before, when a view mentions it, it has a generated column, or a word of its SQL names a table
(a row type, a whole-row reference: that table must exist as itself).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field

from ..schema import model

WORD = re.compile(r"[\w$]+")  # an unquoted identifier's characters
QUOTED = re.compile(r'"((?:[^"]|"")+)"')
LITERAL = re.compile(r"'(?:[^']|'')*'")
PER_HOLDER = 500  # checks, indexes or columns per holder: a batch is built in one transaction (locks)

Key = tuple[str, str]
Slot = tuple[Key, str]  # (holder table, name of its column, check or index)


@dataclass
class Packing:
    whole: set[Key] = field(default_factory=set)
    holders: list[Key] = field(default_factory=list)
    columns: dict[Key, tuple[Slot | None, ...]] = field(default_factory=dict)  # None: a serial column
    fragments: dict[tuple[Key, str], Slot] = field(default_factory=dict)  # (table, check or index name)


@dataclass
class _Holder:
    key: Key
    columns: list[model.Column]
    checks: dict[str, str] = field(default_factory=dict)  # expr -> check name
    indexes: dict[tuple, str] = field(default_factory=dict)  # (using, elements, where) -> index name

    def full(self) -> bool:
        return max(len(self.columns), len(self.checks), len(self.indexes)) >= PER_HOLDER


def has_fragment(i: model.Index) -> bool:
    return i.where is not None or any(not e.startswith('"') for e in i.elements)


def _texts(t: model.Table) -> list[str]:
    """The SQL of `t`'s checks and expression indexes: what a holder spells for it."""
    out = [c.expr for c in t.checks]
    for i in t.indexes:
        if has_fragment(i):
            out += [*i.elements, i.where or ""]
    return out


class _Words(dict):
    """text -> its lower-cased words and quoted identifiers, made once per distinct text. A name
    that is not one word can only be written quoted (U&"..." aside: the caller checks for it)."""

    def __missing__(self, text: str) -> frozenset[str]:
        low = text.lower()
        quoted = QUOTED.findall(LITERAL.sub(" ", low))  # a literal's quote marks pair with nothing
        out = self[text] = frozenset(WORD.findall(low)).union(q.replace('""', '"') for q in quoted)
        return out


def _whole(db: model.Database, viewed: set[Key], texts: dict[Key, list[str]], words: _Words) -> set[Key]:
    """The tables built as themselves: mentioned by a view, with a generated column, naming a table
    by a word of their SQL (and that table), or with SQL the word test cannot read (U&"...")."""
    named_as: dict[str, list[Key]] = {}
    for t in db.tables:
        named_as.setdefault(t.name.lower(), []).append(t.key)
    whole = set(viewed)
    names: dict[str, set[Key]] = {}  # text -> the tables its words name
    for t in db.tables:
        own = texts[t.key] + [c.type for c in t.columns] + [c.default for c in t.columns if c.default]
        named = set()
        for x in own:
            hit = names.get(x)
            if hit is None:
                hit = names[x] = {k for w in words[x] for k in named_as.get(w, ())}
            named |= hit
        if named or any("u&" in x.lower() for x in own) or any(c.generated for c in t.columns):
            whole.add(t.key)
            whole |= named
    return whole


def pack(db: model.Database, viewed: set[Key]) -> tuple[list[model.Table], Packing]:
    """Holder tables for the fragments of every table not built whole, and where each fragment went."""
    words = _Words()
    texts = {t.key: _texts(t) for t in db.tables}
    p = Packing(whole=_whole(db, viewed, texts, words))
    taken = {(o.schema, o.name) for o in (*db.tables, *db.views, *db.sequences, *db.enums)}
    taken |= {(t.schema, i.name) for t in (*db.tables, *db.views) for i in t.indexes}
    holders: list[_Holder] = []
    values: dict[tuple[str, str, str | None], Slot] = {}
    by_columns: dict[tuple, _Holder] = {}
    open_values: dict[str, _Holder] = {}
    counter = itertools.count()

    def fresh(schema: str, stem: str) -> str:
        name = f"{stem}{next(counter)}"
        while (schema, name) in taken:
            name = f"{stem}{next(counter)}"
        taken.add((schema, name))
        return name

    def new_holder(schema: str, columns: list[model.Column]) -> _Holder:
        h = _Holder((schema, fresh(schema, "schemakit_holder_")), columns)
        holders.append(h)
        p.holders.append(h.key)
        return h

    def value(schema: str, c: model.Column) -> Slot | None:
        if c.type in model.SERIAL_TYPES:
            return None  # serial columns keep their spelling
        key = (schema, c.type, c.default)
        slot = values.get(key)
        if slot is None:
            h = open_values.get(schema)
            if h is None or h.full():
                h = open_values[schema] = new_holder(schema, [])
            h.columns.append(model.Column(f"v{len(h.columns)}", c.type, default=c.default))
            slot = values[key] = (h.key, h.columns[-1].name)
        return slot

    for t in db.tables:
        if t.key in p.whole:
            continue
        p.columns[t.key] = tuple(value(t.schema, c) for c in t.columns)
        if texts[t.key]:
            _fragments(t, texts[t.key], words, by_columns, new_holder, fresh, p)
    return [_table(h) for h in holders], p


def _fragments(t: model.Table, texts: list[str], words: _Words, by_columns: dict, new_holder, fresh, p: Packing) -> None:
    """Put `t`'s checks and expression indexes in the holder of the columns they may mention."""
    mine = frozenset().union(*(words[x] for x in texts))  # no U& here: _whole keeps such a table whole
    sig = (t.schema, tuple((c.name, model.SERIAL_TYPES.get(c.type, c.type)) for c in t.columns
                           if c.name.lower() in mine))
    h = by_columns.get(sig)
    if h is None or h.full():
        h = by_columns[sig] = new_holder(t.schema, [model.Column(n, type_) for n, type_ in sig[1]])
    for c in t.checks:
        p.fragments[t.key, c.name] = (h.key, h.checks.setdefault(c.expr, f"k{len(h.checks)}"))
    for i in t.indexes:
        if has_fragment(i):
            shape = (i.using, i.elements, i.where)
            if shape not in h.indexes:
                h.indexes[shape] = fresh(t.schema, f"{h.key[1]}_")
            p.fragments[t.key, i.name] = (h.key, h.indexes[shape])


def _table(h: _Holder) -> model.Table:
    checks = tuple(model.Check(name, expr) for expr, name in h.checks.items())
    indexes = tuple(model.Index(name, elements, using=using, where=where)
                    for (using, elements, where), name in h.indexes.items())
    return model.Table(h.key[0], h.key[1], tuple(h.columns), checks=checks, indexes=indexes)


def parts(holders: list[model.Table]) -> dict[Slot, object]:
    """Every column, check and index of the canonical holders, by (holder, name)."""
    out: dict[Slot, object] = {}
    for h in holders:
        for o in (*h.columns, *h.checks, *h.indexes):
            out[h.key, o.name] = o
    return out


def unpacked(t: model.Table, canon: dict[Slot, object], p: Packing, spelled) -> model.Table:
    """`t` (not built whole) with its fragments as PostgreSQL spelled them in their holders (`canon`:
    parts()). `spelled(column, canonical column)`: the column with the canonical type and default."""
    cols = tuple(c if slot is None else spelled(c, canon[slot]) for c, slot in zip(t.columns, p.columns[t.key], strict=True))
    checks = tuple(dataclasses.replace(canon[p.fragments[t.key, c.name]], name=c.name, validated=c.validated)
                   for c in t.checks)
    indexes = []
    for i in t.indexes:
        slot = p.fragments.get((t.key, i.name))
        if slot is not None:
            c = canon[slot]
            i = dataclasses.replace(i, elements=c.elements, where=c.where)
        indexes.append(i)
    return dataclasses.replace(t, columns=cols, checks=checks, indexes=tuple(indexes))
