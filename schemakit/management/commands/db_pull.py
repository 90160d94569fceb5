from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from ...api.pull import pull_report
from ..base import SchemaKitCommand
from ..formatting import ruff_format


class Command(SchemaKitCommand):
    help = "Introspect the database and write a schema module that reproduces it."
    quiet_at_verbosity_0 = False  # the module on standard output is the result, not chatter

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
        parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"]) if options["out"] else None
        if out is not None and out.exists() and not options["force"]:
            raise CommandError(f"{out} exists; use --force to overwrite it", returncode=1)
        pulled, left_out = pull_report(self.project(options))
        text = ruff_format(pulled, out, parts=4)  # a module of assignments: cut and formatted on every core
        if out is not None:
            out.write_text(text)
            self.ok(f"wrote {out}")
        else:
            self.stdout.write(text, ending="")
        if left_out:  # on standard error when the module goes to standard output
            out = self.stdout if options["out"] else self.stderr
            out.write(f"Unmanaged (left alone, listed at the top of the module): {len(left_out)}")
            for line in left_out:
                out.write(f"  {line}")
