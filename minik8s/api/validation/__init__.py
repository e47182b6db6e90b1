"""Validation with upstream's rules and words (`pkg/apis/*/validation`, apimachinery validators).

`validate_object(obj)` returns every problem at once as `FieldError`s; `validate_object_update`
adds the rules that compare with the stored object (immutable fields). The name validators mirror
apimachinery's `util/validation` and return a list of messages (empty = valid).
"""

from minik8s.api.validation.dispatch import (
    validate_object,
    validate_object_update,
    validates,
    validates_update,
)
from minik8s.api.validation.names import (
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
)

__all__ = [
    "is_dns1035_label",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_qualified_name",
    "is_valid_label_value",
    "validate_object",
    "validate_object_update",
    "validates",
    "validates_update",
]
