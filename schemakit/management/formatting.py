"""Generated Python modules (db_pull, db_models) as `ruff format` writes them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path


def ruff_format(text: str, path: Path | None) -> str:
    """`text` as `ruff format` writes it, with the project's ruff settings (unchanged if ruff is not installed)."""
    if importlib.util.find_spec("ruff") is None:
        return text
    try:  # ruff's own binary: `python -m ruff` would start a second Python only to exec it
        from ruff import find_ruff_bin

        command = [find_ruff_bin()]
    except (ImportError, FileNotFoundError):
        command = [sys.executable, "-m", "ruff"]
    name = str(path or Path.cwd() / "schema.py")
    r = subprocess.run([*command, "format", "--stdin-filename", name, "-"],
                       input=text, capture_output=True, text=True, timeout=60)
    return r.stdout if r.returncode == 0 and r.stdout else text
