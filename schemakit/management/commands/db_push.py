from __future__ import annotations

import sys

from ...api.push import apply_push, plan_push
from ...errors import DataLossRefused
from ...interrupts import sigterm_interrupts
from ...pg.sqltext import terminate
from ..base import SchemaKitCommand, add_rename_arguments


class Command(SchemaKitCommand):
    help = "Apply the schema module to the live database directly, without migration files (development)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--force", action="store_true", help="apply data-losing statements without asking")
        parser.add_argument("--strict", action="store_true", help="ask before any change")
        parser.add_argument("--verbose", action="store_true", help="print every statement (same as -v 2)")
        parser.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
        add_rename_arguments(parser)

    def handle(self, *args, **options) -> None:
        tty = sys.stdin.isatty()
        project = self.project(options)
        pushed = plan_push(project, self.resolver(options))
        if not pushed.plan:
            self.stdout.write("No changes")
            return
        self.stdout.write("Plan:")
        for op in pushed.plan.ops:
            self.stdout.write(f"  {op.describe()}")
        if options["verbose"] or options["verbosity"] >= 2 or options["dry_run"]:
            for s in pushed.before:
                self.stdout.write(f"{terminate(s)}  -- before the transaction (a new enum value the plan uses)")
            for s in pushed.transactional:
                self.stdout.write(terminate(s))
            for s in pushed.after:
                self.stdout.write(f"{terminate(s)}  -- after the transaction commits")
        if pushed.doomed:
            raise DataLossRefused("refusing to push; these statements would fail on the data: " + "; ".join(pushed.doomed))
        for loss in pushed.losses:
            self.warn(f"data loss: {loss.describe()}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing changed.")
            return
        self._confirm(pushed, options, tty)
        self._apply(project, pushed)

    def _confirm(self, pushed, options, tty: bool) -> None:
        needs = options["strict"] or (pushed.losses and not options["force"])
        if not needs:
            return
        why = "--strict asks before any change" if options["strict"] else "the plan loses data"
        if not (tty and options["interactive"]):
            raise DataLossRefused(f"refusing to push without a terminal: {why} (use --force to apply data-losing statements)")
        self.stdout.write(f"Apply these changes? ({why}) [y/N] ", ending="")
        self.stdout.flush()
        if input().strip().lower() not in ("y", "yes"):
            raise DataLossRefused("push cancelled; nothing changed")

    def _apply(self, project, pushed) -> None:
        with sigterm_interrupts():
            apply_push(project, pushed, notify=self.stdout.write)
        if pushed.after:
            self.stdout.write(f"{len(pushed.after)} statement(s) ran after the transaction (they cannot run inside one).")
        self.ok(f"Pushed {len(pushed.plan.ops)} change(s).")
