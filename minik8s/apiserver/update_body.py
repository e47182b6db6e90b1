"""An update's body as the server takes it: what it shares with the stored object is neither
decoded nor deep-copied again (minik8s only: upstream decodes every body from bytes, in Go).

A client that sends back the object it read with one field changed (the kubelet renewing its
Lease: `{**lease, "spec": {...}}`) passes the watch cache's own values for the other fields.
Those are decoded already, and decoding is idempotent, so `stored_fields` names them for
`decode` to skip. Their metadata is copied one level deep only: the write path sets metadata
fields but never changes their values in place (the values end up shared, read-only, by the
stored objects), unless a mutating admission plugin may act on the request. A status write's
spec, when it is the stored object's own, is not copied at all: the status strategy puts the
stored spec back (`status_strategy.prepare_for_status_update`). A body the caller gives away
(`give=True`: the kubelet's renewed Lease) is not copied where it is the caller's own.
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


def copy_body(
    body: Obj,
    stored: list[str],
    shallow_metadata: bool,
    kept: tuple[str, ...] = (),
    given: bool = False,
) -> Obj:
    """The server's private copy of the body (`json_copy`). With `shallow_metadata`, metadata
    that is the stored object's own (in `stored`) is copied one level deep only; a field in
    `kept` that is the stored object's own is not copied at all, since the strategy puts the
    stored value back anyway (a status write keeps the old spec). A `given` body's fields that
    are not the stored object's are the server's already: not copied either."""
    shallow = shallow_metadata and "metadata" in stored
    if given:
        copy = dict(body)
        for k in stored:
            if k not in kept:
                copy[k] = dict(body[k]) if k == "metadata" and shallow else json_copy(body[k])
        return copy
    shared = [k for k in stored if k in kept]
    if not shared and not shallow:
        return json_copy(body)
    skipped = {*shared, "metadata"} if shallow else set(shared)
    copy = json_copy({k: None if k in skipped else v for k, v in body.items()})  # (same order)
    for k in shared:
        copy[k] = body[k]
    if shallow:
        copy["metadata"] = dict(body["metadata"])
    return copy
