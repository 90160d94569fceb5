"""The checksum line of a generated down file: edits to a down file are caught before it runs."""

from __future__ import annotations

from . import folder as md

DOWN_CHECKSUM = "-- schemakit:down-checksum "


def split_no_transaction(text: str) -> tuple[str, str]:
    """(the no-transaction header line or "", the rest of a generated file)."""
    if text.startswith(md.NO_TRANSACTION + "\n"):
        return md.NO_TRANSACTION + "\n", text[len(md.NO_TRANSACTION) + 1:]
    return "", text


def seal_down(text: str) -> str:
    """Put the checksum of a generated down file's body in its header, so edits are caught."""
    head, body = split_no_transaction(text)
    return f"{head}{DOWN_CHECKSUM}{md.checksum(body.encode())}\n{body}"


def down_is_intact(text: str) -> bool | None:
    """True/False for a sealed down file's body matching its checksum; None for an unsealed one."""
    text = split_no_transaction(text)[1]
    if not text.startswith(DOWN_CHECKSUM):
        return None
    first, _, body = text.partition("\n")
    return first[len(DOWN_CHECKSUM):].strip() == md.checksum(body.encode())


def unseal(text: str) -> str | None:
    """A down file's text without its checksum line; None when the body does not match it."""
    intact = down_is_intact(text)
    if intact is None:
        return text
    if not intact:
        return None
    head, body = split_no_transaction(text)
    return head + body.partition("\n")[2]
