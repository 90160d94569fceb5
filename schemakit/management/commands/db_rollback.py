from __future__ import annotations

import sys

from ...api.fanout import fleet, targets_of
from ...api.migrate import plan_rollback, rollback
from ...api.states import Step
from ...errors import DataLossRefused
from ...interrupts import sigterm_interrupts
from .. import targets
from ..base import SchemaKitCommand, add_noinput_argument


class Command(SchemaKitCommand):
    help = "Run the down files of the newest applied migrations and unrecord them."
    many_targets = True

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--steps", type=int, default=None, help="how many migrations to undo (default 1)")
        parser.add_argument("--to", metavar="NAME", help="undo every migration applied after NAME (NAME stays)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--plan", action="store_true", help="print the down SQL that would run; change nothing")
        mode.add_argument("--force", action="store_true",
                          help="drop tables and columns holding data without asking; unrecord a migration whose "
                               "down file has no statement")
        add_noinput_argument(parser)

    def handle(self, *args, **options) -> None:
        if targets.is_fanout(options):
            return self.fanout(options)
        project = self.project(options)
        planned = plan_rollback(project, options["steps"], options["to"])
        if not planned:
            self.stdout.write("Nothing to roll back.")
            return
        losing = []
        for step, drops in planned:
            self.stdout.write(f"  roll back {step.name}")
            for d in drops:
                self.stdout.write(f"    {d}")
            losing += [d for d in drops if "with data" in d and "(0 rows" not in d]
            if options["plan"] or options["verbosity"] >= 2:
                self.stdout.write(self.style.MIGRATE_HEADING(f"-- {step.name}.down.sql"))
                self.stdout.write(step.sql)
        if options["plan"]:
            return
        for d in losing:
            self.warn(f"data loss: {d}")
        if losing and not options["force"]:
            self._confirm(options)

        def progress(step: Step) -> None:
            self.stdout.write(f"  rolled back {step.name} ({step.ms} ms)")

        with sigterm_interrupts():
            done = rollback(project, options["steps"], options["to"], progress, options["force"], notify=self.stdout.write)
        self.ok(f"{len(done)} migration(s) rolled back.")

    def fanout(self, options) -> None:
        """Several databases or tenants, one at a time: tenants first, the shared passes last."""
        if not options["force"]:
            raise DataLossRefused("rolling back several targets needs --force (each may drop data; "
                                  "db_rollback --plan --database ALIAS shows one)")
        with sigterm_interrupts(), fleet(targets.projects(options)) as f:
            chosen = targets_of(f, options["tenants"], options["tenant"] or [])
            for t in sorted(chosen, key=lambda t: t.schema == ""):
                done = rollback(f.project(t), options["steps"], options["to"], None, True, notify=self.stdout.write)
                self.stdout.write(f"  {t}: rolled back {len(done)}" + (f" ({', '.join(s.name for s in done)})" if done else ""))
        self.ok(f"{len(chosen)} target(s) rolled back.")

    def _confirm(self, options) -> None:
        if not (options["interactive"] and sys.stdin.isatty()):
            raise DataLossRefused("refusing to roll back without a terminal: it drops data (use --force)")
        self.stdout.write("Roll back and lose this data? [y/N] ", ending="")
        self.stdout.flush()
        if input().strip().lower() not in ("y", "yes"):
            raise DataLossRefused("rollback cancelled; nothing changed")
