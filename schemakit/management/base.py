"""What every db_* command shares: --database, one-line errors, colour only on a terminal."""

from __future__ import annotations

import gc
import io
import sys
from typing import TYPE_CHECKING

import psycopg
from django.core.management.base import BaseCommand, CommandError

from .. import conf
from ..api.project import Project, project_for
from ..errors import SchemaKitError, pg_error_line
from ..interrupts import signal_name
from .questions import terminal_questioner

if TYPE_CHECKING:
    from ..diff.renames import Resolver


def add_noinput_argument(parser) -> None:
    parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                        help="never ask; do what a run without a terminal does")


def add_rename_arguments(parser) -> None:
    parser.add_argument("--rename", action="append", metavar="OLD=NEW", help="settle a rename (repeatable)")
    parser.add_argument("--no-renames", action="store_true", help="treat every rename candidate as drop + create")
    add_noinput_argument(parser)


class SchemaKitCommand(BaseCommand):
    requires_system_checks: list[str] = []  # a broken schema is reported by the command, in one line
    quiet_at_verbosity_0 = True  # -v 0 silences what goes to standard output (not data the command prints)
    many_targets = False  # --database repeatable, --all-databases, --tenants, --tenant (see targets.py)

    def add_arguments(self, parser) -> None:
        if self.many_targets:
            from .targets import add_target_arguments

            add_target_arguments(parser)
            return
        parser.add_argument("--database", default=None, help="Django database alias (default: SCHEMAKIT['DATABASE'])")

    def run_from_argv(self, argv):
        # from a command line (not call_command): Django's start-up objects are never scanned again by
        # the cycle collector, and a larger first generation cuts its passes over a big schema's objects
        gc.freeze()
        gc.set_threshold(100_000, 50, 100)
        return super().run_from_argv(argv)

    def execute(self, *args, **options):
        if not sys.stdout.isatty() and not options.get("force_color"):
            options["no_color"] = True
        if options.get("verbosity") == 0 and self.quiet_at_verbosity_0 and not options.get("stdout"):
            options["stdout"] = io.StringIO()
        if options.get("traceback") or options.get("verbosity", 1) >= 2:
            return super().execute(*args, **options)  # Django's convention: the full traceback, for bug reports
        try:
            return super().execute(*args, **options)
        except SchemaKitError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from None
        except psycopg.Error as exc:  # database down, killed connection, timeouts, privileges, disk full
            raise CommandError(f"database error: {pg_error_line(exc)}", returncode=1) from None
        except OSError as exc:
            raise CommandError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), returncode=1) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM where a command turned it into one
            name = signal_name(exc)
            raise CommandError(f"interrupted by {name}; the running statement was cancelled",
                               returncode=143 if name == "SIGTERM" else 130) from None

    def project(self, options) -> Project:
        alias = options.get("database")
        if isinstance(alias, list):  # a command with many_targets, given one --database
            alias = alias[0]
        if alias:
            conf.check_alias(alias)
        return project_for(alias)

    def resolver(self, options, ask: bool = True) -> Resolver:
        """Settle renames from --rename/--no-renames, then by asking on a terminal (if `ask`)."""
        ask = ask and options.get("interactive", True) and sys.stdin.isatty()
        from ..diff.renames import Resolver, parse_rename_flags  # only commands that diff load the differ

        questioner = terminal_questioner(self.stdout) if ask else None
        return Resolver(parse_rename_flags(options["rename"]), options["no_renames"], questioner)

    def ok(self, text: str) -> None:
        self.stdout.write(self.style.SUCCESS(text))

    def warn(self, text: str) -> None:
        self.stderr.write(text, style_func=self.style.WARNING)
