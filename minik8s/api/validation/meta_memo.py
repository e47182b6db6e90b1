"""A memo of object metadata found valid, so that an update which keeps the stored object's
metadata (a Lease renewal, a spec change) is not validated again (minik8s only: upstream
validates every update in full, in Go).

The rules of `meta.py` are functions of the metadata alone, so metadata equal to metadata found
valid is valid: `validate_object_meta` remembers, by namespace and name, the last metadata dict
it found valid (the API server stores that very dict and never changes it, but for its
resourceVersion, which no rule reads); while the API server validates an update inside
`UnchangedMetadata(new, old)`, `new` equal to such an `old` is answered from that memo. Results
are those of the full rules (a hypothesis test compares both).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NameValidator = Callable[[str, bool], list[str]]
Meta = dict[str, Any]
_FOUND_VALID: dict[tuple[str, str], tuple[Meta, NameValidator, bool]] = {}
_FOUND_VALID_MAX = 262_144  # objects; when full it forgets everything at once
_NONE: tuple[None, None, None] = (None, None, None)
# (new, old, their namespace and name) while `UnchangedMetadata` is open and they are equal
_unchanged: tuple[Meta, Meta, tuple[str, str]] | tuple[None, None, None] = _NONE


def _same_controllers(new: Any, old: Any) -> bool:
    """Equal ownerReferences `new` and `old` have `controller: true` in the same places (and
    are well-formed: anything else is left to the full rules)."""
    if type(new) is not list:
        return False
    for a, b in zip(new, old, strict=True):
        if type(a) is not dict or (a.get("controller") is True) is not (
            b.get("controller") is True
        ):
            return False
    return True


def metadata_unchanged(new: Meta, old: Meta) -> bool:
    """Whether every rule of `meta.py` sees `new` as it sees `old`: equal, and the same
    `controller` flags (the one rule that tells `true` from an equal `1`)."""
    if new != old:
        return False
    refs = new.get("ownerReferences")
    return (
        not refs
        or refs is old["ownerReferences"]
        or _same_controllers(refs, old["ownerReferences"])
    )


class UnchangedMetadata:
    """`with UnchangedMetadata(new, old):` validate an update whose metadata `new` may equal
    the stored object's `old` (the API server's; `old` must never change)."""

    __slots__ = ("new", "old")

    def __init__(self, new: Meta, old: Meta):
        self.new, self.old = new, old

    def __repr__(self) -> str:
        return f"<UnchangedMetadata {self.new.get('namespace')}/{self.new.get('name')}>"

    def __enter__(self) -> None:
        global _unchanged
        if metadata_unchanged(self.new, self.old):
            _unchanged = (self.new, self.old, meta_key(self.new))

    def __exit__(self, *exc: object) -> None:
        forget_unchanged()


def forget_unchanged() -> None:
    """Leave the `UnchangedMetadata` block (tests use it to compare with the full rules)."""
    global _unchanged
    _unchanged = _NONE


def unchanged_old() -> Meta | None:
    """The stored metadata of the update being validated, when its new metadata equals it."""
    return _unchanged[1]


def meta_key(meta: Meta) -> tuple[str, str]:
    """The memo's key: namespace and name."""
    return (str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def found_valid(meta: Meta, name_fn: NameValidator, namespaced: bool) -> None:
    """Remember `meta` as valid (in place of its stored twin, when it is an update's)."""
    if len(_FOUND_VALID) >= _FOUND_VALID_MAX:
        _FOUND_VALID.clear()
    key = _unchanged[2] if meta is _unchanged[0] else meta_key(meta)  # (the update's: known)
    _FOUND_VALID[key] = (meta, name_fn, namespaced)


def known_valid(meta: Meta, name_fn: NameValidator | None, namespaced: bool) -> bool:
    """`meta` is the unchanged metadata of the update being validated, and its stored twin (or
    `meta` itself) was found valid (by `name_fn` and `namespaced`, unless None)."""
    new, old, key = _unchanged
    if meta is not new or key is None:
        return False
    found = _FOUND_VALID.get(key)
    if found is None or (found[0] is not old and found[0] is not new):
        return False
    return name_fn is None or (found[1] is name_fn and found[2] == namespaced)
