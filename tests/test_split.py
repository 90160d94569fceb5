"""Migration files split into statements by PostgreSQL's parser: the tricky files, the errors, old progress."""

from __future__ import annotations

import pytest

from schemakit.diff.renames import Resolver
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


# ---------------------------------------------------------------- applied on a real server

LOG = 'log = Table("log", serial("id").primary_key(), text("who"))\n'
TRICKY = """-- a hand-written file: no breakpoint lines, PostgreSQL's parser finds the statements
CREATE FUNCTION note(w text) RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO log (who) VALUES (w || ';');  -- a semicolon in the body
END $body$;
DO $$ BEGIN PERFORM note('do'); END $$; SELECT note('same line');
/* a block comment; with a semicolon */
INSERT INTO log (who) VALUES ('--> statement-breakpoint'), (E'it\\'s; fine');
CREATE TABLE "odd;name" ("a;b" int)
"""


def test_a_hand_written_file_is_applied_statement_for_statement(tmp_path, fresh_db):
    from schemakit.api import generate, migrate

    from .helpers import project_for
    from .test_migrate import _custom, _rows

    p = project_for(tmp_path, fresh_db, LOG)
    generate(p, Resolver())
    migrate(p)
    _custom(p, TRICKY, "tricky")
    broken = _custom(p, "SELECT 1;\n\nINSERT INTO log (who) VALUES ('never';\n", "broken")
    with pytest.raises(SqlSyntaxError, match=rf"^{broken}.sql: line 5, column \d+: syntax error at or near \";\""):
        migrate(p)  # every pending file is read before any runs: the good one waits too
    assert _rows(fresh_db, "SELECT count(*) FROM log") == [(0,)]
    p.folder.up_path(broken).write_text("-- schemakit:custom\nSELECT 1;\n")
    assert [s.name for s in migrate(p)][0].endswith("_tricky")
    assert _rows(fresh_db, "SELECT who FROM log ORDER BY id") == [
        ("do;",), ("same line;",), ("--> statement-breakpoint",), ("it's; fine",)]
    assert _rows(fresh_db, "SELECT attname FROM pg_attribute WHERE attrelid = '\"odd;name\"'::regclass AND attnum > 0") == [
        ("a;b",)]


def test_progress_recorded_before_parser_splitting_still_resumes(tmp_path, fresh_db):
    """An older version recorded chunk 1 (two statements, comments and semicolons included) as done."""
    from schemakit.api import generate, migrate, status
    from schemakit.history import folder as md
    from schemakit.history.tracker import statement_hash

    from .helpers import project_for, run_sql
    from .test_migrate import _custom, _rows

    p = project_for(tmp_path, fresh_db, LOG)
    generate(p, Resolver())
    migrate(p)
    chunk = md.NO_TRANSACTION + "\nINSERT INTO log (who) VALUES ('one'); INSERT INTO log (who) VALUES ('two');"
    stem = _custom(p, chunk + "\n--> statement-breakpoint\nINSERT INTO log (who) VALUES ('three');\n"
                   "--> statement-breakpoint\nINSERT INTO log (who) VALUES ('four');\n", "old")
    header = p.folder.up_path(stem).read_text().split(md.NO_TRANSACTION)[0]  # the custom header's comment lines
    old_hash = statement_hash((header + chunk).strip())  # what that version hashed: the chunk as text
    run_sql(fresh_db, "INSERT INTO log (who) VALUES ('one'), ('two');"
                      f"INSERT INTO schemakit_migrations (name, checksum, execution_ms, statements_done, statement_hashes)"
                      f" VALUES ('{stem}', 'x', 0, 1, ARRAY['{old_hash}'])")
    assert [m.progress for m in status(p, check_drift=False).migrations][-1] == "partial: 2 of 4 statements"
    assert [s.name for s in migrate(p)] == [stem]
    assert _rows(fresh_db, "SELECT who FROM log ORDER BY id") == [("one",), ("two",), ("three",), ("four",)]
    assert not status(p).problems


def _reference(text: str) -> list[tuple[int, int]]:
    """(line, start) of each statement, counted from the file's start for each one."""
    return [(text.count("\n", 0, s.start) + 1, s.start) for s in split(text)]


@pytest.mark.parametrize("pieces", [
    [FUNCTION, NESTED_DO, ATOMIC, RULE, "SELECT 1"],
    ["SELECT 1 ;  -- trailing\n", "\n\n  SELECT ';'\t; \t\n", "/* c */ SELECT 2", "SELECT $$;$$;"],
    [f"CREATE TABLE t{i} (a int);\n--> statement-breakpoint" for i in range(300)],
])
def test_one_pass_split_keeps_every_line_and_every_part(pieces):
    """The split counts lines as it goes: the same lines as counting from the start, and the parts rebuild the file."""
    text = "\n".join(p if p.rstrip().endswith(";") else p + ";" for p in pieces)
    parts = split(text)
    assert [(s.line, s.start) for s in parts] == _reference(text)
    assert "".join(s.text for s in parts) == text
    assert all(text[s.start:].startswith(s.sql) for s in parts)
