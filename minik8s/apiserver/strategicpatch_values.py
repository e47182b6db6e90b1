"""Go value semantics of the strategic merge patch apply side (apimachinery
pkg/util/strategicpatch/patch.go): `removeDirectives`, `discardNullValuesFromPatch`, and the
slice aliasing `mergeSlice` relies on.

Go's `append(s[:i], s[i+1:]...)` (`deleteMatchingEntries`) and `append(s, v)`
(`mergeSliceWithoutSpecialElements`) write into the live list's backing array while it has room,
so `mergePatchIntoOriginal`, which still holds the live list's slice header, later orders
server-only items by that rewritten array. `GoSlice` reproduces what such a header sees. Writes
past the header's length never show through it, so the result does not depend on the array's
capacity. Leaves out the in-place `deduplicateScalars` of primitive lists, whose visible effect
depends on that capacity (the apply side copies there, as if Go's `append` reallocated).
"""

from __future__ import annotations

from typing import Any

DIRECTIVE = "$patch"


class GoSlice:
    """A Go slice over `array` (the caller's list, a slice header of its full length): in-place
    deletes and appends that fit show through `array`; what would land past it goes to `spill`."""

    def __init__(self, array: list[Any]):
        self.array = array
        self.length = len(array)
        self.spill: list[Any] = []

    def __repr__(self) -> str:
        return f"GoSlice(len={len(self)}, shared={self.length})"

    def __len__(self) -> int:
        return self.length + len(self.spill)

    def items(self) -> list[Any]:
        """A copy of the slice's elements, `s[:len(s)]`."""
        return self.array[: self.length] + self.spill

    def delete(self, i: int) -> None:
        """`s = append(s[:i], s[i+1:]...)`: later items shift left, the last slot is kept."""
        if self.spill:  # only after appends: the slice has left `array` (mergeSlice never does)
            self.array, self.length, self.spill = self.items(), len(self), []
        self.array[i : self.length - 1] = self.array[i + 1 : self.length]
        self.length -= 1

    def append(self, value: Any) -> None:
        """`s = append(s, value)`: written into `array` while it has room."""
        if self.length < len(self.array) and not self.spill:
            self.array[self.length] = value
            self.length += 1
        else:
            self.spill.append(value)

    def set(self, i: int, value: Any) -> None:
        """`s[i] = value`."""
        if i < self.length:
            self.array[i] = value
        else:
            self.spill[i - self.length] = value


def remove_directives(value: Any) -> tuple[Any, bool]:
    """`removeDirectives`: `value` without `$patch` maps (maps are changed in place); (value,
    keep): a map that is itself a directive is not kept."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            value[key], keep = remove_directives(value[key])
            if not keep:
                del value[key]
        return value, True
    if isinstance(value, list):
        results = [remove_directives(item) for item in value]
        return [item for item, keep in results if keep], True
    return value, True


def discard_null_values(value: Any) -> None:
    """`discardNullValuesFromPatch`: drop every null map value, at any depth (in place)."""
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for item in value.values():
            discard_null_values(item)
    elif isinstance(value, list):
        for item in value:
            discard_null_values(item)
