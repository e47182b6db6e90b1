"""Label selector text parser: apimachinery `pkg/labels/selector.go` `Lexer` and `Parser`.

`parse_selector("app=web,tier in (a,b),!canary")` lexes and parses exactly like upstream's `Parse`
(same tokens, same error texts); the result prints back in upstream's canonical form. Left out:
field-path options on `Parse`.
"""

from __future__ import annotations

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
    Requirement,
    Selector,
    key_error,
    new_requirement,
)

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
        key_err = key_error(key, "<nil>")
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
