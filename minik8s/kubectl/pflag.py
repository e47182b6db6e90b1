"""Command-line flag parsing, mirroring spf13/pflag `flag.go` (`FlagSet.parseArgs`,
`parseLongArg`, `parseShortArg`, `parseSingleShortArg`) and cobra's `stripFlags`, which finds the
subcommand words before the flags are parsed.

Leaves out: typed values (a value stays the string given, callers convert it; a bare boolean is
`True`), flag-name normalization, deprecation notices, `-h`/`--help` as `ErrHelp`,
`SetInterspersed(false)` and the unknown-flags whitelist (`FParseErrWhitelist`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Flag:
    """One flag: its name, one-letter shorthand and `NoOptDefVal` (None: a value is required;
    True: a boolean; a string: the value of the bare flag, e.g. `--cascade`)."""

    name: str
    shorthand: str = ""
    no_opt_def_val: str | bool | None = None


class FlagError(ValueError):
    """A command line pflag rejects, worded as pflag's `failf`."""


@dataclass
class Parsed:
    """What `FlagSet.parse` found: flags set in command-line order, the positional words, and
    `ArgsLenAtDash` (how many words came before `--`, or -1)."""

    flags: list[tuple[str, str | bool]] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    args_len_at_dash: int = -1

    def __repr__(self) -> str:
        return f"<Parsed {self.flags} {self.args} dash={self.args_len_at_dash}>"


def quote_char(c: str) -> str:
    """Go's `%q` of one byte, as pflag prints a shorthand: `'n'`, `'\\''`."""
    if c in ("'", "\\"):
        return f"'\\{c}'"
    if c.isprintable():
        return f"'{c}'"
    return f"'\\x{ord(c):02x}'" if ord(c) < 0x100 else f"'\\u{ord(c):04x}'"


class FlagSet:
    """pflag `FlagSet`: flags by name and by shorthand, parsed with interspersed arguments."""

    def __init__(self, flags: Iterable[Flag]) -> None:
        self.formal: dict[str, Flag] = {}
        self.shorthands: dict[str, Flag] = {}
        for flag in flags:
            self.add_flag(flag)

    def add_flag(self, flag: Flag) -> None:
        """`AddFlag`; a name or shorthand defined twice is an error (pflag panics)."""
        if flag.name in self.formal:
            raise ValueError(f"flag redefined: {flag.name}")
        used = self.shorthands.get(flag.shorthand)
        if used is not None:
            raise ValueError(
                f"unable to redefine {flag.shorthand!r} shorthand: "
                f"it's already used for {used.name!r} flag"
            )
        self.formal[flag.name] = flag
        if flag.shorthand:
            self.shorthands[flag.shorthand] = flag

    def __repr__(self) -> str:
        return f"<FlagSet {sorted(self.formal)}>"

    def parse(self, argv: list[str]) -> Parsed:
        """`parseArgs`: flags anywhere, `--` ends them; raises FlagError like pflag."""
        out = Parsed()
        args = list(argv)
        while args:
            s = args.pop(0)
            if len(s) <= 1 or s[0] != "-":
                out.args.append(s)
            elif s == "--":
                out.args_len_at_dash = len(out.args)
                out.args.extend(args)
                break
            elif s[1] == "-":
                args = self._parse_long_arg(s, args, out)
            else:
                args = self._parse_short_arg(s, args, out)
        return out

    def _parse_long_arg(self, s: str, args: list[str], out: Parsed) -> list[str]:
        name = s[2:]
        if not name or name[0] in "-=":
            raise FlagError(f"bad flag syntax: {s}")
        name, eq, value = name.partition("=")
        flag = self.formal.get(name)
        if flag is None:
            raise FlagError(f"unknown flag: --{name}")
        if eq:  # '--flag=arg'
            out.flags.append((flag.name, value))
        elif flag.no_opt_def_val is not None:  # '--flag' (arg was optional)
            out.flags.append((flag.name, flag.no_opt_def_val))
        elif args:  # '--flag arg'
            out.flags.append((flag.name, args[0]))
            return args[1:]
        else:  # '--flag' (arg was required)
            raise FlagError(f"flag needs an argument: {s}")
        return args

    def _parse_short_arg(self, s: str, args: list[str], out: Parsed) -> list[str]:
        shorthands, rest = s[1:], args
        while shorthands:  # a series of shorthand letters, e.g. "-it"
            shorthands, rest = self._parse_single_short_arg(shorthands, args, out)
        return rest

    def _parse_single_short_arg(
        self, shorthands: str, args: list[str], out: Parsed
    ) -> tuple[str, list[str]]:
        c = shorthands[0]
        flag = self.shorthands.get(c)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: {quote_char(c)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":  # '-f=arg'
            out.flags.append((flag.name, shorthands[2:]))
            return "", args
        if flag.no_opt_def_val is not None:  # '-f' (arg was optional)
            out.flags.append((flag.name, flag.no_opt_def_val))
            return shorthands[1:], args
        if len(shorthands) > 1:  # '-farg'
            out.flags.append((flag.name, shorthands[1:]))
            return "", args
        if args:  # '-f arg'
            out.flags.append((flag.name, args[0]))
            return "", args[1:]
        raise FlagError(f"flag needs an argument: {quote_char(c)} in -{shorthands}")

    def strip_flags(self, argv: list[str]) -> list[str]:
        """cobra `stripFlags`: the words left once flags (and the values they take) are gone."""
        return [argv[at] for at in self._word_positions(argv)]

    def first_word(self, argv: list[str]) -> int | None:
        """Where the first word `strip_flags` keeps is (cobra `argsMinusFirstX` drops it)."""
        return next(self._word_positions(argv), None)

    def _word_positions(self, argv: list[str]) -> Iterator[int]:
        at = 0
        while at < len(argv):
            s = argv[at]
            at += 1
            if s == "--":
                return
            takes_value = "=" not in s and (
                (s.startswith("--") and not self._long_optional(s[2:]))
                or (s.startswith("-") and len(s) == 2 and not self._short_optional(s[1]))
            )
            if takes_value:  # '--flag arg' or '-f arg': skip arg, or stop if it is the last
                if len(argv) - at <= 1:
                    return
                at += 1
            elif s and not s.startswith("-"):
                yield at - 1

    def _long_optional(self, name: str) -> bool:
        flag = self.formal.get(name)
        return flag is not None and flag.no_opt_def_val is not None

    def _short_optional(self, c: str) -> bool:
        flag = self.shorthands.get(c)
        return flag is not None and flag.no_opt_def_val is not None
