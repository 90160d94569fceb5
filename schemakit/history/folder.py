"""The migrations folder: journal, snapshots, SQL files, names and checksums."""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import orjson

from ..errors import MigrationsDirError, SnapshotError, UsageError
from ..pg.split import BREAKPOINT
from ..pg.split import statements as parsed_statements
from ..pg.sqltext import terminate
from ..schema import model, snapshot

NO_TRANSACTION = "-- schemakit:no-transaction"
JOURNAL_VERSION = 1

ADJECTIVES = (
    "amber brave bright calm clever cosmic crisp daring eager early fancy fierce gentle giant glad golden "
    "grand happy hidden humble icy jolly keen kind lively lucky mellow mighty misty modern narrow noble odd "
    "plain polite proud quick quiet rapid rare rich rough royal rusty safe shiny silent simple sleek smooth "
    "solid spicy steady still stormy sunny swift tidy tiny vivid warm wild wise young zesty"
).split()
NOUNS = (
    "anchor badger beacon bison breeze canyon cedar comet coral crane delta dingo eagle ember falcon fern "
    "fjord forest gecko glacier gravity harbor heron island jaguar kestrel lagoon lantern lemur lynx maple "
    "meadow meteor nebula oasis orbit otter panther pebble pelican phoenix prairie quasar raven reef river "
    "salmon sequoia sparrow summit tundra valley violet walrus willow wolf yak zebra"
).split()


_ENTRY_NAME = re.compile(r"^[0-9]{4,}_[A-Za-z0-9_]+$")  # a file stem: no separator, no dot, no ..
GITATTRIBUTES = (
    "# schemakit: applied files are checked byte for byte; never convert their line endings\n"
    "*.sql -text\n"
    "meta/*.json -text\n"
)


@dataclass(frozen=True)
class Entry:
    index: int
    name: str
    created: str
    transactional: bool = True
    snapshot: str | None = None  # checksum of meta/NNNN_snapshot.json (None in journals written before it)

    def __post_init__(self) -> None:
        types = {"index": int, "name": str, "created": str, "transactional": bool, "snapshot": (str, type(None))}
        for key, kind in types.items():
            value = getattr(self, key)
            if not isinstance(value, kind) or (key == "index" and isinstance(value, bool)):
                raise TypeError(f"{key} {value!r} has the wrong type")
        if self.index < 0:
            raise TypeError(f"index {self.index} is negative")
        if not _ENTRY_NAME.match(self.name):
            raise TypeError(f"name {self.name!r} is not a migration name like 0001_brave_otter")


def checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def split_statements(text: str, where: str = "SQL") -> list[str]:
    """The statements of a migration file, split by PostgreSQL's parser (comment-only text has none).

    Raises:
        SqlSyntaxError: the file does not parse; names `where` and the line.
    """
    return parsed_statements(text, where)


def is_transactional(text: str) -> bool:
    """False when the file's leading comment lines include `-- schemakit:no-transaction`."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == NO_TRANSACTION:
            return False
        if stripped and not stripped.startswith("--"):
            break
    return True


def join_statements(statements: list[str], transactional: bool = True) -> str:
    head = "" if transactional else NO_TRANSACTION + "\n"
    body = f"\n{BREAKPOINT}\n".join(terminate(s) for s in statements)
    return head + body + ("\n" if body else "")


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not s:
        raise UsageError(f"--name {name!r}: use letters, digits and underscores")
    return s[:60]


def _head_value(data: bytes, key: bytes) -> list[bytes]:
    """The values of every top-level `key` line (indent 2, as snapshot.dumps writes: nested keys sit deeper)."""
    out, needle, at = [], b'\n  "' + key + b'": ', 0
    while (at := data.find(needle, at)) >= 0:
        end = data.find(b"\n", at + 1)
        out.append(data[at + len(needle):end if end >= 0 else len(data)].rstrip(b","))
        at += 1
    return out


def snapshot_head(data: bytes, as_written: bool = True) -> tuple[str, str | None]:
    """(id, parent) of a snapshot's text, from its two lines when it is laid out as schemakit writes it:
    parsing a large snapshot whole makes tens of thousands of objects, for every migration.
    `as_written`: the journal's checksum says these are the bytes schemakit wrote; a text of unknown
    origin is parsed whole (a crafted layout could put another top-level-looking line first)."""
    if as_written and data.startswith(b'{\n  "'):
        ids, parents = _head_value(data, b"id"), _head_value(data, b"parent")
        if len(ids) == 1 and len(parents) <= 1:
            try:
                sid, parent = orjson.loads(ids[0]), orjson.loads(parents[0]) if parents else None
                if isinstance(sid, str) and (parent is None or isinstance(parent, str)):
                    return sid, parent
            except ValueError:
                pass  # not a plain value on its line: parse it all
    head = orjson.loads(data)
    return head["id"], head.get("parent")


class MigrationsDir:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.meta = self.path / "meta"

    # reading
    def journal(self) -> list[Entry]:
        p = self.meta / "_journal.json"
        if not p.exists():
            return []
        try:
            data = orjson.loads(p.read_bytes())  # orjson: C speed, UTF-8 checked the same
            entries = data["entries"]
            if not isinstance(entries, list):
                raise TypeError("entries is not a list")
            return [Entry(**e) for e in entries]
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise MigrationsDirError(f"{p}: not a valid journal ({type(exc).__name__}: {exc})") from None

    def up_path(self, name: str) -> Path:
        return self.path / f"{name}.sql"

    def down_path(self, name: str) -> Path:
        return self.path / f"{name}.down.sql"

    def snapshot_path(self, index: int) -> Path:
        return self.meta / f"{index:04d}_snapshot.json"

    def snapshot_bytes(self, index: int) -> bytes:
        """A snapshot's bytes, refusing one edited since the journal recorded it."""
        p = self.snapshot_path(index)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise MigrationsDirError(f"{p} is missing") from None
        except OSError as exc:
            raise MigrationsDirError(f"{p}: cannot read it ({exc.strerror})") from None
        problem = self._snapshot_edited(index, data)
        if problem:
            raise MigrationsDirError(problem)
        return data

    def read_snapshot(self, index: int) -> tuple[model.Database, str, str | None]:
        """Load a snapshot, refusing one edited since the journal recorded it or holding bad values."""
        p = self.snapshot_path(index)
        data = self.snapshot_bytes(index)
        try:
            return snapshot.loads(data.decode())
        except UnicodeDecodeError:
            raise MigrationsDirError(f"{p}: not UTF-8 text") from None
        except SnapshotError as exc:
            raise MigrationsDirError(f"{p}: not a valid snapshot: {exc}") from None

    def _snapshot_edited(self, index: int, data: bytes) -> str | None:
        entry = next((e for e in self.journal() if e.index == index), None)
        if entry is None or entry.snapshot is None or entry.snapshot == checksum(data):
            return None
        return (f"{self.snapshot_path(index)} was edited after it was generated (its checksum differs from the "
                "journal's); restore it, and change the schema module instead")

    def read_sql(self, path: Path) -> str:
        """A migration file's text; a UTF-8 byte order mark is dropped (the checksum keeps the bytes)."""
        try:
            return path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MigrationsDirError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    def latest(self) -> tuple[model.Database, str | None]:
        """The schema after the last migration, and its snapshot id (empty and None for a new folder)."""
        entries = self.journal()
        if not entries:
            return model.Database(), None
        db, sid, _ = self.read_snapshot(entries[-1].index)
        return db, sid

    def resolve(self, name: str) -> Entry:
        """Find a migration by stem (`0001_brave_otter`) or number (`0001`, `1`)."""
        entries = self.journal()
        for e in entries:
            if name == e.name:
                return e
        if name.isdigit():
            for e in entries:
                if e.index == int(name):
                    return e
        raise UsageError(f"no migration named {name!r} in {self.path}")

    def validate(self) -> list[str]:
        """Return every inconsistency: journal vs files, the snapshot chain, branch conflicts."""
        problems = []
        entries = self.journal()
        parents: dict[str | None, list[str]] = {}
        previous_id = None
        for pos, e in enumerate(entries):
            if e.index != pos:
                problems.append(f"journal entry {e.name}: index {e.index}, expected {pos}")
            if not self.up_path(e.name).exists():
                problems.append(f"{self.up_path(e.name).name} is in the journal but missing")
            try:  # only the chain and the checksum are needed here, not the model
                data = self.snapshot_path(e.index).read_bytes()
                as_written = e.snapshot is not None and e.snapshot == checksum(data)
                sid, parent = snapshot_head(data, as_written)
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                problems.append(f"{self.snapshot_path(e.index).name}: unreadable snapshot ({type(exc).__name__}: {exc})")
                continue
            if e.snapshot is not None and not as_written:
                problems.append(f"{self.snapshot_path(e.index).name} was edited after it was generated (checksum differs)")
            parents.setdefault(parent, []).append(self.snapshot_path(e.index).name)
            if parent != previous_id:
                problems.append(f"{self.snapshot_path(e.index).name}: parent {parent} is not the previous snapshot {previous_id}")
            previous_id = sid
        for parent, names in parents.items():
            if len(names) > 1:
                problems.append(f"branch conflict: {', '.join(names)} share parent {parent}; regenerate one branch")
        known = {e.name for e in entries}
        for f in sorted(self.path.glob("*.sql")) if self.path.exists() else []:
            stem = f.name.removesuffix(".down.sql").removesuffix(".sql")
            if stem not in known:
                problems.append(f"{f.name} is not in the journal (two branches both generated it?)")
        snaps = sorted(self.meta.glob("*_snapshot.json")) if self.meta.exists() else []
        if len(snaps) > len(entries):
            problems.append(f"{len(snaps)} snapshots for {len(entries)} journal entries: a branch conflict?")
        return problems

    def ensure_valid(self) -> None:
        problems = self.validate()
        if problems:
            raise MigrationsDirError(f"migrations folder {self.path} is inconsistent: " + "; ".join(problems))

    # writing
    def next_name(self, index: int, name: str | None) -> str:
        if name:
            return f"{index:04d}_{slug(name)}"
        rng = random.SystemRandom()
        return f"{index:04d}_{rng.choice(ADJECTIVES)}_{rng.choice(NOUNS)}"

    def write(self, entry: Entry, up: str, down: str, snapshot_text: str) -> list[Path]:
        """Write one migration's files and append its journal entry; return the paths written."""
        self.meta.mkdir(parents=True, exist_ok=True)
        attributes = self.path / ".gitattributes"
        if not attributes.exists():
            attributes.write_bytes(GITATTRIBUTES.encode())
        entry = replace(entry, snapshot=checksum(snapshot_text.encode()))
        paths = [self.up_path(entry.name), self.down_path(entry.name), self.snapshot_path(entry.index)]
        for p, text in zip(paths, (up, down, snapshot_text), strict=True):
            if p.exists():
                raise MigrationsDirError(f"{p} exists already; files are never rewritten")
            p.write_bytes(text.encode())  # bytes: no newline translation, the checksum is over these
        entries = self.journal() + [entry]
        journal = {"version": JOURNAL_VERSION, "dialect": "postgresql", "entries": [asdict(e) for e in entries]}
        (self.meta / "_journal.json").write_bytes((json.dumps(journal, indent=2) + "\n").encode())
        return paths

    def drop_newest(self, count: int) -> None:
        """Remove the newest `count` migrations' files and journal entries (db_generate --update)."""
        entries = self.journal()
        for e in entries[len(entries) - count:]:
            for p in (self.up_path(e.name), self.down_path(e.name), self.snapshot_path(e.index)):
                p.unlink(missing_ok=True)
        journal = {"version": JOURNAL_VERSION, "dialect": "postgresql",
                   "entries": [asdict(e) for e in entries[:len(entries) - count]]}
        (self.meta / "_journal.json").write_text(json.dumps(journal, indent=2) + "\n")

def transaction_control(text: str, where: str = "SQL") -> list[str]:
    """The transaction-control statements (BEGIN, COMMIT, SAVEPOINT...) of a file, as 'statement N: KIND'."""
    from pglast import ast, parse_sql
    from pglast.parser import parse_sql_json

    statements = split_statements(text, where)  # refuses what does not parse, naming the line
    if '"TransactionStmt"' not in parse_sql_json(text):  # one pass in C: no Python tree per statement
        return []
    found = []
    for n, statement in enumerate(statements, 1):
        node = parse_sql(statement)[0].stmt
        if isinstance(node, ast.TransactionStmt):
            kind = node.kind.name.removeprefix("TRANS_STMT_").replace("_", " ")
            found.append(f"statement {n}: {kind}")
    return found


def refuse_transaction_control(where: str, text: str) -> None:
    """Refuse a transactional file that ends or splits its own transaction."""
    found = transaction_control(text, where)
    if found:
        raise MigrationsDirError(
            f"{where}: {', '.join(found)}: a transactional file runs in one transaction that schemakit commits; "
            f"remove the transaction control, or put `{NO_TRANSACTION}` on the file's first line"
        )
