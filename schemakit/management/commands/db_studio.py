from __future__ import annotations

import ipaddress
import os
import sys
import webbrowser

from django.conf import settings
from django.core.management.base import CommandError

from ... import conf
from ...conf import check_alias
from ..base import SchemaKitCommand


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Command(SchemaKitCommand):
    help = "Serve the studio: browse, query and (with --write) edit the database in the browser."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback only)")
        parser.add_argument("--port", type=int, default=4983, help="port (default 4983)")
        parser.add_argument("--write", action="store_true", help="allow editing rows (people also need the permission)")
        parser.add_argument("--no-browser", action="store_true", help="do not open a browser")

    def handle(self, *args, **options) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.servers.basehttp import run

        alias = options["database"] or conf.database()
        check_alias(alias)
        needed = {"django.contrib.auth", "django.contrib.sessions", "django.contrib.contenttypes"}
        missing = needed - set(settings.INSTALLED_APPS)
        if missing:
            raise CommandError(f"the studio needs {', '.join(sorted(missing))} in INSTALLED_APPS")
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a port number", returncode=2)
        host = options["host"]
        conf.STUDIO_OVERRIDES.update(write=options["write"], database=alias)
        settings.ROOT_URLCONF = "schemakit.studio.standalone_urls"
        settings.CSRF_FAILURE_VIEW = "schemakit.studio.access.csrf_failure"
        if "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host, "localhost", "127.0.0.1"]
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{options['port']}/"
        self.stdout.write(f"schemakit studio on {url}  (database {alias}, {'editing ON' if options['write'] else 'read-only'})")
        self.stdout.write("Log in with a staff account (python manage.py createsuperuser). Ctrl-C stops it.")
        if not _loopback(host):
            self.stderr.write(self.style.WARNING(f"warning: {host} is not loopback; anyone who can reach it sees the login page"))
        if not options["no_browser"] and sys.stdout.isatty() and (os.environ.get("DISPLAY") or sys.platform == "darwin"):
            webbrowser.open(url)
        try:
            run(host, options["port"], WSGIHandler(), ipv6=":" in host, threading=True)
        except OSError as exc:
            raise CommandError(f"cannot serve on {url}: {exc.strerror or exc}") from None
        except KeyboardInterrupt:
            self.stdout.write("stopped")
