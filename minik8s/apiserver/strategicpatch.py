"""Strategic merge patch: apimachinery pkg/util/strategicpatch/patch.go (`StrategicMergeMapPatch`).

A JSON merge patch whose lists follow the field's patch strategy (Go struct tags, here from
`minik8s.api.schema.k8s_1_31.PATCH`): lists with strategy `merge` and a merge key merge element
by element, primitive `merge` lists are unions, other lists replace; maps without struct info
(`map[string]T`) merge like a JSON merge patch. Directives `$patch` (replace, delete on maps;
replace, delete on list elements), `$retainKeys`, `$deleteFromPrimitiveList/<f>` and
`$setElementOrder/<f>` are applied, in upstream's order: `$setElementOrder` first, then the
patch's order, then the live object's, read as Go reads it after `mergeSlice` rewrote the live
list's array in place (`strategicpatch_values.GoSlice`). A value taken whole because the live
object lacks its key loses its nulls and `$patch` directives (`removeDirectives`).
Errors carry upstream's texts, typed as kube-apiserver's `interpretStrategicMergePatchError` does
(BadRequest, 422 Invalid, else a 500 with the Go error's text).

Leaves out patch creation (`CreateTwoWayMergePatch`, three-way merge, conflict detection), the
OpenAPI schema lookup (CRDs) and Go's map iteration order (patch keys are taken in patch order).
Deviates on one point, kept for tests/apiserver: a `$deleteFromPrimitiveList/<f>` whose list the
live object lacks sets the list (upstream skips it: `!isDeleteList`).

Layout: struct tags, errors and Go value semantics in `strategicpatch_meta.py`, list ordering in
`strategicpatch_lists.py`, directives and slice aliasing in `strategicpatch_values.py`; this
module merges maps and lists and re-exports the public names.
"""

from __future__ import annotations

import copy
from typing import Any

from minik8s.api.errors import BadRequest
from minik8s.apiserver.strategicpatch_lists import (
    dedupe,
    find_map_in_slice,
    normalize_element_order,
    partition_by_presence,
    slice_element_kind,
    validate_order_list,
)
from minik8s.apiserver.strategicpatch_meta import (
    DELETE_PREFIX,
    ERR_LIST_OF_LISTS,
    ERR_ORDER_LIST,
    ERR_PRIMITIVE_LIST,
    ERR_RETAIN_KEYS,
    MAP_TYPE,
    ORDER_PREFIX,
    RETAIN_KEYS,
    SCHEMA,
    PatchSchema,
    StrategicMergePatchError,
    dynamic_type,
    err_bad_arg_type,
    err_no_merge_key,
    extract_retain_keys,
    go_equal,
    go_kind,
    go_value,
    parse_patch_tags,
)
from minik8s.apiserver.strategicpatch_values import (
    DIRECTIVE,
    GoSlice,
    discard_null_values,
    remove_directives,
)

__all__ = [
    "DELETE_PREFIX",
    "DIRECTIVE",
    "ERR_LIST_OF_LISTS",
    "ERR_ORDER_LIST",
    "ERR_PRIMITIVE_LIST",
    "ERR_RETAIN_KEYS",
    "ORDER_PREFIX",
    "RETAIN_KEYS",
    "SCHEMA",
    "PatchSchema",
    "StrategicMergePatchError",
    "err_bad_arg_type",
    "err_no_merge_key",
    "extract_retain_keys",
    "go_value",
    "parse_patch_tags",
    "slice_element_kind",
    "strategic_merge_patch",
]

Obj = dict[str, Any]


def strategic_merge_patch(
    original: Obj, patch: Any, struct_id: str, schema: PatchSchema = SCHEMA
) -> Obj:
    """`StrategicMergeMapPatch`: `patch` applied to `original` (neither is modified)."""
    if not isinstance(patch, dict):
        raise BadRequest("invalid JSON document")
    return Merger(schema).merge_map(copy.deepcopy(original), copy.deepcopy(patch), struct_id)


def _extract_key(key: str, prefix: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise BadRequest(ERR_PRIMITIVE_LIST if prefix == DELETE_PREFIX else ERR_ORDER_LIST)
    return rest


class Merger:
    """`mergeMap` / `mergeSlice` with a schema (MergeOptions: MergeParallelList and
    IgnoreUnmatchedNulls, as on the server)."""

    def __init__(self, schema: PatchSchema):
        self.schema = schema

    def __repr__(self) -> str:
        return f"Merger({self.schema!r})"

    def merge_map(self, original: Obj | None, patch: Obj, t: str) -> Obj:
        """`mergeMap`: merge `patch` into `original` (both are modified)."""
        if DIRECTIVE in patch:
            directive = patch[DIRECTIVE]
            if directive == "replace":
                del patch[DIRECTIVE]
                return patch
            if directive == "delete":
                return {}
            raise StrategicMergePatchError(
                f"unknown patch type: {go_value(directive)} in map: {go_value(patch)}"
            )
        if original is None:
            original = {}
        _apply_retain_keys(original, patch)
        self.merge_order_lists(original, patch, t)
        for key in list(patch):
            value = patch[key]
            delete_list = key.startswith(DELETE_PREFIX)
            if delete_list:
                key = _extract_key(key, DELETE_PREFIX)
            if value is None:
                original.pop(key, None)
                continue
            if key not in original or dynamic_type(original[key]) != dynamic_type(value):
                if not delete_list:  # nothing to delete from: skipped (`!isDeleteList`)
                    _take_patch_value(original, key, value)
                continue
            current = original[key]
            if isinstance(value, dict):
                sub, strategies, _ = self.schema.lookup(t, key)
                _, strategy = extract_retain_keys(strategies)
                replace = strategy == "replace"
                original[key] = value if replace else self.merge_map(current, value, sub)
            elif isinstance(value, list):
                elem, strategies, merge_key = self.schema.lookup_slice(t, key)
                _, strategy = extract_retain_keys(strategies)
                if strategy == "merge" or delete_list:  # deletions whatever the strategy
                    value = self.merge_slice(current, value, elem, merge_key, delete_list)
                original[key] = value
            else:
                original[key] = value
        return original

    def merge_order_lists(self, original: Obj, patch: Obj, t: str) -> None:
        """`mergePatchIntoOriginal`: merge each list that has a `$setElementOrder/<f>`, then
        order it: `$setElementOrder` first, then the patch's order, then the server's."""
        for key in [k for k in patch if k.startswith(ORDER_PREFIX)]:
            order = patch.pop(key)
            if not isinstance(order, list):
                raise err_bad_arg_type("[]interface {}", order)
            name = _extract_key(key, ORDER_PREFIX)
            found_original, found_patch = name in original, name in patch
            server = original.get(name) or [] if found_original else []
            changes = patch.get(name) or [] if found_patch else []
            for value in (server, changes):
                if not isinstance(value, list):
                    raise err_bad_arg_type("[]interface {}", value)
            elem, strategies, merge_key = self.schema.lookup_slice(t, name)
            _, strategy = extract_retain_keys(strategies)
            validate_order_list(changes, order, merge_key)
            if not found_original and not found_patch:
                continue
            if found_original and found_patch:
                merged = changes
                if strategy == "merge":  # may rewrite `server` as Go's shared array would
                    merged = self.merge_slice(server, changes, elem, merge_key, False)
            else:
                merged = server if found_original else remove_directives(changes)[0]
            inside, outside = partition_by_presence(merged, order, merge_key)
            is_map = slice_element_kind(server, changes, unprocessable=True) == MAP_TYPE
            original[name] = normalize_element_order(
                inside, outside, order, server, merge_key, is_map
            )
            patch.pop(name, None)

    def merge_slice(
        self, original: list[Any], patch: list[Any], elem: str, merge_key: str, delete_list: bool
    ) -> list[Any]:
        """`mergeSlice`: a `merge` list: by merge key for maps, a union for primitives. As in
        Go, deleting and appending maps rewrites `original` in place (see `GoSlice`)."""
        if not original and not patch:
            return original
        is_map = slice_element_kind(original, patch, unprocessable=True) == MAP_TYPE
        if not is_map:
            if delete_list:
                return [v for v in original if not any(go_equal(v, d) for d in patch)]
            merged = dedupe(original + patch)
        else:
            if not merge_key:
                raise StrategicMergePatchError(
                    f"cannot merge lists without merge key for type {go_kind(elem)}"
                )
            live, patch = _special_elements(GoSlice(original), patch, merge_key)
            original = live.items()
            merged = self.merge_elements(live, patch, merge_key, elem)
        inside, outside = partition_by_presence(merged, patch, merge_key)
        return normalize_element_order(inside, outside, patch, original, merge_key, is_map)

    def merge_elements(
        self, original: GoSlice, patch: list[Any], merge_key: str, elem: str
    ) -> list[Any]:
        """`mergeSliceWithoutSpecialElements`: merge each patch element into the original
        element with its merge key, or append it; the merged elements."""
        for item in patch:
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)
            items = original.items()
            i = find_map_in_slice(items, merge_key, item[merge_key])
            if i >= 0:
                original.set(i, self.merge_map(items[i], item, elem))
            else:
                original.append(item)
        return original.items()


def _special_elements(
    original: GoSlice, patch: list[Any], merge_key: str
) -> tuple[GoSlice, list[Any]]:
    """`mergeSliceWithSpecialElements`: apply `$patch` elements, deleting from `original` in
    place; (original, or the plain patch items if one says replace; the plain patch items)."""
    plain: list[Any] = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)
            value = item[merge_key]
            while (i := find_map_in_slice(original.items(), merge_key, value)) >= 0:
                original.delete(i)
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise StrategicMergePatchError("merging lists cannot yet be specified in the patch")
        else:
            raise StrategicMergePatchError(
                f"unknown patch type: {go_value(directive)} in map: {go_value(item)}"
            )
    return (GoSlice(plain), []) if replace else (original, plain)


def _take_patch_value(original: Obj, key: str, value: Any) -> None:
    """`mergeMap` where `original` lacks `key` (or holds another type): the patch value without
    nulls (`IgnoreUnmatchedNulls`) and `$patch` directives; a directive map sets nothing."""
    discard_null_values(value)
    value, keep = remove_directives(value)
    if keep:
        original[key] = value
    else:
        original.pop(key, None)


def _apply_retain_keys(original: Obj, patch: Obj) -> None:
    """`applyRetainKeysDirective`: drop the fields of `original` not in `$retainKeys`."""
    if RETAIN_KEYS not in patch:
        return
    keep = patch.pop(RETAIN_KEYS)
    if not isinstance(keep, list):
        raise BadRequest(ERR_RETAIN_KEYS)
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_PREFIX, ORDER_PREFIX)):
            continue
        if key not in keep:
            raise BadRequest(ERR_RETAIN_KEYS)
    for key in [k for k in original if k not in keep]:
        del original[key]
