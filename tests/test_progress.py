"""Progress bars (minik8s.progress): off by default and under pytest, on when asked for."""

from __future__ import annotations

import io

import pytest

from minik8s import progress as progress_module
from minik8s.progress import Bar, enabled, progress, progress_to


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINIK8S_PROGRESS", raising=False)


def test_off_by_default() -> None:
    assert enabled() is False
    assert enabled(None) is False


def test_explicit_argument_wins() -> None:
    assert enabled(True) is True
    assert enabled(False) is False


def test_environment_variable_is_ignored_under_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIK8S_PROGRESS", "1")
    assert progress_module.under_pytest()
    assert enabled() is False


def test_environment_variable_turns_bars_on_outside_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "under_pytest", lambda: False)
    monkeypatch.setenv("MINIK8S_PROGRESS", "1")
    assert enabled() is True
    monkeypatch.setenv("MINIK8S_PROGRESS", "0")
    assert enabled() is False


def test_off_returns_the_iterable_itself_and_writes_nothing() -> None:
    out = io.StringIO()
    items = ["node-1", "node-2"]
    assert progress(items, desc="nodes", file=out) is items
    with progress_to(5, desc="pods", file=out) as bar:
        bar.set(5)
    assert out.getvalue() == ""


def test_off_env_var_under_pytest_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIK8S_PROGRESS", "1")
    out = io.StringIO()
    assert list(progress(range(3), desc="steps", file=out)) == [0, 1, 2]
    assert out.getvalue() == ""


def test_on_wraps_an_iterable_and_writes_to_the_stream() -> None:
    out = io.StringIO()
    seen = list(progress(range(3), desc="steps", progress=True, file=out))
    assert seen == [0, 1, 2]
    text = out.getvalue()
    assert "steps" in text and "3/3" in text


def test_on_counts_an_absolute_value_in_a_run_until_loop() -> None:
    out = io.StringIO()
    running = 0
    with progress_to(10, desc="pods Running", unit="pod", progress=True, file=out) as bar:
        assert bar.shown
        while running < 10:
            running += 4 if running < 8 else 2
            bar.set(running)
            bar.note(t="1s")
        assert bar.n == 10
    assert not bar.shown  # closed on exit
    text = out.getvalue()
    assert "pods Running" in text and "10/10" in text and "pod" in text


def test_a_number_gives_a_bar_that_keeps_count_when_off() -> None:
    bar = progress(3600, desc="virtual seconds", unit="s")
    assert isinstance(bar, Bar) and not bar.shown
    bar.update(10)
    bar.update(20.5)
    assert bar.n == 30.5
    bar.close()
    assert repr(bar) == "<Bar 'virtual seconds' 30.5/3600 off>"


def test_bar_closes_when_the_loop_raises() -> None:
    out = io.StringIO()
    with pytest.raises(RuntimeError), progress_to(2, desc="x", progress=True, file=out) as bar:
        bar.set(1)
        raise RuntimeError("stop")
    assert not bar.shown and "1/2" in out.getvalue()
