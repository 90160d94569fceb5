"""The synthetic schema every benchmark uses: n tables with enums, FKs, indexes, defaults and checks.

No two tables are alike (each check has its own bound; columns and indexes vary in a 3/4/5/7 rhythm),
so nothing can be done once for a pattern and reused: every table costs what a real one does."""

from __future__ import annotations


def schema(n: int, changed: int = 0, tag: str = "2") -> str:
    """Schema module text of `n` tables; the first `changed` tables get one more column, named note<tag>."""
    out = ["from schemakit import *", 'status = Enum("status", ["new", "active", "gone"])']
    for i in range(n):
        ref = f', integer("parent_id").references(t{i - 1}.c.id, on_delete="cascade")' if i else ', integer("parent_id")'
        extra = f', text("note{tag}")' if i < changed else ""
        extra += ', boolean("active").not_null().default(True)' if i % 3 == 0 else ""
        extra += ', uuid("ref").default(sql("gen_random_uuid()"))' if i % 4 == 1 else ""
        extra += f', bigint("counter").not_null().default({i})' if i % 7 == 2 else ""
        extra += f', Index("t{i}_open_idx", "status", where=sql("status <> \'gone\'"))' if i % 5 == 3 else ""
        out.append(
            f't{i} = Table("t{i}", serial("id").primary_key(), varchar("name", 100).not_null().unique(), '
            f'status("status").not_null().default("new"), timestamp("created_at", tz=True).not_null()'
            f'.default(sql("now()")), jsonb("meta").not_null().default({{}}), numeric("price", 10, 2)'
            f'.check(sql("price >= {i}")), text("note"){ref}{extra}, Index("t{i}_created_idx", "created_at"), '
            f'Index("t{i}_lower_name_idx", sql("lower(name)")))'
        )
    return "\n".join(out) + "\n"
