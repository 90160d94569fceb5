"""Operations: what a migration does, one small frozen dataclass per SQL verb."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..schema import model


class Risk(enum.IntEnum):
    SAFE = 0
    MAY_FAIL = 1  # may fail on existing data (a cast, NOT NULL, a new unique constraint)
    DATA_LOSS = 2  # drops data


class Cast(enum.Enum):
    """The USING of a type change: `col::new`, or through text for enums and other user types."""

    DIRECT = "direct"
    VIA_TEXT = "via text"


@dataclass(frozen=True, slots=True)
class Op:
    @property
    def risk(self) -> Risk:
        return Risk.SAFE

    @property
    def transactional(self) -> bool:
        return True

    def describe(self) -> str:
        return type(self).__name__


def _q(schema: str, name: str) -> str:
    return f"{schema}.{name}"


@dataclass(frozen=True, slots=True)
class CreateSchema(Op):
    name: str

    def describe(self) -> str:
        return f"create schema {self.name}"


@dataclass(frozen=True, slots=True)
class DropSchema(Op):
    name: str

    def describe(self) -> str:
        return f"drop schema {self.name}"


@dataclass(frozen=True, slots=True)
class CreateExtension(Op):
    extension: model.Extension

    def describe(self) -> str:
        return f"create extension {self.extension.name} in schema {self.extension.schema}"


@dataclass(frozen=True, slots=True)
class DropExtension(Op):
    extension: model.Extension

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL  # refused while a column still uses one of its types

    def describe(self) -> str:
        return f"drop extension {self.extension.name}"


@dataclass(frozen=True, slots=True)
class SetExtensionSchema(Op):
    name: str
    schema: str

    def describe(self) -> str:
        return f"move extension {self.name} to schema {self.schema}"


@dataclass(frozen=True, slots=True)
class CreateEnum(Op):
    enum: model.Enum

    def describe(self) -> str:
        return f"create enum {_q(*self.enum.key)}"


@dataclass(frozen=True, slots=True)
class DropEnum(Op):
    enum: model.Enum

    def describe(self) -> str:
        return f"drop enum {_q(*self.enum.key)}"


@dataclass(frozen=True, slots=True)
class RenameEnum(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename enum {_q(self.schema, self.old)} to {self.new}"


@dataclass(frozen=True, slots=True)
class AddEnumValue(Op):
    schema: str
    name: str
    value: str
    before: str | None = None
    after: str | None = None
    early: bool = field(default=False, compare=False)  # the change uses it: committed first, alone

    @property
    def transactional(self) -> bool:
        return not self.early

    def describe(self) -> str:
        return f"add value {self.value!r} to enum {_q(self.schema, self.name)}"


@dataclass(frozen=True, slots=True)
class RenameEnumValue(Op):
    schema: str
    name: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename value {self.old!r} of enum {_q(self.schema, self.name)} to {self.new!r}"


@dataclass(frozen=True, slots=True)
class EnumColumn:
    schema: str
    table: str
    column: str
    had_default: bool  # dropped for the swap
    default: str | None  # put back after it (None: the column's own change sets it)
    array: bool = False


def suffixed(name: str, suffix: str) -> str:
    """`name` + `suffix`, the name cut so the whole fits PostgreSQL's 63 bytes."""
    room = 63 - len(suffix.encode())
    return name.encode()[:room].decode(errors="ignore") + suffix


def swapped_name(name: str) -> str:
    """The name an enum's old type has while a RecreateEnum swap is under way."""
    return suffixed(name, "__old")


@dataclass(frozen=True, slots=True)
class RecreateEnum(Op):
    """Remove values: swap in a new type, casting every column that uses it."""

    old: model.Enum
    new: model.Enum
    columns: tuple[EnumColumn, ...]

    @property
    def risk(self) -> Risk:
        return Risk.DATA_LOSS

    def describe(self) -> str:
        gone = [v for v in self.old.values if v not in self.new.values]
        if not gone:
            return f"reorder values of enum {_q(*self.new.key)} (the type is swapped and every column using it rewritten)"
        return f"remove value(s) {', '.join(map(repr, gone))} from enum {_q(*self.new.key)} (rows holding them make it fail)"


@dataclass(frozen=True, slots=True)
class CreateSequence(Op):
    sequence: model.Sequence

    def describe(self) -> str:
        return f"create sequence {_q(*self.sequence.key)}"


@dataclass(frozen=True, slots=True)
class DropSequence(Op):
    sequence: model.Sequence

    def describe(self) -> str:
        return f"drop sequence {_q(*self.sequence.key)}"


@dataclass(frozen=True, slots=True)
class AlterSequence(Op):
    old: model.Sequence
    new: model.Sequence

    def describe(self) -> str:
        (o_lo, o_hi), (n_lo, n_hi) = model.sequence_bounds(self.old), model.sequence_bounds(self.new)
        narrows = n_lo > o_lo or n_hi < o_hi
        tail = " (a current value outside the new bounds moves just inside them)" if narrows else ""
        return f"alter sequence {_q(*self.new.key)}{tail}"


@dataclass(frozen=True, slots=True)
class SetSequenceOwner(Op):
    schema: str
    name: str
    owned_by: tuple[str, str, str] | None

    def describe(self) -> str:
        return f"set owner of sequence {_q(self.schema, self.name)}"


@dataclass(frozen=True, slots=True)
class CreateTable(Op):
    table: model.Table  # foreign keys and indexes are separate operations

    def describe(self) -> str:
        return f"create table {_q(*self.table.key)}"


@dataclass(frozen=True, slots=True)
class DropTable(Op):
    table: model.Table

    @property
    def risk(self) -> Risk:
        return Risk.DATA_LOSS

    def describe(self) -> str:
        return f"drop table {_q(*self.table.key)} and all its rows"


@dataclass(frozen=True, slots=True)
class RenameTable(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename table {_q(self.schema, self.old)} to {self.new}"


@dataclass(frozen=True, slots=True)
class AddColumn(Op):
    schema: str
    table: str
    column: model.Column

    @property
    def risk(self) -> Risk:
        c = self.column
        fills = c.default is not None or c.identity or c.generated or c.type in model.SERIAL_TYPES
        return Risk.MAY_FAIL if c.not_null and not fills else Risk.SAFE

    def describe(self) -> str:
        tail = " (NOT NULL without a default: fails if the table has rows)" if self.risk else ""
        return f"add column {_q(self.schema, self.table)}.{self.column.name}{tail}"


@dataclass(frozen=True, slots=True)
class DropColumn(Op):
    schema: str
    table: str
    column: model.Column
    regenerate: bool = field(default=False, compare=False)  # a generated column added back later: nothing is lost

    @property
    def risk(self) -> Risk:
        return Risk.SAFE if self.regenerate else Risk.DATA_LOSS

    def describe(self) -> str:
        if self.regenerate:
            return f"drop generated column {_q(self.schema, self.table)}.{self.column.name} (added back after the change)"
        return f"drop column {_q(self.schema, self.table)}.{self.column.name} and its data"


@dataclass(frozen=True, slots=True)
class RenameColumn(Op):
    schema: str
    table: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename column {_q(self.schema, self.table)}.{self.old} to {self.new}"


@dataclass(frozen=True, slots=True)
class AlterColumnType(Op):
    schema: str
    table: str
    column: str
    old_type: str
    new_type: str
    cast: Cast | None  # how existing values are cast (USING); None: by assignment
    narrowing: bool  # some value may not survive the cast unchanged; otherwise every value does, USING or not
    truncates_to: int | None = None  # an explicit cast to varchar(n)/char(n) cuts longer values silently

    @property
    def risk(self) -> Risk:
        return Risk.DATA_LOSS if self.narrowing else Risk.SAFE

    def describe(self) -> str:
        note = ""
        if self.narrowing and self.truncates_to is not None:
            note = f" (narrowing: values longer than {self.truncates_to} characters are truncated)"
        elif self.narrowing:
            note = " (narrowing: values may change or not fit)"
        return f"change type of {_q(self.schema, self.table)}.{self.column} from {self.old_type} to {self.new_type}{note}"


@dataclass(frozen=True, slots=True)
class SetNotNull(Op):
    schema: str
    table: str
    column: str
    online: bool = field(default=False, compare=False)  # may go through a CHECK validated separately

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL

    def describe(self) -> str:
        return f"set NOT NULL on {_q(self.schema, self.table)}.{self.column} (fails if it holds nulls)"


@dataclass(frozen=True, slots=True)
class DropNotNull(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"drop NOT NULL on {_q(self.schema, self.table)}.{self.column}"


@dataclass(frozen=True, slots=True)
class SetDefault(Op):
    schema: str
    table: str
    column: str
    default: str

    def describe(self) -> str:
        return f"set default of {_q(self.schema, self.table)}.{self.column}"


@dataclass(frozen=True, slots=True)
class DropDefault(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"drop default of {_q(self.schema, self.table)}.{self.column}"


@dataclass(frozen=True, slots=True)
class AddIdentity(Op):
    schema: str
    table: str
    column: str
    identity: model.Identity

    def describe(self) -> str:
        return f"add identity to {_q(self.schema, self.table)}.{self.column}"


@dataclass(frozen=True, slots=True)
class DropIdentity(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"drop identity of {_q(self.schema, self.table)}.{self.column}"


@dataclass(frozen=True, slots=True)
class AlterIdentity(Op):
    schema: str
    table: str
    column: str
    identity: model.Identity
    old: model.Identity

    def describe(self) -> str:
        return f"alter identity of {_q(self.schema, self.table)}.{self.column}"


@dataclass(frozen=True, slots=True)
class DropExpression(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"make generated column {_q(self.schema, self.table)}.{self.column} a plain column"


@dataclass(frozen=True, slots=True)
class CommentOnTable(Op):
    schema: str
    table: str
    comment: str | None

    def describe(self) -> str:
        return f"set comment on table {_q(self.schema, self.table)}"


@dataclass(frozen=True, slots=True)
class CommentOnColumn(Op):
    schema: str
    table: str
    column: str
    comment: str | None

    def describe(self) -> str:
        return f"set comment on column {_q(self.schema, self.table)}.{self.column}"


Constraint = model.PrimaryKey | model.Unique | model.Check | model.ForeignKey


@dataclass(frozen=True, slots=True)
class AddConstraint(Op):
    schema: str
    table: str
    constraint: Constraint
    fresh: bool = field(default=False, compare=False)  # on a table this plan creates

    @property
    def risk(self) -> Risk:
        return Risk.SAFE if self.fresh else Risk.MAY_FAIL

    def describe(self) -> str:
        tail = "" if self.fresh else " (fails if existing rows violate it)"
        return f"add constraint {self.constraint.name} on {_q(self.schema, self.table)}{tail}"


@dataclass(frozen=True, slots=True)
class DropConstraint(Op):
    schema: str
    table: str
    constraint: Constraint

    def describe(self) -> str:
        state = "NOT VALID " if getattr(self.constraint, "validated", True) is False else ""
        return f"drop {state}constraint {self.constraint.name} on {_q(self.schema, self.table)}"


@dataclass(frozen=True, slots=True)
class RenameConstraint(Op):
    schema: str
    table: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename constraint {self.old} on {_q(self.schema, self.table)} to {self.new}"


@dataclass(frozen=True, slots=True)
class CreateIndex(Op):
    schema: str
    table: str
    index: model.Index
    fresh: bool = field(default=False, compare=False)

    @property
    def transactional(self) -> bool:
        return not self.index.concurrently

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL if self.index.unique and not self.fresh else Risk.SAFE

    def describe(self) -> str:
        tail = " (unique: fails if existing rows hold duplicates)" if self.risk else ""
        return f"create index {self.index.name} on {_q(self.schema, self.table)}{tail}"


@dataclass(frozen=True, slots=True)
class DropIndex(Op):
    schema: str
    index: model.Index

    @property
    def transactional(self) -> bool:
        return not self.index.concurrently

    def describe(self) -> str:
        return f"drop {'' if self.index.valid else 'INVALID '}index {_q(self.schema, self.index.name)}"


@dataclass(frozen=True, slots=True)
class ReplaceIndex(Op):
    """Change a CONCURRENTLY index without a moment when it is missing: build the new one under a
    temporary name, drop the old one, rename the new one; all outside a transaction."""

    schema: str
    table: str
    old: model.Index
    new: model.Index

    @property
    def transactional(self) -> bool:
        return False

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL if self.new.unique else Risk.SAFE

    @property
    def temporary(self) -> str:
        return suffixed(self.new.name, "__new")

    def describe(self) -> str:
        tail = " (unique: fails if existing rows hold duplicates)" if self.risk else ""
        return f"rebuild index {self.new.name} on {_q(self.schema, self.table)} concurrently{tail}"


@dataclass(frozen=True, slots=True)
class RenameIndex(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename index {_q(self.schema, self.old)} to {self.new}"


@dataclass(frozen=True, slots=True)
class CreateView(Op):
    view: model.View

    def describe(self) -> str:
        kind = "materialized view" if self.view.materialized else "view"
        return f"create {kind} {_q(*self.view.key)}"


@dataclass(frozen=True, slots=True)
class DropView(Op):
    view: model.View

    def describe(self) -> str:
        kind = "materialized view" if self.view.materialized else "view"
        return f"drop {kind} {_q(*self.view.key)}"


@dataclass(frozen=True, slots=True)
class AlterViewOptions(Op):
    """security_barrier, security_invoker, check_option: changed in place, the view stays."""

    old: model.View
    new: model.View

    def describe(self) -> str:
        names = ("security_barrier", "security_invoker", "check_option")

        def show(value: bool | str | None) -> str:
            return value if isinstance(value, str) else "on" if value else "off"

        changes = [f"{n} {show(getattr(self.old, n))} -> {show(getattr(self.new, n))}" for n in names
                   if getattr(self.old, n) != getattr(self.new, n)]
        return f"alter view {_q(*self.new.key)} options: {', '.join(changes)}"


@dataclass(frozen=True, slots=True)
class RenameSequence(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename sequence {_q(self.schema, self.old)} to {self.new}"


@dataclass(frozen=True, slots=True)
class AddSerialSequence(Op):
    """Turn a plain integer column into a serial one: an owned sequence and its default."""

    schema: str
    table: str
    column: str
    type: str
    name: str
    reuse: bool = False  # the sequence exists already (it was a standalone one): reshape it

    def describe(self) -> str:
        return f"make {_q(self.schema, self.table)}.{self.column} serial"


@dataclass(frozen=True, slots=True)
class DropSerialSequence(Op):
    schema: str
    name: str
    keep: model.Sequence | None = None  # the sequence lives on as this standalone one

    def describe(self) -> str:
        if self.keep is not None:
            return f"keep sequence {_q(self.schema, self.name)} as a standalone sequence"
        return f"drop serial sequence {_q(self.schema, self.name)}"


@dataclass(frozen=True, slots=True)
class AlterSequenceType(Op):
    schema: str
    name: str
    type: str

    def describe(self) -> str:
        return f"change type of sequence {_q(self.schema, self.name)} to {self.type}"


@dataclass(frozen=True, slots=True)
class AddNotNullCheck(Op):
    """First half of an online SET NOT NULL: a CHECK (col IS NOT NULL) NOT VALID, taken instantly."""

    schema: str
    table: str
    column: str
    name: str

    def describe(self) -> str:
        return f"add NOT VALID check {self.name} (NOT NULL on {_q(self.schema, self.table)}.{self.column}, step 1)"


@dataclass(frozen=True, slots=True)
class ValidateNotNull(Op):
    """Second half, outside a transaction: validate (no long lock), SET NOT NULL (no scan), drop the check."""

    schema: str
    table: str
    column: str
    name: str

    @property
    def transactional(self) -> bool:
        return False

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL

    def describe(self) -> str:
        return f"set NOT NULL on {_q(self.schema, self.table)}.{self.column} (fails if it holds nulls)"


@dataclass(frozen=True, slots=True)
class SyncSequence(Op):
    """After a column gets a new sequence (identity or serial): continue after its largest value."""

    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"move the sequence of {_q(self.schema, self.table)}.{self.column} past its largest value"
