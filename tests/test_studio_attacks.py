"""db_studio under attack: injection through every parameter, hostile names, console escapes, access, robustness."""

from __future__ import annotations

import re
import time
from html import unescape
from urllib.parse import urlencode

import psycopg
import pytest
from django.db import connections
from django.test import Client
from psycopg import sql

from schemakit import conf
from schemakit.studio import browse, session

from . import test_studio
from .test_studio import XSS, _rows, _user, body, table_url

# the fixtures of test_studio: its demo schema and its logged-in clients
demo, viewer, power, writing = test_studio.demo, test_studio.viewer, test_studio.power, test_studio.writing

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = "a/b?c&d#e%f\ng\"h'i\\j<b>k ✓"  # a name or value with every character a URL, HTML or SQL cares about


def _nokey_intact(params) -> bool:
    with psycopg.connect(**params) as c:
        return c.execute("SELECT count(*) FROM studio_demo.nokey").fetchone()[0] == 60


def _error_text(r) -> str:
    m = re.search(r'id="error">(.*?)</p>', body(r), re.S)
    return unescape(m.group(1)) if m else ""


# ---------------------------------------------------------------- injection through parameters

DROP = "'; DROP TABLE studio_demo.nokey; --"


@pytest.mark.parametrize("url, status", [
    (table_url("posts" + DROP), 404),
    ("/studio/table/?" + urlencode({"s": "studio_demo" + DROP, "t": "posts"}), 404),
    (table_url("posts", sort="id; DROP TABLE studio_demo.nokey"), 400),
    (table_url("posts", sort="id", dir="desc; DROP TABLE studio_demo.nokey"), 200),  # anything but desc is asc
    (table_url("posts", fc='score" = 1 OR "1', fo="eq", fv="1"), 400),
    (table_url("posts", fc="score", fo="eq; DROP TABLE studio_demo.nokey", fv="1"), 400),
    (table_url("posts", fc="score", fo="eq", fv="1; DROP TABLE studio_demo.nokey"), 400),  # 22P02: not an integer
    (table_url("posts", fc="title", fo="eq", fv="x' OR '1'='1"), 200),  # a value, matching nothing
    (table_url("posts", fc="title", fo="contains", fv="%' OR 1=1 --"), 200),
    (table_url("posts", after=browse.encode_key(["1) OR (1=1"])), 400),
    (table_url("post_titles", after=browse.encode_key(["1; DROP TABLE studio_demo.nokey"])), 400),
    ("/studio/row/?s=studio_demo&t=posts&k=" + "1%20OR%201%3D1", 400),
    ("/studio/diagram/?" + urlencode({"schema": DROP + XSS}), 200),
    ("/studio/diagram/?" + urlencode({"source": DROP + XSS}), 400),
    ("/studio/migration/?" + urlencode({"name": "../" + DROP + XSS}), 404),
])
def test_parameters_never_reach_sql_as_text(viewer, demo, url, status):
    r = viewer.get(url)
    assert r.status_code == status, _error_text(r)
    assert XSS not in body(r)
    if "title" in url and status == 200:
        assert "No rows." in body(r)
    assert _nokey_intact(demo)


@pytest.mark.parametrize("params", [
    {"fc": "title", "fo": "eq", "fv": "nul\x00byte"},  # PostgreSQL text cannot hold NUL
    {"fc": "score", "fo": "eq"},  # a filter without its value
    {"fc": "score"},
    {"after": browse.encode_key(["x"])},  # a key that is not an integer
    {"after": browse.encode_key(["1", "2"])},  # a key of the wrong width
    {"sort": "score", "after": browse.encode_key(["1"])},
])
def test_garbage_parameters_are_one_clear_error(viewer, demo, params):
    r = viewer.get(table_url("posts", **params))
    assert r.status_code == 400 and _error_text(r)


@pytest.mark.parametrize("after", [["abc"], ["-5"], ["1e3"], ["²"], ["99999999999999999999"]])
def test_a_damaged_view_token_is_a_clear_error(viewer, demo, after):
    r = viewer.get(table_url("post_titles", after=browse.encode_key(after)))
    assert r.status_code == 400 and "rows deep at most" in _error_text(r)


@pytest.mark.parametrize("url", ["/studio/table/", "/studio/table/?s=studio_demo", "/studio/row/?s=studio_demo&t=posts",
                                 "/studio/row/?s=studio_demo&t=posts&k=1&k=2", "/studio/row/?s=studio_demo&t=posts&k=999999",
                                 "/studio/row/?s=studio_demo&t=post_titles&k=1", "/studio/row/?s=\x00&t=x",
                                 "/studio/migration/", "/studio/row/new/?s=nope&t=nope"])
def test_missing_or_wrong_addresses_are_400_or_404(viewer, demo, url):
    r = viewer.get(url)
    assert r.status_code in (400, 404) and _error_text(r)
    assert r["Content-Security-Policy"] and r["Cache-Control"] == "no-store"


# ---------------------------------------------------------------- hostile names


@pytest.fixture
def hostile(demo):
    with psycopg.connect(**demo, autocommit=True) as c:
        name, label = sql.Identifier(HOSTILE), sql.Literal(HOSTILE)
        c.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE; CREATE SCHEMA {}").format(name, name))
        enum = sql.Identifier(HOSTILE + " enum")
        c.execute(sql.SQL("CREATE TYPE {}.{} AS ENUM ({}, 'plain')").format(name, enum, label))
        c.execute(sql.SQL("CREATE TABLE {s}.{t} ({c} text PRIMARY KEY, e {s}.{e}, parent text REFERENCES {s}.{t})")
                  .format(s=name, t=name, c=name, e=enum))
        c.execute(sql.SQL("INSERT INTO {}.{} VALUES ({}, {}, NULL), ('other', 'plain', {})").format(
            name, name, label, label, label))
    yield demo
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(HOSTILE)))


def _link(text: str, pattern: str) -> str:
    return unescape(re.search(pattern, text).group(1))


def test_hostile_names_browse_sort_filter_open_and_edit(power, hostile, writing):
    raw = "<b>k"  # the part that would become markup if a name went out unescaped
    text = body(power.get("/studio/"))
    assert raw not in text and "&lt;b&gt;k" in text
    table = _link(text, r'<td><a href="([^"]+)">[^<]*&lt;b&gt;k ✓</a>')
    page = power.get(table)
    assert page.status_code == 200 and raw not in body(page)
    sort = _link(body(page), r'href="([^"]+)" title="sort descending"')
    assert [r[0] for r in _rows(body(power.get(sort)))] == ["other", HOSTILE]  # descending
    filtered = power.get("/studio/table/?" + urlencode({"s": HOSTILE, "t": HOSTILE, "fc": HOSTILE, "fo": "eq", "fv": HOSTILE}))
    assert "1 rows" in body(filtered)
    row = _link(body(filtered), r'<a href="([^"]+)" class="open"')
    shown = body(power.get(row))
    assert raw not in shown and 'class="parent"' not in shown  # this row has no parent
    assert "other" in body(power.get(_link(shown, r'<li><a href="([^"]+)"')))  # the row referencing it
    version = re.search(r'name="version" value="([0-9a-f]+)"', shown).group(1)
    r = power.post("/studio/row/", {"s": HOSTILE, "t": HOSTILE, "k": HOSTILE, "version": version,
                                     "mode:e": "value", "value:e": "plain"})
    assert r.status_code == 302, _error_text(r)
    assert power.get(r["Location"]).status_code == 200
    with psycopg.connect(**hostile) as c:
        got = c.execute(sql.SQL("SELECT e::text FROM {}.{} WHERE {} = {}").format(  # no parameters: % is plain
            sql.Identifier(HOSTILE), sql.Identifier(HOSTILE), sql.Identifier(HOSTILE), sql.Literal(HOSTILE))).fetchone()
    assert got == ("plain",)
    diagram = body(power.get("/studio/diagram/?" + urlencode({"schema": HOSTILE})))
    assert raw not in diagram and "&lt;b&gt;k" in diagram


# ---------------------------------------------------------------- the console


@pytest.mark.parametrize("statement, refusal", [
    ("SELECT set_config('role', session_user, true), current_user", "set_config"),
    ("SELECT pg_catalog.set_config('role', 'postgres', true), pg_terminate_backend(0)", "set_config"),
    ("SELECT * FROM set_config('transaction_read_only', 'off', true)", "set_config"),
    ("RESET ROLE", "not SET/RESET"),
    ("SET ROLE postgres", "not SET/RESET"),
    ("SET SESSION AUTHORIZATION DEFAULT", "not SET/RESET"),
    ("DO $$ BEGIN SET LOCAL ROLE NONE; EXECUTE 'COPY (SELECT 1) TO PROGRAM ''true'''; END $$", "not DO"),
    ("DO $$ BEGIN PERFORM set_config('role', session_user, true); RAISE EXCEPTION '%', pg_read_file('/etc/hostname'); "
     "END $$", "not DO"),
    ("WITH x AS (UPDATE pg_settings SET setting = 'postgres' WHERE name = 'role' RETURNING 1) SELECT * FROM x",
     "not UPDATE inside a query"),
    ("PREPARE p AS SELECT 1", "not PREPARE"),
    ("EXECUTE p", "not EXECUTE"),
    ("LISTEN studio", "not LISTEN"),
    ("NOTIFY studio", "not NOTIFY"),
    ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", "not DECLARE"),
    ("CALL studio_demo.nothing()", "not CALL"),
    ("COPY studio_demo.nokey TO STDOUT", "not COPY"),
    ("COMMIT", "not a transaction command"),
    ("EXPLAIN ANALYZE DELETE FROM studio_demo.nokey", "not DELETE"),
    ("SELECT 1; SELECT 2", "one SQL statement (got 2)"),
    ("-- only a comment", "one SQL statement (got 0)"),
    ("SELEC 1", "syntax error"),
    # refused by PostgreSQL itself: the read-only transaction and pg_read_all_data
    ("SELECT * FROM studio_demo.nokey FOR UPDATE", "[25006]"),
    ("SELECT pg_read_file('/etc/hostname')", "[42501]"),
    ("SELECT lo_import('/etc/hostname')", "[42501]"),
    ("SELECT lo_export(1, '/tmp/schemakit-studio-lo')", "[42501]"),
    ("SELECT pg_reload_conf()", "[42501]"),
    ("SELECT pg_ls_dir('.')", "[42501]"),
    ("SELECT dblink_exec('dbname=postgres', 'DROP TABLE studio_demo.nokey')", "[42883]"),  # dblink is not installed
])
def test_console_refuses_every_way_out_of_read_only(power, demo, statement, refusal):
    r = power.post("/studio/sql/", {"sql": statement})
    assert r.status_code == 400 and refusal in _error_text(r), _error_text(r)
    assert _nokey_intact(demo)


@pytest.mark.parametrize("statement, shown", [
    ("SHOW statement_timeout", "5s"),
    ("VALUES (1, 'one')", "one"),
    ("TABLE studio_demo.authors", "ann"),
    ("EXPLAIN ANALYZE SELECT count(*) FROM studio_demo.posts", "actual"),
    ("SELECT current_user", "pg_read_all_data"),  # a superuser is lowered
    ("SELECT pg_notify('studio', 'x')", "1 row"),  # harmless: notifications go out at COMMIT, and it rolls back
])
def test_console_still_runs_queries(power, demo, statement, shown):
    r = power.post("/studio/sql/", {"sql": statement})
    assert r.status_code == 200 and shown in body(r), _error_text(r)


def test_console_shows_the_columns_of_an_empty_result(power, demo):
    r = power.post("/studio/sql/", {"sql": "SELECT id, name AS \"who?\" FROM studio_demo.authors WHERE false"})
    assert r.status_code == 200 and "<th>who?</th>" in body(r) and "0 rows" in body(r)


def test_console_reads_a_huge_result_only_as_far_as_it_shows(power, demo, monkeypatch):
    # rows arrive in chunks of 100; after row 1,100 the server would sleep past the timeout, so only a console
    # that stops reading once it has 1,001 rows (and cancels the rest) answers
    monkeypatch.setattr(session, "STATEMENT_TIMEOUT_MS", 3_000)
    started = time.perf_counter()
    r = power.post("/studio/sql/", {"sql": "SELECT g, repeat('x', 10000) AS pad, CASE WHEN g > 1100 THEN pg_sleep(10) END "
                                           "FROM (SELECT generate_series(1, 100000000) AS g) s"})  # streamed, not a FROM function
    assert r.status_code == 200, _error_text(r)
    assert "1,000+ rows" in body(r) and "first 1,000 rows" in body(r)
    assert time.perf_counter() - started < 3


@pytest.fixture
def plain_role(demo, monkeypatch):
    """The studio logged in as a role that is neither a superuser nor a member of pg_read_all_data."""
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute("DROP ROLE IF EXISTS studio_plain")
        c.execute("CREATE ROLE studio_plain LOGIN")
        c.execute("GRANT USAGE ON SCHEMA studio_demo TO studio_plain")
        c.execute("GRANT SELECT, DELETE ON studio_demo.authors TO studio_plain")
    real = session.connection_params
    monkeypatch.setattr(session, "connection_params", lambda alias: {**real(alias), "user": "studio_plain"})
    yield
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute("DROP OWNED BY studio_plain; DROP ROLE studio_plain")


@pytest.mark.parametrize("statement, outcome", [
    ("SELECT current_user, name FROM studio_demo.authors ORDER BY id", "studio_plain"),
    ("SELECT * FROM studio_demo.posts", "[42501]"),  # no grant: PostgreSQL's refusal
    ("DELETE FROM studio_demo.authors", "not DELETE"),
    ("WITH d AS (DELETE FROM studio_demo.authors RETURNING 1) SELECT count(*) FROM d", "not DELETE inside a query"),
    ("SELECT pg_read_file('/etc/hostname')", "[42501]"),
])
def test_console_as_a_plain_role_works_and_stays_read_only(power, plain_role, demo, statement, outcome):
    r = power.post("/studio/sql/", {"sql": statement})
    assert outcome in body(r) if r.status_code == 200 else outcome in _error_text(r)
    with psycopg.connect(**demo) as c:
        assert c.execute("SELECT count(*) FROM studio_demo.authors").fetchone()[0] == 3


# ---------------------------------------------------------------- CSV


def test_csv_keeps_values_exact_and_the_spreadsheet_csv_makes_formulas_inert(power, demo):
    query = "SELECT '=HYPERLINK(\"http://x\")' AS \"=a\", '+1+1' AS b, '-5' AS c, '@SUM(A1)' AS d, 'plain' AS e, -2.5 AS f"
    exact = power.post("/studio/sql/", {"sql": query, "format": "csv"}).content.decode().splitlines()
    assert exact == ["=a,b,c,d,e,f", '"=HYPERLINK(""http://x"")",+1+1,-5,@SUM(A1),plain,-2.5']
    safe = power.post("/studio/sql/", {"sql": query, "format": "csv-spreadsheet"})
    assert "spreadsheet" in safe["Content-Disposition"]
    assert safe.content.decode().splitlines() == ["'=a,b,c,d,e,f", "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+1,-5,'@SUM(A1),plain,-2.5"]


# ---------------------------------------------------------------- access


def _hardened(r) -> bool:
    return (r["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in r["Content-Security-Policy"]
            and r["Cache-Control"] == "no-store")


@pytest.mark.parametrize("method, url, status", [
    ("get", "/studio/studio.css", 200),
    ("post", "/studio/studio.css", 405),
    ("get", "/studio/row/delete/", 405),  # nothing changes on GET
    ("post", "/studio/", 405),
    ("post", "/studio/table/?s=studio_demo&t=posts", 405),
    ("post", "/studio/diagram/", 405),
    ("get", "/studio/table/?s=studio_demo&t=nope", 404),
    ("get", "/studio/sql/", 403),  # the viewer lacks the console permission
    ("get", table_url("posts", sort="nope"), 400),
    ("get", "/studio/login/", 200),
])
def test_every_answer_has_the_studio_headers(viewer, demo, method, url, status):
    r = getattr(viewer, method)(url)
    assert r.status_code == status and _hardened(r)
    if status in (400, 403, 404):
        assert _error_text(r)


def test_refusals_have_the_studio_headers(client, django_user_model, demo):
    client.force_login(_user(django_user_model, "nostaff", False, "studio_view_data"))
    r = client.get("/studio/")
    assert r.status_code == 403 and _hardened(r) and "staff" in _error_text(r)


def test_an_inactive_account_is_not_let_in(client, django_user_model, demo):
    user = _user(django_user_model, "gone", True, "studio_view_data", "studio_run_sql")
    client.force_login(user)
    user.is_active = False
    user.save()
    r = client.get("/studio/")
    assert r.status_code == 302 and r["Location"].startswith("/studio/login/")
    assert client.post("/studio/login/", {"username": "gone", "password": "pw"}).status_code == 200  # refused form


@pytest.mark.parametrize("url", ["/studio/row/", "/studio/row/new/", "/studio/row/delete/", "/studio/sql/",
                                 "/studio/logout/", "/studio/login/"])
def test_every_post_needs_the_csrf_token(django_user_model, demo, writing, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user(django_user_model, "p", True, "studio_view_data", "studio_edit_data", "studio_run_sql"))
    r = client.post(url, {"s": "studio_demo", "t": "authors", "k": "1", "version": "x", "sql": "SELECT 1",
                          "username": "p", "password": "pw"})
    assert r.status_code == 403
    assert _nokey_intact(demo)


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example/", "http:evil.example",
                                      "javascript:alert(1)", ""])
def test_login_never_redirects_off_the_site(client, django_user_model, demo, next_url):
    _user(django_user_model, "staff", True, "studio_view_data")
    r = client.post("/studio/login/", {"username": "staff", "password": "pw", "next": next_url})
    assert r.status_code == 302 and r["Location"] == "/studio/"


# ---------------------------------------------------------------- robustness


def test_a_table_dropped_between_pages_is_a_404(viewer, demo):
    first = body(viewer.get(table_url("posts")))
    next_url = _link(first, r'href="([^"]+)" id="next"')
    row_url = _link(first, r'<a href="([^"]+)" class="open"')
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute("DROP TABLE studio_demo.posts CASCADE")
    for url in (next_url, row_url):
        r = viewer.get(url)
        assert r.status_code == 404 and "no such table" in _error_text(r)


@pytest.fixture
def unreachable(monkeypatch, request):
    """The studio pointed at a database that is down (a closed port) or at an alias that does not exist."""
    if request.param == "down":
        connections.settings["studio_down"] = {**connections.settings["default"], "ENGINE": "django.db.backends.postgresql",
                                               "HOST": "127.0.0.1", "PORT": "9", "NAME": "x", "USER": "x"}
    monkeypatch.setitem(conf.STUDIO_OVERRIDES, "database", "studio_down" if request.param == "down" else "no_such_alias")
    yield
    connections.settings.pop("studio_down", None)


@pytest.mark.parametrize("unreachable", ["down", "alias"], indirect=True)
@pytest.mark.parametrize("method, url", [
    ("get", "/studio/"), ("get", "/studio/table/?s=a&t=b"), ("get", "/studio/row/?s=a&t=b&k=1"),
    ("get", "/studio/row/new/?s=a&t=b"), ("get", "/studio/diagram/"), ("get", "/studio/migrations/"),
    ("post", "/studio/sql/"),
])
def test_a_database_that_cannot_be_reached_is_a_503(power, unreachable, method, url):
    r = getattr(power, method)(url, {"sql": "SELECT 1"} if method == "post" else None)
    assert r.status_code == 503 and _error_text(r) and _hardened(r)
    assert "Traceback" not in body(r)


@pytest.fixture
def huge(demo):
    with psycopg.connect(**demo, autocommit=True) as c:
        c.execute("CREATE TABLE studio_demo.huge (id int PRIMARY KEY, t text, a int[], j jsonb)")
        c.execute("INSERT INTO studio_demo.huge SELECT i, repeat('x', 1000000), ARRAY(SELECT generate_series(1, 10000)), "
                  "(SELECT jsonb_agg(k) FROM generate_series(1, 10000) k) FROM generate_series(1, 50) i")
    return demo


def test_enormous_values_render_fast_and_cut(viewer, huge):
    started = time.perf_counter()
    r = viewer.get(table_url("huge"))
    elapsed = time.perf_counter() - started
    assert r.status_code == 200 and "(1,000,000 characters)" in body(r)
    assert len(r.content) < 5_000_000, len(r.content)  # 50 rows of 1 MB text, 10k arrays and 10k JSON lists
    assert "cut at 10,000 of 1,000,000 characters" in body(r) and "more of 10,000 elements" in body(r)
    assert elapsed < 10, elapsed
    row = viewer.get("/studio/row/?s=studio_demo&t=huge&k=1")
    assert row.status_code == 200 and len(row.content) < 200_000


@pytest.mark.parametrize("statement", ["DROP TABLE studio_demo.nokey", "DELETE FROM studio_demo.nokey",
                                       "DO $$ BEGIN EXECUTE 'DROP TABLE studio_demo.nokey'; END $$"])
def test_the_transaction_is_read_only_even_without_the_console_s_check(demo, statement):
    with pytest.raises(session.StudioError, match=r"\[25006\]"), session.read_only() as conn:
        conn.execute(statement)
    assert _nokey_intact(demo)
