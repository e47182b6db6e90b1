"""Validating Endpoints and EndpointSlices with the memory of valid addresses gives exactly the
errors (types, field paths, values, details) of validating every address afresh."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.field import FieldError
from minik8s.api.validation import validate_object
from minik8s.api.validation.core import ENDPOINT_ADDRESSES, ValidMemo, str_key
from minik8s.api.validation.discovery import SLICE_ENDPOINTS

Obj = dict[str, Any]
IPS = ["10.244.1.5", "10.244.1.6", "010.1.2.3", "127.0.0.1", "0.0.0.0", "169.254.1.1",
       "224.0.0.9", "fe80::1", "2001:db8::1", "::ffff:127.0.0.1", "1.2.3", "", "a.b.c.d",
       "256.1.1.1"]  # fmt: skip
NAMES = [None, "", "node-1", "Node_1", "a" * 254, "web-0", "a.b", "x" * 64]
ips = st.sampled_from(IPS)
names = st.sampled_from(NAMES)
few_ips = st.sampled_from(["10.244.1.5", "127.0.0.1", "2001:db8::1"])  # more repeats
few_names = st.sampled_from([None, "web-0", "Node_1", "a.b"])


@st.composite
def endpoint_address(draw: st.DrawFn) -> Obj:
    address: Obj = {"ip": draw(st.one_of(few_ips, ips))}
    for field in ("hostname", "nodeName"):
        if draw(st.booleans()):
            address[field] = draw(st.one_of(few_names, names))
    return address


@st.composite
def slice_endpoint(draw: st.DrawFn) -> Obj:
    endpoint: Obj = {"addresses": draw(st.lists(st.one_of(few_ips, ips), max_size=2))}
    for field in ("hostname", "nodeName"):
        if draw(st.booleans()):
            endpoint[field] = draw(st.one_of(few_names, names))
    return endpoint


def endpoints(addresses: list[Obj]) -> st.SearchStrategy[Obj]:
    """Endpoints objects whose addresses come from `addresses` (so they repeat)."""
    items = st.lists(st.sampled_from(addresses), max_size=4)
    subset = st.fixed_dictionaries({}, optional={"addresses": items, "notReadyAddresses": items})
    return st.lists(subset.map(lambda s: {**s, "ports": [{"port": 80}]}), max_size=3).map(
        lambda subsets: {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "web", "namespace": "default"},
            "subsets": subsets,
        }
    )


def endpoint_slice(items: list[Obj]) -> st.SearchStrategy[Obj]:
    """EndpointSlices whose endpoints come from `items` (so they repeat)."""
    return st.tuples(
        st.sampled_from(["IPv4", "IPv6", "FQDN"]), st.lists(st.sampled_from(items), max_size=5)
    ).map(
        lambda t: {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "web-abc12", "namespace": "default"},
            "addressType": t[0],
            "endpoints": t[1],
            "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
        }
    )


@st.composite
def objects(draw: st.DrawFn) -> list[Obj]:
    """Endpoints and EndpointSlices sharing a small pool of addresses and endpoints."""
    addresses = draw(st.lists(endpoint_address(), min_size=1, max_size=5))
    items = draw(st.lists(slice_endpoint(), min_size=1, max_size=5))
    kinds = st.one_of(endpoints(addresses), endpoint_slice(items))
    return draw(st.lists(kinds, min_size=1, max_size=6))


def fresh(obj: Obj) -> list[FieldError]:
    """Validation with nothing remembered."""
    ENDPOINT_ADDRESSES.clear()
    SLICE_ENDPOINTS.clear()
    return validate_object(obj)


@settings(max_examples=100, deadline=None)
@given(objects())
def test_memoized_validation_equals_fresh(objs: list[Obj]) -> None:
    expected = [fresh(obj) for obj in objs]
    ENDPOINT_ADDRESSES.clear()
    SLICE_ENDPOINTS.clear()
    for _ in range(2):  # the second round finds every valid address remembered
        assert [validate_object(obj) for obj in objs] == expected
    assert [[str(e) for e in errs] for errs in map(validate_object, objs)] == [
        [str(e) for e in errs] for errs in expected
    ]


def wrap_address(address: Obj) -> Obj:
    meta = {"name": "web", "namespace": "default"}
    subsets = [{"addresses": [address], "ports": [{"port": 80}]}]
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta, "subsets": subsets}


def wrap_endpoint(endpoint: Obj, address_type: str) -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "web-abc12", "namespace": "default"},
        "addressType": address_type,
        "endpoints": [endpoint],
        "ports": [],
    }


ADDRESS_TYPES = st.sampled_from(["IPv4", "IPv6", "FQDN"])


@settings(max_examples=300, deadline=None)
@given(
    endpoint_address(),
    st.sampled_from(["ip", "hostname", "nodeName"]),
    st.one_of(few_ips, few_names),
)
def test_an_address_differing_in_one_field_is_validated_afresh(
    address: Obj, field: str, value: Any
) -> None:
    other = {k: v for k, v in address.items() if k != field}
    if value is not None:
        other[field] = value
    expected = fresh(wrap_address(other))
    fresh(wrap_address(address))  # remembered if valid
    assert validate_object(wrap_address(other)) == expected


@settings(max_examples=300, deadline=None)
@given(
    slice_endpoint(),
    ADDRESS_TYPES,
    st.sampled_from(["addresses", "hostname", "nodeName", "addressType"]),
    st.one_of(few_ips, few_names),
    ADDRESS_TYPES,
)
def test_an_endpoint_differing_in_one_field_is_validated_afresh(
    endpoint: Obj, address_type: str, field: str, value: Any, other_type: str
) -> None:
    other = {k: v for k, v in endpoint.items() if k != field}
    if field == "addresses":
        other["addresses"] = [value] if value else []
    elif field != "addressType" and value is not None:
        other[field] = value
    if field != "addressType":
        other_type = address_type
    expected = fresh(wrap_endpoint(other, other_type))
    fresh(wrap_endpoint(endpoint, address_type))  # remembered if valid
    assert validate_object(wrap_endpoint(other, other_type)) == expected


def test_a_remembered_address_is_still_checked_at_another_path() -> None:
    good = {"ip": "10.244.1.5", "nodeName": "node-1"}
    bad = {"ip": "127.0.0.1", "nodeName": "node-1"}
    obj = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "web", "namespace": "default"},
        "subsets": [{"addresses": [good, bad, good], "notReadyAddresses": [bad]}],
    }
    for _ in range(2):
        assert [str(e) for e in validate_object(obj)] == [
            f'subsets[0].{path}.ip: Invalid value: "127.0.0.1": may not be in the loopback '
            "range (127.0.0.0/8, ::1/128)"
            for path in ("addresses[1]", "notReadyAddresses[0]")
        ]


def test_memo_is_bounded_and_keys_only_strings() -> None:
    memo = ValidMemo(limit=2)
    for key in (("a",), ("b",), ("c",)):
        memo.add(key)
    assert ("c",) in memo and ("a",) not in memo and repr(memo) == "<ValidMemo 1/2>"
    assert str_key("10.0.0.1", None) == ("10.0.0.1", None)
    assert str_key("10.0.0.1", 1) is None and str_key(True) is None
    memo.add(None)
    assert None not in memo
