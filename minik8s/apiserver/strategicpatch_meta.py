"""Strategic merge patch metadata and Go value semantics, mirroring apimachinery
`pkg/util/strategicpatch/meta.go` (`LookupPatchMetadataForStruct`/`ForSlice`), `types.go`'s
directive names and `pkg/util/mergepatch/errors.go`.

`PatchSchema` reads a field's type, patch strategies and merge key from the Go struct tags
(`minik8s.api.schema.k8s_1_31.PATCH`); `go_value`/`go_type`/`dynamic_type`/`go_equal` print and
compare decoded JSON as Go's `%v`, `%T` and `==` on `interface{}` do, so error texts match
upstream's. Left out: the OpenAPI schema lookup (CRDs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from minik8s.api.errors import Invalid, StatusError
from minik8s.api.schema import STRUCTS
from minik8s.api.schema.k8s_1_31 import PATCH

RETAIN_KEYS = "$retainKeys"
DELETE_PREFIX = "$deleteFromPrimitiveList"
ORDER_PREFIX = "$setElementOrder"
MAP_TYPE = "map[string]interface {}"


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
            f"instead is: {go_kind(t)}"
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


def go_kind(t: str) -> str:
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


def go_type(v: Any) -> str:
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    if v is None:
        return "<nil>"
    return {bool: "bool", str: "string", int: "int64", float: "float64"}.get(type(v), "?")


def dynamic_type(v: Any) -> str:
    """The Go dynamic type of a decoded value (whole numbers decode as int64)."""
    if isinstance(v, float) and v.is_integer():
        return "int64"
    return go_type(v)


def go_equal(a: Any, b: Any) -> bool:
    """Go's `==` on two `interface{}` values: same dynamic type and value."""
    return dynamic_type(a) == dynamic_type(b) and a == b


def err_no_merge_key(m: Any, key: str) -> StrategicMergePatchError:
    """`mergepatch.ErrNoMergeKey`."""
    return StrategicMergePatchError(
        f"map: {go_value(m)} does not contain declared merge key: {key}"
    )


def err_bad_arg_type(expected: str, actual: Any) -> StrategicMergePatchError:
    """`mergepatch.ErrBadArgType`."""
    return StrategicMergePatchError(f"expected a {expected}, but received a {go_type(actual)}")


def extract_retain_keys(strategies: list[str]) -> tuple[bool, str]:
    """`extractRetainKeysPatchStrategy`: (retainKeys?, the other strategy)."""
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == "retainKeys" else (False, strategies[0])
    if len(strategies) == 2 and "retainKeys" in strategies:
        return True, strategies[1] if strategies[0] == "retainKeys" else strategies[0]
    raise StrategicMergePatchError(f"unexpected patch strategy: {go_value(strategies)}")


def unprocessable_error(text: str) -> Invalid:
    """`NewGenericServerResponse(422, ...)`: the Go error's text only in the cause."""
    message = "the server rejected our request due to an error in our request"
    return Invalid(message, {"causes": [{"message": text}]})
