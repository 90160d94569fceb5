"""Bytecode of the project's modules checked by the hash of their source (PEP 552), never by time and size.

__pycache__'s usual check (modification time in whole seconds, and size) misses an edit of the same
size within a second, and the previous schema would load. So the schema files, and every module of
the project they import, load through `code_of`: the bytecode is kept under the cache folder in
Python's own checked-hash format (magic number, flags, the source's hash, the marshalled code) and
used only when the source's hash still matches, as the interpreter does for its own checked pycs.
Without a cache folder (SCHEMAKIT_CACHE_DIR=off) every such module compiles from source.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from importlib.machinery import PathFinder, SourceFileLoader
from pathlib import Path
from types import CodeType
from typing import Any

_CHECKED = (0b11).to_bytes(4, "little")  # PEP 552 flags: hash-based, check the source


def installed() -> tuple[str, ...]:
    """Folders of the standard library and installed packages: they change only with an install."""
    paths = sysconfig.get_paths()
    roots = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    roots |= {sys.base_prefix + os.sep + "lib", sys.prefix + os.sep + "lib"}
    return tuple(os.path.join(os.path.realpath(r), "") for r in roots)


def code_of(path: str, source: bytes, folder: Path | None) -> CodeType:
    """The code of the module at `path`: its cached bytecode when the source's hash matches, else compiled."""
    if folder is None:
        return compile(source, path, "exec", dont_inherit=True)
    pyc = folder / "pyc" / f"{hashlib.sha256(os.fsencode(path)).hexdigest()}.pyc"
    head = importlib.util.MAGIC_NUMBER + _CHECKED + importlib.util.source_hash(source)
    try:
        data = pyc.read_bytes()
        code = marshal.loads(data[16:]) if data[:16] == head else None
        if isinstance(code, CodeType):
            return code
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none yet, or damaged: compile
    code = compile(source, path, "exec", dont_inherit=True)
    try:
        pyc.parent.mkdir(parents=True, exist_ok=True)
        tmp = pyc.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(head + marshal.dumps(code))
        tmp.replace(pyc)
    except OSError:
        pass  # the cache is an optimisation only
    return code


class _Loader(SourceFileLoader):
    def __init__(self, fullname: str, path: str, folder: Path) -> None:
        super().__init__(fullname, path)
        self.folder = folder

    def get_code(self, fullname: str) -> CodeType:
        path = self.get_filename(fullname)
        return code_of(path, self.get_data(path), self.folder)


class _Finder:
    """A project module (a source file outside the installed libraries) loads by hash; anything else as usual."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.installed = folder, installed()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or type(spec.loader) is not SourceFileLoader or os.path.realpath(spec.origin).startswith(self.installed):
            return None  # the usual finders (built-in, frozen, installed) take it
        loader = _Loader(name, spec.origin, self.folder)
        return importlib.util.spec_from_file_location(name, spec.origin, loader=loader,
                                                      submodule_search_locations=spec.submodule_search_locations)

    def invalidate_caches(self) -> None:
        pass


@contextlib.contextmanager
def from_source(folder: Path | None) -> Iterator[None]:
    """While the schema's modules import: project modules load by the hash of their source."""
    if folder is None:  # no cache: everything imported here compiles from source
        old = sys.pycache_prefix
        with tempfile.TemporaryDirectory(prefix="schemakit-pyc-") as fresh:
            sys.pycache_prefix = fresh
            try:
                yield
            finally:
                sys.pycache_prefix = old
        return
    finder = _Finder(folder)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
