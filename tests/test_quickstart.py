"""The quick start as a newcomer meets it: a fresh clone with nothing beside it, the README's test command.

What a clone without ../shared changes is only what goes through conftest.peer_fixtures(): a test checks
that no other test reads outside the repository, and the default run executes the README's command in a
fresh clone limited to the test files that use peer fixtures (about two minutes). The whole suite in a
fresh clone (as many minutes as the suite) is a long run: `SCHEMAKIT_LONG=1 python -m pytest
tests/test_quickstart.py`, by hand before a release. The inner run sets INNER so that it does not clone
itself again. The command runs in a venv with --system-site-packages: the dependencies are already there,
so pip only fetches the build backend (as for any newcomer, through pip's own configuration).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tokenize

import pytest

from .conftest import ROOT

INNER = "SCHEMAKIT_QUICKSTART_INNER"
COMMAND = 'pip install -e ".[embedded,test]" && python -m pytest'


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", quick_start, re.S)]


def test_readme_and_ci_run_the_same_test_command():
    assert _readme_commands()[1] == COMMAND
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == COMMAND and "export SCHEMAKIT_REQUIRE_PEER_FIXTURES=1" in ci


def _newcomer_env(venv) -> dict[str, str]:
    """This process's environment without anything that points outside the clone."""
    drop = ("SCHEMAKIT_", "DATABASE_URL", "DJANGO_", "PYTHON", "VIRTUAL_ENV", "PYTEST_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update({"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(venv), INNER: "1",
                "PYTEST_ADDOPTS": "-rfEs"})  # list failures, errors and the skip reasons
    return env


def _peer_test_files() -> list[str]:
    """The test files that reach ../shared (through conftest.peer_fixtures)."""
    return sorted(f"tests/{p.name}" for p in (ROOT / "tests").glob("test_*.py") if "peer_fixtures(" in p.read_text())


def test_only_peer_fixtures_reaches_outside_the_repository():
    """conftest.SHARED is the one path outside the clone; every test goes through peer_fixtures() for it."""
    outside = ("SHARED", "../shared", "parent.parent.parent", '"shared"', "'shared'", "peer-fixtures")
    for path in (ROOT / "tests").glob("*.py"):
        if path.name in ("conftest.py", "test_quickstart.py"):
            continue
        with path.open("rb") as f:  # the code, not its comments
            code = " ".join(tok.string for tok in tokenize.tokenize(f.readline) if tok.type != tokenize.COMMENT)
        found = [word for word in outside if word in code]
        assert not found, f"{path.name} reaches outside the repository ({found}): use conftest.peer_fixtures()"
    assert len(_peer_test_files()) >= 2  # the fresh-clone run below really runs the peer cases' files


def _fresh_clone_run(tmp_path, files: list[str]) -> subprocess.CompletedProcess:
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout")
    clone, venv = tmp_path / "clone", tmp_path / "venv"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=300)
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    assert not (tmp_path / "shared").exists()
    env = _newcomer_env(venv)
    command = " ".join([COMMAND, *files])
    return subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=2400)


@pytest.mark.skipif(os.environ.get(INNER) == "1", reason="inside the quick-start run already")
def test_fresh_clone_passes_the_peer_fixture_files(tmp_path):
    _check_fresh_run(_fresh_clone_run(tmp_path, _peer_test_files()), tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("SCHEMAKIT_LONG") != "1", reason="set SCHEMAKIT_LONG=1 to run the whole suite in a fresh clone")
@pytest.mark.skipif(os.environ.get(INNER) == "1", reason="inside the quick-start run already")
def test_fresh_clone_passes_the_readme_test_command(tmp_path):
    _check_fresh_run(_fresh_clone_run(tmp_path, []), tmp_path)


def _check_fresh_run(r: subprocess.CompletedProcess, tmp_path) -> None:
    clone, env = tmp_path / "clone", _newcomer_env(tmp_path / "venv")
    summary_lines = [line for line in r.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    tail = "\n".join(summary_lines) + "\n" + (r.stdout + r.stderr)[-6000:]  # tmp_path rotates away: keep it here
    assert r.returncode == 0, tail
    summary = r.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and not re.search(r"failed|error", summary), tail
    assert "peer fixtures absent" in r.stdout, tail  # the peer cases are skipped, with their reason
    where = subprocess.run(["python", "-c", "import schemakit; print(schemakit.__file__)"], cwd=clone, env=env,
                           capture_output=True, text=True, timeout=60)
    assert where.stdout.startswith(str(clone)), where.stdout + where.stderr
