"""apimachinery `pkg/util/validation/validation_test.go` (and `api/validate/content/dns_test.go`).

The DNS good/bad tables are in tests/api/test_names.py; here every bad value of those tables is
checked against the exact message list that upstream's `dns.go` / `validation.go` return (length
error first, then "must not contain dots" or the regex error), plus the other tables of
validation_test.go (qualified names, label values, port names, percent, config map keys, HTTP
header names, wildcard subdomains, FQDNs, domain-prefixed paths, user and group IDs).
"""

from __future__ import annotations

import re

import pytest

from minik8s.api.field import Path
from minik8s.api.validation import names as v

LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
_SUBDOMAIN_RE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")

COMMON_BAD = [
    "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1",
    "_", "a_", "_a", "a_b", "1_", "_1", "1_2",
]  # fmt: skip
SPACES_BAD = [" ", "a ", " a", "a b", "1 ", " 1", "1 2"]
LABEL_BAD = COMMON_BAD + [".", "a.", ".a", "a.b", "1.", ".1", "1.2"] + SPACES_BAD + ["a" * 64]
SUBDOMAIN_BAD = COMMON_BAD + [
    ".", "a.", ".a", "a..b", "1.", ".1", "1..2", *SPACES_BAD,
    "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1",
    "0.A", "01.A", "012.A", "1A.a", "1a.A",
    "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee",
    "a@b", "a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b", "a" * 254,
]  # fmt: skip
DNS1035_BAD = ["0", "01", "012", "1a", "1-a", "1--a--b--2"] + LABEL_BAD


def _label_messages(value: str) -> list[str]:
    """What upstream `IsDNS1123Label` returns for a value that fails its regex."""
    too_long = ["must be no more than 63 characters"] if len(value) > 63 else []
    if _SUBDOMAIN_RE.fullmatch(value):
        return too_long + ["must not contain dots"] if "." in value else too_long
    return too_long + [LABEL_MSG]


@pytest.mark.parametrize("value", LABEL_BAD)
def test_dns1123_label_messages(value: str) -> None:
    """TestIsDNS1123Label bad values, with IsDNS1123Label's exact messages."""
    assert v.is_dns1123_label(value) == _label_messages(value)


@pytest.mark.parametrize("value", SUBDOMAIN_BAD)
def test_dns1123_subdomain_messages(value: str) -> None:
    """TestIsDNS1123Subdomain bad values, with IsDNS1123Subdomain's exact messages."""
    too_long = ["must be no more than 253 characters"] if len(value) > 253 else []
    regex = [] if _SUBDOMAIN_RE.fullmatch(value) else [SUBDOMAIN_MSG]
    assert v.is_dns1123_subdomain(value) == too_long + regex


@pytest.mark.parametrize("value", DNS1035_BAD)
def test_dns1035_label_messages(value: str) -> None:
    """TestIsDNS1035Label bad values, with IsDNS1035Label's exact messages."""
    too_long = ["must be no more than 63 characters"] if len(value) > 63 else []
    regex = [] if re.fullmatch("[a-z]([-a-z0-9]*[a-z0-9])?", value) else [DNS1035_MSG]
    assert v.is_dns1035_label(value) == too_long + regex


def test_label_64_chars_is_only_too_long() -> None:
    """strings.Repeat("a", 64): only the length error (the regex still matches)."""
    assert v.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]
    assert v.is_dns1035_label("a" * 64) == ["must be no more than 63 characters"]
    assert v.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
        "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
        "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678",
        "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
        "a" * 63, "a" * 253 + "/" + "b" * 63,
    ]] + [(val, False) for val in [
        "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
        "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a" * 64,
        "a" * 254 + "/abc",
    ]],
)  # fmt: skip
def test_is_qualified_name(value: str, ok: bool) -> None:
    """TestIsQualifiedName."""
    assert (v.is_qualified_name(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a" * 63, "",
    ]] + [(val, False) for val in [
        "nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
        "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a" * 64,
    ]],
)  # fmt: skip
def test_is_valid_label_value(value: str, ok: bool) -> None:
    """TestIsValidLabelValue."""
    assert (v.is_valid_label_value(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3",
    ]] + [(val, False) for val in [
        "longerthan15characters", "", "a" * 16, "12345", "1-2-3-4", "-begin", "end-",
        "two--hyphens", "whois++",
    ]],
)  # fmt: skip
def test_is_valid_port_name(value: str, ok: bool) -> None:
    """TestIsValidPortName."""
    assert (v.is_valid_port_name(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "Accept-Encoding", "Host", "If-Modified-Since", "X-Forwarded-For",
        "a", "ab", "abc", "a1", "-a", "a-", "a-b", "a-1", "a--1--2--b", "--abc-123",
        "A", "AB", "AbC", "A1", "-A", "A-", "A-B", "A-1", "A--1--2--B", "--123-ABC",
    ]] + [(val, False) for val in [
        "Host:", "X-Forwarded-For:", "X-@Home",
        "", "_", "a_", "_a", "1_", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2",
        " ", "a ", " a", "a b", "1 ", " 1", "1 2", "#a#", "^", ",", ";", "=", "<", "?", "@", "{",
    ]],
)  # fmt: skip
def test_is_http_header_name(value: str, ok: bool) -> None:
    """TestIsHTTPHeaderName."""
    assert (v.is_http_header_name(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in ["0%", "00000%", "1%", "01%", "99%", "100%", "101%"]]
    + [(val, False) for val in [
        "", "0", "100", "0.0%", "99.9%", "hundred", " 1%", "1% ", "-0%", "-1%", "+1%",
    ]],
)  # fmt: skip
def test_is_valid_percent(value: str, ok: bool) -> None:
    """TestIsValidPercent."""
    assert (v.is_valid_percent(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "a", "good", "good-good", "still.good", "this.is.also.good", ".so.is.this",
        "THIS_IS_GOOD", "so_is_this_17",
    ]] + [(val, False) for val in [".", "..", "..bad", "b*d", "bad!&bad"]],
)  # fmt: skip
def test_is_config_map_key(value: str, ok: bool) -> None:
    """TestIsConfigMapKey."""
    assert (v.is_config_map_key(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in ["*.example.com", "*.bar.com", "*.foo.bar.com"]]
    + [(val, False) for val in ["*.*.bar.com", "*.foo.*.com", "*bar.com", "f*.bar.com", "*"]],
)
def test_is_wildcard_dns1123_subdomain(value: str, ok: bool) -> None:
    """TestIsWildcardDNS1123Subdomain."""
    assert (v.is_wildcard_dns1123_subdomain(value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "a.com", "k8s.io", "dev.k8s.io", "dev.k8s.io.", "foo.example.com",
        "this.is.a.really.long.fqdn", "bbc.co.uk", "10.0.0.1", "hyphens-are-good.k8s.io",
        "a" * 63 + ".k8s.io",
        "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 54 + ".k8s.io",
    ]] + [(val, False) for val in [
        ".", "...", ".io", "com", ".com", "Dev.k8s.io", ".foo.example.com", "*.example.com",
        "*.bar.com", "*.foo.bar.com", "underscores_are_bad.k8s.io", "foo@bar.example.com",
        "http://foo.example.com", "a" * 64 + ".k8s.io",
        "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 55 + ".k8s.io",
    ]],
)  # fmt: skip
def test_is_fully_qualified_domain_name(value: str, ok: bool) -> None:
    """TestIsFullyQualifiedDomainName."""
    assert (v.is_fully_qualified_domain_name(Path(""), value) == []) == ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "dev.k8s.io", "foo.example.com", "this.is.a.really.long.fqdn", "bbc.co.uk", "10.0.0.1",
        "hyphens-are-good.k8s.io", "a" * 246 + ".k8s.io",
    ]] + [(val, False) for val in [
        "...", "dev.k8s.io.", ".io", "Dev.k8s.io", "k8s.io", "*.example.com", "*.bar.com",
        "*.foo.bar.com", "underscores_are_bad.k8s.io", "foo@bar.example.com",
        "http://foo.example.com", "a" * 247 + ".k8s.io",
    ]],
)  # fmt: skip
def test_is_fully_qualified_name(value: str, ok: bool) -> None:
    """TestIsFullyQualifiedName good and bad values."""
    assert (v.is_fully_qualified_name(Path(""), value) == []) == ok


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("k8s.io", "should be a domain with at least three segments separated by dots"),
        ("http://foo.k8s.io", "a lowercase RFC 1123 subdomain must consist of lower case "
         "alphanumeric characters"),
        ("example@foo.k8s.io", "a lowercase RFC 1123 subdomain must consist of lower case "
         "alphanumeric characters"),
        ("", "Required value"),
        ("A.B.C", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
         "characters"),
    ],
)  # fmt: skip
def test_is_fully_qualified_name_messages(value: str, message: str) -> None:
    """TestIsFullyQualifiedName messageTests."""
    errs = v.is_fully_qualified_name(Path(""), value)
    assert errs and message in "; ".join(str(e) for e in errs)


@pytest.mark.parametrize(
    ("value", "ok"),
    [(val, True) for val in [
        "a/b", "a/b/c/d", "a.com/foo", "a.b.c.d/foo", "k8s.io/foo/bar", "k8s.io/FOO/BAR",
        "dev.k8s.io/more/path", "this.is.a.really.long.fqdn/even/longer/path/just/because",
        "bbc.co.uk/path/goes/here", "10.0.0.1/foo", "hyphens-are-good.k8s.io/and-in-paths-too",
        "a" * 240 + ".k8s.io/a", "k8s.io/" + "a" * 240,
    ]] + [(val, False) for val in [
        ".", "...", "/b", "com", ".com", "a.b.c.d/foo?a=b", "a.b.c.d/foo#a", "Dev.k8s.io",
        ".foo.example.com", "*.example.com", "example.com/foo{}[]@^`",
        "underscores_are_bad.k8s.io", "underscores_are_bad.k8s.io/foo", "foo@bar.example.com",
        "foo@bar.example.com/foo", "a" * 247 + ".k8s.io",
    ]],
)  # fmt: skip
def test_is_domain_prefixed_path(value: str, ok: bool) -> None:
    """TestIsDomainPrefixedPath."""
    assert (v.is_domain_prefixed_path(Path(""), value) == []) == ok


_UINT32_IDS = pytest.mark.xfail(
    strict=True,
    reason="minik8s follows v1.31, whose validation.go caps Unix IDs at MaxInt32; newer "
    "upstream allows up to 0xffffffff (uint32)",
)


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (1, True), (1000, True), (65535, True), (2147483647, True),
     pytest.param(2147483648, True, marks=_UINT32_IDS),
     pytest.param(3000000000, True, marks=_UINT32_IDS),
     pytest.param(0xFFFFFFFF, True, marks=_UINT32_IDS),
     (-1, False), (-1003, False), (0x100000000, False)],
)  # fmt: skip
@pytest.mark.parametrize("check", [v.is_valid_user_id, v.is_valid_group_id])
def test_is_valid_user_and_group_id(check, value: int, ok: bool) -> None:  # type: ignore[no-untyped-def]
    """TestIsValidUserID, TestIsValidGroupID."""
    assert (check(value) == []) == ok


def test_design_import_path() -> None:
    """DESIGN.md names `minik8s.api.validation.is_dns1123_subdomain / _label / is_dns1035_label`."""
    from minik8s.api import validation

    assert validation.is_dns1123_subdomain is v.is_dns1123_subdomain
    assert validation.is_dns1123_label is v.is_dns1123_label
    assert validation.is_dns1035_label is v.is_dns1035_label
