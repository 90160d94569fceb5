"""db_models: generated Django models import, pass `manage.py check`, and the ORM reads and writes every table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import OWN_FIXTURES, ROOT, peer_fixtures
from .helpers import HEADER, run_sql, uri

SETTINGS = """\
from project.settings import *  # noqa: F403
INSTALLED_APPS = [*INSTALLED_APPS, "skmodels"]  # noqa: F405
SCHEMAKIT = {{**SCHEMAKIT, "SCHEMA": {schema!r}, "MODELS_FILE": {models!r}}}  # noqa: F405
"""

SHOP = """
status = Enum("order status", ["new", "paid", "shipped", "it's done"])
category = Table(
    "category",
    integer("id").identity().primary_key(),
    text("name").not_null().unique(),
    integer("parent_id").references(("public", "category", "id"), on_delete="set null"),
    comment="Product categories,\\nnested.",
)
customer = Table(
    "customer",
    bigint("id").identity(always=False).primary_key(),
    varchar("email", 200).not_null(),
    char("country", 2).not_null().default("NL"),
    inet("last_ip"),
    json("prefs").default(sql("'{}'::json")),
    date("born"),
    interval("trial"),
    time("opens", tz=True),
    bytea("avatar"),
    numeric("balance").not_null().default(0),
    bigserial("ticket_no"),
    Unique("email", "country"),
)
order = Table(
    "order",
    uuid("id").primary_key().default(sql("gen_random_uuid()")),
    bigint("customer").not_null().references(customer.c.id, on_delete="restrict"),
    bigint("referrer_id").references(customer.c.id),
    status("status").not_null().default("new"),
    status("history").array().not_null().default(sql("'{}'")),
    integer("qty").not_null().check(sql("qty > 0")),
    numeric("unit_price", 12, 2).not_null(),
    numeric("total", 14, 2).generated(sql("qty * unit_price")),
    text("pk").comment("a column named pk; and 'quotes' \\"too\\""),
    text("class"),
    schema="sales",
)
line = Table(
    "order line",
    uuid("order_id").not_null().references(order.c.id, on_delete="cascade"),
    smallint("n").not_null(),
    integer("category_id").references(category.c.id),
    text("CamelCase"),
    text('we"ird'),
    text("naïve"),
    PrimaryKey("order_id", "n"),
    schema="sales",
)
audit = Table(
    "audit_log",
    text("event").not_null(),
    timestamp("at", tz=True).not_null().default(sql("now()")),
    text("code").not_null().references(("public", "category", "name")),
    Unique("event", "at"),
)
"""


def run(*args: str, tmp: Path, params: dict, module: str = "manage") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMAKIT_TEST_PGDATA",)}
    env.update({"DJANGO_SETTINGS_MODULE": "sk_settings", "PYTHONPATH": f"{ROOT}:{tmp}", "DATABASE_URL": uri(params),
                "SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations")})
    cmd = [sys.executable, str(ROOT / "manage.py"), *args] if module == "manage" else [sys.executable, module, *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=tmp)


def adopt(tmp: Path, params: dict, schema_body: str) -> Path:
    """A project whose app `skmodels` holds the generated models; the database has Django's tables and the schema."""
    schema = tmp / "skschema.py"
    schema.write_text(HEADER + textwrap.dedent(schema_body))
    models = tmp / "skmodels" / "models.py"
    models.parent.mkdir()
    (models.parent / "__init__.py").write_text("")
    (tmp / "sk_settings.py").write_text(SETTINGS.format(schema=str(schema), models=str(models)))
    for args in (("db_models",), ("check",), ("migrate", "-v", "0")):
        r = run(*args, tmp=tmp, params=params)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
    return models


def orm_rows(tmp: Path, params: dict) -> dict:
    r = run("skmodels", tmp=tmp, params=params, module=str(ROOT / "tests" / "orm_rows.py"))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_example_schema_models_read_and_write(tmp_path, fresh_db):
    models = adopt(tmp_path, fresh_db, (ROOT / "project" / "schema.py").read_text())
    text = models.read_text()
    assert 'pk = models.CompositePrimaryKey("post_id", "tag")' in text
    assert "db_table = '\"blog\".\"post_tags\"'" in text
    assert 'author = models.ForeignKey("Users", on_delete=models.CASCADE)' in text
    assert 'SAD = "sad", "sad"' in text and "choices=Mood.choices" in text
    assert run("db_push", "--force", tmp=tmp_path, params=fresh_db).returncode == 0
    report = orm_rows(tmp_path, fresh_db)
    assert {k: v["inserted"] for k, v in report.items()} == {"BlogPostTags": 1, "Posts": 1, "Users": 1}
    script = """
from skmodels.models import Mood, Posts, Users, BlogPostTags
u = Users.objects.create(email="a@b.c")
u.refresh_from_db()
assert u.mood == Mood.OK and u.created_at is not None, (u.mood, u.created_at)
p = Posts.objects.create(author=u, title="t", tags=["a", "b"], meta={"k": [1]})
assert isinstance(p.id, __import__("uuid").UUID) and p.published is False
BlogPostTags.objects.create(post=p, tag="x")
got = BlogPostTags.objects.select_related("post__author").get(pk=(p.id, "x"))
assert got.post.author.email == "a@b.c" and got.post.tags == ["a", "b"] and got.post.meta == {"k": [1]}
print(Users.objects.filter(posts__blogposttags__tag="x").count())
"""
    r = run("shell", "-c", script, tmp=tmp_path, params=fresh_db)
    assert (r.returncode, r.stdout.strip().splitlines()[-1]) == (0, "1"), r.stderr
    # django-extensions sees them: shell_plus imports them, graph_models draws the schema
    r = run("shell_plus", "--command", "print(Posts.objects.count(), BlogPostTags.objects.count())", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 0 and r.stdout.strip().splitlines()[-1] == "1 1", r.stdout + r.stderr
    r = run("graph_models", "skmodels", "--dot", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 0 and "BlogPostTags" in r.stdout and "Users" in r.stdout, r.stderr


def test_own_schema_every_type_and_name(tmp_path, fresh_db):
    models = adopt(tmp_path, fresh_db, SHOP)
    text = models.read_text()
    assert "class OrderStatus(models.TextChoices):" in text and 'IT_S_DONE = "it\'s done", "it\'s done"' in text
    assert "db_table = '\"sales\".\"order line\"'" in text and "db_column='\"we\"\"ird\"'" in text
    assert "models.GeneratedField(" in text and "skfields.NumericField(" in text and "skfields.JSONTextField(" in text
    assert run("db_push", "--force", tmp=tmp_path, params=fresh_db).returncode == 0
    report = orm_rows(tmp_path, fresh_db)
    assert sorted(report) == ["AuditLog", "Category", "Customer", "SalesOrder", "SalesOrderLine"]
    assert all(v["inserted"] == 1 for v in report.values()), report


def test_check_and_generate_reminder(tmp_path, fresh_db):
    adopt(tmp_path, fresh_db, "t = Table('t', serial('id').primary_key())\n")
    assert run("db_models", "--check", tmp=tmp_path, params=fresh_db).returncode == 0
    (tmp_path / "skschema.py").write_text(HEADER + "t = Table('t', serial('id').primary_key(), text('x'))\n")
    r = run("db_models", "--check", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "out of date" in r.stderr
    r = run("db_generate", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 0 and "models.py is out of date: run manage.py db_models" in r.stderr
    assert run("db_models", tmp=tmp_path, params=fresh_db).returncode == 0
    assert run("db_models", "--check", tmp=tmp_path, params=fresh_db).returncode == 0


@pytest.mark.parametrize("source, case", [("own", "shop"), ("own", "blog"), ("peer", "pagila"), ("peer", "chinook"),
                                          ("peer", "guacamole")])
def test_real_schema_models(tmp_path, fresh_db, source, case):
    """Load a real schema with its rows, pull it, generate models: the ORM reads every table and saves a row back."""
    folder = OWN_FIXTURES if source == "own" else peer_fixtures()  # peer: skipped with a reason when absent
    run_sql(fresh_db, (folder / "real" / case / "a.sql").read_text())
    from schemakit.api import Project
    from schemakit.api.pull import pull

    body = pull(Project([], tmp_path / "migrations", params=lambda: fresh_db))
    adopt(tmp_path, fresh_db, body)
    report = orm_rows(tmp_path, fresh_db)
    assert report and all(v.get("saved") == 1 and v["read"] > 0 for v in report.values()), report
