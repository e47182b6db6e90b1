"""DELETE, mirroring `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go` and the
generic registry's `Delete` (`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`):
preconditions, admission, then the write `deletion.plan_deletion` asks for, retried on a race."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.apiserver.admission import Attributes
from minik8s.apiserver.deletion import (
    check_policy,
    check_preconditions,
    delete_warnings,
    plan_deletion,
)
from minik8s.apiserver.limits import MAX_RETRIES
from minik8s.etcd import Compare, Op

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer

Obj = dict[str, Any]


def delete_object(
    server: APIServer,
    resource: str,
    name: str,
    namespace: str | None = None,
    *,
    propagation_policy: str | None = None,
    grace_period_seconds: int | None = None,
    preconditions: Obj | None = None,
    dry_run: bool = False,
    user: str = "",
    warnings: builtins.list[str] | None = None,
) -> Obj:
    """`APIServer.delete`: delete now, or mark `deletionTimestamp` while finalizers or a grace
    period remain; a pending deletion is not written again."""
    info = server.info(resource)
    namespace = server._namespace(info, namespace)
    key = server.key(info, namespace, name)
    check_policy(propagation_policy)
    if warnings is not None:
        warnings.extend(delete_warnings(info, propagation_policy))
    for _ in range(MAX_RETRIES):
        kv = server.store.get(key)
        if kv is None:
            raise NotFound.for_resource(info.group_resource, name)
        obj = server._private(info, kv)
        check_preconditions(info, name, obj["metadata"], preconditions or {})
        server.admission.validate(
            Attributes(
                "DELETE",
                info,
                namespace,
                name,
                None,
                obj,
                user=user,
                dry_run=dry_run,
                server=server,
            )
        )
        action, obj = plan_deletion(
            info, obj, propagation_policy, grace_period_seconds, server.loop
        )
        if action == "keep" or (action == "put" and obj == server._stored(info, kv)):
            return server._response(obj, kv.mod_revision)  # nothing changes: no write
        if dry_run:
            return obj
        revision = kv.mod_revision
        if action in ("put", "put-delete"):
            put = Op("put", key, server._encode_checked(obj))
            result = server._write(info, Compare(key, "mod", "=", revision), put, obj)
            if not result.succeeded:
                continue
            revision = result.revision
        if action != "put":
            result = server._write(info, Compare(key, "mod", "=", revision), Op("delete", key))
            if not result.succeeded:
                continue
        server._trace(user, "delete", info, namespace, name, "200 OK")
        return server._response(obj, result.revision)
    raise Conflict.for_resource(info.group_resource, name, "too many concurrent updates")
