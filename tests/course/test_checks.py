"""Visible-test checks: their failure messages name the case and what was expected."""

from __future__ import annotations

import pytest

from minik8s.course.checks import (
    CheckFailed,
    expect_cases,
    expect_close,
    expect_equal,
    expect_in,
    expect_raises,
    expect_true,
)


def _message(func: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(CheckFailed) as raised:
        func(*args, **kwargs)  # type: ignore[operator]
    assert isinstance(raised.value, AssertionError)
    return str(raised.value)


def test_expect_equal_passes_silently() -> None:
    expect_equal([1, 2], [1, 2], case="same")


def test_expect_equal_names_case_expected_and_actual() -> None:
    message = _message(expect_equal, 3, 4, case="replicas_needed(10, 3)")
    assert message == "case replicas_needed(10, 3): expected 4, got 3"


def test_expect_equal_points_at_first_difference() -> None:
    assert _message(expect_equal, [1, 2, 3], [1, 5, 3]).endswith("at index 1: expected 5, got 2")
    assert _message(expect_equal, [1], [1, 2]).endswith("expected 2 items, got 1")
    assert _message(expect_equal, {"a": 1}, {"a": 1, "b": 2}).endswith("missing key 'b'")
    assert _message(expect_equal, {"a": 1, "c": 3}, {"a": 1}).endswith("unexpected key 'c'")
    assert _message(expect_equal, {"a": 1}, {"a": 2}).endswith("at key 'a': expected 2, got 1")


def test_long_values_are_shortened() -> None:
    message = _message(expect_equal, "x" * 1000, "y")
    assert len(message) < 400
    assert message.endswith("...")


def test_expect_true_close_in() -> None:
    assert _message(expect_true, False, "pod not scheduled", case="web-0") == (
        "case web-0: pod not scheduled"
    )
    expect_close(0.1 + 0.2, 0.3)
    assert "expected 1.0 (± 1e-09), got 1.5" in _message(expect_close, 1.5, 1.0)
    expect_in("a", iter(["a"]))
    assert _message(expect_in, "c", ["a", "b"]) == "expected 'c' in ['a', 'b']"


def test_expect_raises() -> None:
    error = expect_raises(ValueError, int, "x", match="invalid literal")
    assert isinstance(error, ValueError)
    assert _message(expect_raises, ValueError, int, "1") == "expected ValueError, but it returned 1"
    assert "with 'nope' in its message" in _message(
        expect_raises, ValueError, int, "x", match="nope"
    )


def test_expect_cases_names_the_failing_call() -> None:
    def double(x: int) -> int:
        return x * 2 if x < 3 else 0

    expect_cases(double, [((1,), 2), ((2,), 4)])
    assert _message(expect_cases, double, [((1,), 2), ((3,), 6)]) == (
        "case double(3): expected 6, got 0"
    )
