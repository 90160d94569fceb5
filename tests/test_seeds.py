"""Property tests draw new examples each run and print the seed that reproduces a failure (tests/seeds.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .conftest import ROOT

FAILING = """
from hypothesis import Phase, given, settings, strategies as st

@settings(database=None, phases=[Phase.generate])
@given(st.integers(0, 10**9))
def test_always_fails(x):
    assert x < 0
"""


def _run(tmp_path, *args: str) -> tuple[str, str]:
    """Run a failing property test under the seed plugin; return its seed and its falsifying example."""
    (tmp_path / "test_prop.py").write_text(FAILING)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.seeds", "-p", "no:django", "-p", "no:cacheprovider",
                        "test_prop.py", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    seed = re.search(r"repeat this run's with --hypothesis-seed=(\d+)", r.stdout)
    assert seed, r.stdout
    assert f"reproduce with: python -m pytest --hypothesis-seed={seed[1]} test_prop.py::test_always_fails" in r.stdout
    return seed[1], re.search(r"Falsifying example: test_always_fails\(.*?\)", r.stdout, re.S)[0]


def test_each_run_draws_a_new_seed_and_the_printed_seed_repeats_it(tmp_path):
    first_seed, first_example = _run(tmp_path)
    second_seed, _ = _run(tmp_path)
    assert first_seed != second_seed
    again_seed, again_example = _run(tmp_path, f"--hypothesis-seed={first_seed}")
    assert (again_seed, again_example) == (first_seed, first_example)
