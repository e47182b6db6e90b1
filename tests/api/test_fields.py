"""Upstream `pkg/fields/selector_test.go` cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.fields import (
    EQUALS,
    NOT_EQUALS,
    FieldRequirement,
    FieldSelector,
    and_selectors,
    escape_value,
    everything,
    one_term_equal_selector,
    parse_field_selector,
    selector_from_set,
    split_term,
    split_terms,
    unescape_value,
)


@pytest.mark.parametrize(
    ("selector", "terms"),
    [
        ("a", ["a"]), ("a=avalue", ["a=avalue"]), ("a=avalue,b=bvalue", ["a=avalue", "b=bvalue"]),
        ("a=avalue,b==bvalue,c!=cvalue", ["a=avalue", "b==bvalue", "c!=cvalue"]),
        ("", []), ("a=a,", ["a=a", ""]), (",a=a", ["", "a=a"]),
        (r"k=\,,k2=v2", [r"k=\,", "k2=v2"]), (r"k=\\,k2=v2", [r"k=\\", "k2=v2"]),
        (r"k=\\\,,k2=v2", [r"k=\\\,", "k2=v2"]), (r"k=\a\b" + "\\", [r"k=\a\b" + "\\"]),
        ("k=\\", ["k=\\"]), ("함=수,목=록", ["함=수", "목=록"]),
    ],
)  # fmt: skip
def test_split_terms(selector: str, terms: list[str]) -> None:
    assert split_terms(selector) == terms


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("a=value", ("a", "=", "value")), ("b==value", ("b", "==", "value")),
        ("c!=value", ("c", "!=", "value")), ("", None), ("a", None),
        (r"k=\,", ("k", "=", r"\,")), (r"k=\=", ("k", "=", r"\=")),
        (r"k=\\\a\b\=\," + "\\", ("k", "=", r"\\\a\b\=\," + "\\")), ("함=수", ("함", "=", "수")),
    ],
)  # fmt: skip
def test_split_term(term: str, expected: tuple[str, str, str] | None) -> None:
    assert split_term(term) == expected


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("", ""), ("a", "a"), ("=", r"\="), (",", r"\,"), ("\\", "\\\\"),
     (r"\=\," + "\\", r"\\\=\\\,\\")],
)  # fmt: skip
def test_escape_value(raw: str, escaped: str) -> None:
    assert escape_value(raw) == escaped
    assert unescape_value(escaped) == raw


@pytest.mark.parametrize("value", ["\\", "\\\\\\", r"\a"])
def test_unescape_invalid(value: str) -> None:
    with pytest.raises(ValueError, match="invalid escape sequence"):
        unescape_value(value)


def test_unescape_messages() -> None:
    with pytest.raises(ValueError) as info:
        unescape_value(r"\a")
    assert str(info.value) == r"invalid field selector: invalid escape sequence: \a"
    with pytest.raises(ValueError) as info:
        unescape_value("a=b")
    assert str(info.value) == "invalid field selector: unescaped character in value: 61"


@pytest.mark.parametrize("text", ["x=a,y=b,z=c", "", "x!=a,y=b", r"x=a||y\=b", r"x=a\=\=b"])
def test_parse_good_restrings(text: str) -> None:
    assert str(parse_field_selector(text)) == text


@pytest.mark.parametrize("text", ["x=a||y=b", "x==a==b", "x=a,b", "x in (a)", "x in (a,b,c)", "x"])
def test_parse_bad(text: str) -> None:
    with pytest.raises(ValueError):
        parse_field_selector(text)


def test_parse_error_message() -> None:
    with pytest.raises(ValueError) as info:
        parse_field_selector("x=a,b")
    assert str(info.value) == "invalid selector: 'x=a,b'; can't understand 'b'"


def test_deterministic_parse_and_double_equals() -> None:
    assert str(parse_field_selector("x=a,a=x")) == str(parse_field_selector("a=x,x=a")) == "a=x,x=a"
    assert str(parse_field_selector("b==1")) == "b=1"
    assert parse_field_selector("=,a=b") == parse_field_selector("a=b")


FIELDSET = {"foo": "bar", "baz": "blah", "complex": "=value\\,\\"}


@pytest.mark.parametrize(
    ("text", "fields", "match"),
    [
        ("", {"x": "y"}, True), ("x=y", {"x": "y"}, True), ("x=y,z=w", {"x": "y", "z": "w"}, True),
        ("x!=y,z!=w", {"x": "z", "z": "a"}, True), ("notin=in", {"notin": "in"}, True),
        ("x=y", {"x": "z"}, False), ("x=y,z=w", {"x": "w", "z": "w"}, False),
        ("x!=y,z!=w", {"x": "z", "z": "w"}, False),
        ("foo=bar", FIELDSET, True), ("baz=blah", FIELDSET, True),
        ("foo=bar,baz=blah", FIELDSET, True),
        (r"foo=bar,baz=blah,complex=\=value\\\,\\", FIELDSET, True),
        ("foo=blah", FIELDSET, False), ("baz=bar", FIELDSET, False),
        ("foo=bar,foobar=bar,baz=blah", FIELDSET, False),
        ("spec.nodeName=", {}, True), ("spec.nodeName!=", {"spec.nodeName": "n1"}, True),
    ],
)  # fmt: skip
def test_selector_matches(text: str, fields: dict[str, str], match: bool) -> None:
    assert parse_field_selector(text).matches(fields) == match


def test_everything_sets_and_one_term() -> None:
    assert everything().matches({"x": "y"}) and everything().empty()
    assert one_term_equal_selector("x", "y").matches({"x": "y"})
    assert not one_term_equal_selector("x", "y").matches({"x": "z"})
    labelset = {"foo": "bar", "baz": "blah"}
    for sel in ({}, {"foo": "bar"}, {"baz": "blah"}, {"foo": "bar", "baz": "blah"}):
        assert selector_from_set(sel).matches(labelset)
    for sel in ({"foo": "=blah"}, {"baz": "=bar"}, {"foo": "=bar", "foobar": "bar", "baz": "blah"}):
        assert not selector_from_set(sel).matches(labelset)
    assert selector_from_set(None).empty() and selector_from_set({}).empty()
    assert not FieldSelector([FieldRequirement("", EQUALS, "")]).empty()


@pytest.mark.parametrize(
    ("selector", "field", "value"),
    [
        (selector_from_set({}), "test", None),
        (FieldSelector([FieldRequirement("", EQUALS, "")]), "test", None),
        (one_term_equal_selector("a", "b"), "test", None),
        (one_term_equal_selector("test", "b"), "test", "b"),
        (one_term_equal_selector("test", ""), "test", ""),
        (FieldSelector([FieldRequirement("test", NOT_EQUALS, "b")]), "test", None),
        (and_selectors(one_term_equal_selector("", ""), one_term_equal_selector("test", "b")),
         "test", "b"),
    ],
)  # fmt: skip
def test_requires_exact_match(selector: FieldSelector, field: str, value: str | None) -> None:
    assert selector.requires_exact_match(field) == value


def test_requirements_and_repr() -> None:
    sel = parse_field_selector("metadata.name=web,status.phase!=Running")
    assert sel.requirements() == (
        FieldRequirement("metadata.name", EQUALS, "web"),
        FieldRequirement("status.phase", NOT_EQUALS, "Running"),
    )
    assert repr(sel) == "FieldSelector('metadata.name=web,status.phase!=Running')"


_field_names = st.sampled_from(["metadata.name", "spec.nodeName", "status.phase", "a"])
_field_values = st.text(alphabet="ab,=\\!é ", max_size=6)


@settings(derandomize=True)
@given(
    st.lists(
        st.builds(
            FieldRequirement, _field_names, st.sampled_from([EQUALS, NOT_EQUALS]), _field_values
        ),
        max_size=4,
    ),
    st.dictionaries(_field_names, _field_values),
)
def test_escaped_string_form_round_trips(
    reqs: list[FieldRequirement], fields: dict[str, str]
) -> None:
    selector = FieldSelector(reqs)
    again = parse_field_selector(str(selector))
    assert sorted(again.requirements(), key=str) == sorted(reqs, key=str)
    assert again.matches(fields) == selector.matches(fields)
