"""Type-change rules: which casts need USING and which may lose data."""

from __future__ import annotations

import re

from .ops import Cast

_INTS = ["smallint", "integer", "bigint"]
_MOD = re.compile(r"^(.*?)(?:\((\d+)(?:,(\d+))?\))?( with(?:out)? time zone)?(\[\])?$")
_STRINGS = ("text", "character varying", "character")


def _split(t: str) -> tuple[str, int | None, int | None, bool]:
    m = _MOD.match(t)
    assert m is not None
    base = m.group(1) + (m.group(4) or "")
    p = int(m.group(2)) if m.group(2) else None
    s = int(m.group(3)) if m.group(3) else None
    return base, p, s, bool(m.group(5))


def _implicit(old: str, new: str) -> bool:
    """True when PostgreSQL converts old to new by assignment, so no USING is needed."""
    ob, _, _, oa = _split(old)
    nb, _, _, na = _split(new)
    if oa != na:
        return False
    if ob == nb:
        return True
    if ob in _STRINGS and nb in _STRINGS:
        return True
    if ob in _INTS and nb in _INTS + ["numeric", "real", "double precision"]:
        return True
    if ob == "numeric" and nb in ("real", "double precision"):
        return True
    return ob == "real" and nb == "double precision"


def cast_kind(old: str, new: str) -> Cast | None:
    """How a type change casts existing values: None where assignment converts them (no USING)."""
    if _implicit(old, new):
        return None
    if new in ("text", "text[]"):  # every type has a text form: one cast
        return Cast.DIRECT
    if old.startswith('"') or new.startswith('"'):  # enums and other user types go through text
        return Cast.VIA_TEXT
    return Cast.DIRECT


_INT_DIGITS = {"smallint": 5, "integer": 10, "bigint": 19}  # decimal digits of the largest value
_INT_BITS = {"smallint": 15, "integer": 31, "bigint": 63}
_FLOAT_BITS = {"real": 24, "double precision": 53}  # mantissa: integers up to 2**bits are exact
_TIMES = ("time without time zone", "time with time zone", "timestamp without time zone",
          "timestamp with time zone", "interval")

# the precision a type has when none is written (not listed: unlimited)
_DEFAULT_PRECISION = {"character": 1, **{t: 6 for t in _TIMES}}

Mods = tuple[int | None, int | None]  # (precision or length, scale) as written; None: not written


def _precision(base: str, p: int | None) -> int | None:
    return p if p is not None else _DEFAULT_PRECISION.get(base)


def _not_shorter(base: str) -> object:
    def rule(o: Mods, n: Mods) -> bool:
        op, np_ = _precision(base, o[0]), _precision(base, n[0])
        return np_ is None or (op is not None and np_ >= op)
    return rule


def _numeric_holds(o: Mods, n: Mods) -> bool:
    """numeric(p, s) -> numeric(p2, s2) keeps every value: as many integer digits and as many decimals."""
    if n[0] is None:
        return True
    if o[0] is None:
        return False
    return n[0] - (n[1] or 0) >= o[0] - (o[1] or 0) and (n[1] or 0) >= (o[1] or 0)


def _int_to_numeric(digits: int) -> object:
    return lambda o, n: n[0] is None or n[0] - (n[1] or 0) >= digits


def _numeric_to_int(digits: int) -> object:
    return lambda o, n: o[0] is not None and (o[1] or 0) == 0 and o[0] < digits


def _always(o: Mods, n: Mods) -> bool:
    return True


def _to_unlimited_text(o: Mods, n: Mods) -> bool:
    return n[0] is None


# (old base type, new base type) -> does every value of the old type survive the cast unchanged?
# A pair that is not here is data loss: the cast can fail, round, truncate, pad or reinterpret.
EXACT: dict[tuple[str, str], object] = {
    **{(a, b): _always for a in _INTS for b in _INTS if _INTS.index(b) >= _INTS.index(a)},
    **{(a, f): _always for a in _INTS for f in _FLOAT_BITS if _INT_BITS[a] <= _FLOAT_BITS[f]},
    **{(a, "numeric"): _int_to_numeric(_INT_DIGITS[a]) for a in _INTS},
    **{("numeric", a): _numeric_to_int(_INT_DIGITS[a]) for a in _INTS},
    ("numeric", "numeric"): _numeric_holds,
    ("real", "real"): _always,
    ("real", "double precision"): _always,
    ("double precision", "double precision"): _always,
    **{(a, "text"): _always for a in (*_INTS, "numeric", "real", "double precision", "text", "character varying",
                                       "boolean", "date", "uuid", "jsonb", "json", "inet", *_TIMES)},
    **{(a, "character varying"): _to_unlimited_text for a in (*_INTS, "numeric", "real", "double precision",
                                                               "text", "boolean", "date", "uuid")},
    ("character varying", "character varying"): _not_shorter("character varying"),
    ("character", "character"): _not_shorter("character"),
    **{(t, t): _not_shorter(t) for t in _TIMES},
    ("jsonb", "json"): _always,
    ("json", "json"): _always,
    ("jsonb", "jsonb"): _always,
}


def is_narrowing(old: str, new: str) -> bool:
    """True when some value of type `old` may not survive the cast to `new` unchanged: it may fail,
    round (integer -> real, numeric -> double precision), truncate, or lose precision (timestamp ->
    timestamp(0); a precision not written is the type's default, not 0)."""
    ob, op, os_, oa = _split(old)
    nb, np_, ns, na = _split(new)
    if old == new:
        return False
    if ob.startswith('"') and not nb.startswith('"'):  # an enum's labels are text: they fit any unlimited string type
        return not (oa == na and nb in ("text", "character varying") and np_ is None)
    rule = EXACT.get((ob, nb))
    if oa != na or rule is None:
        return True
    return not rule((op, os_), (np_, ns))  # type: ignore[operator]


def truncates(new: str, explicit: bool) -> int | None:
    """The length an explicit cast to `new` silently cuts values to (varchar(n), char(n)); None if none."""
    nb, np_, _, _ = _split(new)
    if not explicit or nb not in ("character varying", "character"):
        return None
    return _precision(nb, np_)
