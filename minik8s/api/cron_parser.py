"""robfig/cron v3 `parser.go` (`Parser.Parse`, `getField`, `getRange`, `parseDescriptor`,
the `bounds` of `spec.go`) and Go's `time.ParseDuration`, for `cron_spec`'s schedules.

Left out: the `DowOptional`/`SecondOptional` options (`seconds=True` means exactly six fields,
as robfig's own tests use), Go's panic on a `TZ=` prefix with nothing after it (an error here),
durations beyond Go's int64 nanoseconds.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import tzinfo

from minik8s.api.cron_spec import (
    STAR_BIT,
    ConstantDelaySchedule,
    Schedule,
    SpecSchedule,
)

_MONTHS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}
_DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}


@dataclass(frozen=True)
class Bounds:
    """robfig `bounds`: the range of a field, plus names for its values."""

    min: int
    max: int
    names: tuple[tuple[str, int], ...] = ()


SECONDS, MINUTES, HOURS = Bounds(0, 59), Bounds(0, 59), Bounds(0, 23)
DOM = Bounds(1, 31)
MONTHS = Bounds(1, 12, tuple(_MONTHS.items()))
DOW = Bounds(0, 6, tuple(_DAYS.items()))


# --- getRange -----------------------------------------------------------------------------------


def _must_parse_int(expr: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", expr):
        detail = f'strconv.Atoi: parsing "{expr}": invalid syntax'
        raise ValueError(f"failed to parse int from {expr}: {detail}")
    num = int(expr)
    if num < 0:
        raise ValueError(f"negative number ({num}) not allowed: {expr}")
    return num


def _parse_int_or_name(expr: str, r: Bounds) -> int:
    for name, value in r.names:
        if name == expr.lower():
            return value
    return _must_parse_int(expr)


def get_bits(low: int, high: int, step: int) -> int:
    """`getBits`: the bits low..high, every `step`."""
    return sum(1 << i for i in range(low, high + 1, step))


def get_range(expr: str, r: Bounds) -> int:
    """`getRange`: `*`, `N`, `N-M`, each optionally `/step`; a `*` keeps the star bit unless
    its step is above 1."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    extra = 0
    if low_and_high[0] in ("*", "?"):
        start, end, extra = r.min, r.max, STAR_BIT
    else:
        start = _parse_int_or_name(low_and_high[0], r)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _parse_int_or_name(low_and_high[1], r)
        else:
            raise ValueError(f"too many hyphens: {expr}")
    step = 1
    if len(range_and_step) == 2:
        step = _must_parse_int(range_and_step[1])
        if len(low_and_high) == 1:  # "N/step" means "N-max/step"
            end = r.max
        if step > 1:
            extra = 0
    elif len(range_and_step) > 2:
        raise ValueError(f"too many slashes: {expr}")
    if start < r.min:
        raise ValueError(f"beginning of range ({start}) below minimum ({r.min}): {expr}")
    if end > r.max:
        raise ValueError(f"end of range ({end}) above maximum ({r.max}): {expr}")
    if start > end:
        raise ValueError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise ValueError(f"step of range should be a positive number: {expr}")
    return get_bits(start, end, step) | extra


def get_field(field: str, r: Bounds) -> int:
    """`getField`: the union of the comma-separated ranges (empty pieces ignored)."""
    bits = 0
    for expr in (part for part in field.split(",") if part):
        bits |= get_range(expr, r)
    return bits


_DESCRIPTORS = {
    "@yearly": "0 0 0 1 1 *",
    "@annually": "0 0 0 1 1 *",
    "@monthly": "0 0 0 1 * *",
    "@weekly": "0 0 0 * * 0",
    "@daily": "0 0 0 * * *",
    "@midnight": "0 0 0 * * *",
    "@hourly": "0 0 * * * *",
}


def parse_descriptor(descriptor: str, loc: tzinfo | None) -> Schedule:
    """`parseDescriptor`: `@yearly` ... `@hourly` (all-field bits carry the star), `@every`."""
    fields = _DESCRIPTORS.get(descriptor)
    if fields is not None:
        return _spec(fields.split(), loc)
    if descriptor.startswith("@every "):
        try:
            nanos = parse_duration(descriptor[len("@every ") :])
        except ValueError as error:
            raise ValueError(f"failed to parse duration {descriptor}: {error}") from None
        return ConstantDelaySchedule(max(nanos, 10**9) // 10**9)  # robfig `Every`
    raise ValueError(f"unrecognized descriptor: {descriptor}")


def _spec(fields: list[str], loc: tzinfo | None) -> SpecSchedule:
    bounds = (SECONDS, MINUTES, HOURS, DOM, MONTHS, DOW)
    second, minute, hour, dom, month, dow = (
        get_field(field, r) for field, r in zip(fields, bounds, strict=True)
    )
    return SpecSchedule(second, minute, hour, dom, month, dow, location=loc)


def parse(spec: str, seconds: bool = False) -> Schedule:
    """`Parser.Parse` with robfig's standard options (`ParseStandard`), or with a leading seconds
    field; ValueError carries robfig's message."""
    if not spec:
        raise ValueError("empty spec string")
    loc: tzinfo | None = None
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        name = spec[spec.index("=") + 1 : space if space >= 0 else len(spec)]
        try:
            loc = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"provided bad location {name}: unknown time zone {name}") from None
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        return parse_descriptor(spec, loc)
    fields = spec.split()
    count = 6 if seconds else 5
    if len(fields) != count:
        raise ValueError(
            f"expected exactly {count} fields, found {len(fields)}: [{' '.join(fields)}]"
        )
    return _spec(fields if seconds else ["0", *fields], loc)


# --- time.ParseDuration --------------------------------------------------------------------------

_UNITS = {"ns": 1, "us": 10**3, "µs": 10**3, "μs": 10**3, "ms": 10**6, "s": 10**9}
_UNITS |= {"m": 60 * 10**9, "h": 3600 * 10**9}
_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def parse_duration(text: str) -> int:
    """Go's `time.ParseDuration`, in nanoseconds (ValueError with Go's message)."""
    quoted = f'"{text}"'
    body = text[1:] if text[:1] in ("-", "+") else text
    if body == "0":
        return 0
    if not body:
        raise ValueError(f"time: invalid duration {quoted}")
    total, pos = 0, 0
    while pos < len(body):
        match = _PART.match(body, pos)
        assert match is not None  # the pattern matches the empty string
        whole, frac, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not frac:
            raise ValueError(f"time: invalid duration {quoted}")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration {quoted}')
        scale = _UNITS[unit]
        total += int(whole or "0") * scale
        if frac:
            total += int(int(frac) * (scale / 10 ** len(frac)))
        pos = match.end()
    return -total if text.startswith("-") else total
