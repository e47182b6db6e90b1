"""Name and label validators, mirroring apimachinery `pkg/util/validation/validation.go`.

Also covers what that file now re-exports from `pkg/api/validate/content` (`IsLabelKey`,
`IsLabelValue`, `IsCIdentifier`). Every function returns upstream's messages (empty list =
valid); the ones upstream gives a field path (`is_valid_ip`, `is_domain_prefixed_path`, ...) return
`FieldError`s. Left out: `IsRelaxedEnvVarName`, `IsDNS1123SubdomainCaseless`, IP/CIDR warnings.
"""

from __future__ import annotations

import ipaddress
import re

from minik8s.api.field import FieldError, Path, invalid, required

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_ERR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_ERR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character"
)
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_ERR = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character"
)
_WILDCARD_FMT = "\\*\\." + _DNS1123_SUBDOMAIN_FMT
_WILDCARD_ERR = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
    "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
    "character"
)
_LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_KEY_ERR = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
_LABEL_VALUE_FMT = "(" + _LABEL_KEY_FMT + ")?"
_LABEL_VALUE_ERR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character"
)
_C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"
_C_IDENTIFIER_ERR = (
    "a valid C identifier must start with alphabetic character or '_', followed by a string of "
    "alphanumeric characters or '_'"
)
_ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_VAR_NAME_ERR = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
    "or '.', and must not start with a digit"
)
_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_PERCENT_FMT = "[0-9]+%"
_PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%'"
_HTTP_HEADER_FMT = "[-A-Za-z0-9]+"
_HTTP_HEADER_ERR = "a valid HTTP header must consist of alphanumeric characters or '-'"
_HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"


def _full(fmt: str) -> re.Pattern[str]:
    # Go's `$` matches only at the very end; Python's fullmatch is the faithful equivalent.
    return re.compile(fmt)


_DNS1123_LABEL_RE = _full(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = _full(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = _full(_DNS1035_LABEL_FMT)
_WILDCARD_RE = _full(_WILDCARD_FMT)
_LABEL_KEY_RE = _full(_LABEL_KEY_FMT)
_LABEL_VALUE_RE = _full(_LABEL_VALUE_FMT)
_C_IDENTIFIER_RE = _full(_C_IDENTIFIER_FMT)
_ENV_VAR_NAME_RE = _full(_ENV_VAR_NAME_FMT)
_CONFIG_MAP_KEY_RE = _full(_CONFIG_MAP_KEY_FMT)
_PERCENT_RE = _full(_PERCENT_FMT)
_HTTP_HEADER_RE = _full(_HTTP_HEADER_FMT)
_HTTP_PATH_RE = _full(_HTTP_PATH_FMT)
_PORT_NAME_CHARSET_RE = _full("[-a-z0-9]+")


def max_len_error(length: int) -> str:
    """upstream `MaxLenError`."""
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """upstream `RegexError` (note the double space Go's loop leaves before ' or ')."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    text = msg + " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            text += " or "
        text += f"'{example}', "
    return text + f"regex used for validation is '{fmt}')"


def empty_error() -> str:
    """upstream `EmptyError`."""
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    """upstream `InclusiveRangeError`."""
    return f"must be between {lo} and {hi}, inclusive"


def _blen(value: str) -> int:
    """Go's len(): bytes of the UTF-8 encoding."""
    return len(value.encode())


def is_dns1123_label(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1123 label (empty list = valid)."""
    errs = []
    if _blen(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_ERR, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1123 subdomain (empty list = valid)."""
    errs = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_ERR, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1035 label (empty list = valid)."""
    errs = []
    if _blen(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        errs.append(regex_error(_DNS1035_LABEL_ERR, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    """upstream `IsWildcardDNS1123Subdomain` (`*.example.com`)."""
    errs = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _WILDCARD_RE.fullmatch(value):
        errs.append(regex_error(_WILDCARD_ERR, _WILDCARD_FMT, "*.example.com"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """Messages for why `value` is not a qualified name (label key) (empty list = valid)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(prefix))
    else:
        return [
            "a valid label key "
            + regex_error(_LABEL_KEY_ERR, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part " + empty_error())
    elif _blen(name) > QUALIFIED_NAME_MAX_LENGTH:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX_LENGTH))
    if not _LABEL_KEY_RE.fullmatch(name):
        errs.append(
            "name part "
            + regex_error(_LABEL_KEY_ERR, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


is_label_key = is_qualified_name


def is_valid_label_value(value: str) -> list[str]:
    """Messages for why `value` is not a valid label value (empty list = valid)."""
    errs = []
    if _blen(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(regex_error(_LABEL_VALUE_ERR, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_c_identifier(value: str) -> list[str]:
    """upstream `IsCIdentifier` (format only, not length)."""
    if not _C_IDENTIFIER_RE.fullmatch(value):
        return [regex_error(_C_IDENTIFIER_ERR, _C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName")]
    return []


def _has_chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_env_var_name(value: str) -> list[str]:
    """upstream `IsEnvVarName`."""
    errs = []
    if not _ENV_VAR_NAME_RE.fullmatch(value):
        errs.append(
            regex_error(
                _ENV_VAR_NAME_ERR, _ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"
            )
        )
    return errs + _has_chdir_prefix(value)


def is_config_map_key(value: str) -> list[str]:
    """upstream `IsConfigMapKey` (ConfigMap and Secret data keys)."""
    errs = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _CONFIG_MAP_KEY_RE.fullmatch(value):
        errs.append(
            regex_error(
                _CONFIG_MAP_KEY_ERR, _CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"
            )
        )
    return errs + _has_chdir_prefix(value)


def is_valid_port_num(port: int) -> list[str]:
    """upstream `IsValidPortNum`: 1..65535."""
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    """upstream `IsInRange` (inclusive)."""
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


# upstream: "Now in libcontainer UID/GID limits is 0 ~ 1<<31 - 1".
MAX_USER_ID = MAX_GROUP_ID = 2**31 - 1


def is_valid_user_id(uid: int) -> list[str]:
    """upstream `IsValidUserID`: 0..MaxInt32."""
    return is_in_range(uid, 0, MAX_USER_ID)


def is_valid_group_id(gid: int) -> list[str]:
    """upstream `IsValidGroupID`: 0..MaxInt32."""
    return is_in_range(gid, 0, MAX_GROUP_ID)


def is_valid_port_name(port: str) -> list[str]:
    """upstream `IsValidPortName` (IANA_SVC_NAME: at most 15 chars, at least one letter)."""
    errs = []
    if _blen(port) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARSET_RE.fullmatch(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def parse_ipv4_sloppy(value: str) -> int | None:
    """The 32-bit value of a dotted-quad IPv4 address (leading zeros allowed, as
    `netutils.ParseIPSloppy`), or None: the fast path that needs no `ipaddress` object."""
    parts = value.split(".")
    if len(parts) != 4:
        return None
    number = 0
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            return None
        octet = int(part)
        if octet > 255:
            return None
        number = number << 8 | octet
    return number


def parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`netutils.ParseIPSloppy`: like Go's net.ParseIP, but IPv4 parts may have leading zeros."""
    number = parse_ipv4_sloppy(value)
    if number is not None:
        return ipaddress.IPv4Address(number)
    if ":" not in value or "%" in value:  # Go's ParseIP has no zones
        return None
    try:
        return ipaddress.IPv6Address(value)
    except ValueError:
        return None


def is_valid_ip(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidIP` (ip.go): an IPv4 or IPv6 address, leading zeros tolerated."""
    if parse_ipv4_sloppy(value) is None and parse_ip_sloppy(value) is None:
        return [
            invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")
        ]
    return []


def is_valid_ipv4_address(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidIPv4Address`."""
    if parse_ipv4_sloppy(value) is not None:
        return []
    ip = parse_ip_sloppy(value)
    if ip is None or (ip.version == 6 and ip.ipv4_mapped is None):  # type: ignore[union-attr]
        return [invalid(path, value, "must be a valid IPv4 address")]
    return []


def is_valid_ipv6_address(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidIPv6Address`."""
    ip = None if parse_ipv4_sloppy(value) is not None else parse_ip_sloppy(value)
    if ip is None or ip.version == 4 or ip.ipv4_mapped is not None:  # type: ignore[union-attr]
        return [invalid(path, value, "must be a valid IPv6 address")]
    return []


def is_valid_cidr(path: Path, value: str) -> list[FieldError]:
    """upstream `IsValidCIDR` (`10.9.8.0/24`; host bits may be set)."""
    addr, _, bits = value.partition("/")
    ip = parse_ip_sloppy(addr)
    if ip is None or not (bits.isascii() and bits.isdigit()) or int(bits) > ip.max_prefixlen:
        detail = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        return [invalid(path, value, detail)]
    return []


def is_valid_percent(percent: str) -> list[str]:
    """upstream `IsValidPercent` ("25%")."""
    if not _PERCENT_RE.fullmatch(percent):
        return [regex_error(_PERCENT_ERR, _PERCENT_FMT, "1%", "93%")]
    return []


is_percent = is_valid_percent


def is_http_header_name(value: str) -> list[str]:
    """upstream `IsHTTPHeaderName`."""
    if not _HTTP_HEADER_RE.fullmatch(value):
        return [regex_error(_HTTP_HEADER_ERR, _HTTP_HEADER_FMT, "X-Header-Name")]
    return []


def is_domain_prefixed_path(path: Path, dp_path: str) -> list[FieldError]:
    """upstream `IsDomainPrefixedPath` (`acme.io/foo`)."""
    if not dp_path:
        return [required(path)]
    segments = dp_path.split("/", 1)
    if len(segments) != 2 or not segments[0] or not segments[1]:
        return [invalid(path, dp_path, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    host, rest = segments
    errs = [invalid(path, host, msg) for msg in is_dns1123_subdomain(host)]
    if not _HTTP_PATH_RE.fullmatch(rest):
        errs.append(invalid(path, rest, regex_error("Invalid path", _HTTP_PATH_FMT)))
    return errs


def is_fully_qualified_name(path: Path, name: str) -> list[FieldError]:
    """upstream `IsFullyQualifiedName` (a subdomain with at least three segments)."""
    if not name:
        return [required(path)]
    errs = is_dns1123_subdomain(name)
    if errs:
        return [invalid(path, name, ",".join(errs))]
    if len(name.split(".")) < 3:
        return [
            invalid(path, name, "should be a domain with at least three segments separated by dots")
        ]
    return []


def is_fully_qualified_domain_name(path: Path, name: str) -> list[FieldError]:
    """upstream `IsFullyQualifiedDomainName` (two segments, optional trailing dot)."""
    if not name:
        return [required(path)]
    name = name[:-1] if name.endswith(".") else name
    errs = is_dns1123_subdomain(name)
    if errs:
        return [invalid(path, name, ",".join(errs))]
    if len(name.split(".")) < 2:
        return [
            invalid(path, name, "should be a domain with at least two segments separated by dots")
        ]
    for label in name.split("."):
        errs = is_dns1123_label(label)
        if errs:
            return [invalid(path, label, ",".join(errs))]
    return []
