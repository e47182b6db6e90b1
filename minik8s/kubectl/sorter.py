"""`kubectl get --sort-by`, mirroring kubectl `pkg/cmd/get/sorter.go` (`SortObjects`,
`TableSorter`, `isLess`) and `customcolumn.go` (`RelaxedJSONPathExpression`).

Values are compared like upstream on `unstructured` content: numbers numerically, strings as
quantities when both parse (`100m` < `1`), else in natural order (`pod-2` < `pod-10`); objects
without the field sort first. Like Go's `sort.Sort` on at most 12 items (an insertion sort), the
fieldless ones end up in reverse order; longer lists are sorted stably instead (Go's pdqsort order
of equal keys is not reproduced). Leaves out sorting by struct-typed values.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from minik8s.api.quantity import parse_quantity
from minik8s.kubectl.jsonpath import JSONPath
from minik8s.kubectl.jsonpath_parser import JSONPathError

Obj = dict[str, Any]
_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$", re.S)
_INSERTION_SORT_MAX = 12  # Go's sort.Sort uses insertion sort up to 12 elements


def relaxed_jsonpath_expression(path: str) -> str:
    """upstream `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` → `{.a.b}`."""
    if not path:
        return path
    match = _RELAXED.match(path)
    if match is None:
        raise ValueError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"


def natural_less(a: str, b: str) -> bool:
    """fvbommel/sortorder `NaturalLess`: digit runs compare as numbers, digits first."""
    s1, s2 = a.encode(), b.encode()
    i = j = 0
    while i < len(s1) and j < len(s2):
        d1, d2 = s1[i : i + 1].isdigit(), s2[j : j + 1].isdigit()
        if d1 != d2:
            return d1
        if not d1:
            if s1[i] != s2[j]:
                return s1[i] < s2[j]
            i, j = i + 1, j + 1
            continue
        while i < len(s1) and s1[i : i + 1] == b"0":
            i += 1
        while j < len(s2) and s2[j : j + 1] == b"0":
            j += 1
        nz1, nz2 = i, j
        while i < len(s1) and s1[i : i + 1].isdigit():
            i += 1
        while j < len(s2) and s2[j : j + 1].isdigit():
            j += 1
        if i - nz1 != j - nz2:
            return i - nz1 < j - nz2
        if s1[nz1:i] != s2[nz2:j]:
            return s1[nz1:i] < s2[nz2:j]
        if nz1 != nz2:
            return nz1 < nz2
    return len(s1) < len(s2)


def is_less(a: Any, b: Any) -> bool:
    """upstream `isLess` for two `unstructured` values (ValueError when unsortable)."""
    if a is None and b is None:
        return False
    if a is None or b is None:
        return a is None
    kinds = {int: "int64", float: "float64", str: "string"}
    if type(a) not in kinds:
        raise ValueError(f"unsortable type: {_go_type(a)}")
    if type(a) is not type(b):
        raise ValueError("unsortable interface: interface")
    if isinstance(a, str):
        try:
            return parse_quantity(a).cmp(parse_quantity(b)) < 0
        except ValueError:
            return natural_less(a, b)
    return bool(a < b)


def _go_type(value: Any) -> str:
    names = {bool: "bool", dict: "map[string]interface {}", list: "[]interface {}"}
    return names.get(type(value), "interface {}")


def _first_values(parser: JSONPath, objs: list[Obj]) -> list[list[Any]]:
    """Each object's first result of the path ([] when missing), as `findJSONPathResults`."""
    found = []
    for obj in objs:
        results = parser.find_results(obj)
        found.append(results[0][:1] if results and results[0] else [])
    return found


def _sorted_order(values: list[list[Any]], field: str, where: str) -> list[int]:
    """The positions of `values` in sorted order, with upstream's `Less`."""

    def less(i: int, j: int) -> bool:
        if not values[i]:
            return True
        if not values[j]:
            return False
        try:
            return is_less(values[i][0], values[j][0])
        except ValueError as err:
            detail = f"Field {field} in {where} is an unsortable type: interface, err: {err}"
            raise ValueError(detail) from None

    order = list(range(len(values)))
    if len(order) <= _INSERTION_SORT_MAX:
        for i in range(1, len(order)):
            j = i
            while j > 0 and less(order[j], order[j - 1]):
                order[j], order[j - 1] = order[j - 1], order[j]
                j -= 1
        return order

    def compare(i: int, j: int) -> int:
        if not values[i] or not values[j]:
            return (1 if values[i] else 0) - (1 if values[j] else 0)
        return -1 if less(i, j) else (1 if less(j, i) else 0)

    return sorted(order, key=functools.cmp_to_key(compare))


def sort_objects(objs: list[Obj], field: str) -> list[int]:
    """upstream `SortObjects` (non-table output): the original positions in sorted order
    (`OriginalPosition`); errors on a bad path or a field no object has."""
    if not objs:
        return []
    path = relaxed_jsonpath_expression(field)
    parser = JSONPath(path, allow_missing_keys=True)
    values = _first_values(parser, objs)
    if not any(values):
        raise ValueError(f'couldn\'t find any field with path "{path}" in the list of objects')
    return _sorted_order(values, path, "*unstructured.Unstructured")


def sort_table_rows(objs: list[Obj], field: str) -> list[int]:
    """upstream `RuntimeSorter` + `NewTableSorter` (table output): the positions of one
    table's row objects in sorted order."""
    try:
        path = relaxed_jsonpath_expression(field)
    except ValueError:
        path = field
    try:
        parser = JSONPath(path, allow_missing_keys=True)
    except JSONPathError as err:
        raise ValueError(f"sorting error: {err}") from None
    values = _first_values(parser, objs)
    if objs and not any(values):
        raise ValueError(f'couldn\'t find any field with path "{path}" in the list of objects')
    return _sorted_order(values, path, "[][][]reflect.Value")
