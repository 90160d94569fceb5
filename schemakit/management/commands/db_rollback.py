from __future__ import annotations

from ...api import Step, rollback
from ...locks import sigterm_interrupts
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Run the down files of the newest applied migrations and unrecord them."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--steps", type=int, default=None, help="how many migrations to undo (default 1)")
        parser.add_argument("--to", metavar="NAME", help="undo every migration applied after NAME (NAME stays)")
        parser.add_argument("--force", action="store_true", help="unrecord a migration whose down file has no statement")

    def handle(self, *args, **options) -> None:
        def progress(step: Step) -> None:
            self.stdout.write(f"  rolled back {step.name} ({step.ms} ms)")

        with sigterm_interrupts():
            done = rollback(self.project(options), options["steps"], options["to"], progress, options["force"],
                            notify=self.stdout.write)
        self.ok(f"{len(done)} migration(s) rolled back.") if done else self.stdout.write("Nothing to roll back.")
