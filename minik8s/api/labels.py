"""Label selectors, mirroring apimachinery `pkg/labels/selector.go` + `metav1` `helpers.go`.

`parse_selector("app=web,tier in (a,b),!canary")` lexes and parses exactly like upstream's `Parse`
(same tokens, same error texts), sorts requirements by key and prints them back in upstream's
canonical form. Left out: `ValidatedSetSelector` and field-path options on `Parse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from minik8s.api.field import FieldError, Path, aggregate, invalid, not_supported
from minik8s.api.validation.names import is_qualified_name, is_valid_label_value

IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN = "exists", "!", "gt", "lt"
BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
VALID_OPERATORS = BINARY_OPERATORS + (EXISTS, DOES_NOT_EXIST)
_INT64 = re.compile("[+-]?[0-9]+")


def _parse_int64(text: str) -> int | None:
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
            have = _parse_int64(labels[self.key])
            want = _parse_int64(self.values[0]) if len(self.values) == 1 else None
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


def _key_error(key: str, path: str) -> FieldError | None:
    errs = is_qualified_name(key)
    return FieldError("Invalid value", path, key, "; ".join(errs)) if errs else None


def new_requirement(
    key: str, operator: str, values: list[str] | tuple[str, ...] = ()
) -> Requirement:
    """upstream `NewRequirement`: ValueError with the aggregated field errors."""
    errs: list[FieldError] = []
    key_err = _key_error(key, "key")
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
            if _parse_int64(value) is None:
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


# --- lexer and parser (upstream `Lexer` / `Parser`) -------------------------------------------
(
    ERROR,
    EOS,
    CLOSED_PAR,
    COMMA,
    NOT,
    DOUBLE_EQ,
    EQ,
    GT,
    IDENT,
    IN_TOK,
    LT,
    NOT_EQ,
    NOT_IN_TOK,
    OPEN_PAR,
) = range(14)
_STRING_TO_TOKEN = {
    ")": CLOSED_PAR, ",": COMMA, "!": NOT, "==": DOUBLE_EQ, "=": EQ, ">": GT, "in": IN_TOK,
    "<": LT, "!=": NOT_EQ, "notin": NOT_IN_TOK, "(": OPEN_PAR,
}  # fmt: skip
_TOKEN_TO_OPERATOR = {
    IN_TOK: IN, EQ: EQUALS, DOUBLE_EQ: DOUBLE_EQUALS, GT: GREATER_THAN, LT: LESS_THAN,
    NOT_IN_TOK: NOT_IN, NOT_EQ: NOT_EQUALS,
}  # fmt: skip
_SPECIAL, _WHITESPACE = "=!(),><", " \t\r\n"


def lex(text: str) -> list[tuple[int, str]]:
    """Upstream's `Lexer.Lex` run to the end: (token, literal) pairs ending with EOS."""
    items: list[tuple[int, str]] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= end or text[pos] == "\0":
            items.append((EOS, ""))
            return items
        start, last = pos, (ERROR, "")
        if text[pos] in _SPECIAL:
            while pos < end and text[pos] in _SPECIAL:
                token = _STRING_TO_TOKEN.get(text[start : pos + 1])
                if token is None and last[0] != ERROR:
                    break
                if token is not None:
                    last = (token, text[start : pos + 1])
                pos += 1
            else:
                pos += pos < end and text[pos] == "\0"  # Go's read() swallows a NUL byte
            if last[0] == ERROR:
                last = (ERROR, f"error expected: keyword found '{text[start:pos]}'")
            items.append(last)
            continue
        while pos < end and text[pos] not in _SPECIAL + _WHITESPACE + "\0":
            pos += 1
        literal = text[start:pos]
        pos += pos < end and text[pos] == "\0"
        items.append((_STRING_TO_TOKEN.get(literal, IDENT), literal))


class _Parser:
    def __init__(self, text: str) -> None:
        self.items, self.pos = lex(text), 0

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[min(self.pos, len(self.items) - 1)]
        return (IDENT if values and tok in (IN_TOK, NOT_IN_TOK) else tok), lit

    def consume(self, values: bool = True) -> tuple[int, str]:
        item = self.lookahead(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.lookahead()
            if tok == EOS:
                return reqs
            if tok not in (IDENT, NOT):
                raise ValueError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                reqs.append(self.requirement())
            except ValueError as err:
                raise ValueError(f"unable to parse requirement: {err}") from None
            tok, lit = self.consume()
            if tok == EOS:
                return reqs
            if tok != COMMA:
                raise ValueError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.lookahead()
            if tok not in (IDENT, NOT):
                raise ValueError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        operator = ""
        tok, key = self.consume()
        if tok == NOT:
            operator, (tok, key) = DOES_NOT_EXIST, self.consume()
        if tok != IDENT:
            raise ValueError(f"found '{key}', expected: identifier")
        key_err = _key_error(key, "<nil>")
        if key_err:
            raise ValueError(str(key_err))
        if self.lookahead()[0] in (EOS, COMMA) or operator:
            return new_requirement(key, operator or EXISTS, [])
        tok, lit = self.consume(values=False)
        if tok not in _TOKEN_TO_OPERATOR:
            raise ValueError(f"found '{lit}', expected: {', '.join(BINARY_OPERATORS)}")
        operator = _TOKEN_TO_OPERATOR[tok]
        values = self.values() if operator in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, operator, sorted(values))

    def values(self) -> set[str]:
        tok, lit = self.consume()
        if tok != OPEN_PAR:
            raise ValueError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead()
        if tok == CLOSED_PAR:
            self.consume()
            return {""}
        if tok not in (IDENT, COMMA):
            raise ValueError(f"found '{lit}', expected: ',', ')' or identifier")
        found = self.identifiers()
        if self.consume()[0] != CLOSED_PAR:
            raise ValueError(f"found '{lit}', expected: ')'")
        return found

    def identifiers(self) -> set[str]:
        found: set[str] = set()
        while True:
            tok, lit = self.consume()
            if tok == IDENT:
                found.add(lit)
                tok2, lit2 = self.lookahead()
                if tok2 == CLOSED_PAR:
                    return found
                if tok2 != COMMA:
                    raise ValueError(f"found '{lit2}', expected: ',' or ')'")
            elif tok == COMMA:
                if not found:
                    found.add("")
                tok2 = self.lookahead()[0]
                if tok2 in (CLOSED_PAR, COMMA):
                    found.add("")
                if tok2 == CLOSED_PAR:
                    return found
            else:
                raise ValueError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.lookahead()[0] in (EOS, COMMA):
            return {""}
        tok, lit = self.consume()
        if tok == IDENT:
            return {lit}
        raise ValueError(f"found '{lit}', expected: identifier")


def parse_selector(text: str) -> Selector:
    """upstream `labels.Parse` (ValueError with upstream's message)."""
    return Selector(_Parser(text).parse())


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
