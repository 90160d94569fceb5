"""Time every command as a user waits for it: a whole `python -m django` process, next to Django's start-up.

For each size (default 100, 1,000 and 10,000 tables of bench/synthetic.py's schema) it runs, as
subprocesses of a throwaway project: Django's own start-up (the floor), db_generate (initial, then
1% of tables changed), db_migrate (applying it; then nothing pending), db_status, db_pull and a
no-op db_push (warm cache, then cold). Median of RUNS runs; spread is max - min; peak is the
child's maximum resident memory; each run of a command follows a run of the floor, and its own time
is the median of those differences (the machine's speed drifts; pairs cancel most of it). Uses DATABASE_URL, or starts an embedded server in a temporary
folder. Run by hand:

    python bench/process.py [SIZES...]          # RUNS=5 by default (env BENCH_RUNS)

"1% changed" runs one changed schema again and again (its compiled form is cached after the first run);
"1% edited (cold)" writes a differently edited schema before each run, as a user's edit does: nothing cached
holds it, so the schema module compiles.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import schema  # noqa: E402
from schemakit import embedded  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))

SETTINGS = textwrap.dedent(
    """
    from pathlib import Path
    HERE = Path(__file__).resolve().parent
    SECRET_KEY = "bench"
    import os
    INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                      "django.contrib.sessions", "django.contrib.messages", "schemakit"]
    if os.environ.get("BENCH_WITHOUT_SCHEMAKIT"):  # the floor without schemakit's own app start-up
        INSTALLED_APPS.remove("schemakit")
    DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", **{db!r}}}}}
    SCHEMAKIT = {{"SCHEMA": str(HERE / "schema.py"), "MIGRATIONS_DIR": HERE / "migrations"}}
    USE_TZ = True
    """
)


def admin_params() -> dict:
    """The server to measure on. The embedded one gets room for the locks of a 10,000-table initial
    migration (one transaction: PostgreSQL's default of 64 per connection is far too few)."""
    if os.environ.get("DATABASE_URL"):
        return psycopg.conninfo.conninfo_to_dict(os.environ["DATABASE_URL"])
    pgdata = Path(tempfile.mkdtemp(prefix="schemakit-bench-")) / "data"
    params = embedded.connection_params(pgdata, cleanup="delete")
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute(b"ALTER SYSTEM SET max_locks_per_transaction = 2048")
    embedded.stop(pgdata, "restart")
    return params


def django_db(params: dict) -> dict:
    keys = {"dbname": "NAME", "user": "USER", "password": "PASSWORD", "host": "HOST", "port": "PORT"}
    return {keys[k]: str(v) for k, v in params.items() if k in keys}


def timed(cmd: list[str], env: dict, ok: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Run `cmd`; return (wall seconds, peak MiB, CPU seconds of that child, from wait4's rusage).

    CPU time (user + system of the command's own process, not the server's) moves less than wall
    time when other work shares the machine."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{out[-2000:]}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


Sample = tuple[float, float, float, float, float]  # wall, peak MiB, CPU, and the floor's wall and CPU run just before
Row = tuple[float, float, float, float, float, float]


class Bench:
    def __init__(self, folder: Path, params: dict) -> None:
        self.folder = folder
        (folder / "bench_settings.py").write_text(SETTINGS.format(db=django_db(params)))
        self.cache = folder / "cache"
        self.env = {**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}", "DJANGO_SETTINGS_MODULE": "bench_settings",
                    "SCHEMAKIT_CACHE_DIR": str(self.cache)}
        self.env.pop("DATABASE_URL", None)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # as users run: the schema module's bytecode is cached

    def django(self, *args: str, ok: tuple[int, ...] = (0,)) -> Sample:
        """One run of a command, with a run of the floor just before it: own time is their difference."""
        floor = self.floor()
        return (*timed([sys.executable, "-m", "django", *args], self.env, ok), floor[0], floor[2])

    def floor(self, without_schemakit: bool = False) -> Sample:
        env = {**self.env, "BENCH_WITHOUT_SCHEMAKIT": "1"} if without_schemakit else self.env
        wall, peak, cpu = timed([sys.executable, "-c", "import django; django.setup()"], env)
        return wall, peak, cpu, wall, cpu

    def write_schema(self, text: str) -> None:
        (self.folder / "schema.py").write_text(text)


def median(samples: list[Sample]) -> Row:
    """(median wall, spread of wall, peak MiB, median CPU, median own wall, median own CPU); own is each
    run minus the floor run just before it: the machine's speed drifts, pairs cancel most of it."""
    walls = [s[0] for s in samples]
    return (statistics.median(walls), max(walls) - min(walls), max(s[1] for s in samples),
            statistics.median(s[2] for s in samples), statistics.median(s[0] - s[3] for s in samples),
            statistics.median(s[2] - s[4] for s in samples))


def measure(b: Bench, n: int, runs: int) -> list[tuple[str, Row]]:
    """Every step at one size; steps that change state are repeated from the same state."""
    migrations = b.folder / "migrations"
    rows: list[tuple[str, Row]] = [("django.setup() (floor)", median([b.floor() for _ in range(runs)]))]
    rows.append(("django.setup() w/o schemakit", median([b.floor(True) for _ in range(runs)])))

    def generate_from_empty() -> Sample:
        shutil.rmtree(migrations, ignore_errors=True)
        return b.django("db_generate", "--name", "initial", "--no-renames")

    b.write_schema(schema(n))
    rows.append(("db_generate, initial", median([generate_from_empty() for _ in range(runs)])))
    rows.append(("db_migrate, applying", median([b.django("db_migrate")])))
    rows.append(("db_migrate, nothing pending", median([b.django("db_migrate") for _ in range(runs)])))
    rows.append(("db_status (with drift)", median([b.django("db_status") for _ in range(runs)])))
    rows.append(("db_pull", median([b.django("db_pull") for _ in range(runs)])))
    b.django("db_push", "--no-renames")  # fill the cache
    rows.append(("db_push no-op, warm", median([b.django("db_push", "--no-renames") for _ in range(runs)])))

    def cold_push() -> Sample:
        shutil.rmtree(b.cache, ignore_errors=True)
        return b.django("db_push", "--no-renames")

    rows.append(("db_push no-op, cold", median([cold_push() for _ in range(runs)])))
    b.write_schema(schema(n, changed=max(1, n // 100)))
    snapshot = sorted((migrations / "meta").glob("*_snapshot.json"))

    def generate_changed() -> Sample:
        r = b.django("db_generate", "--name", "changed", "--no-renames")
        _forget_newest(migrations, snapshot[-1])
        return r

    rows.append(("db_generate, 1% changed", median([generate_changed() for _ in range(runs)])))

    def generate_edited(run: int) -> Sample:  # as after an edit: no cache holds this text
        b.write_schema(schema(n, changed=max(1, n // 100), tag=f"_{run}_{time.time_ns()}"))
        return generate_changed()

    rows.append(("db_generate, 1% edited (cold)", median([generate_edited(r) for r in range(runs)])))
    return rows


def _forget_newest(migrations: Path, keep_snapshot: Path) -> None:
    """Remove the migration just written so the next run generates it again."""
    import json

    journal = migrations / "meta" / "_journal.json"
    data = json.loads(journal.read_text())
    newest = data["entries"][-1]["name"]
    data["entries"] = [e for e in data["entries"] if e["name"] != newest]
    journal.write_text(json.dumps(data, indent=2) + "\n")
    for p in migrations.glob(f"{newest}*"):
        p.unlink()
    for p in (migrations / "meta").glob("*_snapshot.json"):
        if p.name > keep_snapshot.name:
            p.unlink()


def main(sizes: list[int]) -> None:
    admin = admin_params()
    results: dict[int, list] = {}
    for n in sizes:
        name = f"bench_process_{n}"
        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}".encode())
            c.execute(f"CREATE DATABASE {name}".encode())
        with tempfile.TemporaryDirectory() as tmp:
            runs = RUNS if n < 10_000 else max(1, RUNS // 2)
            results[n] = measure(Bench(Path(tmp), {**admin, "dbname": name}), n, runs)
        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f"DROP DATABASE {name} WITH (FORCE)".encode())
        print_table(n, results[n])
    if len(sizes) > 1:
        print_growth(sizes, results)


def print_table(n: int, rows: list) -> None:
    print(f"\n{n:,} tables (median of runs; own = median of (run - the floor run just before it); "
          "cpu = the command process's user+system time)")
    print(f"{'step':<30} {'median s':>9} {'spread s':>9} {'own s':>7} {'cpu s':>6} {'own cpu':>8} {'peak MiB':>9}")
    for step, (med, spread, peak, cpu, own, own_cpu) in rows:
        floor = step.startswith("django.setup()")
        print(f"{step:<30} {med:9.2f} {spread:9.2f} {'' if floor else f'{own:7.2f}':>7} {cpu:6.2f} "
              f"{'' if floor else f'{own_cpu:8.2f}':>8} {peak:9.0f}")


def print_growth(sizes: list[int], results: dict[int, list]) -> None:
    print(f"\ngrowth of own time, {' -> '.join(f'{s:,}' for s in sizes)} tables: wall | cpu")
    for i, (step, _) in enumerate(results[sizes[0]]):
        if step.startswith("django.setup()"):
            continue
        cols = []
        for k in (4, 5):
            owns = [results[s][i][1][k] for s in sizes]
            cols.append(" ".join(f"{b / a:5.1f}x" if a > 0.005 else "  n/a" for a, b in zip(owns, owns[1:], strict=False)))
        print(f"{step:<30} {cols[0]} | {cols[1]}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10_000])
