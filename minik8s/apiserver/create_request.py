"""CREATE requests through the generic registry's `Create` (`create_once`), mirroring
`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go`: decode, default, mutating
admission, and the retries of a generated name that is taken (`store.go`
`maxNameGenerationCreateAttempts`), plus `store.go`'s AlreadyExists error and pods/binding
(`pkg/registry/core/pod/storage/storage.go` `BindingREST.Create`)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from minik8s.api.defaults import apply_defaults
from minik8s.api.errors import AlreadyExists, BadRequest, Invalid, MethodNotAllowed
from minik8s.api.field import dedupe
from minik8s.api.kinds import ResourceInfo
from minik8s.api.meta import json_copy, new_uid, random_suffix
from minik8s.api.validation import validate_object
from minik8s.apiserver import strategy
from minik8s.apiserver.admission import Attributes
from minik8s.apiserver.binding import SUCCESS, assign_pod
from minik8s.apiserver.guaranteed_update import guaranteed_update
from minik8s.apiserver.limits import MAX_GENERATE_NAME_ATTEMPTS, MAX_GENERATED_NAME_BASE
from minik8s.apiserver.ownerrefs import dedup_owner_references_and_warn
from minik8s.apiserver.prepare import check_subresource, check_type, decode_body
from minik8s.apiserver.warnings import warnings_on_create
from minik8s.etcd import Compare, Op

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
            return create_once(server, info, attrs, user, respond, warnings)
        except AlreadyExists:
            assert attrs.obj is not None
            attrs.obj["metadata"].pop("name", None)
    return create_once(server, info, attrs, user, respond, warnings)


def create_once(
    server: APIServer,
    info: ResourceInfo,
    attrs: Attributes,
    user: str,
    respond: bool = True,
    warnings: builtins.list[str] | None = None,
) -> Obj:
    """The generic registry's `Store.Create` for one name: name, uid and timestamp set,
    `PrepareForCreate`, validation, validating admission, then a put only if the key is free."""
    obj = attrs.obj
    assert obj is not None
    meta = obj["metadata"]
    if not meta.get("name") and meta.get("generateName"):
        # names.SimpleNameGenerator: the base cut to 58 (63 - 5) characters
        meta["name"] = meta["generateName"][:MAX_GENERATED_NAME_BASE] + random_suffix(
            server.loop.rng
        )
    for field in ("deletionTimestamp", "deletionGracePeriodSeconds"):
        meta.pop(field, None)
    meta["uid"] = new_uid(server.loop.rng)
    meta["creationTimestamp"] = server.loop.timestamp()
    strategy.prepare_for_create(info, obj)
    for hook in strategy.CREATE_HOOKS.get(info.kind, []):
        hook(obj, server)
    name, namespace = meta.get("name", ""), meta.get("namespace", "")
    errors = validate_object(obj)
    if errors:
        server._trace(user, "create", info, namespace, name, "422 Invalid")
        raise Invalid.for_kind(info.group_kind, name, dedupe(errors))
    if warnings is not None:  # the strategy's WarningsOnCreate
        warnings.extend(warnings_on_create(info.kind, obj))
    check = Attributes(
        "CREATE", info, namespace, name, obj, user=user, dry_run=attrs.dry_run, server=server
    )
    server.admission.validate(check)
    data = server._encode_checked(obj)
    key = server.key(info, namespace, name)
    if attrs.dry_run:
        if server.store.get(key) is not None:
            raise already_exists(server, info, key, obj)
        return obj
    put = Op("put", key, data, server._lease(info))
    result = server._write(info, Compare(key, "create", "=", 0), put, obj)
    if not result.succeeded:
        raise already_exists(server, info, key, obj)
    server._trace(user, "create", info, namespace, name, "201 Created")
    return server._response(obj, result.revision) if respond else obj


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
