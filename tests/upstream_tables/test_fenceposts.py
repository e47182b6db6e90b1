"""`pkg/controller/deployment/util/deployment_util_test.go`: TestResolveFenceposts and
TestMaxUnavailable.

Upstream returns `(0, 0, err)` for garbage; the public helper raises ValueError instead (DESIGN.md).
The "5"/"1" row is from the older table (a string without '%' is not a percentage).
"""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.controllers.deployment import resolve_fenceposts
from minik8s.controllers.deployment_util import max_unavailable

RESOLVE_FENCEPOSTS = [
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    ("oops", "39%", 10, None),
    ("55%", "urg", 10, None),
    (None, "39%", 10, (0, 3)),
    ("39%", None, 10, (4, 0)),
    (None, None, 10, (0, 1)),
    ("5", "1", 7, None),
]


@pytest.mark.parametrize(("surge", "unavailable", "desired", "expected"), RESOLVE_FENCEPOSTS)
def test_resolve_fenceposts(
    surge: str | None, unavailable: str | None, desired: int, expected: tuple[int, int] | None
) -> None:
    """TestResolveFenceposts (intstr.FromString of each value; None is a nil pointer)."""
    if expected is None:
        with pytest.raises(ValueError):
            resolve_fenceposts(surge, unavailable, desired)
    else:
        assert resolve_fenceposts(surge, unavailable, desired) == expected


def _deployment(replicas: int | None, unavailable: int | str | None, kind: str) -> dict[str, Any]:
    strategy: dict[str, Any] = {"type": kind}
    if kind == "RollingUpdate":
        strategy["rollingUpdate"] = {"maxSurge": 1, "maxUnavailable": unavailable}
    spec: dict[str, Any] = {"strategy": strategy}
    if replicas is not None:
        spec["replicas"] = replicas
    return {"spec": spec}


@pytest.mark.parametrize(
    ("name", "replicas", "unavailable", "kind", "expected"),
    [
        ("maxUnavailable less than replicas", 10, 5, "RollingUpdate", 5),
        ("maxUnavailable equal replicas", 10, 10, "RollingUpdate", 10),
        ("maxUnavailable greater than replicas", 5, 10, "RollingUpdate", 5),
        ("maxUnavailable with replicas is 0", 0, 10, "RollingUpdate", 0),
        ("maxUnavailable with Recreate deployment strategy", None, None, "Recreate", 0),
        ("maxUnavailable less than replicas with percents", 10, "50%", "RollingUpdate", 5),
        ("maxUnavailable equal replicas with percents", 10, "100%", "RollingUpdate", 10),
        ("maxUnavailable greater than replicas with percents", 5, "100%", "RollingUpdate", 5),
    ],
)
def test_max_unavailable(
    name: str, replicas: int | None, unavailable: int | str | None, kind: str, expected: int
) -> None:
    """TestMaxUnavailable (every row)."""
    assert max_unavailable(_deployment(replicas, unavailable, kind)) == expected, name
