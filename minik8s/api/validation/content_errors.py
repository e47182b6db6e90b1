"""Message builders of apimachinery `pkg/api/validate/content/errors.go` (`MaxLenError`, ...).

Shared by the name, DNS and IP validators so every message has upstream's exact words. Left out:
nothing of the four builders; `byte_len` is Go's `len()` on a string.
"""

from __future__ import annotations

import re


def max_len_error(length: int) -> str:
    """upstream `MaxLenError`."""
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """upstream `RegexError` (note the double space Go's loop leaves before ' or ')."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    text = msg + " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            text += " or "
        text += f"'{example}', "
    return text + f"regex used for validation is '{fmt}')"


def empty_error() -> str:
    """upstream `EmptyError`."""
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    """upstream `InclusiveRangeError`."""
    return f"must be between {lo} and {hi}, inclusive"


def byte_len(value: str) -> int:
    """Go's len(): bytes of the UTF-8 encoding."""
    return len(value.encode())


def length_and_format_errors(
    value: str, max_length: int, pattern: re.Pattern[str], msg: str, *examples: str
) -> list[str]:
    """The shape of most upstream validators: `MaxLenError` when `value` has more than
    `max_length` bytes, then `RegexError` unless `pattern` matches all of it."""
    errs = []
    if byte_len(value) > max_length:
        errs.append(max_len_error(max_length))
    if not pattern.fullmatch(value):
        errs.append(regex_error(msg, pattern.pattern, *examples))
    return errs
