"""Golden cases: render a case folder's change exactly as db_generate writes it, and read it back."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from schemakit.api import Project, generate
from schemakit.diff.renames import Resolver, parse_rename_flags
from schemakit.history import folder as md

GOLDEN = Path(__file__).resolve().parent / "golden"
FILE_MARK = "-- golden: file "  # a file boundary inside up.sql / down.sql of a multi-file change


def case_dirs() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if (p / "after.py").exists())


def update_requested(config) -> bool:
    return bool(config.getoption("--update-golden", False)) or os.environ.get("SCHEMAKIT_UPDATE_GOLDEN") == "1"


@dataclass
class Rendered:
    up: str  # every up file in the order db_migrate runs them
    down: str  # every down file in the order db_rollback runs them (newest first)
    warnings: str  # db_generate's warnings, one a line


def renames(case: Path) -> dict[str, str]:
    """The `--rename OLD=NEW` decisions of a case (renames.txt, one a line, # comments)."""
    path = case / "renames.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    return parse_rename_flags([ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")])


def render(case: Path) -> Rendered:
    """Generate before.py from nothing, then after.py, as db_generate does; return the second change."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "migrations"
        generate(Project([str(case / "before.py")], folder), Resolver(no_renames=True), name="before")
        g = generate(Project([str(case / "after.py")], folder), Resolver(renames(case), no_renames=True), name="change")
    assert g is not None, f"{case.name}: before.py and after.py are the same schema"
    ups = [text for name, text in g.sql.items() if not name.endswith(".down.sql")]
    downs = [text for name, text in g.sql.items() if name.endswith(".down.sql")]
    return Rendered(join_files(ups), join_files(list(reversed(downs))), "".join(w + "\n" for w in g.warnings))


def join_files(texts: list[str]) -> str:
    if len(texts) == 1:
        return texts[0]
    return "".join(f"{FILE_MARK}{n} of {len(texts)}\n{t}" for n, t in enumerate(texts, 1))


def split_files(text: str) -> list[str]:
    """The migration files stored in one golden .sql file, in order."""
    if not text.startswith(FILE_MARK):
        return [text]
    chunks = text.split(FILE_MARK)[1:]
    return [chunk.partition("\n")[2] for chunk in chunks]


def statements(text: str) -> list[str]:
    return md.split_statements(text)
