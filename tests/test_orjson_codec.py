"""JSON by orjson (issue #10): the same bytes, values and copies as the stdlib `json` gives."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import math
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api import json_codec
from minik8s.api.meta import json_copy
from minik8s.apiserver.prepare import encode, encode_json


def stdlib(obj: object) -> str:
    """What the store wrote before orjson: the stdlib's compact text."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def old_json_copy(obj: object) -> object:
    """The JSON round trip `json_copy` stands for."""
    return json.loads(json.dumps(obj))


# Every code point but lone surrogates (no UTF-8 for them), control characters included.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
SMALL_FLOATS = st.floats(1e-10, 1e-3) | st.floats(-1e-3, -1e-10)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**64), 2**65)
    | st.floats(allow_nan=False, allow_infinity=False)
    | SMALL_FLOATS
    | TEXT
    | st.sampled_from(["0.00001,", "1e-5,", "e-7]", "x:0.0000", "\u2028\u2029\x7f\x00\x1f"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = TEXT | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
ANY_KEYS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(JSON)
def test_dumps_is_the_stdlib_compact_text(value):
    assert json_codec.dumps(value) == stdlib(value).encode()
    assert json_codec.dumps_text(value) == stdlib(value)
    assert encode_json(value) == stdlib(value)


@settings(max_examples=300, deadline=None)
@given(SMALL_FLOATS | st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_is_written_as_the_stdlib_writes_it(number):
    assert json_codec.dumps([number, {"a": number}]) == stdlib([number, {"a": number}]).encode()


@settings(max_examples=200, deadline=None)
@given(ANY_KEYS)
def test_non_str_keys_are_written_as_the_stdlib_writes_them(value):
    assert json_codec.dumps(value) == stdlib(value).encode()


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_loads_reads_back_what_dumps_wrote(value):
    data = json_codec.dumps(value)
    expected = json.loads(data)
    got = json_codec.loads(data)
    if all(-(2**63) <= n < 2**64 for n in _ints(expected)):
        assert got == expected
        assert stdlib(got) == stdlib(expected)  # the same types too (1 is not 1.0)


def _ints(value: object) -> list[int]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _ints(v)]
    if isinstance(value, list):
        return [n for v in value for n in _ints(v)]
    return [value] if type(value) is int else []


@settings(max_examples=500, deadline=None)
@given(JSON | ANY_KEYS)
def test_json_copy_is_the_json_round_trip(value):
    copied = json_copy(value)
    expected = old_json_copy(value)
    assert copied == expected
    assert stdlib(copied) == stdlib(expected)  # same types, same key order


def test_json_copy_is_private():
    obj = {"metadata": {"labels": {"a": "b"}}, "spec": {"ports": [{"port": 80}]}}
    copied = json_copy(obj)
    copied["metadata"]["labels"]["a"] = "c"
    copied["spec"]["ports"][0]["port"] = 81
    assert obj == {"metadata": {"labels": {"a": "b"}}, "spec": {"ports": [{"port": 80}]}}


class Name(str):
    pass


class Count(int):
    def __repr__(self) -> str:
        return "Count"


class Color(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int


@pytest.mark.parametrize(
    "value",
    [
        Name("web"),
        Count(3),
        Color.RED,
        Level.HIGH,
        {"k": Name("v")},
        {Name("k"): 1},
        [2**64, -(2**63) - 1],
        1e-05,
        -9.5e-09,
        {"s": "\ud800"},
    ],
)
def test_what_orjson_does_not_write_the_same_the_stdlib_writes(value):
    assert json_codec.dumps_text(value) == stdlib(value)
    assert json_copy({"v": value}) == old_json_copy({"v": value})


@pytest.mark.parametrize(
    "value",
    [{1, 2}, b"x", datetime.datetime(2025, 1, 1), datetime.date(2025, 1, 1), Point(1), object()],
)
def test_what_the_stdlib_cannot_write_is_a_type_error(value):
    with pytest.raises(TypeError):
        json_codec.dumps({"v": value})
    with pytest.raises(TypeError):
        json_copy({"v": value})


def test_a_lone_surrogate_has_no_utf8_bytes():
    with pytest.raises(UnicodeEncodeError):
        json_codec.dumps({"s": "\udc80"})


def test_the_documented_differences():
    # NaN and infinities are not JSON: orjson writes null (the stdlib wrote NaN).
    assert json_codec.dumps([math.nan, math.inf, -math.inf]) == b"[null,null,null]"
    assert math.isnan(json_copy({"v": math.nan})["v"])  # (copied, not encoded)
    # Enum and UUID values: orjson writes their value (the stdlib raised TypeError).
    assert json_codec.dumps(uuid.UUID(int=1)) == b'"00000000-0000-0000-0000-000000000001"'
    # Ints orjson cannot hold are read as floats (apimachinery: float64 when no int64).
    assert json_codec.loads(b"[18446744073709551616]") == [1.8446744073709552e19]
    # What orjson refuses to read the stdlib reads.
    assert math.isnan(json_codec.loads(b"[NaN]")[0])
    assert json_codec.loads(b'"\\ud800"') == "\ud800"
    assert json_codec.loads('{"a":1}') == {"a": 1}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TEXT, JSON, max_size=4), st.sampled_from(["", "42"]))
def test_stored_bytes_leave_out_the_resource_version(body, rv):
    obj = {"metadata": {"name": "x", **({"resourceVersion": rv} if rv else {})}, **body}
    before = stdlib(obj)
    expected = dict(obj, metadata={"name": "x"})
    assert encode(obj) == stdlib(expected).encode()
    assert stdlib(obj) == before  # the object is left as it was


@pytest.mark.parametrize(
    "value",
    [
        {"renewTime": "2025-01-01T00:00:00.000000Z"},  # a MicroTime: orjson's text is kept
        {"name": "node-5", "image": "pause:3.10", "x": 10.00001, "y": 1e-10, "z": 1e-4},
    ],
)
def test_common_text_is_written_by_orjson_alone(value):
    assert json_codec._orjson(value) == stdlib(value).encode()


@pytest.mark.parametrize("value", [1e-05, [1.5e-05], {"a": -9e-05}, [2e-06], {"a": 3.5e-09}])
def test_a_small_float_is_written_by_the_stdlib(value):
    assert json_codec._orjson(value) is None
    assert json_codec.dumps(value) == stdlib(value).encode()


def test_json_copy_shares_strings_and_copies_containers():
    """Pods made from one template share their strings in every cache (memory)."""
    template = {"spec": {"containers": [{"image": "registry.k8s.io/pause:3.10" + "x" * 0}]}}
    copied = json_copy(template)
    assert copied == template and copied["spec"] is not template["spec"]
    assert copied["spec"]["containers"][0] is not template["spec"]["containers"][0]
    image = template["spec"]["containers"][0]["image"]
    assert copied["spec"]["containers"][0]["image"] is image
