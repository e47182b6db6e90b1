"""spf13/pflag's own parsing tests (flag_test.go `TestShorthand`, `testParseAll`,
`TestShorthandLookup`, `TestUserDefined`, `TestTermination`; bool_test.go `TestShortFlag...`) and
cobra's `TestStripFlags` (command_test.go), ported to `minik8s.kubectl.pflag`, plus the error
texts of `parseLongArg` / `parseSingleShortArg`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.kubectl.pflag import Flag, FlagError, FlagSet, Parsed, quote_char


def shorthand_set() -> FlagSet:
    """TestShorthand's flags: BoolP boola/a ... boold/d, StringP stringa/s, stringz/z."""
    bools = [Flag(f"bool{c}", c, True) for c in "abcd"]
    return FlagSet([*bools, Flag("stringa", "s"), Flag("stringz", "z")])


def as_strings(parsed: Parsed) -> list[str]:
    """The `store` callback of testParseAll: name, then the value pflag passed (true for bare)."""
    out: list[str] = []
    for name, value in parsed.flags:
        out += [name, "true" if value is True else str(value)]
    return out


def test_shorthand() -> None:
    extra, notaflag = "interspersed-argument", "--i-look-like-a-flag"
    args = ["-ab", extra, "-cs", "hello", "-z=something", "-d=true", "--", notaflag]
    parsed = shorthand_set().parse(args)
    assert dict(parsed.flags) == {
        "boola": True,
        "boolb": True,
        "boolc": True,
        "stringa": "hello",
        "stringz": "something",
        "boold": "true",
    }
    assert parsed.args == [extra, notaflag]
    assert parsed.args_len_at_dash == 1


def test_parse_all_order() -> None:
    flags = [Flag(f"bool{c}", c, True) for c in "abcd"]
    flags += [Flag("stringa", "s"), Flag("stringz", "z"), Flag("stringx", "x", "1")]
    flags += [Flag("stringy", "y")]
    args = ["-ab", "-cs=xx", "--stringz=something", "-d=true", "-x", "-y", "ee"]
    want = ["boola", "true", "boolb", "true", "boolc", "true", "stringa", "xx"]
    want += ["stringz", "something", "boold", "true", "stringx", "1", "stringy", "ee"]
    assert as_strings(FlagSet(flags).parse(args)) == want


def test_shorthand_lookup() -> None:
    fs = FlagSet([Flag("boola", "a", True), Flag("boolb", "b", True)])
    assert fs.parse(["-ab"]).flags == [("boola", True), ("boolb", True)]
    assert fs.shorthands["a"].name == "boola" and "" not in fs.shorthands


def test_user_defined_repeated_value() -> None:
    parsed = FlagSet([Flag("v", "v")]).parse(["--v=1", "-v2", "-v", "3"])
    assert [value for _, value in parsed.flags] == ["1", "2", "3"]


def test_termination() -> None:
    parsed = FlagSet([Flag("bool", "l", True)]).parse(["--", "ls", "-l"])
    assert parsed.flags == [] and parsed.args == ["ls", "-l"] and parsed.args_len_at_dash == 0


def test_changed_helper_has_no_dash() -> None:
    parsed = FlagSet([Flag("changed", "", True)]).parse(["--changed"])
    assert parsed.args_len_at_dash == -1


@pytest.mark.parametrize(
    ("argv", "flags", "args"),
    [
        (["-t"], [("tristate", True)], []),  # TestShortFlag
        (["-t", "maybe"], [("tristate", True)], ["maybe"]),  # TestShortFlagExtraArgument
        (["--tristate=true"], [("tristate", "true")], []),  # TestExplicitTrue
        (["--tristate"], [("tristate", True)], []),  # TestImplicitTrue
        (["--tristate=false"], [("tristate", "false")], []),  # TestExplicitFalse
        ([], [], []),  # TestImplicitFalse
        (["-t=false"], [("tristate", "false")], []),  # '-f=arg' for a boolean shorthand
    ],
)
def test_bool_shorthand(argv: list[str], flags: list[tuple[str, str | bool]], args: list[str]):
    parsed = FlagSet([Flag("tristate", "t", True)]).parse(argv)
    assert (parsed.flags, parsed.args) == (flags, args)


@pytest.mark.parametrize(
    ("argv", "flags"),
    [
        (["-s=x"], [("stringa", "x")]),  # '-f=arg'
        (["-sx"], [("stringa", "x")]),  # '-farg'
        (["-s", "x"], [("stringa", "x")]),  # '-f arg'
        (["-s=a=b"], [("stringa", "a=b")]),  # only the first '=' separates
        (["-sa=b"], [("stringa", "a=b")]),
        (["-s="], [("stringa", "=")]),  # "s=" is too short for '-f=arg': it is '-farg'
        (["-s", "-a"], [("stringa", "-a")]),  # the next word, whatever it looks like
        (["-as=x"], [("boola", True), ("stringa", "x")]),
        (["-a=false", "-b"], [("boola", "false"), ("boolb", True)]),
        (["-bas", "v"], [("boolb", True), ("boola", True), ("stringa", "v")]),
        (["--stringz", "v"], [("stringz", "v")]),
        (["--stringz="], [("stringz", "")]),
    ],
)
def test_short_forms(argv: list[str], flags: list[tuple[str, str | bool]]) -> None:
    assert shorthand_set().parse(argv).flags == flags


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-s"], "flag needs an argument: 's' in -s"),
        (["-as"], "flag needs an argument: 's' in -s"),
        (["--stringa"], "flag needs an argument: --stringa"),
        (["-x"], "unknown shorthand flag: 'x' in -x"),
        (["-abx=1"], "unknown shorthand flag: 'x' in -x=1"),
        (["-a="], "unknown shorthand flag: '=' in -="),  # a boolean takes no "-a=" value
        (["--nope"], "unknown flag: --nope"),
        (["--nope=1"], "unknown flag: --nope"),
        (["---a"], "bad flag syntax: ---a"),
        (["--=a"], "bad flag syntax: --=a"),
    ],
)
def test_errors(argv: list[str], message: str) -> None:
    with pytest.raises(FlagError) as caught:
        shorthand_set().parse(argv)
    assert str(caught.value) == message


def test_single_dash_and_empty_are_arguments() -> None:
    assert shorthand_set().parse(["-", "", "x"]).args == ["-", "", "x"]


def test_a_flag_is_defined_once() -> None:
    """pflag panics on `flag redefined` and on a shorthand already used."""
    with pytest.raises(ValueError, match="flag redefined: boola"):
        FlagSet([Flag("boola", "a", True), Flag("boola", "", True)])
    with pytest.raises(ValueError, match="'a' shorthand: it's already used for 'boola'"):
        FlagSet([Flag("boola", "a", True), Flag("other", "a")])


def test_quote_char() -> None:
    assert [quote_char(c) for c in ("n", "'", "\\", "\x01")] == [
        "'n'",
        "'\\''",
        "'\\\\'",
        "'\\x01'",
    ]


def strip_set() -> FlagSet:
    """cobra TestStripFlags: persistent BoolP persist/p, IntP int/i, StringP str/s, BoolP bool/b."""
    return FlagSet(
        [Flag("persist", "p", True), Flag("int", "i"), Flag("str", "s"), Flag("bool", "b", True)]
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["foo", "bar"], ["foo", "bar"]),
        (["foo", "--str", "-s"], ["foo"]),
        (["-s", "foo", "--str", "bar"], []),
        (["-i10", "echo"], ["echo"]),
        (["-i=10", "echo"], ["echo"]),
        (["--int=100", "echo"], ["echo"]),
        (["-ib", "echo", "-sfoo", "baz"], ["echo", "baz"]),
        (["-i=baz", "bar", "-i", "foo", "blah"], ["bar", "blah"]),
        (["--int=baz", "-sbar", "-i", "foo", "blah"], ["blah"]),
        (["--bool", "bar", "-i", "foo", "blah"], ["bar", "blah"]),
        (["-b", "bar", "-i", "foo", "blah"], ["bar", "blah"]),
        (["--persist", "bar"], ["bar"]),
        (["-p", "bar"], ["bar"]),
    ],
)
def test_strip_flags(argv: list[str], words: list[str]) -> None:
    assert strip_set().strip_flags(argv) == words
    first = strip_set().first_word(argv)
    assert (argv[first] if first is not None else None) == (words[0] if words else None)


def test_unknown_flags_are_stripped_with_a_value() -> None:
    """stripFlags: a flag it does not know may take the next word (`hasNoOptDefVal` is false)."""
    assert strip_set().strip_flags(["--nope", "bar", "baz", "-x", "qux", "quux"]) == ["baz", "quux"]


WORDS = st.sampled_from(["-a", "-b", "-ab", "-s", "-sx", "-s=x", "--stringz", "w", "v", "--"])


@given(st.lists(WORDS, max_size=8))
def test_flags_and_words_account_for_every_word(argv: list[str]) -> None:
    """Every word is a flag, a flag's value or an argument; nothing is dropped or invented."""
    try:
        parsed = shorthand_set().parse(argv)
    except FlagError as err:
        assert str(err).startswith("flag needs an argument")
        return
    if "--" not in argv:
        plain = [w for w in argv if not w.startswith("-")]
        taken = [v for _, v in parsed.flags if isinstance(v, str) and v in plain]
        assert sorted(parsed.args + taken) == sorted(plain)
    assert all(name in shorthand_set().formal for name, _ in parsed.flags)
