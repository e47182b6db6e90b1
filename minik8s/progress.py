"""Progress bars for long runs (benchmarks, big clusters), off unless asked for.

Upstream has no counterpart: kubectl and the control plane print no progress. This wraps tqdm
(`tqdm.auto`: a widget in Jupyter, text in a terminal). Bars are off by default, so tests and
notebooks print nothing extra; `MINIK8S_PROGRESS=1` turns them on (except under pytest), and an
explicit `progress=True` always does. A bar measures *virtual* work (pods Running, virtual
seconds advanced); tqdm's own rate column is wall-clock and is never part of a result.

    >>> for node in progress(["node-1", "node-2"], desc="nodes"):
    ...     pass
    >>> with progress_to(3, desc="pods Running", unit="pod") as bar:
    ...     bar.set(3)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar, overload

T = TypeVar("T")
ENV_VAR = "MINIK8S_PROGRESS"


def under_pytest() -> bool:
    """Whether this process runs pytest (tests, nbval): bars stay off there unless forced."""
    return "pytest" in sys.modules or "PYTEST_CURRENT_TEST" in os.environ


def enabled(progress: bool | None = None) -> bool:
    """`progress` if given; else on when `MINIK8S_PROGRESS=1` and not under pytest."""
    if progress is not None:
        return progress
    return os.environ.get(ENV_VAR, "") == "1" and not under_pytest()


class Bar:
    """A progress bar that follows an absolute count (`set`) or steps (`update`).

    Without a tqdm bar behind it (progress off) every method only keeps the count.
    """

    def __init__(self, total: float | None, desc: str = "", backend: Any = None):
        self.total = total
        self.desc = desc
        self.n: float = 0
        self._tqdm = backend

    def __repr__(self) -> str:
        total = "?" if self.total is None else f"{self.total:g}"
        return f"<Bar {self.desc!r} {self.n:g}/{total} {'on' if self.shown else 'off'}>"

    @property
    def shown(self) -> bool:
        """Whether a tqdm bar is drawn."""
        return self._tqdm is not None

    def update(self, n: float = 1) -> None:
        """Advance by `n`."""
        self.set(self.n + n)

    def set(self, value: float) -> None:
        """Move to `value` (pods Running so far, virtual seconds so far…)."""
        if self._tqdm is not None and value != self.n:
            self._tqdm.update(value - self.n)
        self.n = value

    def note(self, **fields: Any) -> None:
        """Show extra fields after the bar (e.g. `t=12.5s`)."""
        if self._tqdm is not None:
            self._tqdm.set_postfix(fields, refresh=False)

    def close(self) -> None:
        """Finish the bar (a no-op when off or already closed)."""
        if self._tqdm is not None:
            self._tqdm.close()
            self._tqdm = None


def _tqdm(
    iterable: Iterable[Any] | None, total: float | None, file: IO[str] | None, **kwargs: Any
) -> Any:
    """A tqdm bar: `tqdm.auto` (widget in Jupyter), or plain text when `file` is given."""
    if file is not None:
        from tqdm import tqdm

        return tqdm(iterable, total=total, file=file, **kwargs)
    from tqdm.auto import tqdm as auto_tqdm

    return auto_tqdm(iterable, total=total, **kwargs)


@overload
def progress(
    items: Iterable[T],
    desc: str = "",
    *,
    unit: str = "it",
    total: float | None = None,
    progress: bool | None = None,
    file: IO[str] | None = None,
) -> Iterable[T]: ...


@overload
def progress(
    items: int | float,
    desc: str = "",
    *,
    unit: str = "it",
    total: float | None = None,
    progress: bool | None = None,
    file: IO[str] | None = None,
) -> Bar: ...


def progress(
    items: Iterable[T] | int | float,
    desc: str = "",
    *,
    unit: str = "it",
    total: float | None = None,
    progress: bool | None = None,
    file: IO[str] | None = None,
) -> Iterable[T] | Bar:
    """An iterable that shows a bar while consumed, or (given a number) a `Bar` of that total.

    When progress is off the iterable comes back unchanged and the Bar draws nothing.
    """
    if isinstance(items, (int, float)):
        return _bar(items, desc, unit, enabled(progress), file)
    if not enabled(progress):
        return items
    return _iterate(_tqdm(items, total, file, desc=desc, unit=unit))


def _bar(total: float, desc: str, unit: str, on: bool, file: IO[str] | None) -> Bar:
    backend = _tqdm(None, total, file, desc=desc, unit=unit) if on else None
    return Bar(total, desc, backend)


def _iterate(bar: Any) -> Iterator[Any]:
    try:
        yield from bar
    finally:
        bar.close()


@contextmanager
def progress_to(
    total: float,
    desc: str = "",
    *,
    unit: str = "it",
    progress: bool | None = None,
    file: IO[str] | None = None,
) -> Iterator[Bar]:
    """A `Bar` for a "run until" loop, closed on exit: `bar.set(count)` after each step."""
    bar = _bar(total, desc, unit, enabled(progress), file)
    try:
        yield bar
    finally:
        bar.close()
