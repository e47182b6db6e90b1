"""Label selectors, mirroring apimachinery `metav1` `helpers.go` (and re-exporting `pkg/labels`).

`label_selector_as_selector` turns a `metav1.LabelSelector` dict into a `Selector`. The selector
types live in `labels_selector.py` and the text parser (`parse_selector`, upstream's `Parse`) in
`labels_parser.py`; every name stays importable from here. Left out: `ParseToLabelSelector`,
`SetAsLabelSelector`.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.labels_parser import (
    CLOSED_PAR,
    COMMA,
    DOUBLE_EQ,
    EOS,
    EQ,
    ERROR,
    GT,
    IDENT,
    IN_TOK,
    LT,
    NOT,
    NOT_EQ,
    NOT_IN_TOK,
    OPEN_PAR,
    lex,
    parse_selector,
)
from minik8s.api.labels_selector import (
    BINARY_OPERATORS,
    DOES_NOT_EXIST,
    DOUBLE_EQUALS,
    EQUALS,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_EQUALS,
    NOT_IN,
    VALID_OPERATORS,
    Requirement,
    Selector,
    everything,
    new_requirement,
    nothing,
    selector_from_set,
    validated_selector_from_set,
)

__all__ = [
    "BINARY_OPERATORS",
    "CLOSED_PAR",
    "COMMA",
    "DOES_NOT_EXIST",
    "DOUBLE_EQ",
    "DOUBLE_EQUALS",
    "EOS",
    "EQ",
    "EQUALS",
    "ERROR",
    "EXISTS",
    "GREATER_THAN",
    "GT",
    "IDENT",
    "IN",
    "IN_TOK",
    "LESS_THAN",
    "LT",
    "NOT",
    "NOT_EQ",
    "NOT_EQUALS",
    "NOT_IN",
    "NOT_IN_TOK",
    "OPEN_PAR",
    "VALID_OPERATORS",
    "Requirement",
    "Selector",
    "everything",
    "format_label_selector",
    "label_selector_as_map",
    "label_selector_as_selector",
    "lex",
    "new_requirement",
    "nothing",
    "parse_selector",
    "selector_from_set",
    "validated_selector_from_set",
]

_LABEL_SELECTOR_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def label_selector_as_selector(selector: dict[str, Any] | None) -> Selector:
    """upstream `metav1.LabelSelectorAsSelector`: None matches nothing, `{}` everything."""
    if selector is None:
        return nothing()
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return everything()
    reqs = [new_requirement(k, EQUALS, [v]) for k, v in match_labels.items()]
    for expr in expressions:
        op = _LABEL_SELECTOR_OPS.get(expr.get("operator", ""))
        if op is None:
            raise ValueError(f'"{expr.get("operator", "")}" is not a valid label selector operator')
        reqs.append(new_requirement(expr.get("key", ""), op, list(expr.get("values") or [])))
    return Selector(reqs)


def label_selector_as_map(selector: dict[str, Any] | None) -> dict[str, str] | None:
    """upstream `metav1.LabelSelectorAsMap` (ValueError for set-based operators)."""
    if selector is None:
        return None
    result = dict(selector.get("matchLabels") or {})
    for expr in selector.get("matchExpressions") or []:
        op, values = expr.get("operator", ""), expr.get("values") or []
        if op == "In" and len(values) == 1:
            result[expr.get("key", "")] = values[0]
        elif op == "In":
            msg = f'operator "{op}" without a single value cannot be converted into the old '
            raise ValueError(msg + "label selector format")
        elif op in ("NotIn", "Exists", "DoesNotExist"):
            raise ValueError(
                f'operator "{op}" cannot be converted into the old label selector format'
            )
        else:
            raise ValueError(f'"{op}" is not a valid selector operator')
    return result


def format_label_selector(selector: dict[str, Any] | None) -> str:
    """upstream `metav1.FormatLabelSelector`: `<none>` when empty, `<error>` when invalid."""
    try:
        text = str(label_selector_as_selector(selector))
    except ValueError:
        return "<error>"
    return text or "<none>"
