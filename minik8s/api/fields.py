"""Field selectors, mirroring apimachinery `pkg/fields/selector.go` (+ `requirements.go`).

`parse_field_selector("metadata.name=web,status.phase!=Running")`: comma-separated terms with `=`,
`==` or `!=`, sorted, values escaped with backslashes (`\\,` `\\=` `\\\\`) exactly as upstream. A
missing field reads as "" (upstream `Fields.Get`). Left out: `ParseAndTransformSelector`'s
transform hook beyond dropping empty `=` terms.
"""

from __future__ import annotations

from dataclasses import dataclass

EQUALS, NOT_EQUALS = "=", "!="
_TERM_OPERATORS = ("!=", "==", "=")


@dataclass(frozen=True)
class FieldRequirement:
    """One `field op value` term (upstream `fields.Requirement`); operator is "=" or "!="."""

    field: str
    operator: str
    value: str

    def matches(self, fields: dict[str, str] | None) -> bool:
        """`hasTerm` / `notHasTerm` Matches: a missing field is ""."""
        have = (fields or {}).get(self.field, "")
        return have == self.value if self.operator == EQUALS else have != self.value

    def __str__(self) -> str:
        return f"{self.field}{self.operator}{escape_value(self.value)}"


def escape_value(value: str) -> str:
    """upstream `EscapeValue`: backslash-escape `\\`, `,` and `=`."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_value(value: str) -> str:
    """upstream `UnescapeValue` (ValueError with upstream's message on a bad escape)."""
    out: list[str] = []
    in_slash = False
    for ch in value:
        if in_slash:
            if ch not in "\\,=":
                raise ValueError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch in ",=":
            # Go prints the rune with %v, i.e. as its code point.
            raise ValueError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    if in_slash:
        raise ValueError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def split_terms(selector: str) -> list[str]:
    """upstream `splitTerms`: split on commas not escaped by a backslash."""
    if not selector:
        return []
    terms, start, in_slash = [], 0, False
    for i, ch in enumerate(selector):
        if in_slash:
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch == ",":
            terms.append(selector[start:i])
            start = i + 1
    terms.append(selector[start:])
    return terms


def split_term(term: str) -> tuple[str, str, str] | None:
    """upstream `splitTerm`: (lhs, op, rhs) at the first operator, or None."""
    for i in range(len(term)):
        for op in _TERM_OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


class FieldSelector:
    """A conjunction of field requirements (upstream `andTerm` of `hasTerm`/`notHasTerm`)."""

    __slots__ = ("_reqs",)

    def __init__(self, requirements: list[FieldRequirement] | tuple[FieldRequirement, ...] = ()):
        self._reqs = tuple(requirements)

    def matches(self, fields: dict[str, str] | None) -> bool:
        """True if every term matches `fields`."""
        return all(r.matches(fields) for r in self._reqs)

    def empty(self) -> bool:
        """True if the selector restricts nothing."""
        return not self._reqs

    def requirements(self) -> tuple[FieldRequirement, ...]:
        """upstream `Requirements`: the terms in order."""
        return self._reqs

    def requires_exact_match(self, field: str) -> str | None:
        """upstream `RequiresExactMatch`: the value an `=` term demands for `field`, else None."""
        for req in self._reqs:
            if req.field == field and req.operator == EQUALS:
                return req.value
        return None

    def __str__(self) -> str:
        return ",".join(str(r) for r in self._reqs)

    def __repr__(self) -> str:
        return f"FieldSelector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldSelector) and self._reqs == other._reqs

    def __hash__(self) -> int:
        return hash(self._reqs)


def everything() -> FieldSelector:
    """upstream `fields.Everything`."""
    return FieldSelector()


def one_term_equal_selector(field: str, value: str) -> FieldSelector:
    """upstream `OneTermEqualSelector`."""
    return FieldSelector([FieldRequirement(field, EQUALS, value)])


def selector_from_set(fields: dict[str, str] | None) -> FieldSelector:
    """upstream `fields.SelectorFromSet` (terms sorted by field for a stable string)."""
    return FieldSelector(
        [FieldRequirement(k, EQUALS, v) for k, v in sorted((fields or {}).items())]
    )


def and_selectors(*selectors: FieldSelector) -> FieldSelector:
    """upstream `AndSelectors`."""
    return FieldSelector([r for s in selectors for r in s.requirements()])


def parse_field_selector(selector: str) -> FieldSelector:
    """upstream `fields.ParseSelector` (ValueError with upstream's message)."""
    reqs: list[FieldRequirement] = []
    for part in sorted(split_terms(selector)):
        if not part:
            continue
        split = split_term(part)
        if split is None:
            raise ValueError(f"invalid selector: '{selector}'; can't understand '{part}'")
        lhs, op, rhs = split
        value = unescape_value(rhs)
        if not lhs and not value:  # upstream's Transform drops a term that is empty both sides
            continue
        reqs.append(FieldRequirement(lhs, NOT_EQUALS if op == "!=" else EQUALS, value))
    return FieldSelector(reqs)
