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
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from minik8s.api.errors import BadRequest, Invalid, StatusError
from minik8s.api.schema import STRUCTS
from minik8s.api.schema.k8s_1_31 import PATCH
from minik8s.apiserver.strategicpatch_values import (
    DIRECTIVE,
    GoSlice,
    discard_null_values,
    remove_directives,
)

RETAIN_KEYS = "$retainKeys"
DELETE_PREFIX = "$deleteFromPrimitiveList"
ORDER_PREFIX = "$setElementOrder"
Obj = dict[str, Any]


class StrategicMergePatchError(StatusError):
    """A plain Go error from strategicpatch: kube-apiserver answers 500 with its text."""


ERR_PRIMITIVE_LIST = "invalid patch format of primitive list"
ERR_RETAIN_KEYS = "invalid patch format of retainKeys"
ERR_ORDER_LIST = "invalid patch format of setElementOrder list"
ERR_LIST_OF_LISTS = "lists of lists are not supported"


def parse_patch_tags(text: str) -> dict[str, dict[str, str]]:
    """`PATCH` text -> {struct id: {field: "strategy [mergeKey]"}}."""
    tags: dict[str, dict[str, str]] = {}
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("  "):
            name, _, tag = line.strip().partition(" ")
            fields[name] = tag
        elif line:
            fields = tags.setdefault(line, {})
    return tags


@dataclass(frozen=True)
class PatchSchema:
    """Field types (`STRUCTS` layout) and patch tags (`PATCH` layout) of Go structs."""

    structs: Mapping[str, Mapping[str, str]]
    tags: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"PatchSchema({len(self.structs)} structs)"

    def lookup(self, t: str, key: str) -> tuple[str, list[str], str]:
        """(field type, patch strategies, merge key): `LookupPatchMetadataForStruct`."""
        if t.startswith("map[string]"):
            return t[len("map[string]") :], [], ""
        if t in self.structs or t in _GO_STRUCTS:
            fields = self.structs.get(t, {})
            if key not in fields:
                name = _GO_STRUCTS.get(t) or t.rsplit(".", 1)[-1]
                raise StrategicMergePatchError(
                    f'unable to find api field in struct {name} for the json field "{key}"'
                )
            strategy, _, merge_key = self.tags.get(t, {}).get(key, "").partition(" ")
            return fields[key], strategy.split(",") if strategy else [], merge_key
        raise StrategicMergePatchError(
            "merging an object in json but data type is not map or struct, "
            f"instead is: {_go_kind(t)}"
        )

    def lookup_slice(self, t: str, key: str) -> tuple[str, list[str], str]:
        """(element type, strategies, merge key): `LookupPatchMetadataForSlice`."""
        sub, strategies, merge_key = self.lookup(t, key)
        if sub.startswith("[]"):
            sub = sub[2:]
            if sub.startswith("[]"):
                raise StrategicMergePatchError("unexpected slice of slice")
        return sub, strategies, merge_key


_GO_STRUCTS = {
    "quantity": "Quantity",
    "intstr": "IntOrString",
    "time": "Time",
    "raw": "RawExtension",
}
SCHEMA = PatchSchema(STRUCTS, parse_patch_tags(PATCH))


def _go_kind(t: str) -> str:
    if t.startswith("[]") or t == "bytes":
        return "slice"
    if t.startswith("map[string]"):
        return "map"
    return t if t in {"string", "int32", "int64", "bool", "float64"} else "struct"


def go_value(v: Any) -> str:
    """Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`."""
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_value(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_value(x) for x in v) + "]"
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return str(v)


def _go_type(v: Any) -> str:
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    if v is None:
        return "<nil>"
    return {bool: "bool", str: "string", int: "int64", float: "float64"}.get(type(v), "?")


def _kind(v: Any) -> str:
    """The Go dynamic type of a decoded value (whole numbers decode as int64)."""
    if isinstance(v, float) and v.is_integer():
        return "int64"
    return _go_type(v)


def _eq(a: Any, b: Any) -> bool:
    """Go's `==` on two `interface{}` values: same dynamic type and value."""
    return _kind(a) == _kind(b) and a == b


def err_no_merge_key(m: Any, key: str) -> StrategicMergePatchError:
    """`mergepatch.ErrNoMergeKey`."""
    return StrategicMergePatchError(
        f"map: {go_value(m)} does not contain declared merge key: {key}"
    )


def err_bad_arg_type(expected: str, actual: Any) -> StrategicMergePatchError:
    """`mergepatch.ErrBadArgType`."""
    return StrategicMergePatchError(f"expected a {expected}, but received a {_go_type(actual)}")


def strategic_merge_patch(
    original: Obj, patch: Any, struct_id: str, schema: PatchSchema = SCHEMA
) -> Obj:
    """`StrategicMergeMapPatch`: `patch` applied to `original` (neither is modified)."""
    if not isinstance(patch, dict):
        raise BadRequest("invalid JSON document")
    return _Merger(schema).merge_map(copy.deepcopy(original), copy.deepcopy(patch), struct_id)


def extract_retain_keys(strategies: list[str]) -> tuple[bool, str]:
    """`extractRetainKeysPatchStrategy`: (retainKeys?, the other strategy)."""
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == "retainKeys" else (False, strategies[0])
    if len(strategies) == 2 and "retainKeys" in strategies:
        return True, strategies[1] if strategies[0] == "retainKeys" else strategies[0]
    raise StrategicMergePatchError(f"unexpected patch strategy: {go_value(strategies)}")


def _unprocessable(text: str) -> Invalid:
    """`NewGenericServerResponse(422, ...)`: the Go error's text only in the cause."""
    message = "the server rejected our request due to an error in our request"
    return Invalid(message, {"causes": [{"message": text}]})


def _extract_key(key: str, prefix: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise BadRequest(ERR_PRIMITIVE_LIST if prefix == DELETE_PREFIX else ERR_ORDER_LIST)
    return rest


def slice_element_kind(*lists: list[Any], unprocessable: bool = False) -> str:
    """`sliceElementType`: the one Go type of every element ("map[string]interface {}", ...).
    A list of lists is `ErrNoListOfLists`: a plain error, or the server's 422 when applying a
    patch (`unprocessable`)."""
    kind = ""
    for items in lists:
        for item in items:
            current = _kind(item)
            if not kind:
                if isinstance(item, list):
                    if unprocessable:
                        raise _unprocessable(ERR_LIST_OF_LISTS)
                    raise StrategicMergePatchError(ERR_LIST_OF_LISTS)
                kind = current
            elif kind != current:
                text = go_value(list(lists))
                raise StrategicMergePatchError(f"list element types are not identical: {text}")
    if not kind:
        raise StrategicMergePatchError("no elements in any of the given slices")
    return kind


_MAP = "map[string]interface {}"


def _key_of(item: Any, merge_key: str, is_map: bool) -> Any:
    return item.get(merge_key) if is_map and isinstance(item, dict) else item


def _index(items: list[Any], value: Any, merge_key: str, is_map: bool) -> int:
    wanted = _key_of(value, merge_key, is_map)
    for i, item in enumerate(items):
        if _eq(wanted, _key_of(item, merge_key, is_map)):
            return i
    return -1


def _find(items: list[Any], key: str, value: Any) -> int:
    """`findMapInSliceBasedOnKeyValue`: the index of the map whose `key` is `value`, or -1."""
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise StrategicMergePatchError(f"value for key {i} is not a map.")
        if key in item and _eq(item[key], value):
            return i
    return -1


def _check_merge_keys(merge_key: str, *lists: list[Any]) -> None:
    for items in lists:
        for item in items:
            if not isinstance(item, dict):
                raise err_bad_arg_type(_MAP, item)
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)


def _normalize(items: list[Any], order: list[Any], merge_key: str, is_map: bool) -> list[Any]:
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


def _normalize_order(
    patch: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    is_map: bool,
) -> list[Any]:
    """`normalizeElementOrder` + `mergeSortedSlice`: patch items in patch order, server-only
    items in server order, interleaved where the server order relates them."""
    right = _normalize(patch, patch_order, merge_key, is_map)
    left = _normalize(server_only, server_order, merge_key, is_map)
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


def _partition(merged: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    """(items present in `by`, server-only items): `partition{Primitives,Maps}ByPresentInList`."""
    inside: list[Any] = []
    outside: list[Any] = []
    for item in merged:
        if merge_key:
            if not isinstance(item, dict):
                raise err_bad_arg_type(_MAP, item)
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)
            present = _find(by, merge_key, item[merge_key]) >= 0
        else:
            present = any(_eq(item, other) for other in by)
        (inside if present else outside).append(item)
    return inside, outside


def _dedupe(items: list[Any]) -> list[Any]:
    unique: list[Any] = []
    for item in items:
        if not any(_eq(item, seen) for seen in unique):
            unique.append(item)
    return unique


def _validate_order_list(patch_list: list[Any], order: Any, merge_key: str) -> None:
    """`validatePatchWithSetOrderList`: patch items appear in `$setElementOrder`'s order."""
    if not isinstance(order, list):
        raise BadRequest(ERR_ORDER_LIST)
    if not order or not patch_list:
        return
    items = patch_list
    if merge_key:
        for item in items:
            if not isinstance(item, dict):
                raise err_bad_arg_type(_MAP, item)
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
        return _eq(left, right)
    for side in (left, right):
        if not isinstance(side, dict):
            raise err_bad_arg_type(_MAP, side)
        if merge_key not in side:
            raise err_no_merge_key(side, merge_key)
    return _eq(left[merge_key], right[merge_key])


class _Merger:
    """`mergeMap` / `mergeSlice` with a schema (MergeOptions: MergeParallelList and
    IgnoreUnmatchedNulls, as on the server)."""

    def __init__(self, schema: PatchSchema):
        self.schema = schema

    def __repr__(self) -> str:
        return f"_Merger({self.schema!r})"

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
            if key not in original or _kind(original[key]) != _kind(value):
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
            _validate_order_list(changes, order, merge_key)
            if not found_original and not found_patch:
                continue
            if found_original and found_patch:
                merged = changes
                if strategy == "merge":  # may rewrite `server` as Go's shared array would
                    merged = self.merge_slice(server, changes, elem, merge_key, False)
            else:
                merged = server if found_original else remove_directives(changes)[0]
            inside, outside = _partition(merged, order, merge_key)
            is_map = slice_element_kind(server, changes, unprocessable=True) == _MAP
            original[name] = _normalize_order(inside, outside, order, server, merge_key, is_map)
            patch.pop(name, None)

    def merge_slice(
        self, original: list[Any], patch: list[Any], elem: str, merge_key: str, delete_list: bool
    ) -> list[Any]:
        """`mergeSlice`: a `merge` list: by merge key for maps, a union for primitives. As in
        Go, deleting and appending maps rewrites `original` in place (see `GoSlice`)."""
        if not original and not patch:
            return original
        is_map = slice_element_kind(original, patch, unprocessable=True) == _MAP
        if not is_map:
            if delete_list:
                return [v for v in original if not any(_eq(v, d) for d in patch)]
            merged = _dedupe(original + patch)
        else:
            if not merge_key:
                raise StrategicMergePatchError(
                    f"cannot merge lists without merge key for type {_go_kind(elem)}"
                )
            live, patch = _special_elements(GoSlice(original), patch, merge_key)
            original = live.items()
            merged = self.merge_elements(live, patch, merge_key, elem)
        inside, outside = _partition(merged, patch, merge_key)
        return _normalize_order(inside, outside, patch, original, merge_key, is_map)

    def merge_elements(
        self, original: GoSlice, patch: list[Any], merge_key: str, elem: str
    ) -> list[Any]:
        """`mergeSliceWithoutSpecialElements`: merge each patch element into the original
        element with its merge key, or append it; the merged elements."""
        for item in patch:
            if merge_key not in item:
                raise err_no_merge_key(item, merge_key)
            items = original.items()
            i = _find(items, merge_key, item[merge_key])
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
            while (i := _find(original.items(), merge_key, value)) >= 0:
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
