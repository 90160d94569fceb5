"""db_studio's pages through Django's test client, on a real database: access, browsing, console, edits, escaping."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from schemakit import conf
from schemakit.conf import connection_params

pytestmark = pytest.mark.django_db(transaction=True)

XSS = "<script>alert(1)</script>"

DEMO = """
CREATE SCHEMA studio_demo;
CREATE TYPE studio_demo.mood AS ENUM ('sad', 'ok', %(xss)s);
CREATE TABLE studio_demo.authors (id serial PRIMARY KEY, name text NOT NULL, mood studio_demo.mood);
CREATE TABLE studio_demo.posts (
  id serial PRIMARY KEY, author_id int REFERENCES studio_demo.authors, title text, score int,
  meta jsonb, tags text[], body bytea, published timestamptz);
CREATE INDEX ON studio_demo.posts (score);
CREATE TABLE studio_demo.nokey (a int, b text);
CREATE TABLE studio_demo.%(xss_ident)s (%(xss_ident)s text);
COMMENT ON TABLE studio_demo.posts IS %(xss)s;
INSERT INTO studio_demo.authors (name, mood) VALUES ('ann', 'ok'), ('bob', NULL), (%(xss)s, %(xss)s);
INSERT INTO studio_demo.posts (author_id, title, score, meta, tags, body, published)
SELECT 1 + i %% 2, CASE WHEN i %% 7 = 0 THEN NULL WHEN i %% 11 = 0 THEN '' ELSE 'post ' || i END,
       CASE WHEN i %% 5 = 0 THEN NULL ELSE i %% 13 END, jsonb_build_object('i', i, 'nested', jsonb_build_object('x', i)),
       ARRAY['a', 'b' || i], decode(repeat('ab', 40), 'hex'), timestamptz '2026-01-01 00:00+00' + i * interval '1 hour'
FROM generate_series(1, 123) i;
CREATE VIEW studio_demo.post_titles AS SELECT id, title FROM studio_demo.posts;
INSERT INTO studio_demo.nokey SELECT i, 'n' || i FROM generate_series(1, 60) i;
INSERT INTO studio_demo.%(xss_ident)s VALUES (%(xss)s);
"""


@pytest.fixture
def demo():
    params = connection_params(conf.database())
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute("DROP SCHEMA IF EXISTS studio_demo CASCADE")
        xss_ident = psycopg.sql.Identifier(XSS).as_string(c)
        text = DEMO.replace("%(xss_ident)s", xss_ident).replace("%(xss)s", psycopg.sql.Literal(XSS).as_string(c))
        c.execute(text.replace("%%", "%").encode())
        c.execute("ANALYZE studio_demo.posts")
    yield params
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute("DROP SCHEMA IF EXISTS studio_demo CASCADE")


def _user(django_user_model, name: str, staff: bool, *perms: str):
    user = django_user_model.objects.create_user(name, password="pw", is_staff=staff)
    for p in perms:
        user.user_permissions.add(Permission.objects.get(codename=p))
    return user


@pytest.fixture
def viewer(client, django_user_model):
    client.force_login(_user(django_user_model, "viewer", True, "studio_view_data"))
    return client


@pytest.fixture
def power(client, django_user_model):
    client.force_login(_user(django_user_model, "power", True, "studio_view_data", "studio_run_sql", "studio_edit_data"))
    return client


def table_url(table: str, **params) -> str:
    return "/studio/table/?" + urlencode([("s", "studio_demo"), ("t", table), *params.items()])


def body(r) -> str:
    return r.content.decode()


# ---------------------------------------------------------------- who may see what


def test_anonymous_is_sent_to_log_in(client, demo):
    r = client.get("/studio/")
    assert r.status_code == 302 and r["Location"].startswith("/studio/login/?next=/studio/")


@pytest.mark.parametrize("staff, perms, status", [
    (False, ("studio_view_data",), 403),  # not staff
    (True, (), 403),  # staff without the permission
    (True, ("studio_view_data",), 200),
])
def test_staff_with_permission_only(client, django_user_model, demo, staff, perms, status):
    client.force_login(_user(django_user_model, "u", staff, *perms))
    assert client.get("/studio/").status_code == status


def test_console_needs_its_own_permission(viewer, demo):
    assert viewer.get("/studio/sql/").status_code == 403
    assert viewer.post("/studio/sql/", {"sql": "SELECT 1"}).status_code == 403


def test_login_page_logs_a_staff_user_in(client, django_user_model, demo):
    _user(django_user_model, "staff", True, "studio_view_data")
    r = client.post("/studio/login/?next=/studio/", {"username": "staff", "password": "pw", "next": "/studio/"})
    assert r.status_code == 302 and r["Location"] == "/studio/"
    assert client.get("/studio/").status_code == 200


@pytest.mark.parametrize("url", ["/studio/", "/studio/login/", table_url("posts"), "/studio/diagram/"])
def test_headers_forbid_framing_and_inline_script(viewer, demo, url):
    r = viewer.get(url)
    assert r["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in r["Content-Security-Policy"] and "frame-ancestors 'none'" in r["Content-Security-Policy"]
    assert "<script" not in body(r).replace("&lt;script", "")  # no script of ours at all


# ---------------------------------------------------------------- overview and browsing


def test_overview_lists_tables_views_enums_with_estimates(viewer, demo):
    text = body(viewer.get("/studio/"))
    assert "studio_demo" in text and ">posts<" in text and ">authors<" in text
    assert "≈ 123" in text  # reltuples after ANALYZE
    assert "sad, ok, &lt;script&gt;" in text


def _rows(text: str) -> list[list[str]]:
    table = text.split('id="rows"', 1)[1].split("</table>", 1)[0]
    rows = [tr for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S) if "colspan" not in tr]
    cells = [[unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
             for tr in rows]
    return [c[1:] if 'class="open"' in tr else c for c, tr in zip(cells, rows, strict=True)]  # the "open" link


def _walk(client, url: str) -> list[list[str]]:
    """Every row of every page, following the next-page links."""
    out = []
    for _ in range(20):
        text = body(client.get(url))
        out += _rows(text)
        m = re.search(r'href="([^"]+)" id="next"', text)
        if not m:
            return out
        url = unescape(m.group(1))
    raise AssertionError("too many pages")


@pytest.mark.parametrize("sort, direction", [(None, "asc"), ("score", "asc"), ("score", "desc"), ("title", "asc"),
                                             ("title", "desc"), ("published", "desc")])
def test_pages_by_key_cover_every_row_in_order(viewer, demo, sort, direction):
    order = f"{sort} {direction} NULLS LAST, id {direction}" if sort else "id"
    with psycopg.connect(**demo) as c:
        want = [str(r[0]) for r in c.execute(f"SELECT id FROM studio_demo.posts ORDER BY {order}")]
    params = {"sort": sort, "dir": direction} if sort else {}
    got = [r[0] for r in _walk(viewer, table_url("posts", **params))]
    assert got == want


def test_view_pages_by_bounded_offset(viewer, demo):
    got = [r[0] for r in _walk(viewer, table_url("post_titles", sort="id", dir="desc"))]
    assert got == [str(i) for i in range(123, 0, -1)]


def test_table_without_key_pages_by_row_address(viewer, demo):
    assert sorted(int(r[0]) for r in _walk(viewer, table_url("nokey"))) == list(range(1, 61))


@pytest.mark.parametrize("fo, fv, where", [
    ("eq", "3", "score = 3"), ("ge", "10", "score >= 10"), ("null", "", "score IS NULL"),
    ("notnull", "", "score IS NOT NULL"), ("lt", "2", "score < 2"),
])
def test_filters_are_typed_and_in_the_url(viewer, demo, fo, fv, where):
    with psycopg.connect(**demo) as c:
        want = [str(r[0]) for r in c.execute(f"SELECT id FROM studio_demo.posts WHERE {where} ORDER BY id")]
    url = table_url("posts", fc="score", fo=fo, fv=fv)
    got = [r[0] for r in _walk(viewer, url)]
    assert got == want
    assert f"{len(want)} rows" in body(viewer.get(url))


def test_contains_filter_escapes_like_wildcards(viewer, demo):
    got = [r[0] for r in _walk(viewer, table_url("posts", fc="title", fo="contains", fv="post 12"))]
    assert got == ["12", "120", "122", "123"]
    assert _walk(viewer, table_url("posts", fc="title", fo="contains", fv="%")) == []


def test_values_read_as_a_person_reads_them(viewer, demo):
    text = body(viewer.get(table_url("posts", fc="id", fo="le", fv="14")))
    rows = _rows(text)
    seven, eleven = rows[6], rows[10]
    assert seven[2] == "NULL" and 'class="null"' in text  # NULL
    assert eleven[2] == "(empty string)" and 'class="empty"' in text  # '' is not NULL
    assert '{"i": 1, "nested": {"x": 1}}' in unescape(text)  # JSON
    assert "{a, b1}" in text  # an array
    assert "(40 bytes)" in text  # bytea cut with its size
    assert "2026-01-01 01:00:00+00:00" in text  # timestamptz with its zone


@pytest.mark.parametrize("params", [{"sort": "nope"}, {"fc": "nope", "fo": "eq", "fv": "1"},
                                    {"fc": "score", "fo": "drop", "fv": "1"}, {"after": "!!!"}])
def test_bad_page_parameters_are_one_clear_error(viewer, demo, params):
    r = viewer.get(table_url("posts", **params))
    assert r.status_code == 400 and 'id="error"' in body(r)


def test_a_value_of_the_wrong_type_is_postgresql_s_error(viewer, demo):
    r = viewer.get(table_url("posts", fc="score", fo="eq", fv="abc"))
    assert r.status_code == 400 and "[22P02]" in body(r)


def test_row_links_its_parent_and_its_children(viewer, demo):
    post = body(viewer.get("/studio/row/?s=studio_demo&t=posts&k=2"))
    parent = unescape(re.search(r'href="([^"]+)" class="parent"', post).group(1))
    assert dict(parse_qsl(parent.split("?", 1)[1]))["t"] == "authors"
    assert [r[0] for r in _walk(viewer, parent)] == ["1"]
    author = body(viewer.get("/studio/row/?s=studio_demo&t=authors&k=1"))
    assert "61 rows" in author  # posts with author_id = 1 (even i: 61 of 123)
    children = unescape(re.search(r'<li><a href="([^"]+)"', author).group(1))
    assert len(_walk(viewer, children)) == 61


# ---------------------------------------------------------------- escaping


def test_every_name_and_value_is_escaped(power, demo):
    pages = [
        "/studio/", table_url(XSS), table_url("authors"), "/studio/row/?s=studio_demo&t=authors&k=3",
        "/studio/diagram/?schema=studio_demo",
    ]
    for url in pages:
        r = power.get(url)
        assert r.status_code == 200, url
        assert XSS not in body(r), url
        assert "&lt;script&gt;" in body(r), url
    r = power.post("/studio/sql/", {"sql": f"SELECT '{XSS}' AS \"{XSS}\""})
    assert XSS not in body(r) and "&lt;script&gt;" in body(r)


# ---------------------------------------------------------------- the console


def test_console_runs_one_read_only_statement(power, demo):
    r = power.post("/studio/sql/", {"sql": "SELECT name FROM studio_demo.authors ORDER BY id;"})
    assert r.status_code == 200 and "ann" in body(r) and "3 rows" in body(r)


def test_console_explains_and_downloads_csv(power, demo):
    r = power.post("/studio/sql/", {"sql": "SELECT * FROM studio_demo.posts WHERE score = 3", "explain": "1"})
    assert "QUERY PLAN" in body(r) and "Scan" in body(r)
    r = power.post("/studio/sql/", {"sql": "SELECT id, title FROM studio_demo.posts WHERE id < 3 ORDER BY id",
                                    "format": "csv"})
    assert r["Content-Type"].startswith("text/csv") and r.content.decode().splitlines() == ["id,title", "1,post 1", "2,post 2"]


@pytest.mark.parametrize("statement, sqlstate", [
    ("COMMIT; DROP TABLE studio_demo.nokey", "one SQL statement"),  # two statements (the extended protocol would too)
    ("DROP TABLE studio_demo.nokey", "not DROP"),
    ("SET TRANSACTION READ WRITE", "not SET/RESET"),
    ("DO $$ BEGIN EXECUTE 'DROP TABLE studio_demo.nokey'; END $$", "not DO"),
    ("WITH gone AS (DELETE FROM studio_demo.nokey RETURNING *) SELECT count(*) FROM gone", "not DELETE inside"),
    ("SELECT studio_demo.sneaky()", "25006"),  # a function that writes
    ("SELECT pg_terminate_backend(pg_backend_pid())", "42501"),  # lowered to pg_read_all_data
    ("COPY (SELECT 1) TO PROGRAM 'touch /tmp/schemakit-studio-pwned'", "not COPY"),
])
def test_console_escapes_are_refused_by_postgresql(power, demo, statement, sqlstate):
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute("CREATE FUNCTION studio_demo.sneaky() RETURNS int LANGUAGE sql AS "
                  "'DELETE FROM studio_demo.nokey; SELECT 1'")
    r = power.post("/studio/sql/", {"sql": statement})
    assert r.status_code == 400 and (f"[{sqlstate}]" if sqlstate.isalnum() else sqlstate) in body(r), body(r)[-600:]
    with psycopg.connect(**demo) as c:
        assert c.execute("SELECT count(*) FROM studio_demo.nokey").fetchone()[0] == 60


def test_console_session_state_dies_with_the_request(power, demo):
    power.post("/studio/sql/", {"sql": "SELECT pg_advisory_lock(424242)"})
    with psycopg.connect(**demo) as c:
        assert c.execute("SELECT pg_try_advisory_lock(424242)").fetchone()[0] is True


def test_console_statement_timeout(power, demo, monkeypatch):
    from schemakit.studio import session

    monkeypatch.setattr(session, "STATEMENT_TIMEOUT_MS", 200)
    r = power.post("/studio/sql/", {"sql": "SELECT pg_sleep(5)"})
    assert r.status_code == 400 and "[57014]" in body(r)


# ---------------------------------------------------------------- editing


@pytest.fixture
def writing(monkeypatch):
    monkeypatch.setitem(conf.STUDIO_OVERRIDES, "write", True)


def _version(client, table: str, key: str) -> str:
    text = body(client.get(f"/studio/row/?s=studio_demo&t={table}&k={key}"))
    return re.search(r'name="version" value="([0-9a-f]+)"', text).group(1)


def test_nothing_changes_without_write_mode(power, demo):
    r = power.post("/studio/row/", {"s": "studio_demo", "t": "authors", "k": "1", "version": "x",
                                     "mode:name": "value", "value:name": "changed"})
    assert r.status_code == 403
    assert power.get("/studio/row/delete/").status_code == 405  # no change on GET


def test_edit_update_insert_delete(power, demo, writing):
    v = _version(power, "authors", "1")
    r = power.post("/studio/row/", {"s": "studio_demo", "t": "authors", "k": "1", "version": v,
                                     "mode:name": "value", "value:name": "anna", "mode:mood": "null"})
    assert r.status_code == 302
    r = power.post("/studio/row/new/", {"s": "studio_demo", "t": "authors", "mode:name": "value", "value:name": "cy",
                                         "mode:mood": "value", "value:mood": "sad"})
    assert r.status_code == 302 and "k=4" in r["Location"]
    r = power.post("/studio/row/delete/", {"s": "studio_demo", "t": "authors", "k": "3",
                                            "version": _version(power, "authors", "3")})
    assert r.status_code == 302
    r = power.post("/studio/row/delete/", {"s": "studio_demo", "t": "authors", "k": "2",
                                            "version": _version(power, "authors", "2")})
    assert r.status_code == 400 and "[23503]" in body(r)  # posts still reference bob: one line, nothing done
    with psycopg.connect(**demo) as c:
        rows = c.execute("SELECT id, name, mood::text FROM studio_demo.authors ORDER BY id").fetchall()
    assert rows == [(1, "anna", None), (2, "bob", None), (4, "cy", "sad")]


def test_edit_refused_when_the_row_changed_since_shown(power, demo, writing):
    v = _version(power, "authors", "1")
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute("UPDATE studio_demo.authors SET name = 'someone else' WHERE id = 1")
    r = power.post("/studio/row/", {"s": "studio_demo", "t": "authors", "k": "1", "version": v,
                                     "mode:name": "value", "value:name": "mine"})
    assert r.status_code == 409
    with psycopg.connect(**demo) as c:
        assert c.execute("SELECT name FROM studio_demo.authors WHERE id = 1").fetchone()[0] == "someone else"


def test_edits_need_csrf(django_user_model, demo, writing):
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user(django_user_model, "p", True, "studio_view_data", "studio_edit_data", "studio_run_sql"))
    r = client.post("/studio/row/delete/", {"s": "studio_demo", "t": "authors", "k": "1", "version": "x"})
    assert r.status_code == 403
    assert client.post("/studio/sql/", {"sql": "SELECT 1"}).status_code == 403


# ---------------------------------------------------------------- diagram and migrations


def test_diagram_is_svg_with_links(viewer, demo):
    r = viewer.get("/studio/diagram/?schema=studio_demo")
    text = body(r)
    assert "<svg" in text and ">studio_demo.posts</text>" in text and "<path" in text  # the posts -> authors edge
    assert "/studio/table/?s=studio_demo&amp;t=authors" in text
    r = viewer.get("/studio/diagram/?schema=studio_demo&download=1")
    assert r["Content-Type"] == "image/svg+xml" and "attachment" in r["Content-Disposition"]


def test_migration_pages_open_journal_entries_only(viewer, demo, tmp_path, settings):
    from schemakit.api import generate, migrate
    from schemakit.api.project import project_for
    from schemakit.diff.renames import Resolver

    (tmp_path / "s.py").write_text("from schemakit import *\nt = Table('studio_t', serial('id').primary_key())\n")
    settings.SCHEMAKIT = {**settings.SCHEMAKIT, "MIGRATIONS_DIR": tmp_path / "m", "SCHEMA": [str(tmp_path / "s.py")]}
    (tmp_path / "secret.sql").write_text("SECRET")
    p = project_for()
    first = generate(p, Resolver(), name="first").paths[0].stem
    migrate(p)
    try:
        text = body(viewer.get("/studio/migrations/"))
        assert first in text and "applied" in text
        detail = body(viewer.get(f"/studio/migration/?name={first}"))
        assert "CREATE TABLE" in detail and "create table public.studio_t" in detail.lower()
        r = viewer.get("/studio/migration/?name=../secret")
        assert r.status_code == 404 and "SECRET" not in body(r)
    finally:
        with psycopg.connect(**p.connection_params(), autocommit=True) as c:
            c.execute("DROP TABLE IF EXISTS studio_t, schemakit_migrations")
