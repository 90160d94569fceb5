"""The entity-relationship diagram as SVG, drawn here: tables in layers by foreign key, links between columns.

No external program and no script: boxes are placed in columns (a table one to the right of every
table it references), each column stacked top to bottom; every text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from ..schema import model

ROW = 18
HEAD = 24
WIDTH = 240
GAP_X = 90
GAP_Y = 28
MAX_COLUMNS_SHOWN = 30


def _layers(tables: list[model.Table]) -> dict[tuple[str, str], int]:
    """Depth of each table: 0 for tables referencing nothing here, else one more than what they reference."""
    keys = {t.key for t in tables}
    refs = {t.key: {(fk.ref_schema, fk.ref_table) for fk in t.foreign_keys} & keys - {t.key} for t in tables}
    depth: dict[tuple[str, str], int] = {}
    visiting: set[tuple[str, str]] = set()

    def visit(k: tuple[str, str]) -> int:
        if k in depth:
            return depth[k]
        if k in visiting:  # a cycle of foreign keys: cut it here
            return 0
        visiting.add(k)
        d = max((visit(r) + 1 for r in refs[k]), default=0)
        visiting.discard(k)
        depth[k] = d
        return d

    for k in sorted(keys):
        visit(k)
    return depth


def svg(tables: list[model.Table], link: Callable[[model.Table], str] | None = None, title: str = "") -> str:
    """The diagram of `tables`; `link(table)` gives each box's address."""
    depth = _layers(tables)
    columns: dict[int, list[model.Table]] = {}
    for t in sorted(tables, key=lambda t: t.key):
        columns.setdefault(depth[t.key], []).append(t)
    pos: dict[tuple[str, str], tuple[int, int]] = {}
    height = 0
    for d, stack in columns.items():
        y = GAP_Y + (ROW if title else 0)
        for t in stack:
            pos[t.key] = (GAP_X // 2 + d * (WIDTH + GAP_X), y)
            y += _box_height(t) + GAP_Y
        height = max(height, y)
    width = GAP_X + max(columns, default=0) * (WIDTH + GAP_X) + WIDTH
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{max(height, 80)}" '
             f'viewBox="0 0 {width} {max(height, 80)}" font-family="sans-serif" font-size="12">']
    if title:
        parts.append(f'<text x="{GAP_X // 2}" y="{ROW}" font-weight="bold">{escape(title)}</text>')
    by_key = {t.key: t for t in tables}
    for t in tables:
        for fk in t.foreign_keys:
            target = by_key.get((fk.ref_schema, fk.ref_table))
            if target is not None:
                parts.append(_edge(t, fk.columns[0], target, fk.ref_columns[0], pos))
    for t in tables:
        parts.append(_box(t, pos[t.key], link(t) if link else None))
    parts.append("</svg>")
    return "\n".join(parts)


def _shown(t: model.Table) -> list[model.Column]:
    return list(t.columns[:MAX_COLUMNS_SHOWN])


def _box_height(t: model.Table) -> int:
    extra = 1 if len(t.columns) > MAX_COLUMNS_SHOWN else 0
    return HEAD + ROW * (len(_shown(t)) + extra) + 6


def _row_y(t: model.Table, column: str, y: int) -> int:
    names = [c.name for c in _shown(t)]
    i = names.index(column) if column in names else 0
    return y + HEAD + ROW * i + ROW // 2 + 2


def _edge(src: model.Table, col: str, dst: model.Table, ref_col: str, pos: dict) -> str:
    (sx, sy), (dx, dy) = pos[src.key], pos[dst.key]
    y1, y2 = _row_y(src, col, sy), _row_y(dst, ref_col, dy)
    if src.key == dst.key:  # a self reference: a loop on the right side
        x = sx + WIDTH
        return (f'<path d="M{x},{y1} C{x + 40},{y1} {x + 40},{y2} {x},{y2}" fill="none" stroke="#888" '
                f'marker-end="none"/>')
    x1, x2 = (sx, dx + WIDTH) if sx > dx else (sx + WIDTH, dx)
    mid = (x1 + x2) // 2
    return f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="#888"/>'


def _box(t: model.Table, at: tuple[int, int], href: str | None) -> str:
    x, y = at
    pk = set(t.primary_key.columns) if t.primary_key else set()
    fk_cols = {c for fk in t.foreign_keys for c in fk.columns}
    label = t.name if t.schema == model.DEFAULT_SCHEMA else f"{t.schema}.{t.name}"
    out = [f'<g class="table"><rect x="{x}" y="{y}" width="{WIDTH}" height="{_box_height(t)}" rx="4" '
           f'fill="#fff" stroke="#345"/>',
           f'<rect x="{x}" y="{y}" width="{WIDTH}" height="{HEAD}" rx="4" fill="#345"/>',
           f'<text x="{x + 8}" y="{y + 16}" fill="#fff" font-weight="bold">{escape(_clip(label, 34))}</text>']
    for i, c in enumerate(_shown(t)):
        cy = y + HEAD + ROW * i + ROW // 2 + 6
        mark = "PK " if c.name in pk else ("FK " if c.name in fk_cols else "")
        out.append(f'<text x="{x + 8}" y="{cy}">{escape(_clip(mark + c.name, 26))}</text>')
        out.append(f'<text x="{x + WIDTH - 8}" y="{cy}" text-anchor="end" fill="#666">{escape(_clip(_type_label(c.type), 14))}</text>')
    if len(t.columns) > MAX_COLUMNS_SHOWN:
        cy = y + HEAD + ROW * MAX_COLUMNS_SHOWN + ROW // 2 + 6
        out.append(f'<text x="{x + 8}" y="{cy}" fill="#666">… {len(t.columns) - MAX_COLUMNS_SHOWN} more</text>')
    out.append("</g>")
    body = "\n".join(out)
    if href:
        return f"<a href={quoteattr(href)}>{body}</a>"
    return body


def _type_label(type_sql: str) -> str:
    """A user type's own name ("app"."mood" -> mood); built-in types as PostgreSQL spells them."""
    if type_sql.startswith('"'):
        return type_sql.rsplit(".", 1)[-1].replace('"', "")
    return type_sql


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
