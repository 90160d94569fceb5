"""One small exception class per expected failure; commands print them as one line."""

from __future__ import annotations

import unicodedata


def one_line(message: str) -> str:
    """Escape line breaks and control characters (a name may hold them) so a message stays one line."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in message)


class SchemaKitError(Exception):
    """An expected failure: printed as one line by every command, never a traceback."""

    exit_code = 1

    def __init__(self, *args: object) -> None:
        if len(args) == 1 and isinstance(args[0], str) and type(self).__init__ is SchemaKitError.__init__:
            args = (one_line(args[0]),)  # classes with their own __init__ (a list of choices) keep their lines
        super().__init__(*args)


class SchemaError(SchemaKitError):
    """The schema module is wrong: the message names the table and column."""


class SchemaImportError(SchemaError):
    """The schema module does not import (missing, SyntaxError, NameError...): names its file and line."""

    @classmethod
    def from_exception(cls, module: str, exc: BaseException) -> SchemaImportError:
        if isinstance(exc, ModuleNotFoundError) and exc.name and (module + ".").startswith(exc.name + "."):
            return cls(f"cannot import schema module {module!r}: no such module")
        return cls(f"cannot import schema module {module!r}: {_where(exc)}{type(exc).__name__}: {_text(exc)}")


def located(exc: SchemaError) -> SchemaError:
    """`exc` with the user's file and line in front, when it was raised while their module ran."""
    where = _where(exc)
    if where and not str(exc).startswith(where):
        exc.args = (f"{where}{exc}",)
    return exc


def _text(exc: BaseException) -> str:
    text = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)
    return " ".join(text.split())  # one line


def _where(exc: BaseException) -> str:
    """'file:line: ' of the user's code that failed (a SyntaxError knows it; else the deepest user frame)."""
    import traceback

    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}: "
    package = __file__.rpartition("/")[0]
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not f.filename.startswith(("<frozen", package))]
    return f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""


def pg_error_line(exc: BaseException) -> str:
    """One line for a database error: PostgreSQL's message and its SQLSTATE, when it has one."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None)
    lines = str(exc).strip().splitlines()
    text = " ".join((primary or (lines[0] if lines else type(exc).__name__)).split())
    sqlstate = getattr(exc, "sqlstate", None) or getattr(diag, "sqlstate", None)
    return f"{text} [{sqlstate}]" if sqlstate else text


class ConfigError(SchemaKitError):
    """A SCHEMAKIT setting or the database alias is wrong."""


class MigrationsDirError(SchemaKitError):
    """The migrations folder is inconsistent (journal, files, snapshot chain)."""


class SnapshotError(MigrationsDirError):
    """A snapshot file is not valid data (its message names the key)."""


class ChecksumError(SchemaKitError):
    """An applied migration file was edited or is missing."""


class StatementError(SchemaKitError):
    """A statement failed: names the file, the 1-based statement number and PostgreSQL's message."""

    def __init__(self, where: str, number: int, message: str) -> None:
        self.where, self.number, self.pg_message = where, number, message
        Exception.__init__(self, one_line(f"{where}: statement {number} failed: {message}"))


class DriftError(SchemaKitError):
    """The live schema differs from the snapshot db_migrate expected."""


class BuildError(SchemaKitError):
    """The schema does not build on PostgreSQL: names the statement that fails."""


class CannotCanonicalise(SchemaKitError):
    """The role may build no copy of the schema in the database (no CREATE on it, no CREATEDB)."""


class LockNotAvailable(StatementError):
    """A statement timed out waiting for a lock on every attempt; the message names who held it."""


class Interrupted(SchemaKitError):
    """SIGINT or SIGTERM: the running statement was cancelled and rolled back."""

    def __init__(self, message: str, exit_code: int = 130) -> None:
        self.exit_code = exit_code
        super().__init__(message)


class DatabaseUnavailable(SchemaKitError):
    """The database cannot be reached."""


class TrackingTableError(SchemaKitError):
    """The tracking table cannot be read or written (usually a missing privilege)."""


class LockTimeout(SchemaKitError):
    """Another schemakit run held the migration lock for too long."""


class RenameAmbiguity(SchemaKitError):
    """Rename candidates need an answer and no terminal can give one."""

    exit_code = 3

    def __init__(self, choices: list[str]) -> None:
        self.choices = choices
        lines = "\n".join(f"  --rename {c}" for c in choices)
        super().__init__(
            "ambiguous changes: each may be a rename or a drop and a create.\n"
            f"Answer with one of these (or --no-renames for drop and create):\n{lines}"
        )


class UsageError(SchemaKitError):
    """A command-line argument is wrong."""

    exit_code = 2


class DataLossRefused(SchemaKitError):
    """A plan would lose data and nobody said yes."""


class NotSupported(SchemaKitError):
    """The server is too old for a feature the schema uses."""


class SqlSyntaxError(MigrationsDirError):
    """PostgreSQL's parser cannot read a migration file: names the file and the line."""

    def __init__(self, message: str, line: int = 0, reason: str = "") -> None:
        Exception.__init__(self, one_line(message))
        self.line, self.reason = line, reason  # reason: the parser's own words
