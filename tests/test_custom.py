"""Custom migrations as a user meets them: db_generate --custom, then db_rollback of an empty down file."""

from __future__ import annotations

from .test_commands import run


def test_custom_pair_from_the_command_line(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text('from schemakit import *  # noqa\nt = Table("t", integer("a"))\n')
    assert run("db_generate", tmp=tmp_path).returncode == 0
    (tmp_path / "userschema.py").write_text('from schemakit import *  # noqa\nt = Table("t", integer("b"))\n')
    r = run("db_generate", "--custom", "--name", "fix", tmp=tmp_path)  # a pending rename, no terminal
    assert r.returncode == 0, r.stderr
    (tmp_path / "userschema.py").write_text("this is not python\n")
    r = run("db_generate", "--custom", "--name", "fix2", tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "migrations").glob("000[12]*.sql")) == [
        "0001_fix.down.sql", "0001_fix.sql", "0002_fix2.down.sql", "0002_fix2.sql"]
    (tmp_path / "userschema.py").write_text('from schemakit import *  # noqa\nt = Table("t", integer("a"))\n')
    assert run("db_migrate", tmp=tmp_path, params=fresh_db).returncode == 0
    r = run("db_rollback", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().endswith("0002_fix2.down.sql has no statement: db_rollback refuses it without --force "
                                     "(write the SQL that undoes 0002_fix2)"), r.stderr
    r = run("db_rollback", "--force", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 0 and "rolled back 0002_fix2" in r.stdout, r.stderr
    r = run("db_check", tmp=tmp_path)
    assert r.returncode == 1 and "0001_fix.down.sql has no statement" in r.stdout
