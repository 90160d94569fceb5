"""Table-driven diff tests, no database: two schema modules in, the plan's operations out."""

from __future__ import annotations

import time

import pytest

from schemakit.diff import diff
from schemakit.diff.renames import Resolver
from schemakit.schema.compile import COLLECTED, compile_objects
from schemakit.schema.model import Database

from .helpers import HEADER


def compile_text(body: str) -> Database:
    """Compile a schema module given as text (run without a file, like a module's body)."""
    namespace: dict = {}
    exec(compile(HEADER + body, "<schema>", "exec"), namespace)
    return compile_objects(v for v in namespace.values() if isinstance(v, COLLECTED))


def ops_of(before: str, after: str) -> list[str]:
    return [o.describe() for o in diff(compile_text(before), compile_text(after), Resolver(no_renames=True)).ops]


U = 'users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"))\n'
M = 'mood = Enum("mood", ["sad", "ok", "happy"])\n'
P = 'posts = Table("posts", serial("id").primary_key(), integer("author_id").references(users.c.id))\n'


def users(extra: str = "", **replace: str) -> str:
    """U with `extra` table items appended and column text replaced (keys are the old text)."""
    cols = 'serial("id").primary_key(), varchar("email", 100).not_null(), text("name")'
    for old, new in replace.items():
        cols = cols.replace(old, new)
    return f'users = Table("users", {cols}{extra})\n'


CASES = [
    pytest.param(
        "",
        "",
        [],
        id="nothing",
    ),
    pytest.param(
        U,
        U,
        [],
        id="same-schema",
    ),
    pytest.param(
        "",
        U,
        [
            "create table public.users",
        ],
        id="create-table",
    ),
    pytest.param(
        U,
        "",
        [
            "drop table public.users and all its rows",
        ],
        id="drop-table",
    ),
    pytest.param(
        U,
        U + P,
        [
            "create table public.posts",
            "add constraint posts_author_id_fkey on public.posts",
        ],
        id="create-table-with-fk",
    ),
    pytest.param(
        U + P,
        U,
        [
            "drop constraint posts_author_id_fkey on public.posts",
            "drop table public.posts and all its rows",
        ],
        id="drop-referencing-table",
    ),
    pytest.param(
        U + P,
        "",
        [
            "drop constraint posts_author_id_fkey on public.posts",
            "drop table public.posts and all its rows",
            "drop table public.users and all its rows",
        ],
        id="drop-both-tables",
    ),
    pytest.param(
        U,
        U + 'log = Table("log", integer("id"), schema="audit")\n',
        [
            "create schema audit",
            "create table audit.log",
        ],
        id="create-schema-with-table",
    ),
    pytest.param(
        U + 'log = Table("log", integer("id"), schema="audit")\n',
        U,
        [
            "drop table audit.log and all its rows",
            "drop schema audit",
        ],
        id="drop-schema-with-table",
    ),
    pytest.param(
        U,
        U + 'r = Schema("reporting")\n',
        [
            "create schema reporting",
        ],
        id="create-empty-schema",
    ),
    pytest.param(
        U,
        users(', integer("age")'),
        [
            "add column public.users.age",
        ],
        id="add-column",
    ),
    pytest.param(
        U,
        users(', integer("age").not_null()'),
        [
            "add column public.users.age (NOT NULL without a default: fails if the table has rows)",
        ],
        id="add-not-null-column-no-default",
    ),
    pytest.param(
        U,
        users(', boolean("ok").not_null().default(False)'),
        [
            "add column public.users.ok",
        ],
        id="add-not-null-column-default",
    ),
    pytest.param(
        U,
        users(**{', text("name")': ""}),
        [
            "drop column public.users.name and its data",
        ],
        id="drop-column",
    ),
    pytest.param(
        U,
        users(**{'text("name")': 'text("full_name").renamed_from("name")'}),
        [
            "rename column public.users.name to full_name",
        ],
        id="rename-column",
    ),
    pytest.param(
        U,
        U.replace('Table("users",', 'Table("people",').replace('text("name"))', 'text("name"), renamed_from="users")'),
        [
            "rename table public.users to people",
            "rename sequence public.users_id_seq to people_id_seq",
            "rename constraint users_pkey on public.people to people_pkey",
        ],
        id="rename-table",
    ),
    pytest.param(
        U,
        users(**{'varchar("email", 100)': 'varchar("email", 255)'}),
        [
            "change type of public.users.email from character varying(100) to character varying(255)",
        ],
        id="widen-varchar",
    ),
    pytest.param(
        U,
        users(**{'varchar("email", 100)': 'varchar("email", 50)'}),
        [
            "change type of public.users.email from character varying(100) to character varying(50) (narrowing: values may change or not fit)",
        ],
        id="narrow-varchar",
    ),
    pytest.param(
        U,
        users(**{'varchar("email", 100)': 'text("email")'}),
        [
            "change type of public.users.email from character varying(100) to text",
        ],
        id="varchar-to-text",
    ),
    pytest.param(
        U,
        users(**{'text("name")': 'integer("name")'}),
        [
            "change type of public.users.name from text to integer (narrowing: values may change or not fit)",
        ],
        id="text-to-integer",
    ),
    pytest.param(
        't = Table("t", integer("n"))\n',
        't = Table("t", bigint("n"))\n',
        [
            "change type of public.t.n from integer to bigint",
        ],
        id="integer-to-bigint",
    ),
    pytest.param(
        't = Table("t", bigint("n"))\n',
        't = Table("t", integer("n"))\n',
        [
            "change type of public.t.n from bigint to integer (narrowing: values may change or not fit)",
        ],
        id="bigint-to-integer",
    ),
    pytest.param(
        't = Table("t", integer("n"))\n',
        't = Table("t", real("n"))\n',
        [
            "change type of public.t.n from integer to real (narrowing: values may change or not fit)",
        ],
        id="integer-to-real-is-lossy",
    ),
    pytest.param(
        't = Table("t", numeric("n", 10, 2))\n',
        't = Table("t", numeric("n", 8, 2))\n',
        [
            "change type of public.t.n from numeric(10,2) to numeric(8,2) (narrowing: values may change or not fit)",
        ],
        id="numeric-narrow",
    ),
    pytest.param(
        't = Table("t", integer("n"))\n',
        't = Table("t", varchar("n", 3))\n',
        [
            "change type of public.t.n from integer to character varying(3) (narrowing: values longer than 3 characters are truncated)",
        ],
        id="integer-to-short-varchar",
    ),
    pytest.param(
        U,
        users(**{'text("name")': 'text("name").not_null()'}),
        [
            "set NOT NULL on public.users.name (fails if it holds nulls)",
        ],
        id="set-not-null",
    ),
    pytest.param(
        U,
        users(**{'.not_null()': ''}),
        [
            "drop NOT NULL on public.users.email",
        ],
        id="drop-not-null",
    ),
    pytest.param(
        U,
        users(**{'text("name")': 'text("name").default("anon")'}),
        [
            "set default of public.users.name",
        ],
        id="set-default",
    ),
    pytest.param(
        users(**{'text("name")': 'text("name").default("anon")'}),
        U,
        [
            "drop default of public.users.name",
        ],
        id="drop-default",
    ),
    pytest.param(
        U,
        users(', comment="people"'),
        [
            "set comment on table public.users",
        ],
        id="table-comment",
    ),
    pytest.param(
        U,
        users(**{'text("name")': 'text("name").comment("shown")'}),
        [
            "set comment on column public.users.name",
        ],
        id="column-comment",
    ),
    pytest.param(
        U,
        users(', Check("name_len", sql("length(name) < 80"))'),
        [
            "add constraint name_len on public.users (fails if existing rows violate it)",
        ],
        id="add-check",
    ),
    pytest.param(
        users(', Check("c", sql("length(name) < 80"))'),
        users(', Check("c", sql("length(name) < 90"))'),
        [
            "drop constraint c on public.users",
            "add constraint c on public.users (fails if existing rows violate it)",
        ],
        id="change-check",
    ),
    pytest.param(
        U,
        users(**{'.not_null()': '.not_null().unique()'}),
        [
            "add constraint users_email_key on public.users (fails if existing rows violate it)",
        ],
        id="add-unique",
    ),
    pytest.param(
        U,
        users(**{'.primary_key()': ''}),
        [
            "drop constraint users_pkey on public.users",
        ],
        id="drop-primary-key",
    ),
    pytest.param(
        U,
        users(', PrimaryKey("id", "email")', **{'.primary_key()': ''}),
        [
            "drop constraint users_pkey on public.users",
            "add constraint users_pkey on public.users (fails if existing rows violate it)",
        ],
        id="widen-primary-key",
    ),
    pytest.param(
        U + 'posts = Table("posts", integer("author_id"))\n',
        U + P.replace(', serial("id").primary_key()', ''),
        [
            "add constraint posts_author_id_fkey on public.posts (fails if existing rows violate it)",
        ],
        id="add-fk",
    ),
    pytest.param(
        U + P,
        U + P.replace('users.c.id)', 'users.c.id, on_delete="cascade")'),
        [
            "drop constraint posts_author_id_fkey on public.posts",
            "add constraint posts_author_id_fkey on public.posts (fails if existing rows violate it)",
        ],
        id="change-fk-action",
    ),
    pytest.param(
        U,
        users(', Index("users_name_idx", "name")'),
        [
            "create index users_name_idx on public.users",
        ],
        id="add-index",
    ),
    pytest.param(
        users(', Index("i", "name")'),
        users(', Index("i", "name", "email")'),
        [
            "drop index public.i",
            "create index i on public.users",
        ],
        id="change-index",
    ),
    pytest.param(
        U,
        users(', Index("i", "name", concurrently=True)'),
        [
            "create index i on public.users",
        ],
        id="add-index-concurrently",
    ),
    pytest.param(
        U,
        users(', Index("i", sql("lower(email)"), unique=True, where=sql("name IS NOT NULL"))'),
        [
            "create index i on public.users (unique: fails if existing rows hold duplicates)",
        ],
        id="add-unique-partial-expression-index",
    ),
    pytest.param(
        U,
        M + users(', mood("m")'),
        [
            "create enum public.mood",
            "add column public.users.m",
        ],
        id="create-enum",
    ),
    pytest.param(
        M + users(', mood("m")'),
        U,
        [
            "drop column public.users.m and its data",
            "drop enum public.mood",
        ],
        id="drop-enum",
    ),
    pytest.param(
        M + users(', mood("m")'),
        M.replace('"happy"]', '"happy", "glad"]') + users(', mood("m")'),
        [
            "add value 'glad' to enum public.mood",
        ],
        id="add-enum-value-end",
    ),
    pytest.param(
        M + users(', mood("m")'),
        M.replace('"ok",', '"ok", "meh",') + users(', mood("m")'),
        [
            "add value 'meh' to enum public.mood",
        ],
        id="add-enum-value-middle",
    ),
    pytest.param(
        M + users(', mood("m")'),
        M.replace('"ok", ', '') + users(', mood("m")'),
        [
            "remove value(s) 'ok' from enum public.mood (rows holding them make it fail)",
            "drop enum public.mood__old",
        ],
        id="remove-enum-value",
    ),
    pytest.param(
        M + users(', mood("m")'),
        'mood = Enum("mood", ["happy", "ok", "sad"])\n' + users(', mood("m")'),
        [
            "reorder values of enum public.mood (the type is swapped and every column using it rewritten)",
            "drop enum public.mood__old",
        ],
        id="reorder-enum",
    ),
    pytest.param(
        M + users(', mood("m")'),
        'feeling = Enum("feeling", ["sad", "ok", "happy"], renamed_from="mood")\n' + users(', feeling("m")'),
        [
            "rename enum public.mood to feeling",
        ],
        id="rename-enum",
    ),
    pytest.param(
        M + users(', mood("m")'),
        users(', text("m")'),
        [
            "change type of public.users.m from \"public\".\"mood\" to text",
            "drop enum public.mood",
        ],
        id="enum-to-text",
    ),
    pytest.param(
        users(', text("m")'),
        M + users(', mood("m")'),
        [
            "create enum public.mood",
            "change type of public.users.m from text to \"public\".\"mood\" (narrowing: values may change or not fit)",
        ],
        id="text-to-enum",
    ),
    pytest.param(
        't = Table("t", integer("n"))\n',
        't = Table("t", integer("n").identity())\n',
        [
            "set NOT NULL on public.t.n (fails if it holds nulls)",
            "add identity to public.t.n",
            "move the sequence of public.t.n past its largest value",
        ],
        id="add-identity",
    ),
    pytest.param(
        't = Table("t", integer("n").identity())\n',
        't = Table("t", integer("n").not_null())\n',
        [
            "drop identity of public.t.n",
        ],
        id="drop-identity",
    ),
    pytest.param(
        't = Table("t", integer("n").identity(always=True))\n',
        't = Table("t", integer("n").identity(always=False))\n',
        [
            "alter identity of public.t.n",
        ],
        id="identity-by-default",
    ),
    pytest.param(
        U,
        users(**{'serial("id")': 'integer("id").identity()'}),
        [
            "drop default of public.users.id",
            "drop serial sequence public.users_id_seq",
            "add identity to public.users.id",
            "move the sequence of public.users.id past its largest value",
        ],
        id="serial-to-identity",
    ),
    pytest.param(
        U,
        users(**{'serial("id")': 'bigserial("id")'}),
        [
            "change type of public.users.id from integer to bigint",
            "change type of sequence public.users_id_seq to bigint",
        ],
        id="serial-to-bigserial",
    ),
    pytest.param(
        users(**{'serial("id")': 'integer("id")'}),
        U,
        [
            "make public.users.id serial",
            "move the sequence of public.users.id past its largest value",
        ],
        id="integer-to-serial",
    ),
    pytest.param(
        users(', text("l").generated(sql("lower(email)"))'),
        users(', text("l")'),
        [
            "make generated column public.users.l a plain column",
        ],
        id="generated-made-plain",
    ),
    pytest.param(
        users(', text("l").generated(sql("lower(email)"))'),
        users(', text("l").generated(sql("upper(email)"))'),
        [
            "drop generated column public.users.l (added back after the change)",
            "add column public.users.l",
        ],
        id="generated-changed",
    ),
    pytest.param(
        U,
        U + 's = Sequence("counter", start=5)\n',
        [
            "create sequence public.counter",
        ],
        id="create-sequence",
    ),
    pytest.param(
        U + 's = Sequence("counter")\n',
        U,
        [
            "drop sequence public.counter",
        ],
        id="drop-sequence",
    ),
    pytest.param(
        U + 's = Sequence("counter")\n',
        U + 's = Sequence("counter", increment=2)\n',
        [
            "alter sequence public.counter",
        ],
        id="alter-sequence",
    ),
    pytest.param(
        U + 's = Sequence("counter")\n',
        U + 's = Sequence("counter", owned_by="users.id")\n',
        [
            "set owner of sequence public.counter",
        ],
        id="sequence-owned-by",
    ),
    pytest.param(
        U,
        U + 'v = View("v", sql("SELECT id FROM users"))\n',
        [
            "create view public.v",
        ],
        id="create-view",
    ),
    pytest.param(
        U + 'v = View("v", sql("SELECT id FROM users"))\n',
        U,
        [
            "drop view public.v",
        ],
        id="drop-view",
    ),
    pytest.param(
        U + 'v = View("v", sql("SELECT id FROM users"))\n',
        U + 'v = View("v", sql("SELECT id, email FROM users"))\n',
        [
            "drop view public.v",
            "create view public.v",
        ],
        id="change-view",
    ),
    pytest.param(
        U + 'v = View("v", sql("SELECT id, name FROM users"))\n',
        users(**{', text("name")': ''}) + 'v = View("v", sql("SELECT id FROM users"))\n',
        [
            "drop view public.v",
            "drop column public.users.name and its data",
            "create view public.v",
        ],
        id="view-over-table-losing-column",
    ),
    pytest.param(
        U + 'v = View("v", sql("SELECT id, email FROM users"))\nw = View("w", sql("SELECT id FROM v"))\n',
        users(**{'varchar("email", 100)': 'text("email")'}) + 'v = View("v", sql("SELECT id, email FROM users"))\nw = View("w", sql("SELECT id FROM v"))\n',
        [
            "drop view public.w",
            "drop view public.v",
            "change type of public.users.email from character varying(100) to text",
            "create view public.v",
            "create view public.w",
        ],
        id="view-over-view",
    ),
    pytest.param(
        U,
        U + 'mv = View("mv", sql("SELECT id FROM users"), Index("mv_id", "id", unique=True), materialized=True)\n',
        [
            "create materialized view public.mv",
        ],
        id="create-materialized-view",
    ),
    pytest.param(
        U + 'mv = View("mv", sql("SELECT id, email FROM users"), materialized=True)\n',
        users(**{'varchar("email", 100)': 'varchar("email", 200)'}) + 'mv = View("mv", sql("SELECT id, email FROM users"), materialized=True)\n',
        [
            "drop materialized view public.mv",
            "change type of public.users.email from character varying(100) to character varying(200)",
            "create materialized view public.mv",
        ],
        id="materialized-view-over-retyped-column",
    ),
]


@pytest.mark.parametrize("before, after, expected", CASES)
def test_diff(before, after, expected):
    assert ops_of(before, after) == expected


def test_hundreds_of_diffs_in_a_second():
    compiled = [(compile_text(b), compile_text(a)) for b, a, _ in (p.values for p in CASES)]
    start = time.process_time()  # CPU time: other processes on a busy machine do not count
    n = 0
    while n < 300:
        for old, new in compiled:
            diff(old, new, Resolver(no_renames=True))
            n += 1
    assert time.process_time() - start < 1.0, "300 diffs of small schemas took over a second"


@pytest.mark.parametrize("before, after", [
    ('t = Table("t", integer("n"))\n', 't = Table("t", text("n"))\n'),
    ('t = Table("t", uuid("n"))\n', 't = Table("t", text("n"))\n'),
    ('t = Table("t", bigint("n"))\n', 't = Table("t", varchar("n"))\n'),
    (M + 't = Table("t", mood("n"))\n', M + 't = Table("t", text("n"))\n'),
    (M + 't = Table("t", mood("n"))\n', 'feeling = Enum("feeling", ["sad", "ok", "happy"], renamed_from="mood")\nt = Table("t", feeling("n"))\n'),
], ids=["integer-text", "uuid-text", "bigint-varchar", "enum-text", "enum-renamed"])
def test_casts_that_keep_every_value_are_not_warned(before, after):
    plan = diff(compile_text(before), compile_text(after), Resolver(no_renames=True))
    assert plan.ops and not plan.warnings


def test_identity_keeps_its_sequence_through_a_type_change():
    before, after = 'm = Table("m", integer("n").identity())\n', 'm = Table("m", bigint("n").identity())\n'
    assert ops_of(before, after) == ["change type of public.m.n from integer to bigint"]
