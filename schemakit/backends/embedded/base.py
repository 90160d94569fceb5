"""Django's PostgreSQL backend, plus: start the embedded server when Django first connects.

Settings stay static and commands that never connect never start a server. The data directory
is the database setting "PGDATA"; "EMBEDDED_CLEANUP" may be "delete" for throwaway test servers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base

from ... import embedded
from .client import DatabaseClient


class DatabaseWrapper(base.DatabaseWrapper):
    client_class = DatabaseClient

    def get_connection_params(self) -> dict[str, Any]:
        pgdata = self.settings_dict.get("PGDATA")
        if not pgdata:
            raise ImproperlyConfigured("the embedded backend needs a PGDATA setting (a folder for its data)")
        server_params = embedded.connection_params(pgdata, cleanup=self.settings_dict.get("EMBEDDED_CLEANUP"))
        params = super().get_connection_params()
        params.pop("port", None)
        params.update(host=server_params["host"], user=server_params["user"])
        if server_params.get("port"):
            params["port"] = server_params["port"]
        return params
