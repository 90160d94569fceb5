"""Every kind of change: generate, migrate, introspect == target; roll back, introspect == start."""

from __future__ import annotations

import pytest

from schemakit.api import generate, migrate, rollback
from schemakit.diff.renames import Resolver

from .helpers import assert_same, project_for, write_schema

USERS = """
users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"))
"""

CASES = [
    # tables and schemas
    pytest.param("", USERS, id="create-table"),
    pytest.param(USERS, "", id="drop-table"),
    pytest.param(USERS, USERS + 'audit = Table("log", integer("id"), schema="audit")\n', id="create-schema"),
    pytest.param(USERS + 'audit = Table("log", integer("id"), schema="audit")\n', USERS, id="drop-schema"),
    pytest.param(USERS, USERS + 'empty = Table("empty")\n', id="zero-column-table"),
    pytest.param(USERS, USERS + 'ns = Schema("reporting")\n', id="empty-schema"),
    # columns
    pytest.param(USERS, USERS.replace('text("name")', 'text("name"), integer("age").default(18)'), id="add-column-default"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name"), boolean("ok").not_null().default(True)'), id="add-not-null-column"),
    pytest.param(USERS, USERS.replace(', text("name")', ""), id="drop-column"),
    pytest.param(USERS, USERS.replace('varchar("email", 100)', 'varchar("email", 255)'), id="widen-varchar"),
    pytest.param(USERS, USERS.replace('varchar("email", 100)', 'varchar("email", 50)'), id="narrow-varchar"),
    pytest.param(USERS, USERS.replace('text("name")', 'integer("name")'), id="text-to-integer"),
    pytest.param(USERS, USERS.replace('serial("id")', 'bigserial("id")'), id="serial-to-bigserial"),
    pytest.param(USERS, USERS.replace('serial("id")', 'integer("id")'), id="serial-to-integer"),
    pytest.param(USERS.replace('serial("id")', 'integer("id")'), USERS, id="integer-to-serial"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name").not_null()'), id="set-not-null"),
    pytest.param(USERS, USERS.replace('.not_null()', ""), id="drop-not-null"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name").default("anon")'), id="set-default"),
    pytest.param(USERS.replace('text("name")', 'text("name").default("a")'), USERS.replace('text("name")', 'text("name").default(sql("upper(\'b\')"))'), id="change-default"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name").comment("shown to others")'), id="column-comment"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), comment="people")'), id="table-comment"),
    pytest.param(USERS, USERS.replace('serial("id").primary_key()', 'integer("id").identity(always=True).primary_key()'), id="serial-to-identity"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name"), integer("n").identity(always=False, start=10, increment=5)'), id="add-identity-column"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name"), text("lower_email").generated(sql("lower(email)"))'), id="add-generated-column"),
    # keys and constraints
    pytest.param(USERS, USERS.replace(".primary_key()", ""), id="drop-primary-key"),
    pytest.param(USERS.replace(".primary_key()", ""), USERS, id="add-primary-key"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), PrimaryKey("id", "email", name="users_pk2"))').replace(".primary_key()", ""), id="change-primary-key"),
    # a primary key landing on nullable columns sets NOT NULL itself (no separate online NOT NULL step)
    pytest.param('c = Table("c", integer("cc").unique())\n', 'c = Table("c", integer("cc").primary_key())\n', id="nullable-unique-becomes-primary-key"),
    pytest.param('c = Table("c", integer("a"), integer("b"))\n', 'c = Table("c", integer("a"), integer("b"), PrimaryKey("a", "b"))\n', id="nullable-columns-become-composite-key"),
    pytest.param('c = Table("c", integer("a").primary_key(), integer("b"))\n', 'c = Table("c", integer("a"), integer("b").primary_key())\n', id="primary-key-moves-to-nullable-column"),
    pytest.param('c = Table("c", integer("a"), integer("b"))\n', 'c = Table("c", integer("a").primary_key(), integer("b").not_null())\n', id="primary-key-and-not-null-together"),
    pytest.param(USERS, USERS.replace('varchar("email", 100).not_null()', 'varchar("email", 100).not_null().unique()'), id="add-unique"),
    pytest.param(USERS.replace('.not_null()', '.not_null().unique()'), USERS, id="drop-unique"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Unique("email", "name", nulls_distinct=False))'), id="unique-nulls-not-distinct"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Check("name_len", sql("length(name) < 80")))'), id="add-check"),
    pytest.param(USERS.replace('text("name"))', 'text("name"), Check("c", sql("length(name) < 80")))'), USERS.replace('text("name"))', 'text("name"), Check("c", sql("length(name) < 90")))'), id="change-check"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("name").check(sql("name <> \'\'"))'), id="column-check"),
    # foreign keys
    pytest.param(USERS, USERS + 'posts = Table("posts", serial("id").primary_key(), integer("author").references(users.c.id, on_delete="cascade"))\n', id="add-table-with-fk"),
    pytest.param(USERS + 'posts = Table("posts", integer("author").references(users.c.id))\n', USERS + 'posts = Table("posts", integer("author").references(users.c.id, on_delete="set null", on_update="cascade"))\n', id="change-fk-actions"),
    pytest.param(USERS + 'posts = Table("posts", integer("author").references(users.c.id))\n', USERS + 'posts = Table("posts", integer("author"))\n', id="drop-fk"),
    pytest.param(USERS.replace('text("name"))', 'text("name"), Unique("id", "email"))') + 'posts = Table("posts", integer("a"), varchar("b", 100))\n', USERS.replace('text("name"))', 'text("name"), Unique("id", "email"))') + 'posts = Table("posts", integer("a"), varchar("b", 100), ForeignKey(["a", "b"], users, ["id", "email"], deferrable=True, initially_deferred=True))\n', id="composite-deferrable-fk"),
    pytest.param(USERS + 'posts = Table("posts", integer("author").references(users.c.id))\n', "", id="drop-referenced-tables"),
    # indexes
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Index("users_name_idx", "name"))'), id="add-index"),
    pytest.param(USERS.replace('text("name"))', 'text("name"), Index("users_name_idx", "name"))'), USERS, id="drop-index"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Index("u_lower", sql("lower(email)"), unique=True))'), id="expression-unique-index"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Index("u_part", "email", where=sql("name IS NOT NULL"), include=["name"]))'), id="partial-include-index"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Index("u_desc", "email desc", "name nulls first"))'), id="sorted-index"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), jsonb("meta"), Index("u_meta", "meta", using="gin"))'), id="gin-index"),
    pytest.param(USERS, USERS.replace('text("name"))', 'text("name"), Index("u_conc", "name", concurrently=True))'), id="concurrent-index"),
    pytest.param(USERS.replace('text("name"))', 'text("name"), Index("i", "name"))'), USERS.replace('text("name"))', 'text("name"), Index("i", "name", "email"))'), id="change-index"),
    # enums
    pytest.param(USERS, 'mood = Enum("mood", ["a", "b"])\n' + USERS.replace('text("name")', 'mood("m").default("a")'), id="create-enum"),
    pytest.param('mood = Enum("mood", ["a", "b"])\n' + USERS.replace('text("name")', 'mood("m")'), USERS, id="drop-enum"),
    pytest.param('mood = Enum("mood", ["a", "b"])\n' + USERS.replace('text("name")', 'mood("m")'), 'mood = Enum("mood", ["a", "b", "c"])\n' + USERS.replace('text("name")', 'mood("m")'), id="enum-add-value"),
    pytest.param('mood = Enum("mood", ["a", "c"])\n' + USERS.replace('text("name")', 'mood("m")'), 'mood = Enum("mood", ["a", "b", "c"])\n' + USERS.replace('text("name")', 'mood("m")'), id="enum-add-value-middle"),
    pytest.param('mood = Enum("mood", ["a", "b", "c"])\n' + USERS.replace('text("name")', 'mood("m").default("a"), mood("ms").array()'), 'mood = Enum("mood", ["a", "c"])\n' + USERS.replace('text("name")', 'mood("m").default("a"), mood("ms").array()'), id="enum-remove-value"),
    pytest.param('mood = Enum("mood", ["a", "b"])\n' + USERS.replace('text("name")', 'mood("m").default("b")'), 'mood = Enum("mood", ["a"])\n' + USERS.replace('text("name")', 'mood("m").default("a")'), id="enum-remove-value-the-default-used"),
    pytest.param('mood = Enum("mood", ["a", "b"], schema="app")\n' + USERS.replace('text("name")', 'mood("m")'), 'mood = Enum("mood", ["a", "b"], schema="app")\n' + USERS.replace('text("name")', 'text("m")'), id="enum-to-text"),
    pytest.param(USERS.replace('text("name")', 'text("m")'), 'mood = Enum("mood", ["a", "b"])\n' + USERS.replace('text("name")', 'mood("m")'), id="text-to-enum"),
    # views
    pytest.param(USERS, USERS + 'v = View("v", sql("SELECT id, email FROM users"))\n', id="create-view"),
    pytest.param(USERS + 'v = View("v", sql("SELECT id, email FROM users"))\n', USERS, id="drop-view"),
    pytest.param(USERS + 'v = View("v", sql("SELECT id FROM users"))\n', USERS + 'v = View("v", sql("SELECT id, email FROM users"))\n', id="change-view"),
    pytest.param(USERS + 'v = View("v", sql("SELECT id, email FROM users"))\nw = View("w", sql("SELECT id FROM v"))\n', USERS.replace('varchar("email", 100)', "text(\"email\")") + 'v = View("v", sql("SELECT id, email FROM users"))\nw = View("w", sql("SELECT id FROM v"))\n', id="view-over-retyped-column"),
    pytest.param(USERS, USERS + 'mv = View("mv", sql("SELECT id, email FROM users"), Index("mv_id", "id", unique=True), materialized=True)\n', id="materialized-view"),
    # sequences
    pytest.param(USERS, USERS + 'seq = Sequence("counter", start=100, increment=10)\n', id="create-sequence"),
    pytest.param(USERS + 'seq = Sequence("counter", start=100)\n', USERS + 'seq = Sequence("counter", start=100, increment=5, max_value=10000, cycle=True)\n', id="alter-sequence"),
    pytest.param(USERS + 'posts = Table("posts", integer("author").references(users.c.id))\n', USERS.replace(".primary_key()", "").replace('text("name"))', 'text("name"), PrimaryKey("id", name="users_pk_renamed"))') + 'posts = Table("posts", integer("author").references(users.c.id))\n', id="referenced-primary-key-replaced"),
    pytest.param('t2 = Table("t2", integer("id").not_null().unique())\nt1 = Table("t1", integer("id"), schema="s2")\n', 't2 = Table("t2", serial("id").primary_key())\nt1 = Table("t1", integer("id").references(t2.c.id))\n', id="unique-becomes-key-of-new-reference"),
    pytest.param('t2 = Table("t2", integer("id").not_null().unique())\nt1 = Table("t1", integer("id").references(t2.c.id))\n', 't2 = Table("t2", integer("id").primary_key())\nt1 = Table("t1", integer("id").references(t2.c.id))\n', id="unique-under-reference-becomes-key"),
    # renames settled in the schema
    pytest.param(USERS, USERS.replace('Table("users",', 'Table("people",').replace('text("name"))', 'text("name"), renamed_from="users")'), id="rename-table"),
    pytest.param(USERS, USERS.replace('text("name")', 'text("full_name").renamed_from("name")'), id="rename-column"),
]


@pytest.mark.parametrize("before, after", CASES)
def test_change_converges_and_reverts(tmp_path, fresh_db, admin_params, before, after):
    p = project_for(tmp_path, fresh_db, before)
    generate(p, Resolver(no_renames=True))
    migrate(p)
    start = p.load_schema()
    assert_same(fresh_db, start, admin_params)
    write_schema(tmp_path / "schema.py", after)
    g = generate(p, Resolver(no_renames=True))  # renames here are settled by renamed_from
    assert g is not None, "the change produced no migration"
    applied = migrate(p)
    target = p.load_schema()
    assert_same(fresh_db, target, admin_params)
    assert generate(p, Resolver(no_renames=True)) is None  # nothing left to do
    rollback(p, steps=len(applied))
    assert_same(fresh_db, start, admin_params)
