"""A memory of values known to validate cleanly (minik8s only: upstream validates every write
in full, in Go).

Every Endpoints or EndpointSlice write repeats all its addresses, so an address that validated
cleanly is remembered, keyed by every field its validation reads, and not checked again; errors
are always computed afresh, with their field paths. Used by `endpoints` and `discovery`.
"""

from __future__ import annotations

from typing import Any


class ValidMemo:
    """A bounded memory of values known to validate cleanly: validating the same endpoint
    address again (every Endpoints or slice write repeats all of them) costs one lookup.

    Only the verdict "no errors" is kept, under a key of every field the validation reads, so
    errors (which carry their field path) are always computed afresh. When full, it forgets
    everything at once (deterministic, unlike hashing order)."""

    def __init__(self, limit: int = 65536):
        self.limit = limit
        self._valid: set[tuple[Any, ...]] = set()

    def __repr__(self) -> str:
        return f"<ValidMemo {len(self._valid)}/{self.limit}>"

    def __contains__(self, key: tuple[Any, ...] | None) -> bool:
        return key is not None and key in self._valid

    def add(self, key: tuple[Any, ...] | None) -> None:
        """Remember that `key` validated with no errors."""
        if key is None:
            return
        if len(self._valid) >= self.limit:
            self._valid.clear()
        self._valid.add(key)

    def clear(self) -> None:
        """Forget every verdict."""
        self._valid.clear()


def str_key(*values: Any) -> tuple[Any, ...] | None:
    """`values` as a memo key when each is a str or None (so equal keys validate alike), else
    None: values of other types (`True == 1`) are validated every time."""
    for value in values:
        if value is not None and type(value) is not str:
            return None
    return values
