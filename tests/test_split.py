"""Migration files split into statements by PostgreSQL's parser: the tricky files, the errors, old progress."""

from __future__ import annotations

import pytest

from schemakit.errors import SqlSyntaxError
from schemakit.pg.split import legacy_chunks, legacy_count, split, statements

FUNCTION = """CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.n := NEW.n + 1;  -- a semicolon inside the body
  RETURN NEW;
END $$"""
NESTED_DO = """DO $outer$
BEGIN
  EXECUTE $inner$CREATE TABLE x (a text DEFAULT ';')$inner$;
END
$outer$"""
ATOMIC = """CREATE FUNCTION two() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1;
  SELECT 2;
END"""
RULE = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); INSERT INTO log VALUES (2))"


@pytest.mark.parametrize("text, expected", [
    pytest.param("SELECT 1;\nSELECT 2;\n", ["SELECT 1", "SELECT 2"], id="plain"),
    pytest.param("SELECT 1; SELECT 2; SELECT 3", ["SELECT 1", "SELECT 2", "SELECT 3"], id="one-line-no-final-semicolon"),
    pytest.param("SELECT 1;\n--> statement-breakpoint\nSELECT 2;\n", ["SELECT 1", "SELECT 2"], id="generated-breakpoints"),
    pytest.param(FUNCTION + ";\nSELECT bump;", [FUNCTION, "SELECT bump"], id="dollar-quoted-body"),
    pytest.param(NESTED_DO + ";\nSELECT 1;", [NESTED_DO, "SELECT 1"], id="do-block-nested-dollar-tags"),
    pytest.param(ATOMIC + ";\nSELECT two();", [ATOMIC, "SELECT two()"], id="begin-atomic-body"),
    pytest.param(RULE + ";", [RULE], id="rule-with-two-actions"),
    pytest.param("INSERT INTO t VALUES ('a;b', E'it\\'s; ok', $q$;$q$);",
                 ["INSERT INTO t VALUES ('a;b', E'it\\'s; ok', $q$;$q$)"], id="semicolons-in-strings"),
    pytest.param('CREATE TABLE "we""ird;" ("a;" int);', ['CREATE TABLE "we""ird;" ("a;" int)'], id="quoted-identifiers"),
    pytest.param("-- a; comment\n/* one; /* nested; */ still; */ SELECT 1; -- after; it\n",
                 ["SELECT 1"], id="comments-with-semicolons"),
    pytest.param("INSERT INTO t VALUES ($$\n--> statement-breakpoint\n$$);",
                 ["INSERT INTO t VALUES ($$\n--> statement-breakpoint\n$$)"], id="breakpoint-inside-a-string"),
    pytest.param("-- schemakit:custom\n-- nothing yet\n", [], id="comments-only"),
    pytest.param(";;\n;", [], id="empty-statements"),
    pytest.param("SELECT 'naïve€'; SELECT '✓'", ["SELECT 'naïve€'", "SELECT '✓'"], id="multibyte"),
])
def test_split_reads_statements_as_postgresql_does(text, expected):
    assert statements(text) == expected


@pytest.mark.parametrize("text, line, words", [
    pytest.param("SELECT 1;\n\nSELEC 2;", 3, 'syntax error at or near "SELEC"', id="syntax"),
    pytest.param("SELECT 'é€';\nDO $$\nBEGIN", 2, "unterminated dollar-quoted string", id="unterminated-dollar"),
    pytest.param("SELECT 1;\nSELECT 'abc;\n", 2, "unterminated quoted string", id="unterminated-string"),
    pytest.param("SELECT 1;\n/* open\n", 2, "unterminated /* comment", id="unterminated-comment"),
])
def test_a_file_that_does_not_parse_is_one_line_naming_file_and_line(text, line, words):
    with pytest.raises(SqlSyntaxError) as info:
        split(text, "0003_custom.sql")
    message = str(info.value)
    assert message.startswith(f"0003_custom.sql: line {line}, column ") and words in message and "\n" not in message


def test_each_statement_knows_its_line_and_its_part_of_the_file():
    text = ("-- schemakit:no-transaction\nALTER TABLE t DROP COLUMN a; -- schemakit:allow drop-column why\n"
            "--> statement-breakpoint\n-- schemakit:allow rename why\n\nALTER TABLE t RENAME TO u;\n")
    first, second = split(text)
    assert (first.line, second.line) == (2, 6)
    assert first.text == "-- schemakit:no-transaction\nALTER TABLE t DROP COLUMN a; -- schemakit:allow drop-column why\n"
    assert second.text == "--> statement-breakpoint\n-- schemakit:allow rename why\n\nALTER TABLE t RENAME TO u;\n"
    assert first.text + second.text == text


def test_legacy_chunks_map_old_progress_onto_parser_statements():
    """Before the parser, a file split on breakpoint lines only: a chunk may hold several statements."""
    text = ("-- schemakit:no-transaction\nSET x.y = 1; SELECT 1;\n--> statement-breakpoint\n"
            "CREATE INDEX CONCURRENTLY i ON t (a);\n--> statement-breakpoint\nSELECT 3;\n")
    assert [c for _, c in legacy_chunks(text)] == ["-- schemakit:no-transaction\nSET x.y = 1; SELECT 1;",
                                                   "CREATE INDEX CONCURRENTLY i ON t (a);", "SELECT 3;"]
    assert [legacy_count(text, k) for k in range(4)] == [0, 2, 3, 4]
