"""Command-line flag parsing, mirroring spf13/pflag `flag.go` (`FlagSet.parseArgs`,
`parseLongArg`, `parseShortArg`, `parseSingleShortArg`) and cobra's `stripFlags`, which finds the
subcommand words before the flags are parsed.

Leaves out: typed values (a value stays the string given, callers convert it; a bare boolean is
`True`), flag-name normalization, deprecation notices, `-h`/`--help` as `ErrHelp`,
`SetInterspersed(false)` and the unknown-flags whitelist. Unknown long flags are booleans when the
set says so (`unknown_long_is_bool`), since kubectl's per-command flag sets are not modelled.
"""

from __future__ import annotations

from collections.abc import Iterable
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

    def __init__(self, flags: Iterable[Flag], unknown_long_is_bool: bool = False) -> None:
        self.formal: dict[str, Flag] = {}
        self.shorthands: dict[str, Flag] = {}
        self.unknown_long_is_bool = unknown_long_is_bool
        for flag in flags:
            self.add_flag(flag)

    def add_flag(self, flag: Flag) -> None:
        """`AddFlag`; a later flag with the same shorthand replaces the earlier one's shorthand."""
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
            if not self.unknown_long_is_bool:
                raise FlagError(f"unknown flag: --{name}")
            flag = Flag(name, no_opt_def_val=True)
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
        words: list[str] = []
        args = list(argv)
        while args:
            s = args.pop(0)
            if s == "--":
                break
            if s.startswith("--") and "=" not in s and not self._long_optional(s[2:]):
                if len(args) <= 1:
                    break
                args = args[1:]
            elif s.startswith("-") and "=" not in s and len(s) == 2 and not self._short_opt(s[1]):
                if len(args) <= 1:
                    break
                args = args[1:]
            elif s and not s.startswith("-"):
                words.append(s)
        return words

    def _long_optional(self, name: str) -> bool:
        flag = self.formal.get(name)
        if flag is None:
            return self.unknown_long_is_bool
        return flag.no_opt_def_val is not None

    def _short_opt(self, c: str) -> bool:
        flag = self.shorthands.get(c)
        return flag is not None and flag.no_opt_def_val is not None
