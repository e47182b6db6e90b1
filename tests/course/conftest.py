"""Registers one pytest marker per exercise of `notebooks/*.ipynb` (`pytest -m ex04_2`)."""

from __future__ import annotations

import pytest

from minik8s.course.exercises import NOTEBOOKS, markers


def pytest_configure(config: pytest.Config) -> None:
    """Declare the exercise markers, so `--strict-markers` accepts them."""
    for line in markers(NOTEBOOKS.glob("*.ipynb")):
        config.addinivalue_line("markers", line)
