"""Upstream `pkg/labels/selector_test.go` and metav1 `helpers_test.go` cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api import labels as L
from minik8s.api.labels import (
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
    label_selector_as_selector,
    new_requirement,
    parse_selector,
    selector_from_set,
)


@pytest.mark.parametrize(
    "text",
    ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"],
)
def test_parse_good_restrings(text: str) -> None:
    assert str(parse_selector(text)) == text.replace(" ", "")


@pytest.mark.parametrize("text", ["x=a||y=b", "x==a==b", "!x=a", "x<a"])
def test_parse_bad(text: str) -> None:
    with pytest.raises(ValueError):
        parse_selector(text)


def test_deterministic_parse() -> None:
    assert str(parse_selector("x=a,a=x")) == str(parse_selector("a=x,x=a")) == "a=x,x=a"


MATCHES = [
    ("", {"x": "y"}), ("x=y", {"x": "y"}), ("x=y,z=w", {"x": "y", "z": "w"}),
    ("x!=y,z!=w", {"x": "z", "z": "a"}), ("notin=in", {"notin": "in"}), ("x", {"x": "z"}),
    ("!x", {"y": "z"}), ("x>1", {"x": "2"}), ("x<1", {"x": "0"}),
    ("foo=bar", {"foo": "bar", "baz": "blah"}), ("baz=blah", {"foo": "bar", "baz": "blah"}),
    ("foo=bar,baz=blah", {"foo": "bar", "baz": "blah"}),
]  # fmt: skip
NO_MATCHES = [
    ("x=z", {}), ("x=y", {"x": "z"}), ("x=y,z=w", {"x": "w", "z": "w"}),
    ("x!=y,z!=w", {"x": "z", "z": "w"}), ("x", {"y": "z"}), ("!x", {"x": "z"}),
    ("x>1", {"x": "0"}), ("x<1", {"x": "2"}), ("foo=blah", {"foo": "bar", "baz": "blah"}),
    ("baz=bar", {"foo": "bar", "baz": "blah"}),
    ("foo=bar,foobar=bar,baz=blah", {"foo": "bar", "baz": "blah"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "labels"), MATCHES)
def test_selector_matches(text: str, labels: dict[str, str]) -> None:
    assert parse_selector(text).matches(labels)


@pytest.mark.parametrize(("text", "labels"), NO_MATCHES)
def test_selector_no_matches(text: str, labels: dict[str, str]) -> None:
    assert not parse_selector(text).matches(labels)


def test_everything_nothing_and_sets() -> None:
    assert L.everything().matches({"x": "y"}) and L.everything().empty()
    assert not L.nothing().matches({}) and not L.nothing().empty()
    assert L.nothing().matches_nothing() and str(L.nothing()) == ""
    labelset = {"foo": "bar", "baz": "blah"}
    for sel in ({}, {"foo": "bar"}, {"baz": "blah"}, {"foo": "bar", "baz": "blah"}):
        assert selector_from_set(sel).matches(labelset)
    assert selector_from_set(None).empty() and selector_from_set({}).empty()
    assert str(selector_from_set({"b": "2", "a": "1"})) == "a=1,b=2"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", [L.EOS]), (",", [L.COMMA]), ("notin", [L.NOT_IN_TOK]), ("in", [L.IN_TOK]),
        ("=", [L.EQ]), ("==", [L.DOUBLE_EQ]), (">", [L.GT]), ("<", [L.LT]), ("!", [L.NOT]),
        ("!=", [L.NOT_EQ]), ("(", [L.OPEN_PAR]), (")", [L.CLOSED_PAR]), ("~", [L.IDENT]),
        ("||", [L.IDENT]),
        ("key in ( value )", [L.IDENT, L.IN_TOK, L.OPEN_PAR, L.IDENT, L.CLOSED_PAR]),
        ("key notin ( value )", [L.IDENT, L.NOT_IN_TOK, L.OPEN_PAR, L.IDENT, L.CLOSED_PAR]),
        (
            "key in ( value1, value2 )",
            [L.IDENT, L.IN_TOK, L.OPEN_PAR, L.IDENT, L.COMMA, L.IDENT, L.CLOSED_PAR],
        ),
        ("key", [L.IDENT]), ("!key", [L.NOT, L.IDENT]), ("()", [L.OPEN_PAR, L.CLOSED_PAR]),
        ("x in (),y", [L.IDENT, L.IN_TOK, L.OPEN_PAR, L.CLOSED_PAR, L.COMMA, L.IDENT]),
        (
            "== != (), = notin",
            [L.DOUBLE_EQ, L.NOT_EQ, L.OPEN_PAR, L.CLOSED_PAR, L.COMMA, L.EQ, L.NOT_IN_TOK],
        ),
        ("key>2", [L.IDENT, L.GT, L.IDENT]), ("key<1", [L.IDENT, L.LT, L.IDENT]),
    ],
)  # fmt: skip
def test_lexer(text: str, tokens: list[int]) -> None:
    items = L.lex(text)
    assert [tok for tok, _ in items] == (tokens if tokens[-1:] == [L.EOS] else tokens + [L.EOS])
    if len(tokens) == 1 and tokens[0] != L.EOS:
        assert items[0][1] == text


@pytest.mark.parametrize(
    ("key", "op", "values", "ok"),
    [
        ("x", IN, [], False), ("x", NOT_IN, [], False), ("x", IN, ["foo"], True),
        ("x", NOT_IN, ["foo"], True), ("x", EXISTS, [], True), ("x", DOES_NOT_EXIST, [], True),
        ("1foo", IN, ["bar"], True), ("1234", IN, ["bar"], True), ("y", GREATER_THAN, ["1"], True),
        ("z", LESS_THAN, ["6"], True), ("foo", GREATER_THAN, ["bar"], False),
        ("barz", LESS_THAN, ["blah"], False), ("a" * 254, EXISTS, [], False),
    ],
)  # fmt: skip
def test_requirement_constructor(key: str, op: str, values: list[str], ok: bool) -> None:
    if ok:
        assert new_requirement(key, op, values).key == key
    else:
        with pytest.raises(ValueError):
            new_requirement(key, op, values)


def test_requirement_errors() -> None:
    with pytest.raises(ValueError) as info:
        new_requirement("x", IN, [])
    assert str(info.value) == (
        "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"
    )
    with pytest.raises(ValueError) as info:
        new_requirement("x", "foo", [])
    assert str(info.value) == (
        'operator: Unsupported value: "foo": supported values: "in", "notin", "=", "==", "!=", '
        '"gt", "lt", "exists", "!"'
    )
    with pytest.raises(ValueError) as info:
        new_requirement("x", EQUALS, ["-bad"])
    assert str(info.value).startswith('values[0][x]: Invalid value: "-bad": a valid label must')


def _sel(*reqs: tuple[str, str, list[str]]) -> Selector:
    return Selector([new_requirement(k, op, sorted(vals)) for k, op, vals in reqs])


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (_sel(("x", IN, ["abc", "def"]), ("y", NOT_IN, ["jkl"]), ("z", EXISTS, [])),
         "x in (abc,def),y notin (jkl),z"),
        (_sel(("x", NOT_IN, ["abc", "def"]), ("y", NOT_EQUALS, ["jkl"]), ("z", DOES_NOT_EXIST, [])),
         "x notin (abc,def),y!=jkl,!z"),
        (_sel(("x", NOT_IN, ["abc"]), ("y", IN, ["jkl", "mno"]), ("z", NOT_IN, [""])),
         "x notin (abc),y in (jkl,mno),z notin ()"),
        (_sel(("x", EQUALS, ["abc"]), ("y", DOUBLE_EQUALS, ["jkl"]), ("z", NOT_EQUALS, ["a"]),
              ("z", EXISTS, [])),
         "x=abc,y==jkl,z!=a,z"),
        (_sel(("x", GREATER_THAN, ["2"]), ("y", LESS_THAN, ["8"]), ("z", EXISTS, [])), "x>2,y<8,z"),
    ],
)  # fmt: skip
def test_to_string(selector: Selector, text: str) -> None:
    assert str(selector) == text


def test_string_sorts_values_without_mutating() -> None:
    req = new_requirement("x", IN, ["b", "a"])
    assert str(req) == "x in (a,b)" and req.values == ("b", "a")


@pytest.mark.parametrize(
    ("labels", "selector", "match"),
    [
        ({"x": "foo", "y": "baz"}, _sel(("x", IN, ["foo"]), ("y", NOT_IN, ["alpha"])), True),
        ({"x": "foo", "y": "baz"}, _sel(("x", IN, ["foo"]), ("y", IN, ["alpha"])), False),
        ({"y": ""}, _sel(("x", NOT_IN, [""]), ("y", EXISTS, [])), True),
        ({"y": ""}, _sel(("x", DOES_NOT_EXIST, []), ("y", EXISTS, [])), True),
        ({"y": ""}, _sel(("x", NOT_IN, [""]), ("y", DOES_NOT_EXIST, [])), False),
        ({"y": "baz"}, _sel(("x", IN, [""])), False),
        ({"z": "2"}, _sel(("z", GREATER_THAN, ["1"])), True),
        ({"z": "v2"}, _sel(("z", GREATER_THAN, ["1"])), False),
    ],
)
def test_requirement_selector_matching(
    labels: dict[str, str], selector: Selector, match: bool
) -> None:
    assert selector.matches(labels) == match
    assert not Selector([Requirement("", "")]).matches(labels)  # the zero Requirement


SET_PARSER = [
    ("", _sel()), ("\rx", _sel(("x", EXISTS, []))),
    ("this-is-a-dns.domain.com/key-with-dash",
     _sel(("this-is-a-dns.domain.com/key-with-dash", EXISTS, []))),
    ("this-is-another-dns.domain.com/key-with-dash in (so,what)",
     _sel(("this-is-another-dns.domain.com/key-with-dash", IN, ["so", "what"]))),
    ("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
     _sel(("0.1.2.domain/99", NOT_IN, ["10.10.100.1", "tick.tack.clock"]))),
    ("foo  in\t (abc)", _sel(("foo", IN, ["abc"]))),
    ("x notin\n (abc)", _sel(("x", NOT_IN, ["abc"]))),
    ("x  notin\t\t\t(abc,def)", _sel(("x", NOT_IN, ["abc", "def"]))),
    ("x in (abc,def)", _sel(("x", IN, ["abc", "def"]))),
    ("x in (abc,)", _sel(("x", IN, ["abc", ""]))),
    ("x in ()", _sel(("x", IN, [""]))),
    ("x notin (abc,,def),bar,z in (),w",
     _sel(("bar", EXISTS, []), ("w", EXISTS, []), ("x", NOT_IN, ["abc", "", "def"]),
          ("z", IN, [""]))),
    ("x,y in (a)", _sel(("y", IN, ["a"]), ("x", EXISTS, []))),
    ("x=a", _sel(("x", EQUALS, ["a"]))), ("x>1", _sel(("x", GREATER_THAN, ["1"]))),
    ("x<7", _sel(("x", LESS_THAN, ["7"]))),
    ("x=a,y!=b", _sel(("x", EQUALS, ["a"]), ("y", NOT_EQUALS, ["b"]))),
    ("x=a,y!=b,z in (h,i,j)",
     _sel(("x", EQUALS, ["a"]), ("y", NOT_EQUALS, ["b"]), ("z", IN, ["h", "i", "j"]))),
    ("x notin ( )", _sel(("x", NOT_IN, [""]))),
    ("x notin (, a)", _sel(("x", NOT_IN, ["", "a"]))),
    ("a ", _sel(("a", EXISTS, []))),
    ("a in (x,y,notin, z,in)", _sel(("a", IN, ["in", "notin", "x", "y", "z"]))),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SET_PARSER)
def test_set_selector_parser(text: str, expected: Selector) -> None:
    assert parse_selector(text) == expected


@pytest.mark.parametrize(
    "text",
    ["x=a||y=b", "x,,y", ",x,y", "x nott in (y)", "a in (xyz),", "a in (xyz)b notin ()",
     "a in (xyz abc)", "a notin(", "a (", "("],
)  # fmt: skip
def test_set_selector_parser_invalid(text: str) -> None:
    with pytest.raises(ValueError):
        parse_selector(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x=a||y=b",
         "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label "
         "must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
         "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
         "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        ("x,,y", "found ',', expected: identifier after ','"),
        ("(", "found '(', expected: !, identifier, or 'end of string'"),
        ("a in (xyz),", "found '', expected: identifier after ','"),
        ("a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"),
        ("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"),
        ("x nott in (y)",
         "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"),
        ("a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("x in y", "unable to parse requirement: found 'y' expected: '('"),
        ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
                "for 'Gt', 'Lt' operators, the value must be an integer"),
        ("app:monolith",
         "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must "
         "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
         "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
         "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
    ],
)  # fmt: skip
def test_parse_error_messages(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_selector(text)
    assert str(info.value) == message


def test_add_and_requirements() -> None:
    sel = Selector().add(new_requirement("key", IN, ["value"]))
    assert sel == Selector([Requirement("key", IN, ("value",))])
    sel = sel.add(new_requirement("key2", EQUALS, ["value2"]))
    assert [r.key for r in sel.requirements()] == ["key", "key2"]
    assert sel.requires_exact_match("key") == "value"
    assert sel.requires_exact_match("key2") == "value2"
    assert sel.requires_exact_match("nope") is None
    assert parse_selector("a in (x,y)").requires_exact_match("a") is None
    assert L.nothing().add(new_requirement("a", EXISTS)).matches_nothing()
    assert repr(parse_selector("b,a=1")) == "Selector('a=1,b')"


MATCH_LABELS = {"foo": "bar"}
MATCH_EXPRESSIONS = [{"key": "baz", "operator": "In", "values": ["qux", "norf"]}]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (None, L.nothing()),
        ({}, L.everything()),
        ({"matchLabels": MATCH_LABELS}, parse_selector("foo=bar")),
        ({"matchExpressions": MATCH_EXPRESSIONS}, parse_selector("baz in (norf,qux)")),
        (
            {"matchLabels": MATCH_LABELS, "matchExpressions": MATCH_EXPRESSIONS},
            parse_selector("baz in (norf,qux),foo=bar"),
        ),
    ],
)
def test_label_selector_as_selector(selector: dict | None, expected: Selector) -> None:  # type: ignore[type-arg]
    assert str(label_selector_as_selector(selector)) == str(expected)
    assert label_selector_as_selector(selector).matches_nothing() == expected.matches_nothing()


def test_label_selector_as_selector_errors() -> None:
    bad_exists = {"matchExpressions": [{"key": "baz", "operator": "Exists", "values": ["qux"]}]}
    with pytest.raises(ValueError):
        label_selector_as_selector(bad_exists)
    with pytest.raises(ValueError, match='"Foo" is not a valid label selector operator'):
        label_selector_as_selector({"matchExpressions": [{"key": "baz", "operator": "Foo"}]})
    assert L.format_label_selector(None) == "<none>"  # Nothing() prints as ""
    assert L.format_label_selector({}) == "<none>"
    assert L.format_label_selector(bad_exists) == "<error>"
    assert label_selector_as_selector({}).matches({"a": "b"})
    assert not label_selector_as_selector(None).matches({"a": "b"})


def test_label_selector_as_map() -> None:
    def exprs(op: str, values: list[str]) -> list[dict]:  # type: ignore[type-arg]
        return [{"key": "baz", "operator": op, "values": values}]

    assert L.label_selector_as_map(None) is None
    assert L.label_selector_as_map({"matchLabels": MATCH_LABELS}) == {"foo": "bar"}
    sel = {"matchLabels": MATCH_LABELS, "matchExpressions": exprs("In", ["norf"])}
    assert L.label_selector_as_map(sel) == {"foo": "bar", "baz": "norf"}
    with pytest.raises(ValueError, match="without a single value cannot be converted"):
        L.label_selector_as_map({"matchExpressions": exprs("In", ["norf", "qux"])})
    for op in ("NotIn", "Exists", "DoesNotExist"):
        with pytest.raises(ValueError, match="cannot be converted"):
            L.label_selector_as_map({"matchExpressions": exprs(op, [])})


_keys = st.sampled_from(["a", "b", "app", "example.com/tier", "k8s.io/x-y_z.1", "in", "notin"])
_values = st.sampled_from(["", "v", "web", "1", "in", "notin", "a.b-c_d"])
_numbers = st.integers(0, 10**6).map(str)


@st.composite
def _requirements(draw: st.DrawFn) -> Requirement:
    key, op = draw(_keys), draw(st.sampled_from(L.VALID_OPERATORS))
    if op in (IN, NOT_IN):
        values = sorted(draw(st.sets(_values, min_size=1, max_size=3)))
    elif op in (GREATER_THAN, LESS_THAN):
        values = [draw(_numbers)]
    elif op in (EXISTS, DOES_NOT_EXIST):
        values = []
    else:
        values = [draw(_values)]
    return new_requirement(key, op, values)


@settings(derandomize=True)
@given(st.lists(_requirements(), max_size=4), st.dictionaries(_keys, _values))
def test_string_form_round_trips(reqs: list[Requirement], labels: dict[str, str]) -> None:
    selector = Selector(reqs)
    again = parse_selector(str(selector))
    assert again == selector
    assert again.matches(labels) == selector.matches(labels)
