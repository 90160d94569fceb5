"""The embedded server: started lazily by the first command that connects, shared when two start at once."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from schemakit import embedded

from .conftest import ROOT

SCHEMA = 'from schemakit import *\nt = Table("t", serial("id").primary_key())\n'


def _manage(tmp, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMAKIT_TEST_PGDATA")}
    env.update({"SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations"), "SCHEMAKIT_SCHEMA": "userschema",
                "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": f"{ROOT}:{tmp}",
                "SCHEMAKIT_PGDATA": str(tmp / "pgdata")})
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True,
                          timeout=180, cwd=tmp)


def test_two_commands_start_one_server_and_it_is_reused(tmp_path):
    (tmp_path / "userschema.py").write_text(SCHEMA)
    assert _manage(tmp_path, "db_generate").returncode == 0
    assert not (tmp_path / "pgdata").exists()
    try:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda _: _manage(tmp_path, "db_migrate"), range(2)))
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        assert sorted(r.stdout.count("applied 0000") for r in results) == [0, 1]
        assert (tmp_path / "pgdata" / "postmaster.pid").exists()  # left running for the next command
        r = _manage(tmp_path, "db_status")
        assert r.returncode == 0 and "[applied]" in r.stdout
    finally:
        embedded.stop(tmp_path / "pgdata")
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()
