"""What db_migrate, db_status, db_rollback and db_check share to run over several databases and tenants."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .. import conf
from ..api.project import Project, project_for
from ..api.tenants import TargetState

if TYPE_CHECKING:  # fan-out (threads, the migrator) loads only for a run over many targets
    from ..api.fanout import Outcome, Report


def add_target_arguments(parser, tenants: bool = True) -> None:
    parser.add_argument("--database", action="append", default=None, metavar="ALIAS",
                        help="Django database alias, repeatable (default: SCHEMAKIT['DATABASE'])")
    parser.add_argument("--all-databases", action="store_true", help="every alias in SCHEMAKIT['DATABASES']")
    if tenants:
        parser.add_argument("--tenants", action="store_true", help="every tenant schema SCHEMAKIT['TENANTS'] lists, "
                            "after the shared pass")
        parser.add_argument("--tenant", action="append", default=None, metavar="NAME",
                            help="this tenant schema (repeatable), after the shared pass")


def aliases(options) -> list[str]:
    named = list(dict.fromkeys(options.get("database") or []))
    chosen = conf.databases() if options.get("all_databases") else named or [conf.database()]
    for alias in chosen:
        conf.check_alias(alias)
    return chosen


def is_fanout(options) -> bool:
    """Several databases or any tenant: the fan-out path (one alias alone keeps the single-database output)."""
    return bool(options.get("all_databases") or len(options.get("database") or []) > 1
                or options.get("tenants") or options.get("tenant"))


def projects(options) -> dict[str, Project]:
    return {alias: project_for(alias) for alias in aliases(options)}


def outcome_line(o: Outcome) -> str:
    if o.result == "failed":
        done = f" after applying {', '.join(o.applied)}" if o.applied else ""
        return f"  {o.target}: FAILED{done} ({o.ms} ms): {o.error}"
    if o.result == "nothing":
        return f"  {o.target}: nothing to do"
    return f"  {o.target}: applied {len(o.applied)} ({', '.join(o.applied)}) in {o.ms} ms"


def summary(report: Report) -> str:
    counts = ", ".join(f"{report.count(k)} {label}" for k, label in
                       (("done", "done"), ("failed", "failed"), ("skipped", "skipped"), ("nothing", "nothing to do")))
    return f"{len(report.outcomes)} target(s): {counts}" + (" (interrupted)" if report.interrupted else "")


def matrix_lines(states: list[TargetState]) -> list[str]:
    width = max([len(str(s.target)) for s in states] + [6])
    out = [f"{'target':<{width}}  state"]
    for s in states:
        detail = ""
        if s.edited:
            detail = "edited: " + ", ".join(s.edited)
        elif s.pending:
            detail = "pending: " + ", ".join(s.pending)
            if s.state == "failed":
                detail += f"; last run: {s.last[1]}"
        out.append(f"{str(s.target):<{width}}  {s.state:<10}  {detail}".rstrip())
    counts = {k: sum(1 for s in states if s.state == k) for k in ("up to date", "pending", "failed", "edited")}
    out.append(", ".join(f"{v} {k}" for k, v in counts.items()))
    return out


def matrix_json(states: list[TargetState]) -> str:
    return json.dumps({"targets": [s.as_json() for s in states],
                       "ok": all(s.state == "up to date" for s in states)}, indent=2)
