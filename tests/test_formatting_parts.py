"""A long pulled module formatted in parts (one ruff process per core) is the module formatted whole."""

from __future__ import annotations

import pytest

from schemakit.management import formatting

pytest.importorskip("ruff")

HEAD = "'Schema of database \\'x\\', pulled by schemakit db_pull.'\n\nfrom schemakit import (\n    Table,\n    integer,\n    sql,\n    text,\n)\n"


def _module(tables: int) -> str:
    """Statements ruff rewrites (single quotes, a line too long, odd spacing), and SQL text whose lines look
    like top-level assignments."""
    body = []
    for k in range(tables):
        long_check = " AND ".join(f"c{j} > {j}" for j in range(12))
        body.append(f"t{k} = Table(\n    't{k}',\n    integer('id').primary_key(),\n    text( 'name' ),\n"
                    f"    Check('c{k}', sql('{long_check}')),\n)")
        if k % 7 == 0:
            body.append(f'v{k} = View("v{k}", sql("""SELECT 1\n\nx = 1\n\ny = 2"""))')
    return HEAD + "\n" + "\n\n".join(body) + "\n"


def test_a_module_formatted_in_parts_is_the_module_formatted_whole(monkeypatch):
    monkeypatch.setattr(formatting, "_PART", 1000)  # parts of a small module
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 4)
    text = _module(60)
    pieces = formatting._cut(text, 4)
    assert len(pieces) == 4 and "".join(p + "\n" for p in pieces[:-1]) + pieces[-1] == text
    whole = formatting.ruff_format(text, None)
    assert whole != text  # ruff had work to do
    assert formatting.ruff_format(text, None, parts=4) == whole


def test_a_cut_inside_a_string_falls_back_to_one_piece(monkeypatch):
    """A line in SQL text that reads like a top-level assignment after a blank line: the part does not
    parse, and the whole text is formatted in one piece."""
    monkeypatch.setattr(formatting, "_PART", 100)
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 2)
    sql_lines = "\n\n".join(f"z{k} = {k}" for k in range(40))
    text = HEAD + '\nv = View("v", sql("""SELECT 1\n\n' + sql_lines + '\n"""))\n\nw = Table( "w" )\n'
    pieces = formatting._cut(text, 2)
    assert len(pieces) == 2 and pieces[0].count('"""') == 1  # cut inside the string
    whole = formatting.ruff_format(text, None)
    assert 'Table("w")' in whole
    assert formatting.ruff_format(text, None, parts=2) == whole
