"""Three-way strategic merge patch: apimachinery strategicpatch/patch.go `CreateThreeWayMergePatch`
(what `kubectl apply` sends for built-in kinds), `MergingMapsHaveConflicts` and
`mergepatch.ErrConflict` (mergepatch/errors.go).

The patch is the delta current→modified without deletions, merged (`mergeMap` with the
client-side `MergeOptions{}`: directives and nulls are kept) into the deletions
original→modified; both diffs are `minik8s.kubectl.strategic_diff`'s. With `overwrite=False`
it refuses when the patch and the changes made from original to current touch a key
differently; `kubectl apply` passes `overwrite=true` (its `--overwrite` default).

Leaves out: preconditions (`PreconditionFunc`) and `ToYAMLOrError`'s exact YAML (here PyYAML
with sorted keys, close to sigs.k8s.io/yaml).
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from minik8s.apiserver.strategicpatch import (
    DELETE_PREFIX,
    DIRECTIVE,
    ORDER_PREFIX,
    RETAIN_KEYS,
    SCHEMA,
    Merger,
    PatchSchema,
    StrategicMergePatchError,
    extract_retain_keys,
    go_value,
    slice_element_kind,
)
from minik8s.apiserver.strategicpatch_meta import MAP_TYPE, dynamic_type
from minik8s.kubectl.strategic_diff import (
    Differ,
    DiffOptions,
    deduplicate_scalars,
    deep_equal,
)
from minik8s.kubectl.strategic_diff import sort_scalars as _sort

Obj = dict[str, Any]


def create_three_way_merge_patch(
    original: Obj | None,
    modified: Obj | None,
    current: Obj | None,
    struct_id: str,
    schema: PatchSchema = SCHEMA,
    overwrite: bool = True,
) -> Obj:
    """`CreateThreeWayMergePatch`: changes current→modified plus deletions original→modified.

    With `overwrite=False` a field changed both in the patch and in current since original
    raises `ErrConflict`; kubectl apply overwrites (`--overwrite` defaults to true)."""
    original, modified, current = original or {}, modified or {}, current or {}
    differ = Differ(schema)
    delta = differ.diff_maps(
        current, modified, struct_id, DiffOptions(set_element_order=True, ignore_deletions=True)
    )
    deletions = differ.diff_maps(
        original,
        modified,
        struct_id,
        DiffOptions(set_element_order=True, ignore_changes_and_additions=True),
    )
    patch = _ClientMerger(schema).merge_map(copy.deepcopy(deletions), delta, struct_id)
    if not overwrite:
        changed = differ.diff_maps(original, current, struct_id, DiffOptions())
        check_conflicts(patch, changed, struct_id, schema)
    return patch


class _ClientMerger(Merger):
    """`mergeMap` with `MergeOptions{}` (client side, in `CreateThreeWayMergePatch`): the
    directives of both patches are kept and nulls are kept, so the result is still a patch."""

    def merge_map(self, original: Obj | None, patch: Obj, t: str) -> Obj:
        """`mergeMap` without `MergeParallelList` and `IgnoreUnmatchedNulls`."""
        if DIRECTIVE in patch:
            return super().merge_map(original, patch, t)
        original = {} if original is None else original
        if RETAIN_KEYS in patch:
            keep = patch.pop(RETAIN_KEYS)
            if RETAIN_KEYS in original and not deep_equal(original[RETAIN_KEYS], keep):
                raise StrategicMergePatchError(
                    f"{go_value(original[RETAIN_KEYS])} and {go_value(keep)} are not deep equal: "
                    "this may happen when calculating the 3-way diff patch"
                )
            original[RETAIN_KEYS] = keep
        for key in [k for k in patch if k.startswith(ORDER_PREFIX)]:
            if key in original and not deep_equal(original[key], patch[key]):
                raise StrategicMergePatchError("invalid patch format of setElementOrder list")
            original[key] = patch[key]
        self.merge_order_lists(original, patch, t)
        for key, value in list(patch.items()):
            if key.startswith(DELETE_PREFIX) or value is None or key not in original:
                original[key] = value
            elif dynamic_type(original[key]) != dynamic_type(value) or not isinstance(
                value, dict | list
            ):
                original[key] = value
            elif isinstance(value, dict):
                sub, strategies, _ = self.schema.lookup(t, key)
                replace = extract_retain_keys(strategies)[1] == "replace"
                original[key] = value if replace else self.merge_map(original[key], value, sub)
            else:
                elem, strategies, merge_key = self.schema.lookup_slice(t, key)
                if extract_retain_keys(strategies)[1] == "merge":
                    value = self.merge_slice(original[key], value, elem, merge_key, False)
                original[key] = value
        return original


class ErrConflict(ValueError):
    """`mergepatch.ErrConflict`: the patch conflicts with changes made since original."""

    def __init__(self, patch: Obj, changed: Obj):
        self.patch, self.changed = patch, changed
        super().__init__(
            f"patch:\n{_to_yaml(patch)}\nconflicts with changes made from original to current:\n"
            f"{_to_yaml(changed)}\n"
        )

    def __repr__(self) -> str:
        return f"ErrConflict({sorted(self.patch)!r}, {sorted(self.changed)!r})"


def _to_yaml(obj: Obj) -> str:
    return str(yaml.safe_dump(obj, default_flow_style=False, sort_keys=True))


def check_conflicts(patch: Obj, changed: Obj, struct_id: str, schema: PatchSchema = SCHEMA) -> None:
    """Raise `ErrConflict` when `merging_maps_have_conflicts(patch, changed)`."""
    if merging_maps_have_conflicts(patch, changed, struct_id, schema):
        raise ErrConflict(patch, changed)


def merging_maps_have_conflicts(
    left: Obj, right: Obj, struct_id: str, schema: PatchSchema = SCHEMA
) -> bool:
    """`MergingMapsHaveConflicts`: both set some key to different values."""
    return _fields_conflict(left, right, struct_id, "", "", schema)


def _fields_conflict(
    left: Any, right: Any, t: str, strategy: str, merge_key: str, schema: PatchSchema
) -> bool:
    """`mergingMapFieldsHaveConflicts`."""
    if isinstance(left, dict):
        if not isinstance(right, dict):
            return True
        if DIRECTIVE in left or DIRECTIVE in right:
            if (DIRECTIVE in left) != (DIRECTIVE in right):
                return True
            if not deep_equal(left[DIRECTIVE], right[DIRECTIVE]):
                return True
        if strategy == "replace":
            return False
        return _maps_conflict(left, right, t, schema)
    if isinstance(left, list):
        if not isinstance(right, list):
            return True
        return _slices_conflict(left, right, t, strategy, merge_key, schema)
    return not deep_equal(left, right)


def _maps_conflict(left: Obj, right: Obj, t: str, schema: PatchSchema) -> bool:
    """`mapsHaveConflicts`: some key both maps set conflicts, by its field's patch strategy."""
    for key, value in left.items():
        if key in (DIRECTIVE, RETAIN_KEYS) or key not in right:
            continue
        sub, strategies, merge_key = schema.lookup(t, key)
        _, strategy = extract_retain_keys(strategies)
        if _fields_conflict(value, right[key], sub, strategy, merge_key, schema):
            return True
    return False


def _slices_conflict(
    left: list[Any], right: list[Any], t: str, strategy: str, merge_key: str, schema: PatchSchema
) -> bool:
    """`slicesHaveConflicts`: merge lists item by item (by merge key), others in order."""
    kind = slice_element_kind(left, right)
    elem = t[2:] if t.startswith("[]") else t
    if strategy == "merge":
        if kind != MAP_TYPE:
            return False
        by_key_left = _by_merge_key(left, merge_key)
        by_key_right = _by_merge_key(right, merge_key)
        return any(
            _fields_conflict(value, by_key_right[key], elem, "", "", schema)
            for key, value in by_key_left.items()
            if key in by_key_right
        )
    if len(left) != len(right):
        return True
    if kind != MAP_TYPE:
        left, right = _sort(deduplicate_scalars(left)), _sort(deduplicate_scalars(right))
    return any(
        _fields_conflict(a, b, elem, "", "", schema) for a, b in zip(left, right, strict=False)
    )


def _by_merge_key(items: list[Any], merge_key: str) -> dict[str, Any]:
    """`sliceOfMapsToMapOfMaps`: items by the `%s` of their merge key."""
    result: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict):
            raise StrategicMergePatchError(
                f"invalid element type in merging list:{go_value(items)}"
            )
        if merge_key not in item:
            raise StrategicMergePatchError(
                f"cannot find merge key `{merge_key}` in merging list element:{go_value(item)}"
            )
        result[str(item[merge_key])] = item
    return result
