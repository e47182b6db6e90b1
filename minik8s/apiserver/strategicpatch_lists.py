"""Strategic merge patch list helpers, mirroring apimachinery `pkg/util/strategicpatch/patch.go`
(`sliceElementType`, `findMapInSliceBasedOnKeyValue`, `normalizeElementOrder`,
`mergeSortedSlice`, `partitionMapsByPresentInList`, `validatePatchWithSetOrderList`).

How a merged list is ordered: `$setElementOrder` first, then the patch's order, then the live
object's; and the checks upstream makes on the way (one element type, merge keys present).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import BadRequest
from minik8s.apiserver.strategicpatch_meta import (
    ERR_LIST_OF_LISTS,
    ERR_ORDER_LIST,
    MAP_TYPE,
    ORDER_PREFIX,
    StrategicMergePatchError,
    dynamic_type,
    err_bad_arg_type,
    err_no_merge_key,
    go_equal,
    go_value,
    unprocessable_error,
)
from minik8s.apiserver.strategicpatch_values import DIRECTIVE


def slice_element_kind(*lists: list[Any], unprocessable: bool = False) -> str:
    """`sliceElementType`: the one Go type of every element ("map[string]interface {}", ...).
    A list of lists is `ErrNoListOfLists`: a plain error, or the server's 422 when applying a
    patch (`unprocessable`)."""
    kind = ""
    for items in lists:
        for item in items:
            current = dynamic_type(item)
            if not kind:
                if isinstance(item, list):
                    if unprocessable:
                        raise unprocessable_error(ERR_LIST_OF_LISTS)
                    raise StrategicMergePatchError(ERR_LIST_OF_LISTS)
                kind = current
            elif kind != current:
                text = go_value(list(lists))
                raise StrategicMergePatchError(f"list element types are not identical: {text}")
    if not kind:
        raise StrategicMergePatchError("no elements in any of the given slices")
    return kind


def _key_of(item: Any, merge_key: str, is_map: bool) -> Any:
    return item.get(merge_key) if is_map and isinstance(item, dict) else item


def _index(items: list[Any], value: Any, merge_key: str, is_map: bool) -> int:
    wanted = _key_of(value, merge_key, is_map)
    for i, item in enumerate(items):
        if go_equal(wanted, _key_of(item, merge_key, is_map)):
            return i
    return -1


def find_map_in_slice(items: list[Any], key: str, value: Any) -> int:
    """`findMapInSliceBasedOnKeyValue`: the index of the map whose `key` is `value`, or -1."""
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise StrategicMergePatchError(f"value for key {i} is not a map.")
        if key in item and go_equal(item[key], value):
            return i
    return -1


def _check_merge_keys(merge_key: str, *lists: list[Any]) -> None:
    for items in lists:
        for item in items:
            if not isinstance(item, dict):
                raise err_bad_arg_type(MAP_TYPE, item)
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)


def normalize_slice_order(
    items: list[Any], order: list[Any], merge_key: str, is_map: bool
) -> list[Any]:
    """`normalizeSliceOrder`: `items` sorted by their place in `order`, deletions last."""
    deleted: list[Any] = []
    if is_map:
        _check_merge_keys(merge_key, items, order)
        deleted = [i for i in items if i.get(DIRECTIVE) == "delete"]
        items = [i for i in items if i.get(DIRECTIVE) != "delete"]
    found = [i for i in items if _index(order, i, merge_key, is_map) >= 0]
    found.sort(key=lambda i: _index(order, i, merge_key, is_map))
    rest = [i for i in items if _index(order, i, merge_key, is_map) < 0]
    return found + rest + deleted


def normalize_element_order(
    patch: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    is_map: bool,
) -> list[Any]:
    """`normalizeElementOrder` + `mergeSortedSlice`: patch items in patch order, server-only
    items in server order, interleaved where the server order relates them."""
    right = normalize_slice_order(patch, patch_order, merge_key, is_map)
    left = normalize_slice_order(server_only, server_order, merge_key, is_map)
    merged: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if j >= len(right):
            merged.append(left[i])
            i += 1
            continue
        if i < len(left):
            li = _index(server_order, left[i], merge_key, is_map)
            ri = _index(server_order, right[j], merge_key, is_map)
            if li >= 0 and ri >= 0 and li < ri:
                merged.append(left[i])
                i += 1
                continue
        merged.append(right[j])
        j += 1
    return merged


def partition_by_presence(
    merged: list[Any], by: list[Any], merge_key: str
) -> tuple[list[Any], list[Any]]:
    """(items present in `by`, server-only items): `partition{Primitives,Maps}ByPresentInList`."""
    inside: list[Any] = []
    outside: list[Any] = []
    for item in merged:
        if merge_key:
            if not isinstance(item, dict):
                raise err_bad_arg_type(MAP_TYPE, item)
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)
            present = find_map_in_slice(by, merge_key, item[merge_key]) >= 0
        else:
            present = any(go_equal(item, other) for other in by)
        (inside if present else outside).append(item)
    return inside, outside


def dedupe(items: list[Any]) -> list[Any]:
    """The union of a primitive list: each value once, first occurrence first."""
    unique: list[Any] = []
    for item in items:
        if not any(go_equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


def validate_order_list(patch_list: list[Any], order: Any, merge_key: str) -> None:
    """`validatePatchWithSetOrderList`: patch items appear in `$setElementOrder`'s order."""
    if not isinstance(order, list):
        raise BadRequest(ERR_ORDER_LIST)
    if not order or not patch_list:
        return
    items = patch_list
    if merge_key:
        for item in items:
            if not isinstance(item, dict):
                raise err_bad_arg_type(MAP_TYPE, item)
        items = [i for i in items if i.get(DIRECTIVE) != "delete"]
    p = o = 0
    while p < len(items) and o < len(order):
        if isinstance(items[p], dict) and DIRECTIVE in items[p]:
            p += 1
            continue
        if _merge_key_equal(items[p], order[o], merge_key):
            p += 1
        o += 1
    if p < len(items) and o >= len(order):
        raise StrategicMergePatchError(
            f"The order in patch list:\n{go_value(patch_list)}\n doesn't match "
            f"{ORDER_PREFIX} list:\n{go_value(order)}\n"
        )


def _merge_key_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return go_equal(left, right)
    for side in (left, right):
        if not isinstance(side, dict):
            raise err_bad_arg_type(MAP_TYPE, side)
        if merge_key not in side:
            raise err_no_merge_key(side, merge_key)
    return go_equal(left[merge_key], right[merge_key])
