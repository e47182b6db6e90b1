"""IntOrString scaling, mirroring apimachinery `pkg/util/intstr/intstr.go`
(`GetScaledValueFromIntOrPercent`, `getIntOrPercentValueSafely`, `ValueOrDefault`).

An IntOrString is what JSON holds: an int, or a string such as "25%"; None is a nil pointer.
Leaves out the `IntOrString` struct itself (`FromInt`, `FromString`, `Parse`, JSON marshalling) and
the deprecated `GetValueFromIntOrPercent`, which took "5" for 5%.
"""

from __future__ import annotations

import math
import re

_ATOI = re.compile(r"[+-]?[0-9]+")
_INT64 = 1 << 63


def value_or_default(int_or_percent: int | str | None, default: int | str) -> int | str:
    """`ValueOrDefault`: the value, or `default` when it is nil."""
    return default if int_or_percent is None else int_or_percent


def get_scaled_value_from_int_or_percent(
    int_or_percent: int | str | None, total: int, round_up: bool
) -> int:
    """`GetScaledValueFromIntOrPercent`: an int as is; "N%" of `total`, rounded up or down as
    asked; any other string is an error (`invalid value for IntOrString: ...`)."""
    if int_or_percent is None:
        raise ValueError("nil value for IntOrString")
    try:
        value, is_percent = _get_int_or_percent_value_safely(int_or_percent)
    except ValueError as err:
        raise ValueError(f"invalid value for IntOrString: {err}") from None
    if not is_percent:
        return value
    scaled = float(value) * float(total) / 100  # float64 arithmetic, as upstream
    return math.ceil(scaled) if round_up else math.floor(scaled)


def _get_int_or_percent_value_safely(int_or_str: object) -> tuple[int, bool]:
    if isinstance(int_or_str, int) and not isinstance(int_or_str, bool):
        return int_or_str, False
    if not isinstance(int_or_str, str):
        raise ValueError("invalid type: neither int nor percentage")
    if not int_or_str.endswith("%"):
        raise ValueError("invalid type: string is not a percentage")
    number = int_or_str[: -len("%")]
    return _atoi(number, int_or_str), True


def _atoi(s: str, whole: str) -> int:
    """`strconv.Atoi` (64-bit int), with upstream's wrapping of its error."""
    problem = "invalid syntax" if not _ATOI.fullmatch(s) else None
    if problem is None and not -_INT64 <= int(s) < _INT64:
        problem = "value out of range"
    if problem:
        raise ValueError(f'invalid value "{whole}": strconv.Atoi: parsing "{s}": {problem}')
    return int(s)
