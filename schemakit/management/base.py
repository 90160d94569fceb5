"""What every db_* command shares: --database, one-line errors, colour only on a terminal."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from ..api import Project
from ..diff.renames import Resolver, parse_rename_flags
from ..errors import SchemaKitError
from ..locks import signal_name
from ..settings_project import project
from .questions import terminal_questioner


def add_rename_arguments(parser) -> None:
    parser.add_argument("--rename", action="append", metavar="OLD=NEW", help="settle a rename (repeatable)")
    parser.add_argument("--no-renames", action="store_true", help="treat every rename candidate as drop + create")


class SchemaKitCommand(BaseCommand):
    requires_system_checks: list[str] = []  # a broken schema is reported by the command, in one line

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default=None, help="Django database alias (default: SCHEMAKIT['DATABASE'])")

    def execute(self, *args, **options):
        if not sys.stdout.isatty():
            options["no_color"] = True
        try:
            return super().execute(*args, **options)
        except SchemaKitError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM where a command turned it into one
            name = signal_name(exc)
            raise CommandError(f"interrupted by {name}; the running statement was cancelled",
                               returncode=143 if name == "SIGTERM" else 130) from None

    def project(self, options) -> Project:
        return project(options.get("database"))

    def resolver(self, options, ask: bool = True) -> Resolver:
        """Settle renames from --rename/--no-renames, then by asking on a terminal (if `ask`)."""
        questioner = terminal_questioner(self.stdout) if ask and sys.stdin.isatty() else None
        return Resolver(parse_rename_flags(options["rename"]), options["no_renames"], questioner)

    def ok(self, text: str) -> None:
        self.stdout.write(self.style.SUCCESS(text))

    def warn(self, text: str) -> None:
        self.stdout.write(self.style.WARNING(text))
