"""ObjectMeta validation, mirroring apimachinery `pkg/api/validation/objectmeta.go`.

STUB: signatures are final; bodies are being ported from upstream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.field import FieldError, Path

NameValidator = Callable[[str, bool], list[str]]  # (name, prefix) -> messages, like ValidateNameFunc


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """upstream `NameIsDNSSubdomain` (a generateName prefix may end in '-')."""
    raise NotImplementedError


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """upstream `NameIsDNSLabel`."""
    raise NotImplementedError


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """upstream `NameIsDNS1035Label`."""
    raise NotImplementedError


def validate_object_meta(
    meta: dict[str, Any], namespaced: bool, name_fn: NameValidator, path: Path | None = None
) -> list[FieldError]:
    """upstream `ValidateObjectMeta`: name/generateName, namespace, labels, annotations,
    ownerReferences, finalizers (path defaults to `metadata`)."""
    raise NotImplementedError


def validate_object_meta_update(new: dict[str, Any], old: dict[str, Any], path: Path | None = None) -> list[FieldError]:
    """upstream `ValidateObjectMetaUpdate`: name, namespace, uid, creationTimestamp immutable."""
    raise NotImplementedError
