"""The JSONPath template parser, mirroring client-go `util/jsonpath/parser.go`.

`parse(text)` builds upstream's node tree: text outside `{}` is literal; inside: `.field`,
`['key']`, `[n]`, `[a:b:c]`, `[*]`, `[a,b]` unions, `..` recursive descent, `[?(@.x == "y")]`
filters, quoted text such as `{"\\n"}`, numbers, booleans and the `range`/`end` identifiers.
Errors are upstream's (`unclosed action`, `invalid array index x`, ...). Leaves out nothing of
the syntax; `jsonpath.py` executes the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?\d*)(:-?\d*)?(:-?\d*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=~]+)(.+?)$", re.S)
_TERMINATORS = set(" \t\r\n.,[]$@{}")


class JSONPathError(ValueError):
    """A template that does not parse or cannot be executed on the data."""


@dataclass
class Node:
    """One parsed node: `kind` is upstream's node type, `value` its payload."""

    kind: str  # list text field array filter int float bool wildcard recursive union identifier
    value: Any = None
    nodes: list[Node] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Node {self.kind} {self.value!r} {len(self.nodes)}>"


class _Parser:
    """upstream `Parser`: a hand-written scanner over the template text."""

    def __init__(self, text: str) -> None:
        self.input, self.pos, self.start = text, 0, 0
        self.root = Node("list")

    def _next(self) -> str:
        if self.pos >= len(self.input):
            return ""
        self.pos += 1
        return self.input[self.pos - 1]

    def _consume(self) -> str:
        value, self.start = self.input[self.start : self.pos], self.pos
        return value

    def parse_text(self) -> Node:
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    self.root.nodes.append(Node("text", self._consume()))
                self.pos += 1
                self._consume()
                action = Node("list")
                self.root.nodes.append(action)
                self._inside(action)
                continue
            if not self._next():
                break
        if self.pos > self.start:
            self.root.nodes.append(Node("text", self._consume()))
        return self.root

    def _inside(self, cur: Node) -> None:
        """upstream `parseInsideAction`, as a loop; returns after the closing `}`."""
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self._consume()
                return
            if rest.startswith("[?("):
                self._filter(cur)
                continue
            if rest.startswith(".."):
                if cur.nodes and cur.nodes[-1].kind == "recursive":
                    raise JSONPathError("invalid multiple recursive descent")
                self.pos += 2
                self._consume()
                cur.nodes.append(Node("recursive"))
                if self.pos < len(self.input) and _is_alnum(self.input[self.pos]):
                    self._field(cur)
                continue
            r = self._next()
            if r in ("", "\r", "\n"):
                raise JSONPathError("unclosed action")
            if r in (" ", "@", "$"):
                self._consume()
            elif r == "[":
                self._array(cur)
            elif r in ('"', "'"):
                self._quote(cur, r)
            elif r == ".":
                self._field(cur)
            elif r in "+-" or r.isdigit():
                self.pos -= 1
                self._number(cur)
            elif _is_alnum(r):
                self.pos -= 1
                self._identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: {_go_rune(r)}")

    def _scan_to_terminator(self) -> None:
        while self.pos < len(self.input):
            r = self.input[self.pos]
            if r == "\\":
                self.pos += 2
            elif r in _TERMINATORS:
                return
            else:
                self.pos += 1
        self.pos = min(self.pos, len(self.input))

    def _field(self, cur: Node) -> None:
        self._consume()
        self._scan_to_terminator()
        value = self._consume()
        cur.nodes.append(
            Node("wildcard") if value == "*" else Node("field", value.replace("\\", ""))
        )

    def _identifier(self, cur: Node) -> None:
        while self.pos < len(self.input) and self.input[self.pos] not in _TERMINATORS:
            self.pos += 1
        value = self._consume()
        cur.nodes.append(Node("bool", value == "true") if value in ("true", "false") else
                         Node("identifier", value))  # fmt: skip

    def _number(self, cur: Node) -> None:
        if self.input[self.pos] in "+-":
            self.pos += 1
        while self.pos < len(self.input) and (
            self.input[self.pos] == "." or self.input[self.pos].isdigit()
        ):
            self.pos += 1
        value = self._consume()
        if re.fullmatch(r"[+-]?\d+", value):
            cur.nodes.append(Node("int", int(value)))
            return
        try:
            cur.nodes.append(Node("float", float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def _quote(self, cur: Node, end: str) -> None:
        while True:
            r = self._next()
            if r in ("", "\n"):
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        cur.nodes.append(Node("text", _unquote(value)))

    def _array(self, cur: Node) -> None:
        while True:
            r = self._next()
            if r in ("", "\n"):
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self._consume()[1:-1]
        text = ":" if text == "*" else text
        parts = text.split(",")
        if len(parts) > 1:
            union = [_parse_action(f"[{part.strip(' ')}]") for part in parts]
            cur.nodes.append(Node("union", nodes=union))
            return
        key = _DICT_KEY.match(text)
        if key:
            cur.nodes.extend(_parse_action(f".{key.group(1)}").nodes)
            return
        cur.nodes.append(Node("array", _slice_params(text)))

    def _filter(self, cur: Node) -> None:
        self.pos += 3
        self._consume()
        begin = end = False
        pair = ""
        while True:
            r = self._next()
            if r in ("", "\n"):
                raise JSONPathError("unterminated filter")
            if r in ('"', "'"):
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self._next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self._consume()[:-2]
        match = _FILTER.match(text)
        if match is None:
            cur.nodes.append(Node("filter", "exists", [_parse_action(text), Node("list")]))
        else:
            left, right = _parse_action(match.group(1)), _parse_action(match.group(3))
            cur.nodes.append(Node("filter", match.group(2), [left, right]))


def _slice_params(text: str) -> list[tuple[int, bool, bool]]:
    """upstream's slice `ParamsEntry`s: (value, known, derived) for start, end, step."""
    match = _SLICE.match(text)
    if match is None:
        raise JSONPathError(f"invalid array index {text}")
    params: list[tuple[int, bool, bool]] = []
    for i, raw in enumerate(match.groups()):
        raw = raw or ""
        if raw:
            number = raw[1:] if i > 0 else raw
            if i > 0 and not number:
                params.append((0, False, False))
            else:
                try:
                    params.append((int(number), True, False))
                except ValueError:
                    raise JSONPathError(f"array index {number} is not a number") from None
        elif i == 1:
            params.append((params[0][0] + 1, True, True))
        else:
            params.append((0, False, False))
    return params


def _parse_action(text: str) -> Node:
    """upstream `parseAction`: the list node of `{text}`."""
    parser = _Parser("{" + text + "}")
    return parser.parse_text().nodes[0]


def _is_alnum(r: str) -> bool:
    return r == "_" or r.isalpha() or r.isdigit()


def _go_rune(r: str) -> str:
    """Go's `%#U`: `U+0021 '!'`."""
    return f"U+{ord(r):04X} '{r}'"


def _unquote(value: str) -> str:
    """upstream `UnquoteExtend`: Go string-literal escapes, single or double quotes."""
    body = value[1:-1]
    if "\\" not in body:
        return body
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        raise JSONPathError(f"unquote string {value} error invalid syntax") from None


def parse(text: str) -> Node:
    """The node tree of a template (JSONPathError on bad syntax, in upstream's words)."""
    return _Parser(text).parse_text()
