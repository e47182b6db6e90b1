"""Name and label validators, mirroring apimachinery `pkg/util/validation/validation.go`.

STUB: signatures are final; bodies are being ported from upstream.
"""

from __future__ import annotations


def is_dns1123_label(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1123 label (empty list = valid)."""
    raise NotImplementedError


def is_dns1123_subdomain(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1123 subdomain (empty list = valid)."""
    raise NotImplementedError


def is_dns1035_label(value: str) -> list[str]:
    """Messages for why `value` is not an RFC 1035 label (empty list = valid)."""
    raise NotImplementedError


def is_qualified_name(value: str) -> list[str]:
    """Messages for why `value` is not a qualified name (label key) (empty list = valid)."""
    raise NotImplementedError


def is_valid_label_value(value: str) -> list[str]:
    """Messages for why `value` is not a valid label value (empty list = valid)."""
    raise NotImplementedError
