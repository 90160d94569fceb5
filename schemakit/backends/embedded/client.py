"""dbshell for the embedded backend: psql on the server's socket (the package's own psql if none is on PATH)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

from django.db.backends.postgresql import client


def psql_path() -> str:
    found = shutil.which("psql")
    if found:
        return found
    from ... import embedded

    return str(Path(embedded._package().__file__).parent / "pginstall" / "bin" / "psql")


class DatabaseClient(client.DatabaseClient):
    def runshell(self, parameters):
        params = self.connection.get_connection_params()  # starts the server if it is not running
        settings = {**self.connection.settings_dict, "HOST": params["host"], "PORT": params.get("port", ""),
                    "USER": params.get("user", "")}
        args, env = self.settings_to_cmd_args_env(settings, parameters)
        args[0] = psql_path()
        handler = signal.getsignal(signal.SIGINT)
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # psql handles Ctrl-C itself, as in Django's client
            subprocess.run(args, env={**os.environ, **env} if env else None, check=True)
        finally:
            signal.signal(signal.SIGINT, handler)
