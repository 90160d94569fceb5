from __future__ import annotations

from pathlib import Path

import pytest

from schemakit import db as skdb

from .helpers import create_database, drop_database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*/ from the current output")


@pytest.fixture(scope="session")
def admin_params() -> dict:
    """Connection parameters of the test server's maintenance database (starts the server if needed)."""
    params = skdb.connection_params("default")
    return {**params, "dbname": "postgres"}


@pytest.fixture
def fresh_db(admin_params):
    """A new, empty database for one test; dropped afterwards."""
    params = create_database(admin_params)
    yield params
    drop_database(admin_params, params)
