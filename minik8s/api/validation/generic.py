"""Name validators, mirroring apimachinery `pkg/api/validation/generic.go`.

upstream `ValidateNameFunc`s: a name (or, with `prefix`, a generateName prefix, which may end in
'-') checked as a DNS subdomain, DNS label or RFC 1035 label; and `ValidateNonnegativeField`.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, invalid
from minik8s.api.validation.names import is_dns1035_label, is_dns1123_label, is_dns1123_subdomain

IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"


def _mask_trailing_dash(name: str) -> str:
    """upstream `maskTrailingDash`: a generateName prefix may end in '-'."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """upstream `NameIsDNSSubdomain` (a generateName prefix may end in '-')."""
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """upstream `NameIsDNSLabel`."""
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """upstream `NameIsDNS1035Label`."""
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


validate_namespace_name = name_is_dns_label
validate_service_account_name = name_is_dns_subdomain


def validate_nonnegative_field(value: int, path: Path) -> list[FieldError]:
    """upstream `ValidateNonnegativeField`."""
    return [invalid(path, value, IS_NEGATIVE_ERROR_MSG)] if value < 0 else []
