"""Typed pflag flag values: int flags (`strconv.ParseInt(s, 0, bits)`) and duration flags.

Mirrors `github.com/spf13/pflag` `int.go`, `int32.go`, `int64.go`, `duration.go` (`Value.Set`)
and Go's `strconv.ParseInt` with base 0 (`0x`, `0o`, `0b`, leading-`0` octal, `_` separators).
A bad value is pflag's `invalid argument` error with cobra's usage hint (`flag_value_error`).
Leaves out: values are parsed when a command reads them, not while pflag walks the command line.
"""

from __future__ import annotations

from minik8s.api.cron_parser import parse_duration
from minik8s.kubectl.cli import Args, flag_value_error

_PREFIXES = {"b": 2, "o": 8, "x": 16}


def _underscore_ok(text: str) -> bool:
    """strconv `underscoreOK`: `_` only between digits or after a base prefix."""
    body = text[1:] if text[:1] in "+-" else text
    saw, start, hexa = "^", 0, False
    if len(body) >= 2 and body[0] == "0" and body[1].lower() in _PREFIXES:
        saw, start, hexa = "0", 2, body[1].lower() == "x"
    for char in body[start:]:
        if char in "0123456789" or (hexa and char.lower() in "abcdef"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _parse_uint(body: str, bits: int) -> tuple[int, str]:
    """strconv `ParseUint(s, 0, bits)`: (value, "" | "syntax" | "range")."""
    if not body:
        return 0, "syntax"
    digits, base = body, 10
    if len(body) >= 3 and body[0] == "0" and body[1].lower() in _PREFIXES:
        digits, base = body[2:], _PREFIXES[body[1].lower()]
    elif body[0] == "0":
        digits, base = body[1:], 8
    limit, value, underscores = (1 << bits) - 1, 0, False
    for char in digits:
        if char == "_":
            underscores = True
            continue
        digit = int(char, 36) if char.isascii() and char.isalnum() else 99
        if digit >= base:
            return 0, "syntax"
        value = value * base + digit
        if value > limit:
            return limit, "range"
    if underscores and not _underscore_ok(body):
        return 0, "syntax"
    return value, ""


def parse_int(text: str, bits: int = 64) -> int:
    """Go's `strconv.ParseInt(text, 0, bits)`; ValueError with Go's message."""
    negative = text[:1] == "-"
    body = text[1:] if text[:1] in ("+", "-") else text
    value, problem = _parse_uint(body, bits)
    cutoff = 1 << (bits - 1)
    if not problem and (value > cutoff or (value == cutoff and not negative)):
        problem = "range"
    if problem:
        reason = "invalid syntax" if problem == "syntax" else "value out of range"
        raise ValueError(f'strconv.ParseInt: parsing "{text}": {reason}')
    return -value if negative else value


def int_flag(args: Args, name: str, default: int, shown: str = "", bits: int = 64) -> int:
    """A pflag Int/Int32/Int64 flag's value (`bits`), or pflag's error for a bad one."""
    value = args.flag(name)
    if value is None:
        return default
    try:
        return parse_int(value, bits)
    except ValueError as err:
        raise flag_value_error(args, name, value, str(err), shown) from None


def duration_flag(args: Args, name: str, default: float = 0.0) -> float:
    """A pflag Duration flag (`time.ParseDuration`) in seconds, or pflag's error."""
    value = args.flag(name)
    if value is None:
        return default
    try:
        return parse_duration(value) / 1e9
    except ValueError as err:
        raise flag_value_error(args, name, value, str(err)) from None
