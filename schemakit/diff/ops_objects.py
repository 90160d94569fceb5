"""Operations on schemas, extensions, enums, sequences and views."""

from __future__ import annotations

from dataclasses import field

from ..schema import model
from ..schema.frozen import frozen
from .ops_base import Op, Risk, dotted


@frozen
class CreateSchema(Op):
    name: str

    def describe(self) -> str:
        return f"create schema {self.name}"


@frozen
class DropSchema(Op):
    name: str

    def describe(self) -> str:
        return f"drop schema {self.name}"


@frozen
class CreateExtension(Op):
    extension: model.Extension

    def describe(self) -> str:
        return f"create extension {self.extension.name} in schema {self.extension.schema}"


@frozen
class DropExtension(Op):
    extension: model.Extension

    @property
    def risk(self) -> Risk:
        return Risk.MAY_FAIL  # refused while a column still uses one of its types

    def describe(self) -> str:
        return f"drop extension {self.extension.name}"


@frozen
class SetExtensionSchema(Op):
    name: str
    schema: str

    def describe(self) -> str:
        return f"move extension {self.name} to schema {self.schema}"


@frozen
class CreateEnum(Op):
    enum: model.Enum

    def describe(self) -> str:
        return f"create enum {dotted(*self.enum.key)}"


@frozen
class DropEnum(Op):
    enum: model.Enum

    def describe(self) -> str:
        return f"drop enum {dotted(*self.enum.key)}"


@frozen
class RenameEnum(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename enum {dotted(self.schema, self.old)} to {self.new}"


@frozen
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
        return f"add value {self.value!r} to enum {dotted(self.schema, self.name)}"


@frozen
class RenameEnumValue(Op):
    schema: str
    name: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename value {self.old!r} of enum {dotted(self.schema, self.name)} to {self.new!r}"


@frozen
class EnumColumn:
    schema: str
    table: str
    column: str
    had_default: bool  # dropped for the swap
    default: str | None  # put back after it (None: the column's own change sets it)
    array: bool = False


@frozen
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
            return f"reorder values of enum {dotted(*self.new.key)} (the type is swapped and every column using it rewritten)"
        return f"remove value(s) {', '.join(map(repr, gone))} from enum {dotted(*self.new.key)} (rows holding them make it fail)"


@frozen
class CreateSequence(Op):
    sequence: model.Sequence

    def describe(self) -> str:
        return f"create sequence {dotted(*self.sequence.key)}"


@frozen
class DropSequence(Op):
    sequence: model.Sequence

    def describe(self) -> str:
        return f"drop sequence {dotted(*self.sequence.key)}"


@frozen
class AlterSequence(Op):
    old: model.Sequence
    new: model.Sequence

    def describe(self) -> str:
        (o_lo, o_hi), (n_lo, n_hi) = model.sequence_bounds(self.old), model.sequence_bounds(self.new)
        narrows = n_lo > o_lo or n_hi < o_hi
        tail = " (a current value outside the new bounds moves just inside them)" if narrows else ""
        return f"alter sequence {dotted(*self.new.key)}{tail}"


@frozen
class SetSequenceOwner(Op):
    schema: str
    name: str
    owned_by: tuple[str, str, str] | None

    def describe(self) -> str:
        return f"set owner of sequence {dotted(self.schema, self.name)}"


@frozen
class CreateView(Op):
    view: model.View

    def describe(self) -> str:
        kind = "materialized view" if self.view.materialized else "view"
        return f"create {kind} {dotted(*self.view.key)}"


@frozen
class DropView(Op):
    view: model.View

    def describe(self) -> str:
        kind = "materialized view" if self.view.materialized else "view"
        return f"drop {kind} {dotted(*self.view.key)}"


@frozen
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
        return f"alter view {dotted(*self.new.key)} options: {', '.join(changes)}"


@frozen
class RenameSequence(Op):
    schema: str
    old: str
    new: str

    def describe(self) -> str:
        return f"rename sequence {dotted(self.schema, self.old)} to {self.new}"
