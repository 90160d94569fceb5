from __future__ import annotations

import dataclasses

from django.core.management.base import CommandError

from ... import conf
from ...api.fanout import Outcome, Rollout, fleet, migrate_all, targets_of
from ...api.migrate import baseline, migrate, plan_migrate
from ...api.states import Step
from ...interrupts import sigterm_interrupts
from .. import targets
from ..base import SchemaKitCommand


class Command(SchemaKitCommand):
    help = "Apply pending SQL migrations in order, each in its own transaction, under an advisory lock."
    many_targets = True

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--to", metavar="NAME", help="stop after this migration (stem or number)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--plan", action="store_true", help="print the SQL that would run and the lock each statement takes; change nothing")
        mode.add_argument("--fake", action="store_true", help="record pending migrations without running them")
        mode.add_argument("--baseline", metavar="NAME", help="record migrations up to NAME as applied (adoption)")
        parser.add_argument("--lock-timeout", metavar="TIME", help="how long a statement may wait for a lock, e.g. 5s "
                            "(default SCHEMAKIT['LOCK_TIMEOUT']; 0 waits forever)")
        parser.add_argument("--statement-timeout", metavar="TIME", help="how long a statement may run, e.g. 10min "
                            "(default SCHEMAKIT['STATEMENT_TIMEOUT'])")
        parser.add_argument("--guard", action="store_true", help="compare the live schema with the snapshots before "
                            "the first file and after the last, and fail if the role cannot (default: on, "
                            "skipped with a line for such a role; SCHEMAKIT['SCHEMA_GUARD'])")
        parser.add_argument("--allow-drift", action="store_true", help="skip the schema guard")
        parser.add_argument("--retries", type=int, metavar="N", help="retries after a lock timeout (default SCHEMAKIT['RETRIES'])")
        parser.add_argument("--jobs", type=int, default=1, metavar="N", help="targets migrated at once (several databases or tenants)")
        parser.add_argument("--canary", type=int, default=0, metavar="K", help="migrate the first K targets first; stop if one fails")
        parser.add_argument("--continue-on-error", action="store_true", help="go on after a target fails (not after a canary)")
        parser.add_argument("--only-failed", action="store_true", help="only the tenants whose last run failed")

    def handle(self, *args, **options) -> None:
        overrides = {k: options[k] for k in ("lock_timeout", "statement_timeout", "retries") if options[k] is not None}
        if targets.is_fanout(options):
            return self.fanout(options, overrides)
        project = self.project(options)
        project.limits = dataclasses.replace(project.limits, **overrides)
        if options["baseline"]:
            names = baseline(project, options["baseline"])
            for n in names:
                self.stdout.write(f"  baselined {n}")
            self.ok(f"Recorded {len(names)} migration(s) as applied without running them.")
            return
        if options["plan"]:
            steps = plan_migrate(project, options["to"])
            if not steps:
                self.stdout.write("No pending migrations.")
            for s in steps:
                self.stdout.write(self.style.MIGRATE_HEADING(f"-- {s.name}.sql"))
                for n, (sql, notes) in enumerate(s.notes, 1):
                    self.stdout.write(f"-- statement {n}: " + ("; ".join(notes) if notes else "takes no table lock"))
                    self.stdout.write(sql)
            return
        verb = "faked" if options["fake"] else "applied"

        def progress(step: Step) -> None:
            self.stdout.write(f"  {verb} {step.name}" + ("" if options["fake"] else f" ({step.ms} ms)"))
            if options["verbosity"] >= 2 and not options["fake"]:
                self.stdout.write(step.sql)

        with sigterm_interrupts():
            done = migrate(project, options["to"], options["fake"], progress, notify=self.stdout.write,
                           allow_drift=options["allow_drift"] or not (options["guard"] or conf.schema_guard()),
                           guard_may_skip=not options["guard"])
        if done:
            self.ok(f"{len(done)} migration(s) {verb}.")
        else:
            self.stdout.write("No pending migrations.")

    def fanout(self, options, overrides: dict) -> None:
        """Several databases or tenants: shared passes, then each tenant; one line per target."""
        if options["plan"] or options["baseline"] or options["guard"]:
            raise CommandError("--plan, --baseline and --guard work on one database at a time (drop --tenants/--database)")
        projects = targets.projects(options)
        for p in projects.values():
            p.limits = dataclasses.replace(p.limits, **overrides)
        rollout = Rollout(options["jobs"], options["canary"], options["continue_on_error"], options["only_failed"],
                          options["to"], options["fake"])

        def done(outcome: Outcome) -> None:
            if outcome.result != "nothing" or options["verbosity"] >= 2:
                self.stdout.write(targets.outcome_line(outcome))

        with sigterm_interrupts(), fleet(projects) as f:
            chosen = targets_of(f, options["tenants"], options["tenant"] or [])
            report = migrate_all(f, chosen, rollout, done, notify=self.stdout.write)
        line = targets.summary(report)
        if report.interrupted:
            raise CommandError(f"interrupted by {report.signal}: {line}; the running targets finished, "
                               "none was started after it", returncode=143 if report.signal == "SIGTERM" else 130)
        if report.failed:
            raise CommandError(line + " (db_migrate --only-failed retries the failed tenants)", returncode=1)
        self.ok(line)
