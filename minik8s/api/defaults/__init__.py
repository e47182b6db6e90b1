"""Defaulting with upstream's rules (`pkg/apis/*/v1/defaults.go`): fill what the user left out.

`apply_defaults(obj)` mutates a fresh object in place, before validation, like the API server's
decode step. Kind modules register their defaulter with `@defaults_for("Kind")`, and the part of
it that fills in the status with `@status_defaults_for("Kind")`: a `/status` write runs only
that part (`apply_status_defaults`), as upstream's decode defaults the whole body but the status
strategy then keeps the stored spec.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
Defaulter = Callable[[Obj], None]

_DEFAULTERS: dict[str, Defaulter] = {}
_STATUS_DEFAULTERS: dict[str, Defaulter] = {}
_KIND_MODULES: tuple[str, ...] = (
    "core",
    "storage",
    "discovery",
    "networking",
    "pod",
    "apps",
    "batch",
)
_loaded = False


def defaults_for(kind: str) -> Callable[[Defaulter], Defaulter]:
    """Register `fn(obj)` as the defaulter of `kind`."""

    def register(fn: Defaulter) -> Defaulter:
        _DEFAULTERS[kind] = fn
        return fn

    return register


def status_defaults_for(kind: str) -> Callable[[Defaulter], Defaulter]:
    """Register `fn(obj)` as the status part of the defaulter of `kind` (which calls it too)."""

    def register(fn: Defaulter) -> Defaulter:
        _STATUS_DEFAULTERS[kind] = fn
        return fn

    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in _KIND_MODULES:
            importlib.import_module(f"minik8s.api.defaults.{module}")
        _loaded = True


def apply_defaults(obj: Obj) -> Obj:
    """Fill upstream's defaults into `obj` (in place) and return it."""
    _load()
    fn = _DEFAULTERS.get(obj.get("kind", ""))
    if fn is not None:
        fn(obj)
    return obj


def apply_status_defaults(obj: Obj, kind: str = "") -> Obj:
    """Fill upstream's status defaults into `obj` (of `kind`, by default its own) and return it:
    what the decode of a `/status` write changes that the status strategy keeps. Changed parts
    are new dicts (what `obj` shares with the writer's object or a patch is left as it was)."""
    _load()
    fn = _STATUS_DEFAULTERS.get(kind or obj.get("kind", ""))
    if fn is not None:
        fn(obj)
    return obj
