"""`frozen`: `dataclass(frozen=True, slots=True)`, with the methods it generates compiled once, not per run.

On Python 3.11 and 3.12 `dataclass` writes each class's __init__, __repr__, __eq__, __hash__,
__setattr__ and __delattr__ as source text and compiles every one at import: for the model and the
~50 operations that is 400 compilations and most of a command's import time. The dataclass machinery
runs unchanged here (fields, slots, signatures, everything `dataclasses` offers works as before);
only the step from a method's source text to its bytecode is kept, in the cache folder, one file per
defining module, keyed by the exact text, as the interpreter keeps a module's bytecode in a .pyc.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import importlib.util
import marshal
import threading
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar, dataclass_transform

from .cachefiles import cache_dir, read_entry, write_entry

T = TypeVar("T")
_lock = threading.Lock()
_known: dict[str, dict[str, CodeType]] = {}  # module -> source text -> code, read from the cache
_used: dict[str, dict[str, CodeType]] = {}  # module -> what its classes compiled in this process
_missed: set[str] = set()  # modules whose file must be written again at exit
_folder: list[Path | None] = []  # the cache folder, once looked up


@dataclass_transform(frozen_default=True)
def frozen(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True, slots=True)`, its generated methods' bytecode read from the cache."""
    make = dataclasses.dataclass(frozen=True, slots=True)
    if not _folder:
        _folder.append(cache_dir())
    if _folder[0] is None:
        return make(cls)
    module = cls.__module__
    with _lock:
        if module not in _known:
            _known[module] = _read(_path(module))
        used = _used.setdefault(module, {})

        def compiled(source: Any, globals: Any = None, locals: Any = None, /) -> None:
            if type(source) is str:  # the text of one generated method: its code from the cache, or compiled
                code = _known[module].get(source) or used.get(source)
                if code is None:
                    # dont_inherit: compiled as `dataclasses` compiles it, without this module's __future__ flags
                    code = compile(source, "<string>", "exec", dont_inherit=True)
                    if not _missed:
                        atexit.register(_write_missed)
                    _missed.add(module)
                used[source] = code
                source = code
            builtins.exec(source, globals, locals)

        dataclasses.exec = compiled  # type: ignore[attr-defined]  # the module's global shadows the builtin
        try:
            return make(cls)
        finally:
            del dataclasses.exec  # type: ignore[attr-defined]


def _path(module: str) -> Path:
    assert _folder[0] is not None
    magic = importlib.util.MAGIC_NUMBER.hex()  # bytecode of another Python version is never read
    return _folder[0] / "classes" / f"{module}.{magic}.json"


def _read(path: Path) -> dict[str, CodeType]:
    entry = read_entry(path)  # only an intact entry: its body's hash is checked
    if entry is None:
        return {}
    try:
        codes = marshal.loads(entry[1])
    except (ValueError, EOFError, TypeError):
        return {}
    if type(codes) is not dict or not all(type(k) is str and type(v) is CodeType for k, v in codes.items()):
        return {}
    return codes


def _write_missed() -> None:
    """Each module with a text not yet cached: the texts its classes compiled now (a module's import runs them all)."""
    with _lock:
        for module in sorted(_missed):
            write_entry(_path(module), {}, marshal.dumps(_used[module]))
        _missed.clear()
