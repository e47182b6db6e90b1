"""Strategic merge patch creation: apimachinery pkg/util/strategicpatch/patch.go, the diff side.

`create_two_way_merge_patch` (`CreateTwoWayMergePatch`) and `Differ.diff_maps` (`diffMaps`,
which `CreateThreeWayMergePatch` in `minik8s.kubectl.strategic_threeway` calls twice):
`diffLists` (lists of maps by merge key with `$patch: delete` items and `$setElementOrder/<f>`,
primitive `merge` lists with `$deleteFromPrimitiveList/<f>`, other lists whole), `$retainKeys`
for `retainKeys` strategies and the `DiffOptions` `IgnoreChangesAndAdditions`/`IgnoreDeletions`.
Patch metadata is `minik8s.apiserver.strategicpatch_meta`'s (`PatchSchema.lookup`, from the 1.31
Go struct tags); `normalizeSliceOrder` is reused from `minik8s.apiserver.strategicpatch_lists`.

Leaves out: preconditions (`PreconditionFunc`), the OpenAPI lookup (`PatchMetaFromOpenAPI`),
`SMPatchVersion` and Go's random map order (patch keys follow `modified`'s order).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

from minik8s.apiserver.strategicpatch import (
    DELETE_PREFIX,
    DIRECTIVE,
    ORDER_PREFIX,
    RETAIN_KEYS,
    SCHEMA,
    PatchSchema,
    StrategicMergePatchError,
    err_bad_arg_type,
    err_no_merge_key,
    extract_retain_keys,
    go_value,
    slice_element_kind,
)
from minik8s.apiserver.strategicpatch_lists import normalize_slice_order
from minik8s.apiserver.strategicpatch_meta import MAP_TYPE, dynamic_type

Obj = dict[str, Any]


@dataclass(frozen=True)
class DiffOptions:
    """`DiffOptions`: what `diffMaps` keeps in the patch."""

    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys_directive: bool = False


def deep_equal(a: Any, b: Any) -> bool:
    """`reflect.DeepEqual` on decoded JSON: same Go types (a bool is not a number) and values."""
    if dynamic_type(a) != dynamic_type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def sort_scalars(items: list[Any]) -> list[Any]:
    """`sortScalars`: by their `%v` text."""
    return sorted(items, key=go_value)


def deduplicate_scalars(items: list[Any]) -> list[Any]:
    """`deduplicateScalars`, with its swap-with-last order."""
    s = list(items)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if deep_equal(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def create_two_way_merge_patch(
    original: Obj | None, modified: Obj | None, struct_id: str, schema: PatchSchema = SCHEMA
) -> Obj:
    """`CreateTwoWayMergeMapPatch`: the patch that turns `original` into `modified`."""
    options = DiffOptions(set_element_order=True)
    return Differ(schema).diff_maps(original or {}, modified or {}, struct_id, options)


class Differ:
    """`diffMaps` / `diffLists` against one patch schema; inputs are never modified."""

    def __init__(self, schema: PatchSchema):
        self.schema = schema

    def __repr__(self) -> str:
        return f"Differ({self.schema!r})"

    def diff_maps(self, original: Obj, modified: Obj, t: str, opts: DiffOptions) -> Obj:
        """`diffMaps`: the (recursive) patch from `original` to `modified`."""
        patch: Obj = {}
        retain: list[Any] = []
        for key, value in modified.items():
            if opts.build_retain_keys_directive and value is not None:
                retain.append(key)
            if key not in original:
                if not opts.ignore_changes_and_additions:
                    patch[key] = copy.deepcopy(value)
                continue
            before = original[key]
            if key == DIRECTIVE:
                if not isinstance(before, str) or not isinstance(value, str):
                    raise StrategicMergePatchError(f"invalid value for special key: {DIRECTIVE}")
                if before != value:
                    patch[DIRECTIVE] = value
                continue
            if dynamic_type(before) != dynamic_type(value):
                if not opts.ignore_changes_and_additions:
                    patch[key] = copy.deepcopy(value)
            elif isinstance(value, dict):
                self.map_diff(key, before, value, patch, t, opts)
            elif isinstance(value, list):
                self.slice_diff(key, before, value, patch, t, opts)
            elif not opts.ignore_changes_and_additions and not deep_equal(before, value):
                patch[key] = value
        if not opts.ignore_deletions:
            for key in original:
                if key not in modified:
                    patch[key] = None
        if retain and (patch or _has_additional_new_field(original, modified)):
            patch[RETAIN_KEYS] = sort_scalars(retain)
        return patch

    def _lookup(
        self, t: str, key: str, before: Any, value: Any
    ) -> tuple[str, list[str], str] | None:
        """`LookupPatchMetadata`; None when it fails but the values are equal (no patch)."""
        try:
            return self.schema.lookup(t, key)
        except StrategicMergePatchError:
            if deep_equal(before, value):
                return None
            raise

    def map_diff(
        self, key: str, before: Obj, value: Obj, patch: Obj, t: str, opts: DiffOptions
    ) -> None:
        """`handleMapDiff`: recurse, or the whole map for a `replace` strategy."""
        meta = self._lookup(t, key, before, value)
        if meta is None:
            return
        sub, strategies, _ = meta
        retain_keys, strategy = extract_retain_keys(strategies)
        opts = dataclasses.replace(opts, build_retain_keys_directive=retain_keys)
        if strategy == "replace":
            if not opts.ignore_changes_and_additions:
                patch[key] = copy.deepcopy(value)
            return
        diff = self.diff_maps(before, value, sub, opts)
        if diff:
            patch[key] = diff

    def slice_diff(
        self, key: str, before: list[Any], value: list[Any], patch: Obj, t: str, opts: DiffOptions
    ) -> None:
        """`handleSliceDiff`: merge lists item by item, other lists whole."""
        meta = self._lookup(t, key, before, value)
        if meta is None:
            return
        sub, strategies, merge_key = meta
        retain_keys, strategy = extract_retain_keys(strategies)
        if strategy != "merge":
            if not opts.ignore_changes_and_additions and not deep_equal(before, value):
                patch[key] = copy.deepcopy(value)
            return
        elem = sub[2:] if sub.startswith("[]") else sub
        opts = dataclasses.replace(opts, build_retain_keys_directive=retain_keys)
        add, delete, order = self.diff_lists(before, value, elem, merge_key, opts)
        if add:
            patch[key] = add
        if delete:
            patch[f"{DELETE_PREFIX}/{key}"] = delete
        if order:
            patch[f"{ORDER_PREFIX}/{key}"] = order

    def diff_lists(
        self, original: list[Any], modified: list[Any], elem: str, merge_key: str, opts: DiffOptions
    ) -> tuple[list[Any], list[Any], list[Any]]:
        """`diffLists`: (patch list, primitive deletion list, `$setElementOrder` list)."""
        if not original:
            if not modified or opts.ignore_changes_and_additions:
                return [], [], []
            return copy.deepcopy(modified), [], []
        kind = slice_element_kind(original, modified)
        if kind == MAP_TYPE:
            patch, deletions = self.diff_lists_of_maps(original, modified, elem, merge_key, opts)
            patch = normalize_slice_order(patch, modified, merge_key, True)
            order_same = _is_order_same(original, modified, merge_key)
            patch += deletions
            wanted = (not opts.ignore_changes_and_additions and (patch or not order_same)) or (
                not opts.ignore_deletions and patch
            )
            order = [{merge_key: m[merge_key]} for m in modified] if wanted else []
            return patch, [], order if opts.set_element_order else []
        add, delete = _diff_lists_of_scalars(original, modified, opts)
        add = normalize_slice_order(add, modified, merge_key, False)
        # upstream sorts `original` in place before comparing (`sortScalars` in the walk)
        changed = not deep_equal(sort_scalars(original), modified)
        wanted = (not opts.ignore_deletions and delete) or (
            not opts.ignore_changes_and_additions and changed
        )
        order = list(modified) if wanted and opts.set_element_order else []
        return add, delete, order

    def diff_lists_of_maps(
        self, original: list[Any], modified: list[Any], elem: str, merge_key: str, opts: DiffOptions
    ) -> tuple[list[Any], list[Any]]:
        """`diffListsOfMaps`: walk both lists sorted by merge key; (changes, delete items)."""
        before = _sorted_by_merge_key(original, merge_key)
        after = _sorted_by_merge_key(modified, merge_key)
        patch: list[Any] = []
        deletions: list[Any] = []
        i = j = 0
        while i < len(before) or j < len(after):
            left = _merge_key_text(before, i, merge_key) if i < len(before) else None
            right = _merge_key_text(after, j, merge_key) if j < len(after) else None
            if left is not None and left == right:
                diff = self.diff_maps(before[i], after[j], elem, opts)
                if diff:
                    diff[merge_key] = after[j][merge_key]
                    patch.append(diff)
                i, j = i + 1, j + 1
            elif left is None or (right is not None and left > right):
                if not opts.ignore_changes_and_additions:
                    patch.append(copy.deepcopy(after[j]))
                j += 1
            else:
                if not opts.ignore_deletions:
                    deletions.append({merge_key: before[i][merge_key], DIRECTIVE: "delete"})
                i += 1
        return patch, deletions


def _merge_key_text(items: list[Any], index: int, merge_key: str) -> str:
    """`getMapAndMergeKeyValueByIndex`: the `%v` of the item's merge key."""
    item = items[index]
    if not isinstance(item, dict):
        raise err_bad_arg_type(MAP_TYPE, item)
    if merge_key not in item:
        raise err_no_merge_key(item, merge_key)
    return go_value(item[merge_key])


def _sorted_by_merge_key(items: list[Any], merge_key: str) -> list[Any]:
    """`sortMergeListsByNameArray` (no recursion): maps by the `%v` of their merge key."""
    if not items:
        return items
    slice_element_kind(items)
    return sorted(items, key=lambda m: go_value(m.get(merge_key)))


def _is_order_same(original: list[Any], modified: list[Any], merge_key: str) -> bool:
    """`isOrderSame`: the same merge keys in the same order."""
    if len(original) != len(modified):
        return False
    for left, right in zip(original, modified, strict=True):
        for side in (left, right):
            if merge_key not in side:
                raise err_no_merge_key(side, merge_key)
        if not deep_equal(left[merge_key], right[merge_key]):
            return False
    return True


def _diff_lists_of_scalars(
    original: list[Any], modified: list[Any], opts: DiffOptions
) -> tuple[list[Any], list[Any]]:
    """`diffListsOfScalars`: (additions, deletions), walking both lists sorted by `%v`."""
    before, after = sort_scalars(original), sort_scalars(modified)
    add: list[Any] = []
    delete: list[Any] = []
    i = j = 0
    while i < len(before) or j < len(after):
        left = go_value(before[i]) if i < len(before) else None
        right = go_value(after[j]) if j < len(after) else None
        if left is not None and left == right:
            i, j = i + 1, j + 1
        elif left is None or (right is not None and left > right):
            if not opts.ignore_changes_and_additions:
                add.append(after[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                delete.append(before[i])
            i += 1
    return add, deduplicate_scalars(delete)


def _has_additional_new_field(original: Obj, modified: Obj) -> bool:
    """`hasAdditionalNewField`: `original` has a non-null key `modified` lacks."""
    return any(v is not None and k not in modified for k, v in original.items())
