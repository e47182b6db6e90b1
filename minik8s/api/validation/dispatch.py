"""Per-kind validator registry: each kind module registers its functions with a decorator."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from minik8s.api.field import FieldError

Obj = dict[str, Any]
CreateValidator = Callable[[Obj], list[FieldError]]
UpdateValidator = Callable[[Obj, Obj], list[FieldError]]

_CREATE: dict[str, CreateValidator] = {}
_UPDATE: dict[str, UpdateValidator] = {}

# Kind modules register on import; listed here so one import of the package loads them all.
_KIND_MODULES: tuple[str, ...] = (
    "core",
    "service",
    "config",
    "storage",
    "node",
    "networking",
    "discovery",
    "coordination",
    "persistentvolumeclaim",
    "event",
    "pod",
    "apps",
    "batch",
)
_loaded = False


def validates(kind: str) -> Callable[[CreateValidator], CreateValidator]:
    """Register `fn(obj) -> errors` as the create/update validation of `kind`."""

    def register(fn: CreateValidator) -> CreateValidator:
        _CREATE[kind] = fn
        return fn

    return register


def validates_update(kind: str) -> Callable[[UpdateValidator], UpdateValidator]:
    """Register `fn(new, old) -> errors`: the extra rules of an update (immutable fields).

    Like every upstream `ValidateXUpdate`, `fn` starts with `ValidateObjectMetaUpdate` of the
    two `metadata` (the API server then need not run it a second time)."""

    def register(fn: UpdateValidator) -> UpdateValidator:
        _UPDATE[kind] = fn
        return fn

    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in _KIND_MODULES:
            importlib.import_module(f"minik8s.api.validation.{module}")
        _loaded = True


def validate_object(obj: Obj) -> list[FieldError]:
    """Every problem with a (defaulted) object of a known kind, in upstream's words."""
    _load()
    fn = _CREATE.get(obj.get("kind", ""))
    return fn(obj) if fn else []


def validate_object_update(new: Obj, old: Obj) -> list[FieldError]:
    """`validate_object(new)` plus the rules comparing `new` with the stored `old`."""
    _load()
    errors = validate_object(new)
    fn = _UPDATE.get(new.get("kind", ""))
    return errors + (fn(new, old) if fn else [])


def checks_meta_update(kind: str) -> bool:
    """Whether `validate_object_update` of `kind` includes `ValidateObjectMetaUpdate`."""
    _load()
    return kind in _UPDATE
