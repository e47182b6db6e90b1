"""DNS name validators, mirroring apimachinery `pkg/api/validate/content/dns.go`.

RFC 1123 labels and subdomains, RFC 1035 labels and wildcard subdomains, plus the domain checks
`util/validation/validation.go` builds on them (`IsDomainPrefixedPath`,
`IsFullyQualifiedName`, `IsFullyQualifiedDomainName`). Patterns are matched with `fullmatch`,
the faithful equivalent of Go's anchored `^...$`. Left out: `IsDNS1123SubdomainCaseless`.
"""

from __future__ import annotations

import re

from minik8s.api.field import FieldError, Path, invalid, required
from minik8s.api.validation.content_errors import (
    byte_len,
    length_and_format_errors,
    max_len_error,
    regex_error,
)

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63

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
_HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)
_WILDCARD_RE = re.compile(_WILDCARD_FMT)
_HTTP_PATH_RE = re.compile(_HTTP_PATH_FMT)


def is_dns1123_label(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1123 label (empty list = valid)."""
    errs = []
    if byte_len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_ERR, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1123 subdomain (empty list = valid)."""
    return length_and_format_errors(
        value,
        DNS1123_SUBDOMAIN_MAX_LENGTH,
        _DNS1123_SUBDOMAIN_RE,
        _DNS1123_SUBDOMAIN_ERR,
        "example.com",
    )


def is_dns1035_label(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1035 label (empty list = valid)."""
    return length_and_format_errors(
        value, DNS1035_LABEL_MAX_LENGTH, _DNS1035_LABEL_RE, _DNS1035_LABEL_ERR, "my-name", "abc-123"
    )


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    """upstream `IsWildcardDNS1123Subdomain` (`*.example.com`)."""
    return length_and_format_errors(
        value, DNS1123_SUBDOMAIN_MAX_LENGTH, _WILDCARD_RE, _WILDCARD_ERR, "*.example.com"
    )


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
