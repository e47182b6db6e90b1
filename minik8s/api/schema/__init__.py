"""The Go structs of the served kinds, as `k8s.io/api` declares them (Kubernetes 1.31).

Mirrors the type information upstream's decoder gets from the Go types themselves (the fields
`encoding/json` knows, and their types), read from the generated `k8s_1_31` module (see
`tools/gen_schema.py`). Leaves out everything but names and types: no docs, defaults, enums,
list-map keys or Go names of named string types (`v1.Protocol` is plain `string` here).

>>> STRUCTS["core.v1.ContainerPort"]["containerPort"]
'int32'
>>> kind_struct("apps/v1", "Deployment")
'apps.v1.Deployment'
"""

from __future__ import annotations

from minik8s.api.schema.k8s_1_31 import KINDS
from minik8s.api.schema.k8s_1_31 import STRUCTS as _TEXT

SCALARS = frozenset(
    {"string", "int32", "int64", "bool", "float64", "bytes", "quantity", "intstr", "time", "raw"}
)


def _parse(text: str) -> dict[str, dict[str, str]]:
    structs: dict[str, dict[str, str]] = {}
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("  "):
            name, _, kind = line.strip().partition(" ")
            fields[name] = kind
        else:
            fields = structs.setdefault(line, {})
    return structs


STRUCTS: dict[str, dict[str, str]] = _parse(_TEXT)


def kind_struct(api_version: str, kind: str) -> str | None:
    """The struct id of a served kind (`v1`, `Pod` -> `core.v1.Pod`), None if not served."""
    return KINDS.get(f"{api_version}/{kind}")


def go_struct_name(struct_id: str) -> str:
    """What Go's `reflect.Type.Name()` gives: `core.v1.PodSpec` -> `PodSpec`."""
    return struct_id.rsplit(".", 1)[-1]


def go_type(kind: str) -> str:
    """What Go's `reflect.Type.String()` gives for a field type: `[]core.v1.Container` ->
    `[]v1.Container`, `map[string]quantity` -> `v1.ResourceList`."""
    if kind.startswith("[]"):
        return "[]" + go_type(kind[2:])
    if kind == "map[string]quantity":
        return "v1.ResourceList"  # every map of quantities in core/v1 is a ResourceList
    if kind.startswith("map[string]"):
        return "map[string]" + go_type(kind[11:])
    return _GO_SCALARS.get(kind) or "v1." + go_struct_name(kind)


_GO_SCALARS = {
    "string": "string",
    "int32": "int32",
    "int64": "int64",
    "bool": "bool",
    "float64": "float64",
    "bytes": "[]uint8",
    "quantity": "resource.Quantity",
    "intstr": "intstr.IntOrString",
    "time": "v1.Time",
    "raw": "runtime.RawExtension",
}
