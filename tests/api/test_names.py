"""Upstream `pkg/util/validation/validation_test.go` tables for the name validators."""

from __future__ import annotations

import pytest

from minik8s.api.field import Path
from minik8s.api.validation import names as v

LABEL_GOOD = [
    "a",
    "ab",
    "abc",
    "a1",
    "a-1",
    "a--1--2--b",
    "0",
    "01",
    "012",
    "1a",
    "1-a",
    "1--a--b--2",
]
COMMON_BAD = [
    "", "A", "ABC", "aBc", "A1", "A-1", "1-A",
    "-", "a-", "-a", "1-", "-1",
    "_", "a_", "_a", "a_b", "1_", "_1", "1_2",
]  # fmt: skip
SPACES_BAD = [" ", "a ", " a", "a b", "1 ", " 1", "1 2"]


@pytest.mark.parametrize("value", LABEL_GOOD + ["a" * 63])
def test_dns1123_label_good(value: str) -> None:
    assert v.is_dns1123_label(value) == []


@pytest.mark.parametrize(
    "value",
    COMMON_BAD + [".", "a.", ".a", "a.b", "1.", ".1", "1.2"] + SPACES_BAD + ["a" * 64],
)
def test_dns1123_label_bad(value: str) -> None:
    assert v.is_dns1123_label(value) != []


SUBDOMAIN_GOOD = LABEL_GOOD + [
    "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a",
    "a.1", "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1",
    "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2",
    "0.1", "01.1", "012.1", "1a.1", "1-a.1", "1--a--b--2.1",
    "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55",
    "a" * 253,
]  # fmt: skip
SUBDOMAIN_BAD = COMMON_BAD + [
    ".", "a.", ".a", "a..b", "1.", ".1", "1..2",
    *SPACES_BAD,
    "A.a", "aB.a", "ab.A", "A1.a", "a1.A",
    "A.1", "aB.1", "A1.1", "1A.1",
    "0.A", "01.A", "012.A", "1A.a", "1a.A",
    "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee",
    "a@b", "a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b",
    "a" * 254,
]  # fmt: skip


@pytest.mark.parametrize("value", SUBDOMAIN_GOOD)
def test_dns1123_subdomain_good(value: str) -> None:
    assert v.is_dns1123_subdomain(value) == []


@pytest.mark.parametrize("value", SUBDOMAIN_BAD)
def test_dns1123_subdomain_bad(value: str) -> None:
    assert v.is_dns1123_subdomain(value) != []


@pytest.mark.parametrize("value", ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a" * 63])
def test_dns1035_label_good(value: str) -> None:
    assert v.is_dns1035_label(value) == []


@pytest.mark.parametrize(
    "value",
    ["0", "01", "012", "1a", "1-a", "1--a--b--2"]
    + COMMON_BAD
    + [".", "a.", ".a", "a.b", "1.", ".1", "1.2"]
    + SPACES_BAD
    + ["a" * 64],
)
def test_dns1035_label_bad(value: str) -> None:
    assert v.is_dns1035_label(value) != []


def test_exact_messages() -> None:
    assert v.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]
    assert v.is_dns1123_label("My_Name") == [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]
    assert v.is_dns1123_label("a.b") == ["must not contain dots"]
    assert v.is_dns1123_subdomain("A") == [
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
        "[a-z0-9])?)*')"
    ]
    assert v.is_dns1035_label("1a") == [
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
        "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
        "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]
    long_bad = "-" + "a" * 63
    assert v.is_dns1123_label(long_bad)[0] == "must be no more than 63 characters"
    assert len(v.is_dns1123_label(long_bad)) == 2


@pytest.mark.parametrize("port", [1, 2, 1000, 16384, 32768, 65535])
def test_port_num_good(port: int) -> None:
    assert v.is_valid_port_num(port) == []


@pytest.mark.parametrize("port", [0, -1, 65536, 100000])
def test_port_num_bad(port: int) -> None:
    assert v.is_valid_port_num(port) == ["must be between 1 and 65535, inclusive"]


@pytest.mark.parametrize("args", [(1, 0, 10), (5, 5, 20), (25, 10, 25)])
def test_in_range_good(args: tuple[int, int, int]) -> None:
    assert v.is_in_range(*args) == []


@pytest.mark.parametrize("args", [(1, 2, 10), (5, -4, 2), (25, 100, 120)])
def test_in_range_bad(args: tuple[int, int, int]) -> None:
    assert v.is_in_range(*args) != []


@pytest.mark.parametrize("fn", [v.is_valid_group_id, v.is_valid_user_id])
def test_user_group_ids(fn) -> None:  # type: ignore[no-untyped-def]
    # upstream TestIsValidGroupID / TestIsValidUserID: 0..MaxInt32
    for good in (0, 1, 1000, 65535, 2147483647):
        assert fn(good) == []
    for bad in (-1, -1003, 2147483648, 4147483647):
        assert fn(bad) == ["must be between 0 and 2147483647, inclusive"]


@pytest.mark.parametrize(
    "name", ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"]
)
def test_port_name_good(name: str) -> None:
    assert v.is_valid_port_name(name) == []


@pytest.mark.parametrize(
    "name",
    [
        "longerthan15characters", "", "a" * 16, "12345", "1-2-3-4",
        "-begin", "end-", "two--hyphens", "whois++",
    ],
)  # fmt: skip
def test_port_name_bad(name: str) -> None:
    assert v.is_valid_port_name(name) != []


QUALIFIED_GOOD = [
    "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
    "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple",
    "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678",
    "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
    "a" * 63, "a" * 253 + "/" + "b" * 63,
]  # fmt: skip
QUALIFIED_BAD = [
    "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
    "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a" * 64, "a" * 254 + "/abc",
]  # fmt: skip


@pytest.mark.parametrize("value", QUALIFIED_GOOD)
def test_qualified_name_good(value: str) -> None:
    assert v.is_qualified_name(value) == []


@pytest.mark.parametrize("value", QUALIFIED_BAD)
def test_qualified_name_bad(value: str) -> None:
    assert v.is_qualified_name(value) != []


def test_qualified_name_messages() -> None:
    key_re = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    base = (
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
        f"an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
        f"validation is '{key_re}')"
    )
    assert v.is_qualified_name("example/foo/bar") == [
        "a valid label key " + base + " with an optional DNS subdomain prefix and '/' "
        "(e.g. 'example.com/MyName')"
    ]
    assert v.is_qualified_name("example.com/_e") == ["name part " + base]
    assert v.is_qualified_name("/simple") == ["prefix part must be non-empty"]
    assert v.is_qualified_name("example.com/") == [
        "name part must be non-empty",
        "name part " + base,
    ]
    assert v.is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]
    assert v.is_qualified_name("Example.com/abc")[0].startswith("prefix part a lowercase RFC 1123")


@pytest.mark.parametrize(
    "value",
    ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a" * 63, ""],
)
def test_label_value_good(value: str) -> None:
    assert v.is_valid_label_value(value) == []


@pytest.mark.parametrize(
    "value",
    [
        "nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad",
        "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a" * 64,
    ],
)  # fmt: skip
def test_label_value_bad(value: str) -> None:
    assert v.is_valid_label_value(value) != []


def test_label_value_messages() -> None:
    assert v.is_valid_label_value("-x") == [
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
        "'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    ]


HEADER_GOOD = [
    "Accept-Encoding", "Host", "If-Modified-Since", "X-Forwarded-For",
    "a", "ab", "abc", "a1", "-a", "a-", "a-b", "a-1", "a--1--2--b", "--abc-123",
    "A", "AB", "AbC", "A1", "-A", "A-", "A-B", "A-1", "A--1--2--B", "--123-ABC",
]  # fmt: skip
HEADER_BAD = [
    "Host:", "X-Forwarded-For:", "X-@Home",
    "", "_", "a_", "_a", "1_", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2",
    " ", "a ", " a", "a b", "1 ", " 1", "1 2", "#a#", "^", ",", ";", "=", "<", "?", "@", "{",
]  # fmt: skip


def test_http_header_name() -> None:
    assert all(v.is_http_header_name(x) == [] for x in HEADER_GOOD)
    assert all(v.is_http_header_name(x) != [] for x in HEADER_BAD)


def test_percent() -> None:
    for good in ("0%", "00000%", "1%", "01%", "99%", "100%", "101%"):
        assert v.is_valid_percent(good) == []
    for bad in ("", "0", "100", "0.0%", "99.9%", "hundred", " 1%", "1% ", "-0%", "-1%", "+1%"):
        assert v.is_valid_percent(bad) != []


def test_config_map_key() -> None:
    for good in ("a", "good", "good-good", "still.good", "this.is.also.good", ".so.is.this"):
        assert v.is_config_map_key(good) == []
    for good in ("THIS_IS_GOOD", "so_is_this_17"):
        assert v.is_config_map_key(good) == []
    for bad in (".", "..", "..bad", "b*d", "bad!&bad"):
        assert v.is_config_map_key(bad) != []
    assert v.is_config_map_key("..") == ["must not be '..'"]


def test_wildcard_subdomain() -> None:
    for good in ("*.example.com", "*.bar.com", "*.foo.bar.com"):
        assert v.is_wildcard_dns1123_subdomain(good) == []
    for bad in ("*.*.bar.com", "*.foo.*.com", "*bar.com", "f*.bar.com", "*"):
        assert v.is_wildcard_dns1123_subdomain(bad) != []


def test_c_identifier_and_env_var() -> None:
    for good in ("my_name", "MY_NAME", "MyName", "_a", "a1"):
        assert v.is_c_identifier(good) == []
    for bad in ("", "1a", "a-b", "a.b"):
        assert v.is_c_identifier(bad) != []
    for good in ("my.env-name", "MY_ENV.NAME", "MyEnvName1", "-a"):
        assert v.is_env_var_name(good) == []
    for bad in ("1a", "a b", "a=b", ".", ".."):
        assert v.is_env_var_name(bad) != []


def test_ip() -> None:
    for good in (
        "10.9.8.7",
        "2001:db8::ffff",
        "::1",
        "0.0.0.0",
        "010.001.002.003",
        "::ffff:1.2.3.4",
    ):
        assert v.is_valid_ip(Path("ip"), good) == [], good
    for bad in ("", "1.2.3", "1.2.3.4.5", "a.b.c.d", "fe80::1%eth0", "256.0.0.1", "1.2.3.4/8"):
        (err,) = v.is_valid_ip(Path("ip"), bad)
        assert (err.field, err.bad_value) == ("ip", bad)
        assert err.detail == "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    assert v.is_valid_ipv4_address(Path("x"), "1.2.3.4") == []
    assert v.is_valid_ipv4_address(Path("x"), "::1") != []
    assert v.is_valid_ipv6_address(Path("x"), "::1") == []
    assert v.is_valid_ipv6_address(Path("x"), "1.2.3.4") != []
    assert v.is_valid_cidr(Path("x"), "10.9.8.0/24") == []
    assert v.is_valid_cidr(Path("x"), "2001:db8::/64") == []
    assert v.is_valid_cidr(Path("x"), "10.9.8.0/33") != []
    assert v.is_valid_cidr(Path("x"), "10.9.8.0") != []


FQDN_GOOD = [
    "a.com", "k8s.io", "dev.k8s.io", "dev.k8s.io.", "foo.example.com",
    "this.is.a.really.long.fqdn", "bbc.co.uk", "10.0.0.1", "hyphens-are-good.k8s.io",
    "a" * 63 + ".k8s.io", "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 54 + ".k8s.io",
]  # fmt: skip
FQDN_BAD = [
    ".", "...", ".io", "com", ".com", "Dev.k8s.io", ".foo.example.com", "*.example.com",
    "*.bar.com", "*.foo.bar.com", "underscores_are_bad.k8s.io", "foo@bar.example.com",
    "http://foo.example.com", "a" * 64 + ".k8s.io",
    "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 55 + ".k8s.io",
]  # fmt: skip


def test_fully_qualified_domain_name() -> None:
    for good in FQDN_GOOD:
        assert v.is_fully_qualified_domain_name(Path(""), good) == [], good
    for bad in FQDN_BAD:
        assert v.is_fully_qualified_domain_name(Path(""), bad) != [], bad


def test_fully_qualified_name() -> None:
    good = ["dev.k8s.io", "foo.example.com", "this.is.a.really.long.fqdn", "bbc.co.uk"]
    good += ["10.0.0.1", "hyphens-are-good.k8s.io", "a" * 246 + ".k8s.io"]
    for value in good:
        assert v.is_fully_qualified_name(Path(""), value) == [], value
    bad = ["...", "dev.k8s.io.", ".io", "Dev.k8s.io", "k8s.io", "*.example.com", "*.bar.com"]
    bad += ["*.foo.bar.com", "underscores_are_bad.k8s.io", "foo@bar.example.com"]
    bad += ["http://foo.example.com", "a" * 247 + ".k8s.io"]
    for value in bad:
        assert v.is_fully_qualified_name(Path(""), value) != [], value
    (err,) = v.is_fully_qualified_name(Path("f"), "k8s.io")
    assert err.detail == "should be a domain with at least three segments separated by dots"
    (err,) = v.is_fully_qualified_name(Path("f"), "")
    assert err.type == "Required value"
    (err,) = v.is_fully_qualified_name(Path("f"), "A.B.C")
    assert "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric" in err.detail


def test_domain_prefixed_path() -> None:
    good = ["a/b", "a/b/c/d", "a.com/foo", "a.b.c.d/foo", "k8s.io/foo/bar", "k8s.io/FOO/BAR"]
    good += ["dev.k8s.io/more/path", "this.is.a.really.long.fqdn/even/longer/path/just/because"]
    good += ["bbc.co.uk/path/goes/here", "10.0.0.1/foo", "hyphens-are-good.k8s.io/and-in-paths-too"]
    good += ["a" * 240 + ".k8s.io/a", "k8s.io/" + "a" * 240]
    for value in good:
        assert v.is_domain_prefixed_path(Path(""), value) == [], value
    bad = [".", "...", "/b", "com", ".com", "a.b.c.d/foo?a=b", "a.b.c.d/foo#a", "Dev.k8s.io"]
    bad += [".foo.example.com", "*.example.com", "example.com/foo{}[]@^`"]
    bad += ["underscores_are_bad.k8s.io", "underscores_are_bad.k8s.io/foo", "foo@bar.example.com"]
    bad += ["foo@bar.example.com/foo", "a" * 247 + ".k8s.io"]
    for value in bad:
        assert v.is_domain_prefixed_path(Path(""), value) != [], value
