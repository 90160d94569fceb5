"""Time snapshot encoding, decoding and validation of the synthetic schema, in-process; print a table.

Run by hand:
    python bench/decode.py [SIZES...]
Each figure is the minimum of 5 runs, in seconds.
"""

from __future__ import annotations

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


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"bench_schema_{n}.py"
        f.write_text(schema(n))
        sys.path.insert(0, tmp)
        try:
            db = load_modules([f.stem])
        finally:
            sys.path.remove(tmp)
    text = snapshot.dumps(db, "x", None)
    data = orjson.loads(text)
    full = snapshot.plain(db, full=True)
    return {
        "snapshot.plain": best(lambda: snapshot.plain(db)),
        "snapshot.dumps": best(lambda: snapshot.dumps(db, "x", None)),
        "snapshot.build": best(lambda: snapshot.build(model.Database, data)),
        "build (full=True data)": best(lambda: snapshot.build(model.Database, full)),
        "validate.database": best(lambda: validate.database(db)),
        "snapshot.loads": best(lambda: snapshot.loads(text)),
    }


def main(sizes: list[int]) -> None:
    results = {n: measure(n) for n in sizes}
    print(f"{'function':<24}" + "".join(f"{f'{n} tables':>14}" for n in sizes))
    for key in results[sizes[0]]:
        print(f"{key:<24}" + "".join(f"{results[n][key]:>14.4f}" for n in sizes))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
