from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from schemakit import conf as skdb

from .helpers import create_database, drop_database
from .seeds import pytest_configure, pytest_report_header, pytest_runtest_makereport  # noqa: F401  (hooks)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SCHEMAKIT_SHARED") or ROOT.parent / "shared")
OWN_FIXTURES = ROOT / "tests" / "fixtures"
REQUIRE_PEER = "SCHEMAKIT_REQUIRE_PEER_FIXTURES"

# A shell's background job starts with SIGINT ignored, and commands started from it inherit that: the
# tests that press Ctrl-C on a command (SIGINT to a subprocess) need it delivered, as on a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def peer_fixtures() -> Path:
    """The external conformance fixtures: skip when absent, fail instead when REQUIRE_PEER is 1 (CI)."""
    folder = SHARED / "peer-fixtures"
    if folder.is_dir():
        return folder
    reason = f"peer fixtures absent: no {folder} (set SCHEMAKIT_SHARED to their parent folder)"
    if os.environ.get(REQUIRE_PEER) == "1":
        pytest.fail(f"{reason}; {REQUIRE_PEER}=1 requires them", pytrace=False)
    pytest.skip(reason)


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
