"""The parser of the simulated shell (see `minik8s.cri.shell`), after busybox `ash`'s grammar.

Lists joined by `;`, newlines, `&&`, `||`; `if`/`while`/`until`/`for` compound commands; quoting
(`'...'` literal, `"..."` expanded later); `>`/`>>` redirection. Left out: pipes, subshells,
functions, here-documents, `case`; `&` acts like `;`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPERATORS = ("&&", "||", ">>", "2>&1", ";", "\n", ">", "&", "|")
KEYWORDS = {"if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "in"}


class ShellSyntaxError(ValueError):
    """The script cannot be parsed (sh exits 2)."""


@dataclass
class Word:
    parts: list[tuple[str, bool]]  # (text, expand $VARs?)

    def literal(self) -> str | None:
        """The word's text when it is a bare word (used for keywords)."""
        return self.parts[0][0] if len(self.parts) == 1 and self.parts[0][1] else None


# -- lexing and parsing ------------------------------------------------------------------------
def tokenize(text: str) -> list[Word | str]:
    """Words (with quoting remembered) and operator strings."""
    tokens: list[Word | str] = []
    parts: list[tuple[str, bool]] = []
    buf, i, in_word = "", 0, False

    def flush() -> None:
        nonlocal buf, parts, in_word
        if buf:
            parts.append((buf, True))
        if in_word:
            tokens.append(Word(parts))
        buf, parts, in_word = "", [], False

    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            end = text.find(ch, i + 1)
            if end < 0:
                raise ShellSyntaxError("unterminated quoted string")
            if buf:
                parts.append((buf, True))
                buf = ""
            parts.append((text[i + 1 : end], ch == '"'))
            in_word, i = True, end + 1
        elif ch == "\\" and i + 1 < len(text):
            if buf:
                parts.append((buf, True))
            parts.append((text[i + 1], False))
            buf, in_word, i = "", True, i + 2
        elif ch == "#" and not in_word:
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        elif ch in " \t":
            flush()
            i += 1
        elif op := next((o for o in OPERATORS if text.startswith(o, i)), None):
            if op == "2>&1" and in_word:
                op = None
            if op:
                flush()
                tokens.append(op)
                i += len(op)
                continue
            buf, in_word, i = buf + ch, True, i + 1
        else:
            buf, in_word, i = buf + ch, True, i + 1
    flush()
    return tokens


@dataclass
class Command:
    words: list[Word]
    redirect: tuple[str, Word] | None = None


@dataclass
class Compound:
    kind: str  # if | while | until | for
    parts: list = field(default_factory=list)


@dataclass
class CommandList:
    items: list[tuple[str, Command | Compound | CommandList]]  # (connector before, node)


class Parser:
    """Recursive descent over the tokens."""

    def __init__(self, tokens: list[Word | str]):
        self.tokens = tokens
        self.pos = 0

    def __repr__(self) -> str:
        return f"<Parser at token {self.pos} of {len(self.tokens)}>"

    def peek_keyword(self) -> str | None:
        tok = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        return tok.literal() if isinstance(tok, Word) else None

    def expect(self, keyword: str) -> None:
        if self.peek_keyword() != keyword:
            raise ShellSyntaxError(f"syntax error: expected {keyword!r}")
        self.pos += 1

    def parse_list(self, stop: tuple[str, ...] = ()) -> CommandList:
        items: list[tuple[str, Command | Compound | CommandList]] = []
        connector = ";"
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if isinstance(tok, str):
                if tok == "|":
                    raise ShellSyntaxError("pipes are not supported by the simulated shell")
                if tok in ("&&", "||"):
                    if not items:
                        raise ShellSyntaxError(f"syntax error: unexpected {tok!r}")
                    connector = tok
                elif tok in (";", "\n", "&"):
                    connector = ";"
                else:
                    raise ShellSyntaxError(f"syntax error: unexpected {tok!r}")
                self.pos += 1
                continue
            if self.peek_keyword() in stop:
                break
            items.append((connector, self.parse_command()))
            connector = ";"
        return CommandList(items)

    def parse_command(self) -> Command | Compound:
        keyword = self.peek_keyword()
        if keyword in ("while", "until"):
            self.pos += 1
            cond = self.parse_list(("do",))
            self.expect("do")
            body = self.parse_list(("done",))
            self.expect("done")
            return Compound(keyword, [cond, body])
        if keyword == "for":
            self.pos += 1
            var = self.tokens[self.pos] if self.pos < len(self.tokens) else None
            if not isinstance(var, Word):
                raise ShellSyntaxError("syntax error: bad for loop variable")
            self.pos += 1
            values: list[Word] = []
            if self.peek_keyword() == "in":
                self.pos += 1
                while self.pos < len(self.tokens) and self.peek_keyword() != "do":
                    token = self.tokens[self.pos]
                    if not isinstance(token, Word):
                        break
                    values.append(token)
                    self.pos += 1
            while self.pos < len(self.tokens) and self.tokens[self.pos] in (";", "\n"):
                self.pos += 1
            self.expect("do")
            body = self.parse_list(("done",))
            self.expect("done")
            return Compound("for", [var, values, body])
        if keyword == "if":
            return self.parse_if()
        words: list[Word] = []
        redirect = None
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if tok in (">", ">>") and self.pos + 1 < len(self.tokens):
                target = self.tokens[self.pos + 1]
                if not isinstance(target, Word):
                    raise ShellSyntaxError("syntax error: bad redirection")
                redirect = (str(tok), target)
                self.pos += 2
            elif tok == "2>&1":
                self.pos += 1
            elif isinstance(tok, Word):
                words.append(tok)
                self.pos += 1
            else:
                break
        return Command(words, redirect)

    def parse_if(self) -> Compound:
        self.pos += 1
        branches = []
        cond = self.parse_list(("then",))
        self.expect("then")
        body = self.parse_list(("elif", "else", "fi"))
        branches.append((cond, body))
        otherwise = CommandList([])
        while self.peek_keyword() == "elif":
            self.pos += 1
            cond = self.parse_list(("then",))
            self.expect("then")
            branches.append((cond, self.parse_list(("elif", "else", "fi"))))
        if self.peek_keyword() == "else":
            self.pos += 1
            otherwise = self.parse_list(("fi",))
        self.expect("fi")
        return Compound("if", [branches, otherwise])


def parse(script: str) -> CommandList:
    """Parse a script into a command list; raises `ShellSyntaxError`."""
    parser = Parser(tokenize(script))
    result = parser.parse_list()
    if parser.pos != len(parser.tokens):
        raise ShellSyntaxError(f"syntax error: unexpected {parser.peek_keyword()!r}")
    return result
