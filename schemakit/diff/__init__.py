"""diff(old, new, resolver) -> Plan: the operations that turn one schema into another."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import model
from . import ops, phases
from .compare import compare
from .renames import Resolver


@dataclass
class Plan:
    ops: list[ops.Op] = field(default_factory=list)

    @property
    def transactional(self) -> list[ops.Op]:
        return [o for o in self.ops if o.transactional]

    @property
    def non_transactional(self) -> list[ops.Op]:
        return [o for o in self.ops if not o.transactional]

    def __bool__(self) -> bool:
        return bool(self.ops)

    @property
    def warnings(self) -> list[ops.Op]:
        return [o for o in self.ops if o.risk]


def diff(old: model.Database, new: model.Database, resolver: Resolver | None = None) -> Plan:
    """Return the plan from `old` to `new`; raise RenameAmbiguity if a rename is unsettled."""
    resolver = resolver or Resolver()
    plan = Plan(phases.run(compare(old, new, resolver)))
    resolver.finish()
    return plan
