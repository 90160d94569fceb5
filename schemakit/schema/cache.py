"""Compiled schemas cached on disk, so an unchanged schema module is not imported and compiled again.

An entry records every source file the compile could have read: the schema files, every module
the import added to sys.modules, and every module loaded from outside the installed libraries
(the project's settings, apps and helpers, schemakit itself). Each file is checked by the hash
of its content, never by its time or size, so a same-size edit within the same second is seen.
References resolved outside the schema (Django's models, ignored tables) are asked again and
must answer the same. The entry holds data (JSON read by snapshot.build), never code.
A schema module whose result depends on anything else (environment variables, files it opens)
needs the cache off: SCHEMAKIT_CACHE_DIR=off.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

from . import bytecode, model, snapshot
from .cachefiles import cache_dir, model_json, read_entry, write_entry

FORMAT = 1  # bump when the model or this file's layout changes shape
External = Callable[[Any], "tuple[str, str, str] | None"]
_OWN = Path(__file__).resolve().parent  # the language and compiler: their edits change what compiles


def load(modules: list[str], external: External | None,
         compile_all: Callable[[External | None], model.Database]) -> model.Database:
    """The compiled schema of `modules`: from the cache when no file it read has changed, else compile_all(external)."""
    from .bytecode import from_source  # the project's modules load by the hash of their source: see there

    folder = cache_dir()
    if folder is None:
        with from_source(None):
            return compile_all(external)
    ident = orjson.dumps([FORMAT, sys.version, os.getcwd(), sys.path, modules])
    path = folder / "schema" / f"{hashlib.sha256(ident).hexdigest()}.json"
    hit = _read(path, external)
    if hit is not None:
        return hit
    before = set(sys.modules)
    calls: list[list[Any]] = []
    with from_source(folder):
        db = compile_all(_recording(external, calls) if external is not None else None)
    if all(c is not None for c in calls):
        files = _sources(modules, [m for name, m in list(sys.modules.items()) if name not in before], before)
        try:
            body = model_json(db)
            write_entry(path, {"files": files, "external": calls}, body)
            _remember(db, hashlib.sha256(body).hexdigest())
        except TypeError:
            pass  # an integer orjson cannot write: no entry
    return db


def _recording(external: External, calls: list[list[Any]]) -> External:
    """`external`, noting each question and answer so a cache hit can ask again; None marks one it cannot."""
    def ask(target: Any) -> tuple[str, str, str] | None:
        answer = external(target)
        if isinstance(target, str):
            calls.append(["str", target, answer])
        elif isinstance(target, tuple) and all(isinstance(p, str) for p in target):
            calls.append(["tuple", list(target), answer])
        elif isinstance(getattr(getattr(target, "_meta", None), "label", None), str):
            calls.append(["str", target._meta.label, answer])  # a Django model, asked again by its label
        else:
            calls.append(None)  # type: ignore[arg-type]
        return answer
    return ask


def _sources(modules: list[str], added: Iterable[Any], before: set[str]) -> list[list[str]]:
    """[path, sha256] of every file that may have shaped the compiled schema."""
    paths = {str(Path(m).resolve()) for m in modules if m.endswith(".py")}
    paths |= {str(p) for p in _OWN.glob("*.py")}
    installed = bytecode.installed()
    for m in added:
        if m.__name__.partition(".")[0] not in _OWN_DEPENDENCIES:
            paths.add(getattr(m, "__file__", None) or "")
    real = _real_paths()
    for name in before:
        file = getattr(sys.modules.get(name), "__file__", None)
        if file and not real(file).startswith(installed):
            paths.add(file)
    for dependency in _OWN_DEPENDENCIES:  # their version (in __init__.py), not every file: pglast's parser is 28 MB
        paths.add(getattr(sys.modules.get(dependency), "__file__", None) or "")
    out = []
    for p in sorted(paths - {""}):
        digest = _digest(p)
        if digest is not None:
            out.append([p, digest])
    return out


# Libraries the compiler itself may load (validation's parser): not the schema's sources, and the
# version they record decides what they answer.
_OWN_DEPENDENCIES = ("pglast",)


def _real_paths() -> Callable[[str], str]:
    """os.path.realpath, with each folder resolved once: the same answer, for a thousand modules in a few folders."""
    folders: dict[str, str] = {}

    def real(file: str) -> str:
        if os.path.islink(file):
            return os.path.realpath(file)
        head, tail = os.path.split(file)
        folder = folders.get(head)
        if folder is None:
            folder = folders[head] = os.path.realpath(head)
        return os.path.join(folder, tail)
    return real


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def _read(path: Path, external: External | None) -> model.Database | None:
    entry = read_entry(path)
    if entry is None:
        return None
    head, body = entry
    try:
        if any(_digest(p) != digest for p, digest in head["files"]):
            return None
        for kind, target, answer in head["external"]:
            got = external(tuple(target) if kind == "tuple" else target) if external is not None else None
            if (list(got) if got is not None else None) != answer:
                return None
        db = snapshot.build(model.Database, orjson.loads(body))
    except (ValueError, KeyError, TypeError, snapshot.Bad):
        return None  # an entry of another shape: compile
    _remember(db, head["db"])
    return db


_DIGESTS: dict[int, tuple[model.Database, str]] = {}


def _remember(db: model.Database, digest: str) -> None:
    _DIGESTS.clear()  # one compiled schema per process is the case worth a shortcut
    _DIGESTS[id(db)] = (db, digest)


def digest_of(db: model.Database) -> str | None:
    """The SHA-256 of the full JSON of `db` when this process compiled or read it from the cache: a key
    for the canonical form's cache as good as the model's repr() (the same fields), and free."""
    hit = _DIGESTS.get(id(db))
    return hit[1] if hit is not None and hit[0] is db else None
