"""An update's body as the server takes it: what it shares with the stored object is neither
decoded nor deep-copied again (minik8s only: upstream decodes every body from bytes, in Go).

A client that sends back the object it read with one field changed (the kubelet renewing its
Lease: `{**lease, "spec": {...}}`) passes the watch cache's own values for the other fields.
Those are decoded already, and decoding is idempotent, so `stored_fields` names them for
`decode` to skip. Their metadata is copied one level deep only: the write path sets metadata
fields but never changes their values in place (the values end up shared, read-only, by the
stored objects), unless a mutating admission plugin may act on the request.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.kinds import ResourceInfo
from minik8s.api.meta import json_copy

Obj = dict[str, Any]


def stored_fields(stored: Obj | None, body: Obj) -> list[str]:
    """The body's top-level fields that hold the very objects `stored` holds there."""
    if stored is None:
        return []
    return [k for k, v in body.items() if stored.get(k) is v]


def stored_key(info: ResourceInfo, body: Obj, namespace: str | None) -> str | None:
    """The watch-cache key (`namespace/name` or `name`) the body names, if it names one."""
    meta = body.get("metadata")
    if type(meta) is not dict or type(meta.get("name")) is not str:
        return None
    name = meta["name"]
    return f"{namespace or meta.get('namespace') or 'default'}/{name}" if info.namespaced else name


def copy_body(body: Obj, stored: list[str], shallow_metadata: bool) -> Obj:
    """The server's private copy of the body (`json_copy`); with `shallow_metadata`, metadata
    that is the stored object's own (in `stored`) is copied one level deep only."""
    if not shallow_metadata or "metadata" not in stored:
        return json_copy(body)
    copy = json_copy({**body, "metadata": None})  # (the same order of fields)
    copy["metadata"] = dict(body["metadata"])
    return copy
