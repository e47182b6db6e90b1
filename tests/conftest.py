"""Shared pytest setup: deterministic kernels and Hypothesis settings for every test module."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
