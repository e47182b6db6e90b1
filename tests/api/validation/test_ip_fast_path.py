"""The dotted-quad fast path of IP validation gives `ipaddress`'s answers, in upstream's words."""

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.field import Path
from minik8s.api.validation.core import validate_non_special_ip
from minik8s.api.validation.names import (
    is_valid_ip,
    is_valid_ipv4_address,
    is_valid_ipv6_address,
    parse_ip_sloppy,
    parse_ipv4_sloppy,
)

PATH = Path("endpoints").index(0).child("addresses").index(0)


def reference_parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The slow parse the fast path replaces (`netutils.ParseIPSloppy` through `ipaddress`)."""
    parts = value.split(".")
    if len(parts) == 4 and all(p.isascii() and p.isdigit() and int(p) <= 255 for p in parts):
        return ipaddress.IPv4Address(".".join(str(int(p)) for p in parts))
    if ":" not in value or "%" in value:
        return None
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


def reference_special(value: str) -> list[str]:
    ip = reference_parse(value)
    if ip is None:
        return ["must be a valid IP address"]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    out = []
    if ip.is_unspecified:
        out.append(f"may not be unspecified ({value})")
    if ip.is_loopback:
        out.append("may not be in the loopback range (127.0.0.0/8, ::1/128)")
    if ip.is_link_local:
        out.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)")
    if isinstance(ip, ipaddress.IPv4Address):
        multicast = ip in ipaddress.ip_network("224.0.0.0/24")
    else:
        multicast = ip.is_multicast and (ip.packed[1] & 0x0F) == 0x02
    if multicast:
        out.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
    return out


octet = st.one_of(
    st.integers(0, 300).map(str),
    st.sampled_from(["0", "00", "010", "0255", "127", "169", "254", "224", "", "a", "1e1", "٣"]),
)
quads = st.lists(octet, min_size=3, max_size=5).map(".".join)
specials = st.sampled_from(
    ["0.0.0.0", "127.0.0.1", "127.255.0.9", "169.254.1.2", "224.0.0.251", "224.0.1.1", "::1",
     "fe80::1", "::ffff:127.0.0.1", "ff02::1", "2001:db8::1", "10.244.1.5", "1.2.3.4%eth0"]
)  # fmt: skip


@given(st.one_of(quads, specials))
def test_fast_path_agrees_with_ipaddress(value: str) -> None:
    assert parse_ip_sloppy(value) == reference_parse(value)
    number = parse_ipv4_sloppy(value)
    expected = reference_parse(value)
    assert number == (int(expected) if isinstance(expected, ipaddress.IPv4Address) else None)
    assert [e.detail for e in validate_non_special_ip(value, PATH)] == reference_special(value)


@given(st.one_of(quads, specials))
def test_family_checks_agree_with_ipaddress(value: str) -> None:
    ip = reference_parse(value)
    v4 = ip is not None and (ip.version == 4 or ip.ipv4_mapped is not None)  # type: ignore[union-attr]
    v6 = ip is not None and not v4
    assert (is_valid_ip(PATH, value) == []) == (ip is not None)
    assert (is_valid_ipv4_address(PATH, value) == []) == v4
    assert (is_valid_ipv6_address(PATH, value) == []) == v6


def test_messages_and_paths_are_upstream_words() -> None:
    [err] = validate_non_special_ip("127.0.0.1", PATH)
    assert str(err) == (
        'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": '
        "may not be in the loopback range (127.0.0.0/8, ::1/128)"
    )
    [err] = validate_non_special_ip("0.0.0.0", PATH)
    assert err.detail == "may not be unspecified (0.0.0.0)"
    [err] = is_valid_ipv4_address(PATH, "10.1.2")
    assert (
        str(err)
        == 'endpoints[0].addresses[0]: Invalid value: "10.1.2": must be a valid IPv4 address'
    )
    [err] = is_valid_ipv6_address(PATH, "10.1.2.3")
    assert err.detail == "must be a valid IPv6 address"
    assert validate_non_special_ip("010.244.001.005", PATH) == []
