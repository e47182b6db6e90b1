"""Defaulting with upstream's rules (`pkg/apis/*/v1/defaults.go`): fill what the user left out.

`apply_defaults(obj)` mutates a fresh object in place, before validation, like the API server's
decode step. Kind modules register their defaulter with `@defaults_for("Kind")`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
Defaulter = Callable[[Obj], None]

_DEFAULTERS: dict[str, Defaulter] = {}
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


def apply_defaults(obj: Obj) -> Obj:
    """Fill upstream's defaults into `obj` (in place) and return it."""
    global _loaded
    if not _loaded:
        for module in _KIND_MODULES:
            importlib.import_module(f"minik8s.api.defaults.{module}")
        _loaded = True
    fn = _DEFAULTERS.get(obj.get("kind", ""))
    if fn is not None:
        fn(obj)
    return obj
