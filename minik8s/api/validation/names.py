"""Name and label validators, mirroring apimachinery `pkg/util/validation/validation.go`.

Also covers what that file now re-exports from `pkg/api/validate/content` (`IsLabelKey`,
`IsLabelValue`, `IsCIdentifier`). Every function returns upstream's messages (empty list =
valid). The DNS validators live in `dns.py`, the IP ones in `ip.py` and the message builders in
`content_errors.py`; all stay importable from here. Left out: `IsRelaxedEnvVarName`,
`IsDNS1123SubdomainCaseless`, IP/CIDR warnings.
"""

from __future__ import annotations

import re

from minik8s.api.validation.content_errors import (
    byte_len,
    empty_error,
    inclusive_range_error,
    length_and_format_errors,
    max_len_error,
    regex_error,
)
from minik8s.api.validation.dns import (
    DNS1035_LABEL_MAX_LENGTH,
    DNS1123_LABEL_MAX_LENGTH,
    DNS1123_SUBDOMAIN_MAX_LENGTH,
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_domain_prefixed_path,
    is_fully_qualified_domain_name,
    is_fully_qualified_name,
    is_wildcard_dns1123_subdomain,
)
from minik8s.api.validation.ip import (
    is_valid_cidr,
    is_valid_ip,
    is_valid_ipv4_address,
    is_valid_ipv6_address,
    parse_ip_sloppy,
    parse_ipv4_sloppy,
)

__all__ = [
    "DNS1035_LABEL_MAX_LENGTH",
    "DNS1123_LABEL_MAX_LENGTH",
    "DNS1123_SUBDOMAIN_MAX_LENGTH",
    "LABEL_VALUE_MAX_LENGTH",
    "MAX_GROUP_ID",
    "MAX_USER_ID",
    "QUALIFIED_NAME_MAX_LENGTH",
    "empty_error",
    "inclusive_range_error",
    "is_c_identifier",
    "is_config_map_key",
    "is_dns1035_label",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_domain_prefixed_path",
    "is_env_var_name",
    "is_fully_qualified_domain_name",
    "is_fully_qualified_name",
    "is_http_header_name",
    "is_in_range",
    "is_label_key",
    "is_percent",
    "is_qualified_name",
    "is_valid_cidr",
    "is_valid_group_id",
    "is_valid_ip",
    "is_valid_ipv4_address",
    "is_valid_ipv6_address",
    "is_valid_label_value",
    "is_valid_percent",
    "is_valid_port_name",
    "is_valid_port_num",
    "is_valid_user_id",
    "is_wildcard_dns1123_subdomain",
    "max_len_error",
    "parse_ip_sloppy",
    "parse_ipv4_sloppy",
    "regex_error",
]

LABEL_VALUE_MAX_LENGTH = 63
QUALIFIED_NAME_MAX_LENGTH = 63

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

_LABEL_KEY_RE = re.compile(_LABEL_KEY_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)
_C_IDENTIFIER_RE = re.compile(_C_IDENTIFIER_FMT)
_ENV_VAR_NAME_RE = re.compile(_ENV_VAR_NAME_FMT)
_CONFIG_MAP_KEY_RE = re.compile(_CONFIG_MAP_KEY_FMT)
_PERCENT_RE = re.compile(_PERCENT_FMT)
_HTTP_HEADER_RE = re.compile(_HTTP_HEADER_FMT)
_PORT_NAME_CHARSET_RE = re.compile("[-a-z0-9]+")


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
    elif byte_len(name) > QUALIFIED_NAME_MAX_LENGTH:
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
    return length_and_format_errors(
        value,
        LABEL_VALUE_MAX_LENGTH,
        _LABEL_VALUE_RE,
        _LABEL_VALUE_ERR,
        "MyValue",
        "my_value",
        "12345",
    )


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
    errs = length_and_format_errors(
        value,
        DNS1123_SUBDOMAIN_MAX_LENGTH,
        _CONFIG_MAP_KEY_RE,
        _CONFIG_MAP_KEY_ERR,
        "key.name",
        "KEY_NAME",
        "key-name",
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
    if byte_len(port) > 15:
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
