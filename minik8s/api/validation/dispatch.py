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
_FULL_UPDATE: set[str] = set()  # kinds whose update validator does not add to the create one

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
    "pod_update",
    "apps",
    "batch",
    "volumeattachment",
)
_loaded = False


def validates(kind: str) -> Callable[[CreateValidator], CreateValidator]:
    """Register `fn(obj) -> errors` as the create/update validation of `kind`."""

    def register(fn: CreateValidator) -> CreateValidator:
        _CREATE[kind] = fn
        return fn

    return register


def validates_update(
    kind: str, *, replaces_create: bool = False
) -> Callable[[UpdateValidator], UpdateValidator]:
    """Register `fn(new, old) -> errors`: the extra rules of an update (immutable fields).

    Like every upstream `ValidateXUpdate`, `fn` starts with `ValidateObjectMetaUpdate` of the
    two `metadata` (the API server then need not run it a second time). With
    `replaces_create`, `fn` is the whole update validation (upstream's `ValidateXUpdate` that
    re-checks the spec with options taken from the old object, e.g. a CronJob keeping a `TZ=`
    schedule): the create validation of `kind` is then not run on updates."""

    def register(fn: UpdateValidator) -> UpdateValidator:
        _UPDATE[kind] = fn
        if replaces_create:
            _FULL_UPDATE.add(kind)
        return fn

    return register


def _load() -> None:
    """Import every kind module (once): their decorators fill the registries."""
    global _loaded
    for module in _KIND_MODULES:
        importlib.import_module(f"minik8s.api.validation.{module}")
    _loaded = True


def validate_object(obj: Obj) -> list[FieldError]:
    """Every problem with a (defaulted) object of a known kind, in upstream's words."""
    if not _loaded:
        _load()
    return _validate_create(obj)


def _validate_create(obj: Obj) -> list[FieldError]:
    fn = _CREATE.get(obj.get("kind", ""))
    return fn(obj) if fn else []


def validate_object_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateXUpdate`: `validate_object(new)` plus the rules comparing `new` with
    the stored `old`, or only the latter where they replace the create validation."""
    if not _loaded:
        _load()
    kind = new.get("kind", "")
    fn = _UPDATE.get(kind)
    create = None if kind in _FULL_UPDATE else _CREATE.get(kind)
    errors = create(new) if create else []
    return errors + (fn(new, old) if fn else [])


def checks_meta_update(kind: str) -> bool:
    """Whether `validate_object_update` of `kind` includes `ValidateObjectMetaUpdate`."""
    if not _loaded:
        _load()
    return kind in _UPDATE
