"""Property: any sequence definition migrates to any other and back, used or not, and equals a fresh build.

Both ways a change reaches a database: generate + migrate (then roll back), and db_push. A sequence
that has handed out values keeps its position whenever the new bounds hold it (no restart).
Default run: a few examples. SCHEMAKIT_LONG=1 (or -m slow) runs the long one.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from schemakit.api import Project, generate, migrate, rollback
from schemakit.api.push import apply_push, plan_push
from schemakit.diff import ops
from schemakit.diff.renames import Resolver
from schemakit.pg.render import render_all
from schemakit.schema import model

from .helpers import create_database, drop_database, live, run_sql

LONG = os.environ.get("SCHEMAKIT_LONG") == "1"


@st.composite
def definitions(draw) -> dict:
    """Keyword arguments of a valid Sequence("s", ...): all six options and the type."""
    kw = {
        "type": draw(st.sampled_from(["smallint", "integer", "bigint"])),
        "increment": draw(st.sampled_from([None, 3, -1, -7])),
        "min_value": draw(st.sampled_from([None, -500, 0, 10, 1000])),
        "max_value": draw(st.sampled_from([None, -10, 500, 20000])),
        "cache": draw(st.sampled_from([None, 5])),
        "cycle": draw(st.booleans()),
    }
    lo, hi = model.sequence_bounds(model.Sequence("public", "s", **kw))
    assume(lo < hi)
    kw["start"] = draw(st.sampled_from([None, lo, hi, (lo + hi) // 2]))
    return kw


def _module(kw: dict) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    return f"from schemakit import Sequence\ns = Sequence('s', {args})\n"


def _fresh(params, seq: model.Sequence) -> model.Sequence:
    """`seq` built from nothing in a schema of its own, read back."""
    run_sql(params, "CREATE SCHEMA fresh;" + render_all([ops.CreateSequence(dataclasses.replace(seq, schema="fresh"))])[0])
    try:
        built = next(s for s in live(params).sequences if s.schema == "fresh")
    finally:
        run_sql(params, "DROP SCHEMA fresh CASCADE")
    return dataclasses.replace(built, schema="public")


def _position(params) -> tuple[int, bool]:
    with psycopg.connect(**params) as c:
        return c.execute("SELECT last_value, is_called FROM s").fetchone()


def _arrive(params, p: Project, before: tuple[int, bool]) -> None:
    """The live sequence equals a fresh build of the schema, and kept its position where it could."""
    want = p.load_schema().sequences[0]
    got = next(s for s in live(params).sequences if s.key == ("public", "s"))
    fresh = _fresh(params, want)
    assert got == fresh, (got, fresh)
    lo, hi = model.sequence_bounds(want)
    last, called = before
    if called and lo <= last <= hi:
        assert _position(params) == before  # never restarted
    elif not called:
        assert _position(params) == (model.sequence_start(want), False)  # unused: at the new start
    else:
        assert _position(params) == (min(max(last, lo), hi), False)  # moved just inside the new bounds


def _check(admin, a: dict, b: dict, used: int) -> None:
    params = create_database(admin)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "schema.py"
            p = Project([str(path)], Path(folder) / "migrations", params=lambda: params)
            path.write_text(_module(a))
            generate(p, Resolver(no_renames=True))
            migrate(p)
            with psycopg.connect(**params, autocommit=True) as c:
                for _ in range(used):
                    try:
                        c.execute("SELECT nextval('s')")
                    except psycopg.errors.SequenceGeneratorLimitExceeded:
                        break  # started at its last value, without CYCLE
            before = _position(params)
            path.write_text(_module(b))
            changed = generate(p, Resolver(no_renames=True)) is not None  # generate + migrate there
            migrate(p)
            _arrive(params, p, before)
            before = _position(params)
            path.write_text(_module(a))
            if changed:
                rollback(p)  # and back down
            _arrive(params, p, before)
            for target in (b, a):  # push there and back
                before = _position(params)
                path.write_text(_module(target))
                apply_push(p, plan_push(p, Resolver(no_renames=True)))
                _arrive(params, p, before)
    finally:
        drop_database(admin, params)


@pytest.mark.skipif(LONG, reason="the long run below replaces it")
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=[Phase.explicit, Phase.generate])
@given(a=definitions(), b=definitions(), used=st.integers(0, 3))
def test_sequence_changes_converge(admin_params, a, b, used):
    _check(admin_params, a, b, used)


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="set SCHEMAKIT_LONG=1 for the long property run")
@settings(max_examples=int(os.environ.get("SCHEMAKIT_EXAMPLES", "100")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(a=definitions(), b=definitions(), used=st.integers(0, 3))
def test_sequence_changes_converge_long(admin_params, a, b, used):
    _check(admin_params, a, b, used)
