"""UPDATE requests up to the generic registry's `GuaranteedUpdate` (`guaranteed_update.py`),
mirroring `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go` (the body taken and
decoded)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import BadRequest
from minik8s.api.kinds import ResourceInfo
from minik8s.apiserver.cacher import Cacher
from minik8s.apiserver.guaranteed_update import guaranteed_update
from minik8s.apiserver.ownerrefs import dedup_owner_references_and_warn
from minik8s.apiserver.prepare import check_type
from minik8s.apiserver.update_body import copy_body, stored_fields, stored_key

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer

Obj = dict[str, Any]


def update_object(
    server: APIServer,
    resource: str,
    obj: Obj,
    namespace: str | None = None,
    *,
    subresource: str | None = None,
    dry_run: bool = False,
    user: str = "",
    field_validation: str = "Warn",
    warnings: builtins.list[str] | None = None,
    respond: bool = True,
    give: bool = False,
) -> Obj:
    """`APIServer.update`: replace an object; a set `metadata.resourceVersion` must be current."""
    info = server.info(resource)
    obj, decoded = take_body(server, info, obj, namespace, subresource or "", give)
    check_type(info, obj)
    server._decode(obj, field_validation, warnings, "UpdateOptions", decoded)
    dedup_owner_references_and_warn(obj, warnings, False)
    namespace = server._namespace(info, namespace, obj)
    if not info.namespaced:  # rest.BeforeUpdate clears a cluster-scoped object's namespace
        obj["metadata"].pop("namespace", None)
    name = obj["metadata"].get("name") or ""
    if not name:
        raise BadRequest("name is required")
    rv = obj["metadata"].get("resourceVersion") or None
    return guaranteed_update(
        server,
        info,
        namespace,
        name,
        obj,
        rv,
        subresource or "",
        dry_run,
        user,
        "update",
        respond,
        warnings=warnings,
    )


def take_body(
    server: APIServer,
    info: ResourceInfo,
    body: Obj,
    namespace: str | None,
    subresource: str,
    given: bool = False,
) -> tuple[Obj, builtins.list[str]]:
    """The server's private copy of an update's body, and its top-level fields that hold
    the watch cache's own values (decoded already: see `update_body.py`). A `given` body's
    other fields are the server's already."""
    cacher = server.cachers[info.plural]
    key = stored_key(info, body, namespace) if isinstance(cacher, Cacher) else None
    stored = stored_fields(cacher.current(key) if key is not None else None, body)
    mutating = server.admission.mutates(info.kind, "UPDATE", subresource)
    status = subresource == "status"
    shallow = not (mutating or info.kind == "Service" or subresource and not status)
    return copy_body(body, stored, shallow, ("spec",) if status else (), given), stored
