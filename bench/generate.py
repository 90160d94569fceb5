"""Time db_generate on synthetic schemas of 100 and 1,000 tables; print wall time and peak memory.

Each size: the initial migration, then a change to 1% of the tables. Run by hand:
    python bench/generate.py [SIZES...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import schema  # noqa: E402

CHILD = textwrap.dedent(
    """
    import resource, sys, time
    t0 = time.perf_counter()
    from schemakit.api import Project, generate
    from schemakit.diff.renames import Resolver
    t_import = time.perf_counter()
    p = Project([sys.argv[1]], __import__("pathlib").Path(sys.argv[2]))
    g = generate(p, Resolver(no_renames=True))
    t = time.perf_counter() - t_import
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{t:.3f} {peak:.1f} {len(g.paths) if g else 0}")
    """
)




def run(schema_file: Path, folder: Path) -> tuple[float, float]:
    r = subprocess.run([sys.executable, "-c", CHILD, str(schema_file), str(folder)], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    t, peak, _ = r.stdout.split()
    return float(t), float(peak)


def main(sizes: list[int]) -> None:
    print(f"{'tables':>7} {'step':<22} {'wall s':>8} {'peak MiB':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            f, folder = Path(tmp) / "schema.py", Path(tmp) / "migrations"
            f.write_text(schema(n))
            t, peak = run(f, folder)
            print(f"{n:>7} {'initial':<22} {t:>8.3f} {peak:>9.1f}")
            f.write_text(schema(n, changed=max(1, n // 100)))
            t, peak = run(f, folder)
            print(f"{n:>7} {'change 1% of tables':<22} {t:>8.3f} {peak:>9.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
