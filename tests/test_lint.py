"""Lint rules read by PostgreSQL's parser: table-driven cases, allow markers, file selection, output formats."""

from __future__ import annotations

import json

import pytest

from schemakit.history import folder as md
from schemakit.history.lint import RULES, lint_text

from .test_commands import run

NT = md.NO_TRANSACTION + "\n"
LONG = "x" * 64


@pytest.mark.parametrize("sql,rules", [
    ('ALTER TABLE "public"."t" ADD COLUMN "c" integer NOT NULL', ["not-null-column-without-default"]),
    ('ALTER TABLE "public"."t" ADD COLUMN "c" integer NOT NULL DEFAULT 0', []),
    ('CREATE INDEX "i" ON "public"."t" ("a")', ["index-without-concurrently"]),
    ('CREATE TABLE "public"."n" ("a" bigint PRIMARY KEY);\n--> statement-breakpoint\nCREATE INDEX "i" ON "public"."n" ("a")', []),
    ('ALTER TABLE "public"."t" ALTER COLUMN "a" SET DATA TYPE bigint', ["alter-column-type"]),
    ('ALTER TABLE "public"."t" DROP COLUMN "a"', ["drop-column"]),
    ('DROP TABLE "public"."t"', ["drop-table"]),
    ('DROP TYPE "public"."mood"', ["drop-enum-or-schema"]),
    ('ALTER TABLE "public"."t" ADD CONSTRAINT "f" FOREIGN KEY ("a") REFERENCES "public"."p" ("id")', ["constraint-without-not-valid"]),
    ('ALTER TABLE "public"."t" ADD CONSTRAINT "c" CHECK ("a" > 0)', ["constraint-without-not-valid"]),
    ('ALTER TABLE "public"."t" ADD CONSTRAINT "c" CHECK ("a" > 0) NOT VALID', []),
    ('ALTER TABLE "public"."t" RENAME COLUMN "a" TO "b"', ["rename"]),
    ('ALTER TABLE "public"."t" RENAME TO "u"', ["rename"]),
    ('ALTER TYPE "public"."mood" RENAME TO "mood__old"', ["enum-value-removal"]),
    ('ALTER TABLE "public"."t" ALTER COLUMN "a" SET NOT NULL', ["set-not-null"]),
    ('ALTER TABLE "public"."t" VALIDATE CONSTRAINT "nn";\n--> statement-breakpoint\nALTER TABLE "public"."t" ALTER COLUMN "a" SET NOT NULL', []),
    ('CREATE TABLE "public"."e" ("id" bigint PRIMARY KEY, "at" timestamp)', ["timestamp-without-time-zone"]),
    ('CREATE TABLE "public"."e" ("id" bigint PRIMARY KEY, "at" timestamptz)', []),
    ('CREATE TABLE "public"."e" ("id" integer PRIMARY KEY)', ["integer-primary-key"]),
    ('CREATE TABLE "public"."e" ("id" serial, CONSTRAINT "e_pkey" PRIMARY KEY ("id"))', ["integer-primary-key"]),
    (f'CREATE TABLE "public"."{LONG}" ("id" bigint)', ["identifier-too-long"]),
    ('CREATE INDEX CONCURRENTLY "i" ON "public"."t" ("a")', ["concurrently-in-transaction"]),
    (NT + 'CREATE INDEX CONCURRENTLY "i" ON "public"."t" ("a")', []),
    ('SELECT $$ DROP TABLE t; $$; DO $$ BEGIN PERFORM 1; END $$', []),  # dollar quotes are data, not statements
    ('SELEC nothing', ["unparsable"]),
    ('VACUUM "public"."t"', ["not-in-transaction"]),
    (NT + 'VACUUM "public"."t"', []),
    ('ANALYZE "public"."t"', []),
    ("ALTER SYSTEM SET work_mem = '64MB'", ["not-in-transaction"]),
    ('REINDEX INDEX CONCURRENTLY "public"."i"', ["concurrently-in-transaction"]),
    ('REINDEX INDEX "public"."i"', []),
    ('ALTER TABLE "public"."p" DETACH PARTITION "public"."c" CONCURRENTLY', ["concurrently-in-transaction"]),
    ('SELECT 1;\nSELECT \'open', ["unparsable"]),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_rules(sql, rules):
    assert [f.rule for f in lint_text("f.sql", sql)] == rules
    assert all(r in RULES for r in rules)


def test_allow_marker_with_a_reason_silences_one_rule_of_one_statement():
    text = ("-- schemakit:custom\nALTER TABLE t DROP COLUMN a;\n--> statement-breakpoint\n"
            "-- schemakit:allow drop-column the column was unused since release 41\nALTER TABLE t DROP COLUMN b;\n"
            "--> statement-breakpoint\n-- schemakit:allow drop-column\nALTER TABLE t DROP COLUMN c;\n")
    found = lint_text("f.sql", text)
    assert [(f.statement, f.line) for f in found] == [(1, 2), (3, 8)]  # a marker without a reason does not count


def test_check_latest_since_and_formats(tmp_path):
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", bigint("a").primary_key(), text("b"))\n')
    assert run("db_generate", "--name", "one", tmp=tmp_path).returncode == 0
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", bigint("a").primary_key())\n')
    assert run("db_generate", "--name", "two", tmp=tmp_path).returncode == 0
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", bigint("a").primary_key(), '
                                            'Index("t_a", "a"))\n')
    assert run("db_generate", "--name", "three", tmp=tmp_path).returncode == 0
    r = run("db_check", "--strict", "--format", "json", tmp=tmp_path)
    assert r.returncode == 1 and [w["rule"] for w in json.loads(r.stdout)["warnings"]] == ["drop-column", "index-without-concurrently"]
    r = run("db_check", "--strict", "--latest", "1", "--format", "json", tmp=tmp_path)
    data = json.loads(r.stdout)["warnings"]
    assert r.returncode == 1 and [(w["file"], w["rule"], w["line"]) for w in data] == [("0002_three.sql", "index-without-concurrently", 1)]
    assert data[0]["safe_alternative"].startswith("CREATE INDEX CONCURRENTLY")
    assert run("db_check", "--strict", "--since", "0002", tmp=tmp_path).returncode == 0
    r = run("db_check", "--since", "0000", "--format", "github", tmp=tmp_path)
    assert r.returncode == 0
    assert "::warning file=migrations/0001_two.sql,line=1,title=drop-column::drops a column" in r.stdout


def test_check_reports_a_file_that_does_not_parse_as_an_error_naming_the_line(tmp_path):
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", bigint("a").primary_key())\n')
    assert run("db_generate", "--name", "one", tmp=tmp_path).returncode == 0
    assert run("db_generate", "--custom", "--name", "hand", tmp=tmp_path).returncode == 0
    up = next((tmp_path / "migrations").glob("0001_hand.sql"))
    up.write_text(up.read_text() + "DO $$\nBEGIN\n  PERFORM 1;\nEND;\n")  # the closing $$ is missing
    r = run("db_check", tmp=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert ("0001_hand.sql: line 3: [unparsable] PostgreSQL's parser cannot read the file, so db_migrate refuses it: "
            'unterminated dollar-quoted string at or near "$$…" (column 4)') in r.stdout + r.stderr
