"""Checks for the visible tests of exercises: a failure says which case failed and what was due.

In the spirit of pytest's assertion rewriting (`_pytest/assertion/util.py`: `assertrepr_compare`
shows the first differing item of two sequences or dicts), without the rewriting: each check is
a plain function that raises `CheckFailed` (an `AssertionError`) with a short, readable message.

    from minik8s.course.checks import expect_equal
    expect_equal(replicas_needed(10, 3), 4, case="replicas_needed(10, 3)")
    # AssertionError: case replicas_needed(10, 3): expected 4, got 3
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

_LIMIT = 300


class CheckFailed(AssertionError):
    """A visible test failed; the message names the case and what was expected."""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _LIMIT else text[: _LIMIT - 3] + "..."


def _where(case: object) -> str:
    return "" if case is None else f"case {case}: "


def _difference(actual: Any, expected: Any) -> str:
    """Where two containers first differ, or an empty string."""
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        if missing:
            return f"\n  missing key {missing[0]!r}"
        if extra:
            return f"\n  unexpected key {extra[0]!r}"
        for key in expected:
            if actual[key] != expected[key]:
                want, got = _short(expected[key]), _short(actual[key])
                return f"\n  at key {key!r}: expected {want}, got {got}"
    seqs = (list, tuple)
    if isinstance(actual, seqs) and isinstance(expected, seqs):
        for index, (got, want) in enumerate(zip(actual, expected, strict=False)):
            if got != want:
                return f"\n  at index {index}: expected {_short(want)}, got {_short(got)}"
        if len(actual) != len(expected):
            return f"\n  expected {len(expected)} items, got {len(actual)}"
    return ""


def expect_equal(actual: Any, expected: Any, *, case: object = None) -> None:
    """Fail unless `actual == expected`, showing the case, both values and the first difference."""
    __tracebackhide__ = True
    if actual != expected:
        message = f"{_where(case)}expected {_short(expected)}, got {_short(actual)}"
        raise CheckFailed(message + _difference(actual, expected))


def expect_true(condition: object, message: str, *, case: object = None) -> None:
    """Fail with `message` unless `condition` holds."""
    __tracebackhide__ = True
    if not condition:
        raise CheckFailed(f"{_where(case)}{message}")


def expect_close(actual: float, expected: float, *, tol: float = 1e-9, case: object = None) -> None:
    """Fail unless `actual` is within `tol` of `expected`."""
    __tracebackhide__ = True
    if not abs(actual - expected) <= tol:
        raise CheckFailed(f"{_where(case)}expected {expected!r} (± {tol:g}), got {actual!r}")


def expect_in(item: Any, container: Iterable[Any], *, case: object = None) -> None:
    """Fail unless `item in container`."""
    __tracebackhide__ = True
    values = container if isinstance(container, (Mapping, set, frozenset, str)) else list(container)
    if item not in values:
        raise CheckFailed(f"{_where(case)}expected {_short(item)} in {_short(values)}")


def expect_raises(
    error: type[BaseException],
    func: Callable[..., Any],
    *args: Any,
    match: str | None = None,
    case: object = None,
) -> BaseException:
    """Fail unless `func(*args)` raises `error` (whose message contains `match`); return it."""
    __tracebackhide__ = True
    try:
        result = func(*args)
    except error as raised:
        if match is not None and match not in str(raised):
            raise CheckFailed(
                f"{_where(case)}expected {error.__name__} with {match!r} in its message, "
                f"got {str(raised)!r}"
            ) from raised
        return raised
    raise CheckFailed(f"{_where(case)}expected {error.__name__}, but it returned {_short(result)}")


def expect_cases(func: Callable[..., Any], cases: Sequence[tuple[tuple[Any, ...], Any]]) -> None:
    """Check a table of `(args, expected)`: the first failing row names the call."""
    __tracebackhide__ = True
    for args, expected in cases:
        call = f"{getattr(func, '__name__', 'f')}({', '.join(map(repr, args))})"
        expect_equal(func(*args), expected, case=call)
