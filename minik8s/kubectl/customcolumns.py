"""`kubectl get -o custom-columns=HEADER:PATH,...`.

Mirrors `k8s.io/kubectl/pkg/cmd/get/customcolumn.go`: `RelaxedJSONPathExpression` (shared with
`sorter.py`: `name`, `.name`, `{name}`, `{.name}` all mean `{.name}`),
`NewCustomColumnsPrinterFromSpec` (its errors word for word), and `printOneObject` (one row
per object, the values of a column joined by `,`, `<none>` when a path finds nothing, values
printed with Go's `fmt.Sprint`), laid out by the cli-runtime tabwriter. Leaves out
`custom-columns-file`, watch events and terminal escaping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minik8s.kubectl.jsonpath import MISSING, JSONPath, go_float
from minik8s.kubectl.jsonpath_parser import JSONPathError
from minik8s.kubectl.sorter import relaxed_jsonpath_expression
from minik8s.kubectl.table import table


@dataclass
class Column:
    """A user-given column: its header and the JSONPath template of its field."""

    header: str
    field_spec: str


def parse_spec(spec: str) -> list[Column]:
    """upstream `NewCustomColumnsPrinterFromSpec`: `NAME:.metadata.name,NODE:.spec.nodeName`."""
    if not spec:
        raise ValueError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise ValueError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append(Column(header, relaxed_jsonpath_expression(path)))
    return columns


def go_sprint(value: Any) -> str:
    """Go's `fmt.Sprint` of an `unstructured` value: `map[a:1 b:2]`, `[x y]`, `<nil>`."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def _cell(path: JSONPath, obj: Any) -> str:
    try:
        results = path.find_results(obj)
    except JSONPathError as err:
        raise ValueError(str(err)) from None
    cells = ["<none>"] if not results or not results[0] else []
    cells += [go_sprint(v) for group in results for v in group if v is not MISSING]
    return ",".join(cells)


def print_custom_columns(spec: str, objects: list[Any], no_headers: bool = False) -> str:
    """The rows upstream's `CustomColumnsPrinter` prints for a List of `objects`."""
    columns = parse_spec(spec)
    try:
        paths = [JSONPath(c.field_spec, allow_missing_keys=True) for c in columns]
    except JSONPathError as err:
        raise ValueError(str(err)) from None
    rows = [] if no_headers else [[c.header for c in columns]]
    rows.extend([_cell(path, obj) for path in paths] for obj in objects)
    return table(rows) + "\n" if rows else ""
