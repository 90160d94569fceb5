"""One small exception class per expected failure; commands print them as one line."""

from __future__ import annotations


class SchemaKitError(Exception):
    """An expected failure: printed as one line by every command, never a traceback."""

    exit_code = 1


class SchemaError(SchemaKitError):
    """The schema module is wrong: the message names the table and column."""


class ConfigError(SchemaKitError):
    """A SCHEMAKIT setting or the database alias is wrong."""


class MigrationsDirError(SchemaKitError):
    """The migrations folder is inconsistent (journal, files, snapshot chain)."""


class ChecksumError(SchemaKitError):
    """An applied migration file was edited or is missing."""


class StatementError(SchemaKitError):
    """A statement failed: names the file, the 1-based statement number and PostgreSQL's message."""

    def __init__(self, where: str, number: int, message: str) -> None:
        self.where, self.number, self.pg_message = where, number, message
        super().__init__(f"{where}: statement {number} failed: {message}")


class DriftError(SchemaKitError):
    """The live schema differs from the snapshot db_migrate expected."""


class LockNotAvailable(StatementError):
    """A statement timed out waiting for a lock on every attempt; the message names who held it."""


class Interrupted(SchemaKitError):
    """SIGINT or SIGTERM: the running statement was cancelled and rolled back."""

    def __init__(self, message: str, exit_code: int = 130) -> None:
        self.exit_code = exit_code
        super().__init__(message)


class DatabaseUnavailable(SchemaKitError):
    """The database cannot be reached."""


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
