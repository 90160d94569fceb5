from __future__ import annotations

from pathlib import Path

from ...live import pull_report
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Introspect the database and write a schema module that reproduces it."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args, **options) -> None:
        text, left_out = pull_report(self.project(options))
        if options["out"]:
            Path(options["out"]).write_text(text)
            self.ok(f"wrote {options['out']}")
        else:
            self.stdout.write(text, ending="")
        if left_out:  # on standard error when the module goes to standard output
            out = self.stdout if options["out"] else self.stderr
            out.write(f"Unmanaged (left alone, listed at the top of the module): {len(left_out)}")
            for line in left_out:
                out.write(f"  {line}")
