"""CREATE requests up to the generic registry's `Create` (`APIServer._create_once`), mirroring
`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go`: decode, default, mutating
admission, and the retries of a generated name that is taken (`store.go`
`maxNameGenerationCreateAttempts`), plus `store.go`'s AlreadyExists error and pods/binding
(`pkg/registry/core/pod/storage/storage.go` `BindingREST.Create`)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from minik8s.api.defaults import apply_defaults
from minik8s.api.errors import AlreadyExists, BadRequest, MethodNotAllowed
from minik8s.api.kinds import ResourceInfo
from minik8s.api.meta import json_copy
from minik8s.apiserver.admission import Attributes
from minik8s.apiserver.binding import SUCCESS, assign_pod
from minik8s.apiserver.guaranteed_update import guaranteed_update
from minik8s.apiserver.limits import MAX_GENERATE_NAME_ATTEMPTS
from minik8s.apiserver.ownerrefs import dedup_owner_references_and_warn
from minik8s.apiserver.prepare import check_subresource, check_type, decode_body

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer

Obj = dict[str, Any]


def create_object(
    server: APIServer,
    resource: str,
    obj: Obj,
    namespace: str | None = None,
    *,
    dry_run: bool = False,
    subresource: str | None = None,
    user: str = "",
    field_validation: str = "Warn",
    warnings: builtins.list[str] | None = None,
    respond: bool = True,
) -> Obj:
    """`APIServer.create`: `obj` as stored (with uid, resourceVersion, defaults)."""
    info = server.info(resource)
    obj = json_copy(obj)
    if subresource == "binding" and info.kind == "Pod":
        return bind_pod(server, obj, server._namespace(info, namespace, obj), user)
    if subresource:
        check_subresource(info, subresource)  # 404 for a subresource without a route
        raise MethodNotAllowed(
            f"the server does not allow this method on the requested resource ({subresource})"
        )
    check_type(info, obj)
    server._decode(obj, field_validation, warnings)
    dedup_owner_references_and_warn(obj, warnings, False)
    meta = obj["metadata"]
    if info.namespaced:
        meta["namespace"] = server._namespace(info, namespace, obj)
    else:
        meta.pop("namespace", None)
    if meta.get("resourceVersion"):
        raise BadRequest("resourceVersion should not be set on objects to be created")
    decode_body(obj)
    apply_defaults(obj)
    attrs = Attributes(
        "CREATE",
        info,
        meta.get("namespace", ""),
        meta.get("name", ""),
        obj,
        user=user,
        dry_run=dry_run,
        server=server,
    )
    server.admission.admit(attrs)
    dedup_owner_references_and_warn(attrs.obj, warnings, True)
    generated = bool(attrs.obj and attrs.obj["metadata"].get("generateName") and not attrs.name)
    retries = MAX_GENERATE_NAME_ATTEMPTS - 1 if generated and not dry_run else 0
    for _ in range(retries):  # a generated name that is taken: generate another
        try:
            return server._create_once(info, attrs, user, respond, warnings)
        except AlreadyExists:
            assert attrs.obj is not None
            attrs.obj["metadata"].pop("name", None)
    return server._create_once(info, attrs, user, respond, warnings)


def already_exists(server: APIServer, info: ResourceInfo, key: str, obj: Obj) -> AlreadyExists:
    """store.go `Create`'s AlreadyExists: a generated name's is a `GenerateNameConflict`
    (`rest.CheckGeneratedNameError`); one for an object being deleted says so."""
    name = obj["metadata"].get("name", "")
    if obj["metadata"].get("generateName"):
        message = (
            f'{info.group_resource} "{name}" already exists, the server was not able to '
            "generate a unique name for the object"
        )
        plain = AlreadyExists.for_resource(info.group_resource, name)
        error = AlreadyExists(message, {**plain.details, "retryAfterSeconds": 1})
    else:
        error = AlreadyExists.for_resource(info.group_resource, name)
    kv = server.store.get(key)
    if kv is not None and server._stored(info, kv)["metadata"].get("deletionTimestamp"):
        error.message = f"object is being deleted: {error.message}"
        error.args = (error.message,)
    return error


def bind_pod(server: APIServer, binding: Obj, namespace: str, user: str) -> Obj:
    """pods/binding (`BindingREST.Create`): set `spec.nodeName` once, in `guaranteed_update`."""
    name, assign = assign_pod(binding, server.loop.timestamp())
    pods = server.info("pods")
    guaranteed_update(
        server,
        pods,
        namespace,
        name,
        assign,
        None,
        "binding",
        False,
        user,
        "create",
        False,
        pure=True,
    )
    return {**SUCCESS, "code": 201}
