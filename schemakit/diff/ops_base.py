"""What every operation is: a frozen dataclass with a risk, a transaction mode and a description."""

from __future__ import annotations

import enum

from ..schema.frozen import frozen


class Risk(enum.IntEnum):
    SAFE = 0
    MAY_FAIL = 1  # may fail on existing data (a cast, NOT NULL, a new unique constraint)
    DATA_LOSS = 2  # drops data


class Cast(enum.Enum):
    """The USING of a type change: `col::new`, or through text for enums and other user types."""

    DIRECT = "direct"
    VIA_TEXT = "via text"


@frozen
class Op:
    @property
    def risk(self) -> Risk:
        return Risk.SAFE

    @property
    def transactional(self) -> bool:
        return True

    def describe(self) -> str:
        return type(self).__name__


def dotted(schema: str, name: str) -> str:
    return f"{schema}.{name}"


def suffixed(name: str, suffix: str) -> str:
    """`name` + `suffix`, the name cut so the whole fits PostgreSQL's 63 bytes."""
    room = 63 - len(suffix.encode())
    return name.encode()[:room].decode(errors="ignore") + suffix


def swapped_name(name: str) -> str:
    """The name an enum's old type has while a RecreateEnum swap is under way."""
    return suffixed(name, "__old")
