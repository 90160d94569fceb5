"""The terminal questioner: asks whether a removed/added pair is a rename (default: no)."""

from __future__ import annotations


def terminal_questioner(out):
    def ask(kind: str, old: str, new: str) -> bool:
        out.write(f"Is {kind} {old} renamed to {new}? [y/N] ", ending="")
        out.flush()
        answer = input().strip().lower()
        return answer in ("y", "yes")

    return ask
