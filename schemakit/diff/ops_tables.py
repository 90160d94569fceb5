"""Operations on tables: columns, constraints, indexes, comments, serial sequences."""

from __future__ import annotations

from dataclasses import field

from ..schema import model
from ..schema.frozen import frozen
from .ops_base import Cast, Op, Risk, dotted, suffixed


@frozen
class CreateTable(Op):
    table: model.Table  # foreign keys and indexes are separate operations

    def describe(self) -> str:
        return f"create table {dotted(*self.table.key)}"


@frozen
class DropTable(Op):
    table: model.Table

    @property
    def risk(self) -> Risk:
        return Risk.DATA_LOSS

    def describe(self) -> str:
        return f"drop table {dotted(*self.table.key)} and all its rows"


@frozen
class RenameTable(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename table {dotted(self.schema, self.old)} to {self.new}"


@frozen
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
        return f"add column {dotted(self.schema, self.table)}.{self.column.name}{tail}"


@frozen
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
            return f"drop generated column {dotted(self.schema, self.table)}.{self.column.name} (added back after the change)"
        return f"drop column {dotted(self.schema, self.table)}.{self.column.name} and its data"


@frozen
class RenameColumn(Op):
    schema: str
    table: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename column {dotted(self.schema, self.table)}.{self.old} to {self.new}"


@frozen
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
        return f"change type of {dotted(self.schema, self.table)}.{self.column} from {self.old_type} to {self.new_type}{note}"


@frozen
class SetNotNull(Op):
    schema: str
    table: str
    column: str
    online: bool = field(default=False, compare=False)  # may go through a CHECK validated separately

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL

    def describe(self) -> str:
        return f"set NOT NULL on {dotted(self.schema, self.table)}.{self.column} (fails if it holds nulls)"


@frozen
class DropNotNull(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"drop NOT NULL on {dotted(self.schema, self.table)}.{self.column}"


@frozen
class SetDefault(Op):
    schema: str
    table: str
    column: str
    default: str

    def describe(self) -> str:
        return f"set default of {dotted(self.schema, self.table)}.{self.column}"


@frozen
class DropDefault(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"drop default of {dotted(self.schema, self.table)}.{self.column}"


@frozen
class AddIdentity(Op):
    schema: str
    table: str
    column: str
    identity: model.Identity

    def describe(self) -> str:
        return f"add identity to {dotted(self.schema, self.table)}.{self.column}"


@frozen
class DropIdentity(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"drop identity of {dotted(self.schema, self.table)}.{self.column}"


@frozen
class AlterIdentity(Op):
    schema: str
    table: str
    column: str
    identity: model.Identity
    old: model.Identity

    def describe(self) -> str:
        return f"alter identity of {dotted(self.schema, self.table)}.{self.column}"


@frozen
class DropExpression(Op):
    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"make generated column {dotted(self.schema, self.table)}.{self.column} a plain column"


@frozen
class CommentOnTable(Op):
    schema: str
    table: str
    comment: str | None

    def describe(self) -> str:
        return f"set comment on table {dotted(self.schema, self.table)}"


@frozen
class CommentOnColumn(Op):
    schema: str
    table: str
    column: str
    comment: str | None

    def describe(self) -> str:
        return f"set comment on column {dotted(self.schema, self.table)}.{self.column}"


Constraint = model.PrimaryKey | model.Unique | model.Check | model.ForeignKey


@frozen
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
        return f"add constraint {self.constraint.name} on {dotted(self.schema, self.table)}{tail}"


@frozen
class DropConstraint(Op):
    schema: str
    table: str
    constraint: Constraint

    def describe(self) -> str:
        state = "NOT VALID " if getattr(self.constraint, "validated", True) is False else ""
        return f"drop {state}constraint {self.constraint.name} on {dotted(self.schema, self.table)}"


@frozen
class RenameConstraint(Op):
    schema: str
    table: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename constraint {self.old} on {dotted(self.schema, self.table)} to {self.new}"


@frozen
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
        return f"create index {self.index.name} on {dotted(self.schema, self.table)}{tail}"


@frozen
class DropIndex(Op):
    schema: str
    index: model.Index

    @property
    def transactional(self) -> bool:
        return not self.index.concurrently

    def describe(self) -> str:
        return f"drop {'' if self.index.valid else 'INVALID '}index {dotted(self.schema, self.index.name)}"


@frozen
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
        return f"rebuild index {self.new.name} on {dotted(self.schema, self.table)} concurrently{tail}"


@frozen
class RenameIndex(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename index {dotted(self.schema, self.old)} to {self.new}"


@frozen
class AddSerialSequence(Op):
    """Turn a plain integer column into a serial one: an owned sequence and its default."""

    schema: str
    table: str
    column: str
    type: str
    name: str
    reuse: bool = False  # the sequence exists already (it was a standalone one): reshape it

    def describe(self) -> str:
        return f"make {dotted(self.schema, self.table)}.{self.column} serial"


@frozen
class DropSerialSequence(Op):
    schema: str
    name: str
    keep: model.Sequence | None = None  # the sequence lives on as this standalone one

    def describe(self) -> str:
        if self.keep is not None:
            return f"keep sequence {dotted(self.schema, self.name)} as a standalone sequence"
        return f"drop serial sequence {dotted(self.schema, self.name)}"


@frozen
class AlterSequenceType(Op):
    schema: str
    name: str
    type: str

    def describe(self) -> str:
        return f"change type of sequence {dotted(self.schema, self.name)} to {self.type}"


@frozen
class AddNotNullCheck(Op):
    """First half of an online SET NOT NULL: a CHECK (col IS NOT NULL) NOT VALID, taken instantly."""

    schema: str
    table: str
    column: str
    name: str

    def describe(self) -> str:
        return f"add NOT VALID check {self.name} (NOT NULL on {dotted(self.schema, self.table)}.{self.column}, step 1)"


@frozen
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
        return f"set NOT NULL on {dotted(self.schema, self.table)}.{self.column} (fails if it holds nulls)"


@frozen
class SyncSequence(Op):
    """After a column gets a new sequence (identity or serial): continue after its largest value."""

    schema: str
    table: str
    column: str

    def describe(self) -> str:
        return f"move the sequence of {dotted(self.schema, self.table)}.{self.column} past its largest value"
