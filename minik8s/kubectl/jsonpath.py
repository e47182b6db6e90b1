"""JSONPath execution, mirroring client-go `util/jsonpath/jsonpath.go` (`FindResults`, `walk`,
`PrintResults`).

`JSONPath(template).execute(data)` returns what upstream's `Execute` writes: every action's
results separated by one space, strings and numbers as text, `null` for null, maps and lists as
compact JSON; `range`/`end` repeat the actions between them for each result. Works on
JSON-shaped values (dicts, lists, str, int, float, bool, None) like upstream on `unstructured`
content. Leaves out Go struct fields, `=~` filters and the JSON output mode; map wildcards and
`..` visit keys in sorted order (Go's map order is random).
"""

from __future__ import annotations

import json
from typing import Any

from minik8s.kubectl.jsonpath_parser import JSONPathError, Node, parse

Values = list[Any]
MISSING = object()  # upstream's invalid reflect.Value (FindResults(nil) inside an empty range)


class JSONPath:
    """A parsed template (upstream `jsonpath.New(name).AllowMissingKeys(...).Parse(text)`)."""

    def __init__(self, template: str, allow_missing_keys: bool = False) -> None:
        self.template = template
        self.root = parse(template)
        self.allow_missing_keys = allow_missing_keys
        self._begin_range = self._in_range = self._end_range = 0
        self._last_end: Node | None = None

    def __repr__(self) -> str:
        return f"JSONPath({self.template!r})"

    def find_results(self, data: Any) -> list[Values]:
        """upstream `FindResults`: one list of values per top-level node."""
        self._begin_range = self._in_range = self._end_range = 0
        return self._find(data, self.root.nodes)

    def execute(self, data: Any) -> str:
        """upstream `Execute`: the printed results (JSONPathError when evaluation fails)."""
        return "".join(print_results(r) for r in self.find_results(data))

    def _find(self, data: Any, nodes: list[Node]) -> list[Values]:
        full: list[Values] = []
        i = 0
        while i < len(nodes):
            results = self._walk([data], nodes[i])
            if 0 < self._end_range <= self._in_range:  # an end node closes this block
                self._end_range -= 1
                self._last_end = nodes[i]
                break
            if self._begin_range > 0:  # a range node: the rest once per result
                self._begin_range -= 1
                self._in_range += 1
                for value in results or [MISSING]:
                    found = self._find(value, nodes[i + 1 :])
                    if results:
                        full.extend(found)
                self._in_range -= 1
                i = next((k for k in range(i + 1, len(nodes)) if nodes[k] is self._last_end), i)
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def _walk(self, values: Values, node: Node) -> Values:
        kind = node.kind
        if kind == "list":
            for child in node.nodes:
                values = self._walk(values, child)
            return values
        if kind == "text":
            return [node.value]
        if kind in ("int", "float", "bool"):
            return [node.value for _ in values]
        if kind == "identifier":
            return self._identifier(values, node.value)
        handler = getattr(self, f"_eval_{kind}")
        result: Values = handler(values, node)
        return result

    def _identifier(self, values: Values, name: str) -> Values:
        if name == "range":
            self._begin_range += 1
            return values
        if name == "end":
            if self._in_range <= 0:
                raise JSONPathError("not in range, nothing to end")
            self._end_range += 1
            return []
        raise JSONPathError(f"unrecognized identifier {name}")

    def _eval_field(self, values: Values, node: Node) -> Values:
        if not values:
            return []
        results = [v[node.value] for v in values if isinstance(v, dict) and node.value in v]
        if not results and not self.allow_missing_keys:
            raise JSONPathError(f"{node.value} is not found")
        return results

    def _eval_array(self, values: Values, node: Node) -> Values:
        results: Values = []
        for value in values:
            if value is None or value is MISSING:
                continue
            if not isinstance(value, list):
                raise JSONPathError(f"{go_type(value)} is not array or slice")
            results.extend(_slice(value, node.value))
        return results

    def _eval_wildcard(self, values: Values, node: Node) -> Values:
        results: Values = []
        for value in values:
            if isinstance(value, dict):
                results.extend(value[k] for k in sorted(value))
            elif isinstance(value, list):
                results.extend(value)
            elif isinstance(value, str):
                results.extend(value.encode())  # Go indexes a string's bytes
        return results

    def _eval_recursive(self, values: Values, node: Node) -> Values:
        results: Values = []
        for value in values:
            children = self._eval_wildcard([value], node)
            if children:
                results.append(value)
                results.extend(self._eval_recursive(children, node))
        return results

    def _eval_union(self, values: Values, node: Node) -> Values:
        results: Values = []
        for branch in node.nodes:
            results.extend(self._walk(values, branch))
        return results

    def _eval_filter(self, values: Values, node: Node) -> Values:
        results: Values = []
        left_node, right_node = node.nodes
        for value in values:
            if not isinstance(value, list):
                raise JSONPathError(
                    f"{go_value(value)} is not array or slice and cannot be filtered"
                )
            for item in value:
                if node.value == "exists":  # upstream ignores a lookup error here
                    results.extend([item] if self._exists(item, left_node) else [])
                    continue
                lefts = self._walk([item], left_node)
                rights = self._walk([item], right_node) if len(lefts) == 1 else []
                if len(lefts) > 1 or len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                if lefts and rights and _compare(node.value, lefts[0], rights[0]):
                    results.append(item)
        return results

    def _exists(self, item: Any, node: Node) -> bool:
        try:
            return bool(self._walk([item], node))
        except JSONPathError:
            return False


def _slice(value: list[Any], params: list[tuple[int, bool, bool]]) -> Values:
    """upstream `evalArray` for one list: index, slice or step, bounds-checked."""
    length = len(value)
    (start, start_known, _), (end, end_known, derived), (step, step_known, _) = params
    start = start if start_known else 0
    start += length if start < 0 else 0
    end = end if end_known else length
    if end < 0 or (end == 0 and derived):
        end += length
    if end == start:
        return []
    if start >= length or start < 0:
        raise JSONPathError(f"array index out of bounds: index {start}, length {length}")
    if end > length or end < 0:
        raise JSONPathError(f"array index out of bounds: index {end - 1}, length {length}")
    if start > end:
        raise JSONPathError(f"starting index {start} is greater than ending index {end}")
    if step_known and step <= 0:
        raise JSONPathError("step must be > 0")
    return value[start : end : step if step_known else 1]


def _compare(op: str, left: Any, right: Any) -> bool:
    """text/template's `eq`, `ne`, `lt`, `le`, `gt`, `ge` on basic JSON values."""
    if op not in ("==", "!=", "<", ">", "<=", ">="):
        raise JSONPathError(f"unrecognized filter operator {op}")
    kinds = {bool: "bool", int: "int", float: "float", str: "string"}
    left_kind, right_kind = kinds.get(type(left)), kinds.get(type(right))
    if left_kind is None or right_kind is None:
        raise JSONPathError("invalid type for comparison")
    if left_kind != right_kind:
        raise JSONPathError("incompatible types for comparison")
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if left_kind == "bool":
        raise JSONPathError("invalid type for comparison")
    checks = {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}
    return checks[op]


def to_text(value: Any) -> str:
    """upstream `evalToText` (`fmt.Fprint`): strings raw, Go number formats, `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def go_float(value: float) -> str:
    """Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)` with exponent >= 21)."""
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{abs(int(exponent)):02d}"
    return text


def go_json(value: Any) -> str:
    """Go's `json.Marshal`: compact, keys sorted, `<`, `>`, `&` escaped, integral floats bare."""
    text = json.dumps(_plain_numbers(value), separators=(",", ":"), sort_keys=True,
                      ensure_ascii=False)  # fmt: skip
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


def _plain_numbers(value: Any) -> Any:
    if isinstance(value, float) and value == int(value) and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(v) for v in value]
    return value


def print_results(results: Values) -> str:
    """upstream `PrintResults`: maps and lists as JSON, the rest as text, space-separated."""
    return " ".join(
        go_json(r) if isinstance(r, (dict, list)) else to_text(r)
        for r in results
        if r is not MISSING
    )


def go_type(value: Any) -> str:
    """The Go type of an `unstructured` value (for upstream's error messages)."""
    names = {dict: "map[string]interface {}", list: "[]interface {}", str: "string",
             bool: "bool", int: "int64", float: "float64"}  # fmt: skip
    return names.get(type(value), "interface {}")


def go_value(value: Any, nested: bool = False) -> str:
    """Go's `%#v` of an `unstructured` value (map keys sorted, as fmt prints them)."""
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)}:{go_value(v, True)}" for k, v in sorted(value.items()))
        return f"map[string]interface {{}}{{{inner}}}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_value(v, True) for v in value) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "interface {}(nil)" if nested else "<nil>"
    return to_text(value)
