"""Label requirements and selectors, mirroring apimachinery `pkg/labels/selector.go`.

`Requirement` is one `key op values` term with upstream's `Matches` and `String`; `Selector` is
upstream's `internalSelector` (requirements sorted by key) or `Nothing()`. The text parser lives in
`labels_parser.py`, the `metav1.LabelSelector` helpers in `labels.py`. Left out:
`ValidatedSetSelector` and field-path options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from minik8s.api.field import FieldError, Path, aggregate, invalid, not_supported
from minik8s.api.validation.names import is_qualified_name, is_valid_label_value

IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN = "exists", "!", "gt", "lt"
BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
VALID_OPERATORS = BINARY_OPERATORS + (EXISTS, DOES_NOT_EXIST)
_INT64 = re.compile("[+-]?[0-9]+")


def parse_int64(text: str) -> int | None:
    """Go's strconv.ParseInt(text, 10, 64), None on error."""
    if not _INT64.fullmatch(text) or not -(2**63) <= int(text) < 2**63:
        return None
    return int(text)


@dataclass(frozen=True)
class Requirement:
    """One `key op values` term; build it with `new_requirement` to get upstream's checks."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str] | None) -> bool:
        """upstream `Requirement.Matches`."""
        labels = labels or {}
        if self.operator in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if self.operator in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if self.operator == EXISTS:
            return self.key in labels
        if self.operator == DOES_NOT_EXIST:
            return self.key not in labels
        if self.operator in (GREATER_THAN, LESS_THAN) and self.key in labels:
            have = parse_int64(labels[self.key])
            want = parse_int64(self.values[0]) if len(self.values) == 1 else None
            if have is None or want is None:
                return False
            return have > want if self.operator == GREATER_THAN else have < want
        return False

    def __str__(self) -> str:
        if self.operator in (EXISTS, DOES_NOT_EXIST):
            return ("!" if self.operator == DOES_NOT_EXIST else "") + self.key
        op = {IN: " in ", NOT_IN: " notin ", GREATER_THAN: ">", LESS_THAN: "<"}.get(
            self.operator, self.operator
        )
        values = ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            values = f"({values})"
        return f"{self.key}{op}{values}"


def key_error(key: str, path: str) -> FieldError | None:
    """The field error for a key that is not a qualified name, else None."""
    errs = is_qualified_name(key)
    return FieldError("Invalid value", path, key, "; ".join(errs)) if errs else None


def new_requirement(
    key: str, operator: str, values: list[str] | tuple[str, ...] = ()
) -> Requirement:
    """upstream `NewRequirement`: ValueError with the aggregated field errors."""
    errs: list[FieldError] = []
    key_err = key_error(key, "key")
    if key_err:
        errs.append(key_err)
    values, vpath = list(values), Path("values")
    if operator in (IN, NOT_IN) and not values:
        errs.append(
            invalid(vpath, values, "for 'in', 'notin' operators, values set can't be empty")
        )
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS) and len(values) != 1:
        errs.append(invalid(vpath, values, "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST) and values:
        errs.append(
            invalid(vpath, values, "values set must be empty for exists and does not exist")
        )
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(values) != 1:
            detail = "for 'Gt', 'Lt' operators, exactly one value is required"
            errs.append(invalid(vpath, values, detail))
        for i, value in enumerate(values):
            if parse_int64(value) is None:
                detail = "for 'Gt', 'Lt' operators, the value must be an integer"
                errs.append(invalid(vpath.index(i), value, detail))
    elif operator not in VALID_OPERATORS:
        errs.append(not_supported("operator", operator, VALID_OPERATORS))
    for i, value in enumerate(values):
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid(vpath.index(i).key(key), value, "; ".join(msgs)))
    if errs:
        raise ValueError(aggregate(errs))
    return Requirement(key, operator, tuple(values))


class Selector:
    """A conjunction of requirements (upstream `internalSelector`), or `nothing()`."""

    __slots__ = ("_reqs", "_nothing")

    def __init__(
        self,
        requirements: list[Requirement] | tuple[Requirement, ...] = (),
        *,
        _nothing: bool = False,
    ):
        self._reqs = tuple(sorted(requirements, key=lambda r: r.key))
        self._nothing = _nothing

    def matches(self, labels: dict[str, str] | None) -> bool:
        """True if every requirement matches `labels` (never for `nothing()`)."""
        return not self._nothing and all(r.matches(labels) for r in self._reqs)

    def empty(self) -> bool:
        """True if the selector does not restrict anything (`everything()`)."""
        return not self._nothing and not self._reqs

    def matches_nothing(self) -> bool:
        """upstream `labels.MatchesNothing`."""
        return self._nothing

    def requirements(self) -> tuple[Requirement, ...]:
        """The requirements, sorted by key (empty for `nothing()`; see `matches_nothing`)."""
        return self._reqs

    def requires_exact_match(self, label: str) -> str | None:
        """upstream `RequiresExactMatch`: the one value `label` must have, else None."""
        for req in self._reqs:
            if req.key == label:
                exact = req.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(req.values) == 1
                return req.values[0] if exact else None
        return None

    def add(self, *requirements: Requirement) -> Selector:
        """upstream `Add`: a new selector with more requirements (sorted by key)."""
        return self if self._nothing else Selector(self._reqs + requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self._reqs)

    def __repr__(self) -> str:
        return "Selector(<nothing>)" if self._nothing else f"Selector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return (self._reqs, self._nothing) == (other._reqs, other._nothing)

    def __hash__(self) -> int:
        return hash((self._reqs, self._nothing))


def everything() -> Selector:
    """upstream `labels.Everything`."""
    return Selector()


def nothing() -> Selector:
    """upstream `labels.Nothing`."""
    return Selector(_nothing=True)


def selector_from_set(labels: dict[str, str] | None) -> Selector:
    """upstream `SelectorFromSet`: `key=value` for each pair, unvalidated."""
    return Selector([Requirement(k, EQUALS, (v,)) for k, v in (labels or {}).items()])


def validated_selector_from_set(labels: dict[str, str] | None) -> Selector:
    """upstream `ValidatedSelectorFromSet` (ValueError on a bad key or value)."""
    return Selector([new_requirement(k, EQUALS, [v]) for k, v in (labels or {}).items()])
