"""One schema evolved through many versions: each step generated without a terminal, migrated,
compared with a fresh database pushed from the same version; then rolled back step by step."""

from __future__ import annotations

import psycopg

from schemakit.api import Project, generate, migrate, rollback
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver, parse_rename_flags

from .helpers import create_database, drop_database, live, structure, write_schema

V1 = """
mood = Enum("mood", ["sad", "ok"])
users = Table("users", serial("id").primary_key(), text("name"), mood("mood"))
"""
V2 = V1.replace('text("name")', 'text("name"), varchar("email", 100)')
V3 = V2.replace('mood = Enum("mood", ["sad", "ok"])', 'mood = Enum("mood", ["sad", "ok", "happy"])')
V4 = V3.replace('["sad", "ok", "happy"]', '["blue", "ok", "happy"]')  # --rename mood.sad=mood.blue
V5 = V4.replace('text("name")', 'text("full_name")')  # --rename users.name=users.full_name
V6 = V5 + 'posts = Table("posts", serial("id").primary_key(), integer("author_id").references(users.c.id), text("body"))\n'
V7 = V6.replace('Table("posts",', 'Table("articles",').replace("posts = ", "articles = ")  # --rename posts=articles
V8 = V7.replace('text("body")', 'text("body"), text("words").default("0")')
V9 = V8.replace('text("words").default("0")', 'integer("words").default(0)')  # text -> integer
V10 = V9.replace('varchar("email", 100)', 'varchar("email", 100).not_null().default("")')
V11 = V10 + 'counter = Sequence("counter", start=10)\n'
V12 = V11.replace('Sequence("counter", start=10)', 'Sequence("counter", start=10, increment=5)')
V13 = V12.replace('serial("id").primary_key(), text("full_name")',
                  'serial("id").primary_key(), text("full_name"), text("upper_name").generated(sql("upper(full_name)"))')
V14 = V13.replace('text("body")', 'text("body"), integer("rank").identity(always=False)')
V15 = V14 + 'stats = View("stats", sql("SELECT author_id, count(*) AS n FROM articles GROUP BY author_id"), Index("stats_author", "author_id", unique=True), materialized=True)\n'
V16 = V15.replace('count(*) AS n', 'count(*) AS n, max(rank) AS top')
V17 = V16.replace('mood("mood"))', 'mood("mood"), comment="people who write")').replace('text("body")', 'text("body").comment("markdown")')
V18 = V17.replace('["blue", "ok", "happy"]', '["blue", "happy"]')  # enum value removed
V19 = V18.replace('integer("rank").identity(always=False)', 'integer("rank").identity(always=True)')
V20 = V19.replace('Index("stats_author", "author_id", unique=True)', 'Index("stats_author", "author_id", unique=True), Index("stats_n", "n")')

CHAIN = [
    (V1, []), (V2, []), (V3, []), (V4, ["mood.sad=mood.blue"]), (V5, ["users.name=users.full_name"]), (V6, []),
    (V7, ["posts=articles"]), (V8, []), (V9, []), (V10, []), (V11, []), (V12, []), (V13, []), (V14, []),
    (V15, []), (V16, []), (V17, []), (V18, []), (V19, []), (V20, []),
]


def _pushed_fresh(tmp_path, admin, body):
    params = create_database(admin)
    f = tmp_path / "pushed_schema.py"
    write_schema(f, body)
    p = Project([str(f)], tmp_path / "unused", params=lambda: params)
    apply_push(p, plan_push(p, Resolver(no_renames=True)))
    db = structure(live(params))
    drop_database(admin, params)
    return db


def _insert(params, version: int, users: list, articles: list) -> None:
    """One user per version from V2 (V10 makes email NOT NULL) and one article per version from V6."""
    name, mood = f"user {version}'s", "sad" if version % 2 == 0 else None
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute(f"INSERT INTO users ({_name_column(version)}, email, mood) VALUES (%s, %s, %s)",
                  (name, f"u{version}@example.com", "blue" if mood and version >= 4 else mood))
        users.append((name, f"u{version}@example.com", mood))
        if version >= 6:
            c.execute(f"INSERT INTO {_posts(version)} (author_id, body) VALUES (1, %s)", (f"body {version}",))
            articles.append(f"body {version}")


def _name_column(version: int) -> str:
    return "name" if version < 5 else "full_name"


def _posts(version: int) -> str:
    return "posts" if version < 7 else "articles"


def _check_rows(params, version: int, users: list, articles: list) -> None:
    """Every row inserted so far, as it reads at `version` (renamed enum value, renamed column, cast)."""
    columns = ["id", _name_column(version), "email" if version >= 2 else "NULL", "mood::text",
               "upper_name" if version >= 13 else "NULL"]
    want = [(i, name, email if version >= 2 else None, "blue" if mood and version >= 4 else mood,
             name.upper() if version >= 13 else None) for i, (name, email, mood) in enumerate(users, 1)]
    with psycopg.connect(**params) as c:
        got = c.execute(f"SELECT {', '.join(columns)} FROM users ORDER BY id").fetchall()
        assert got == want, f"users at version {version}"
        if version >= 6:
            words = "words::text" if version >= 8 else "'0'"
            got = c.execute(f"SELECT author_id, body, {words} FROM {_posts(version)} ORDER BY id").fetchall()
            assert got == [(1, body, "0") for body in articles], f"{_posts(version)} at version {version}"


def test_schema_evolves_through_twenty_versions_and_back(tmp_path, fresh_db, admin_params):
    schema = tmp_path / "schema.py"
    p = Project([str(schema)], tmp_path / "migrations", params=lambda: fresh_db)
    expected = []  # the state after each version, from a database pushed from it
    steps = []  # migrations applied per version
    users: list[tuple] = []  # (name, email, mood) of each row inserted, in id order
    articles: list[str] = []
    for n, (body, renames) in enumerate(CHAIN, 1):
        write_schema(schema, body)
        g = generate(p, Resolver(parse_rename_flags(renames)))
        assert g is not None, f"version {n} produced no migration"
        sql_text = "".join(g.sql.values())
        if renames:
            assert "RENAME" in sql_text and "DROP TABLE" not in sql_text, f"version {n} should rename"
        steps.append(len(migrate(p)))
        _check_rows(fresh_db, n, users, articles)  # the rows of earlier versions survived the change
        if n >= 2:  # keep rows flowing through every change
            _insert(fresh_db, n, users, articles)
        want = _pushed_fresh(tmp_path, admin_params, body)
        assert structure(live(fresh_db)) == want, f"version {n} differs from a pushed database"
        expected.append(want)
    for n in range(len(CHAIN) - 1, 0, -1):
        rollback(p, steps=steps[n])
        assert structure(live(fresh_db)) == expected[n - 1], f"rollback to version {n} differs"
        if n < 6:
            articles.clear()  # rolling back version 6 dropped posts and its rows
        _check_rows(fresh_db, n, users, articles)
    rollback(p, steps=steps[0])
    assert structure(live(fresh_db)) == structure(live({**fresh_db, "dbname": "template1"}))
