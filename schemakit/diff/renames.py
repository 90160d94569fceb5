"""Rename candidates and how they are settled: schema hints, --rename flags, --no-renames, a questioner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import RenameAmbiguity, UsageError

Questioner = Callable[[str, str, str], bool]  # (kind, old path, new path) -> is it a rename?


def spellings(schema: str, *names: str) -> list[str]:
    """Every way a user may write a dotted path: with and, in public, without the schema."""
    full = ".".join((schema, *names))
    return [full, ".".join(names)] if schema == "public" else [full]


@dataclass
class Resolver:
    """Decides which removed/added pairs are renames."""

    flags: dict[str, str] = field(default_factory=dict)  # old path -> new path, as typed
    no_renames: bool = False
    questioner: Questioner | None = None
    unresolved: list[str] = field(default_factory=list)
    used_flags: set[str] = field(default_factory=set)
    flag_kinds: dict[str, set[str]] = field(default_factory=dict)
    decisions: list[tuple[str, str, tuple[str, ...], str, str]] = field(default_factory=list)
    strict_flags: bool = True  # a flag that matches nothing is a usage error

    def pair(
        self, kind: str, schema: str, container: tuple[str, ...], removed: list[str], added: list[str],
        hints: dict[str, str] | None = None,
    ) -> list[tuple[str, str]]:
        """Return (old, new) rename pairs among `removed` and `added` names in one container."""
        pairs = self._pair(kind, schema, container, removed, added, hints)
        self.decisions += [(kind, schema, container, o, n) for o, n in pairs]
        return pairs

    def _pair(self, kind, schema, container, removed, added, hints) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        removed, added = list(removed), list(added)
        for new, old in (hints or {}).items():
            if old in removed and new in added:
                pairs.append((old, new))
                removed.remove(old)
                added.remove(new)
        for old in list(removed):
            for new in list(added):
                flag = self._flag(kind, schema, container, old, new)
                if flag:
                    pairs.append((old, new))
                    removed.remove(old)
                    added.remove(new)
                    break
        if not removed or not added or self.no_renames:
            return pairs
        if self.questioner is None:
            for old in removed:
                for new in added:
                    self.unresolved.append(
                        f"{spellings(schema, *container, old)[-1]}={spellings(schema, *container, new)[-1]}"
                    )
            return pairs
        for old in removed:
            for new in list(added):
                o, n = ".".join((schema, *container, old)), ".".join((schema, *container, new))
                if self.questioner(kind, o, n):
                    pairs.append((old, new))
                    added.remove(new)
                    break
        return pairs

    def _flag(self, kind: str, schema: str, container: tuple[str, ...], old: str, new: str) -> bool:
        olds = spellings(schema, *container, old)
        news = spellings(schema, *container, new)
        for o in olds:
            if o in self.flags and self.flags[o] in news:
                self.used_flags.add(o)
                self.flag_kinds.setdefault(o, set()).add(kind)
                return True
        return False

    def finish(self) -> None:
        """Raise for flags that matched nothing or two things, and for unsettled candidates."""
        for o, kinds in self.flag_kinds.items():
            if len(kinds) > 1:
                raise UsageError(f"--rename {o}={self.flags[o]} is ambiguous: it can name a {' or a '.join(sorted(kinds))}")
        unknown = [f"{o}={n}" for o, n in self.flags.items() if o not in self.used_flags]
        if unknown and self.strict_flags:
            raise UsageError(f"--rename {', '.join(unknown)}: no such removed/added pair in this change")
        if self.unresolved:
            raise RenameAmbiguity(self.unresolved)


def inverse(r: Resolver) -> Resolver:
    """A resolver that makes the same rename decisions in the other direction (for down files)."""
    back = {"table": {}, "enum": {}}
    for kind, schema, _, old, new in r.decisions:
        if kind in back:
            back[kind][(schema, new)] = old
    flags = {}
    for kind, schema, container, old, new in r.decisions:
        if kind in ("column", "index", "constraint"):
            container = (back["table"].get((schema, container[0]), container[0]),)
        elif kind == "value":
            container = (back["enum"].get((schema, container[0]), container[0]),)
        flags[".".join((schema, *container, new))] = ".".join((schema, *container, old))
    return Resolver(flags=flags, no_renames=True, strict_flags=False)


def parse_rename_flags(values: list[str] | None) -> dict[str, str]:
    """Parse repeated `--rename OLD=NEW` values."""
    out: dict[str, str] = {}
    for v in values or []:
        old, sep, new = v.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise UsageError(f"--rename {v!r}: expected OLD=NEW, e.g. users.name=users.full_name")
        out[old.strip()] = new.strip()
    return out
