"""apimachinery `pkg/util/intstr/intstr_test.go` (`TestGetIntFromIntOrPercent`, which tests
`GetScaledValueFromIntOrPercent`; `TestGetIntFromIntOrString`, which tests
`getIntOrPercentValueSafely`; `TestGetValueFromIntOrPercentNil`), the error texts, and the one
helper shared by the Deployment, StatefulSet and DaemonSet controllers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api import intstr
from minik8s.api.intstr import get_scaled_value_from_int_or_percent
from minik8s.controllers import daemonset_util, deployment_fenceposts, statefulset_rollout
from minik8s.controllers.deployment import resolve_fenceposts
from minik8s.controllers.statefulset_control import get_stateful_set_max_unavailable

# TestGetIntFromIntOrPercent: (input, total, roundUp, value or None for an error).
GET_SCALED = [
    (123, 0, False, 123),
    ("90%", 100, True, 90),
    ("90%", 95, True, 86),
    ("90%", 95, False, 85),
    ("%", 0, False, None),
    ("90#", 0, False, None),
    ("#%", 0, False, None),
    ("90", 0, False, None),
]


@pytest.mark.parametrize(("value", "total", "round_up", "expected"), GET_SCALED)
def test_get_scaled_value_from_int_or_percent(
    value: int | str, total: int, round_up: bool, expected: int | None
) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="^invalid value for IntOrString: "):
            get_scaled_value_from_int_or_percent(value, total, round_up)
    else:
        assert get_scaled_value_from_int_or_percent(value, total, round_up) == expected


# TestGetIntFromIntOrString: (input, value, isPercent) or None for an error.
SAFELY = [
    (200, (200, False)),
    ("200", None),
    ("30%0", None),
    ("40%", (40, True)),
    ("%", None),
    ("a%", None),
    ("a", None),
    ("40#", None),
    ("40%%", None),
]


@pytest.mark.parametrize(("value", "expected"), SAFELY)
def test_get_int_or_percent_value_safely(value: int | str, expected: tuple[int, bool] | None):
    if expected is None:
        with pytest.raises(ValueError):
            intstr._get_int_or_percent_value_safely(value)
    else:
        assert intstr._get_int_or_percent_value_safely(value) == expected


def test_nil_value() -> None:
    with pytest.raises(ValueError) as caught:
        get_scaled_value_from_int_or_percent(None, 0, False)
    assert str(caught.value) == "nil value for IntOrString"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("90", "invalid type: string is not a percentage"),
        ("%", 'invalid value "%": strconv.Atoi: parsing "": invalid syntax'),
        ("40%%", 'invalid value "40%%": strconv.Atoi: parsing "40%": invalid syntax'),
        ("#%", 'invalid value "#%": strconv.Atoi: parsing "#": invalid syntax'),
        ("5 %", 'invalid value "5 %": strconv.Atoi: parsing "5 ": invalid syntax'),
        (
            "9223372036854775808%",
            'invalid value "9223372036854775808%": strconv.Atoi: parsing '
            '"9223372036854775808": value out of range',
        ),
        (True, "invalid type: neither int nor percentage"),
        (2.5, "invalid type: neither int nor percentage"),
    ],
)
def test_error_words(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        get_scaled_value_from_int_or_percent(value, 10, False)  # type: ignore[arg-type]
    assert str(caught.value) == f"invalid value for IntOrString: {message}"


@pytest.mark.parametrize(("value", "expected"), [("+50%", 5), ("-50%", -5), ("0%", 0)])
def test_atoi_signs(value: str, expected: int) -> None:
    assert get_scaled_value_from_int_or_percent(value, 10, False) == expected


@given(st.integers(0, 1000), st.integers(0, 10_000), st.booleans())
def test_percent_is_exact_fraction_rounded(percent: int, total: int, round_up: bool) -> None:
    exact = Fraction(percent * total, 100)
    got = get_scaled_value_from_int_or_percent(f"{percent}%", total, round_up)
    assert got == (-(-exact.numerator // exact.denominator) if round_up else int(exact))


@given(st.integers(-(2**31), 2**31 - 1), st.integers(0, 1000), st.booleans())
def test_int_is_unscaled(value: int, total: int, round_up: bool) -> None:
    assert get_scaled_value_from_int_or_percent(value, total, round_up) == value


def test_one_helper_for_every_controller() -> None:
    """The controllers share the helper: no copy of it is left under its old names."""
    from minik8s.controllers import daemonset_util, deployment_util

    for module in (deployment_fenceposts, deployment_util, statefulset_rollout, daemonset_util):
        assert module.get_scaled_value_from_int_or_percent is get_scaled_value_from_int_or_percent
    assert not hasattr(deployment_fenceposts, "scaled_value")
    assert not hasattr(statefulset_rollout, "resolve_int_or_percent")


def test_rounding_each_controller_uses() -> None:
    """Deployment: surge up, unavailable down; StatefulSet maxUnavailable: down, at least 1
    (default 1); DaemonSet surge and unavailable: up."""
    assert resolve_fenceposts("25%", "25%", 3) == (1, 0)
    assert get_stateful_set_max_unavailable("25%", 3) == 1
    assert get_stateful_set_max_unavailable("50%", 5) == 2
    assert get_stateful_set_max_unavailable(None, 5) == 1
    assert get_stateful_set_max_unavailable(3, 5) == 3
    ds = {
        "spec": {"updateStrategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "50%"}}}
    }
    assert daemonset_util.surge_count(ds, 3) == 1
    assert daemonset_util.unavailable_count(ds, 5) == 3


def test_statefulset_bad_percentage_words() -> None:
    with pytest.raises(ValueError) as caught:
        get_stateful_set_max_unavailable("x%", 4)
    assert str(caught.value) == (
        'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": '
        "invalid syntax"
    )
