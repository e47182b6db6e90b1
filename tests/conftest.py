"""Shared pytest setup: deterministic kernels and Hypothesis settings for every test module."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from minik8s.apiserver.plugins.defaulttolerationseconds import SHARED_TOLERATIONS
from minik8s.apiserver.plugins.serviceaccount import TOKEN_VOLUME_SOURCE, token_volume_source

# Kernels that tests start (notebook and exercise tests) inherit these: fixed set order and zone.
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("TZ", "UTC")
os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")

# Virtual time makes wall-clock deadlines meaningless; CI replays the same examples every run.
settings.register_profile("dev", deadline=None)
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _shared_objects_unchanged():
    """Objects admission plugins put, shared, into every pod they admit stay as they were: a test
    or component that changed one in place would change every pod."""
    yield
    assert TOKEN_VOLUME_SOURCE == token_volume_source()
    for (key, seconds), toleration in SHARED_TOLERATIONS.items():
        assert toleration == {
            "key": key,
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": seconds,
        }
