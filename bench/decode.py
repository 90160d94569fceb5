"""Time snapshot encoding, decoding and validation of the synthetic schema; print a table.

In-process figures are the minimum of 5 runs; "fresh process" runs a new interpreter per figure (median
of 5) that imports schemakit's snapshot module and loads the file, as a command does. Run by hand:
    python bench/decode.py [SIZES...]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench.synthetic import schema  # noqa: E402
from schemakit.schema import model, snapshot, validate  # noqa: E402
from schemakit.schema.compile import load_modules  # noqa: E402

CHILD = (
    "import sys, time; t = time.perf_counter(); from schemakit.schema import snapshot; "
    "snapshot.loads(open(sys.argv[1]).read()); print(time.perf_counter() - t)"
)


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def fresh(path: Path, cache: str, runs: int = 5) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCHEMAKIT_CACHE_DIR": cache}
    out = [float(subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True, text=True,
                                check=True).stdout) for _ in range(runs)]
    return statistics.median(out)


def measure(n: int, tmp: Path) -> dict[str, float]:
    f = tmp / f"bench_schema_{n}.py"
    f.write_text(schema(n))
    sys.path.insert(0, str(tmp))
    try:
        db = load_modules([f.stem])
    finally:
        sys.path.remove(str(tmp))
    text = snapshot.dumps(db, "x", None)
    data, full = orjson.loads(text), snapshot.plain(db, full=True)
    built = snapshot.build(model.Database, data)  # as loads validates it: columns shared between tables
    path = tmp / f"snapshot_{n}.json"
    path.write_text(text)
    cache = str(tmp / "cache")
    os.environ["SCHEMAKIT_CACHE_DIR"] = "off"
    out = {
        "snapshot.plain": best(lambda: snapshot.plain(db)),
        "snapshot.dumps": best(lambda: snapshot.dumps(db, "x", None)),
        "snapshot.build": best(lambda: snapshot.build(model.Database, data)),
        "build, full=True data": best(lambda: snapshot.build(model.Database, full)),
        "validate.database, compiled": best(lambda: validate.database(db)),
        "validate.database, read": best(lambda: validate.database(built)),
        "loads, cache off": best(lambda: snapshot.loads(text)),
    }
    os.environ["SCHEMAKIT_CACHE_DIR"] = cache
    snapshot.loads(text)  # remembered as validated
    out["loads, validated before"] = best(lambda: snapshot.loads(text))
    out["fresh process: loads, off"] = fresh(path, "off")
    out["fresh process: loads, memo"] = fresh(path, cache)
    return out


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {n: measure(n, Path(tmp)) for n in sizes}
    print(f"{'seconds':<28}" + "".join(f"{f'{n} tables':>14}" for n in sizes))
    for key in results[sizes[0]]:
        print(f"{key:<28}" + "".join(f"{results[n][key]:>14.4f}" for n in sizes))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
