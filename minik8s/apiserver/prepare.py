"""The decode and prepare steps of a write (`rest.BeforeCreate`/`BeforeUpdate`, the generic
store's `Update` checks, and the v1 decode of `staging/src/k8s.io/apiserver/pkg/endpoints/
handlers`): type checks, Secret `stringData`, subresource routes, update preconditions, what an
update may change, and the bytes the store keeps. Left out: the status strategies' field drops
(see `status_strategy`)."""

from __future__ import annotations

from typing import Any

from minik8s.api import json_codec
from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.core import check_base64_fields, secret_merge_string_data
from minik8s.api.errors import BadRequest, Conflict, Invalid, NotFound
from minik8s.api.field import Path, invalid
from minik8s.api.kinds import ResourceInfo
from minik8s.api.meta import json_copy
from minik8s.apiserver import service_alloc, status_strategy, strategy

Obj = dict[str, Any]


def encode_json(obj: Any) -> str:
    """Compact JSON text of a JSON-shaped value, as the store keeps it (`json_codec`)."""
    return json_codec.dumps_text(obj)


def encode(obj: Obj) -> bytes:
    """Stored bytes: the object without its resourceVersion (the revision is the version)."""
    meta = obj["metadata"]
    rv = meta.pop("resourceVersion", None)
    try:
        return json_codec.dumps(obj)
    finally:
        if rv is not None:
            meta["resourceVersion"] = rv


def decode_body(obj: Obj) -> None:
    """The v1 decode step: Secret `stringData` merged into `data`, base64 values checked."""
    if obj.get("kind") == "Secret":
        secret_merge_string_data(obj)
    elif obj.get("kind") == "ConfigMap":
        check_base64_fields(obj)


def check_type(info: ResourceInfo, obj: Obj) -> None:
    """The body names the resource's kind and version (or none: they are filled in)."""
    if not isinstance(obj.get("metadata", {}), dict):
        raise BadRequest("metadata must be an object")
    api_version, kind = (
        obj.setdefault("apiVersion", info.api_version),
        obj.setdefault("kind", info.kind),
    )
    if kind != info.kind:
        raise BadRequest(
            f"the kind in the data ({kind}) does not match the expected kind ({info.kind})"
        )
    if api_version != info.api_version:
        raise BadRequest(
            f"the API version in the data ({api_version}) does not match the expected "
            f"API version ({info.api_version})"
        )
    obj.setdefault("metadata", {})


# Go's `%#v` of the int64 0 upstream's "must be specified for an update" error prints.
class _GoInt64(int):
    def __str__(self) -> str:
        return hex(self)


# What a request to a route no resource registered gets (client-go's text for a bare 404).
NOT_FOUND_MESSAGE = "the server could not find the requested resource"


def check_subresource(info: ResourceInfo, subresource: str) -> None:
    """Only registered subresources have routes: any other path is 404 NotFound."""
    served = (
        (subresource == "status" and info.has_status)
        or (subresource == "finalize" and info.kind == "Namespace")
        or (subresource == "binding" and info.kind == "Pod")
    )
    if not served:
        raise NotFound(NOT_FOUND_MESSAGE)


def check_update_preconditions(info: ResourceInfo, new: Obj, old: Obj, verb: str) -> None:
    """The store's `Update`: the resourceVersion, if any, is the stored one; a kind without
    `AllowUnconditionalUpdate` needs one; a PUT body's uid is a precondition
    (`defaultUpdatedObjectInfo.Preconditions`)."""
    meta, old_meta = new["metadata"], old["metadata"]
    name = old_meta.get("name", "")
    if not meta.get("resourceVersion") and info.kind in strategy.CONDITIONAL_UPDATE_ONLY:
        path = Path("metadata").child("resourceVersion")
        error = invalid(path, _GoInt64(0), "must be specified for an update")
        raise Invalid.for_kind(info.group_resource, name, [error])
    rv = meta.get("resourceVersion")
    if rv and rv != old_meta.get("resourceVersion"):  # (a JSON patch may set it)
        raise Conflict.for_resource(info.group_resource, name)
    uid = meta.get("uid")
    if verb == "update" and uid and uid != old_meta.get("uid"):
        namespace = old_meta.get("namespace")
        key = f"/registry/{info.plural}/{namespace + '/' if namespace else ''}{name}"
        why = (
            f"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, "
            f"AdditionalErrorMsg: Precondition failed: UID in precondition: {uid}, "
            f"UID in object meta: {old_meta.get('uid')}"
        )
        raise Conflict.for_resource(info.group_resource, name, why)


def before_update_meta(meta: Obj, old_meta: Obj) -> None:
    """`rest.BeforeUpdate`: generation, uid (if none), creationTimestamp and the deletion
    fields an update cannot remove come from the old object (a new value is validated)."""
    for field in ("generation", "creationTimestamp"):
        if field in old_meta:
            meta[field] = old_meta[field]
        else:
            meta.pop(field, None)
    if not meta.get("uid"):
        meta["uid"] = old_meta.get("uid")
    if old_meta.get("deletionTimestamp"):
        meta["deletionTimestamp"] = old_meta["deletionTimestamp"]
    grace = old_meta.get("deletionGracePeriodSeconds")
    if grace is not None and meta.get("deletionGracePeriodSeconds") is None:
        meta["deletionGracePeriodSeconds"] = grace


def prepare_status_update(info: ResourceInfo, new: Obj, old: Obj, now: str = "") -> Obj:
    """A `/status` write: the kind's status strategy, then its status validation."""
    old_meta = old["metadata"]
    meta = new["metadata"]
    meta.setdefault("name", old_meta.get("name"))
    if info.namespaced:
        meta.setdefault("namespace", old_meta.get("namespace"))
    if not meta.get("resourceVersion"):  # an unconditional update takes the stored one
        meta["resourceVersion"] = old_meta.get("resourceVersion")
    before_update_meta(meta, old_meta)
    status_strategy.prepare_for_status_update(info.kind, new, old, now)
    if info.kind == "Pod" and old_meta.get("deletionTimestamp"):
        meta["deletionTimestamp"] = old_meta["deletionTimestamp"]  # (BeforeUpdate, after)
    errors = status_strategy.validate_status_update(info.kind, new, old)
    if errors:
        raise Invalid.for_kind(info.group_kind, meta.get("name", ""), errors)
    return new


def prepare_update(
    server: Any,
    info: ResourceInfo,
    new: Obj,
    old: Obj,
    namespace: str,
    name: str,
    subresource: str,
    verb: str = "update",
) -> Obj:
    """`rest.BeforeUpdate`: what an update (or a subresource write) may change of `old`
    (`new` has passed `check_type`; `verb` is `update` or `patch`)."""
    if subresource:
        check_subresource(info, subresource)
    if subresource == "binding":
        return new
    check_update_preconditions(info, new, old, verb)
    if subresource == "status":
        return prepare_status_update(info, new, old, server.loop.timestamp())
    if subresource == "finalize":
        result = json_copy(old)
        result.setdefault("spec", {})["finalizers"] = new.get("spec", {}).get("finalizers") or []
        return result
    meta, old_meta = new["metadata"], old["metadata"]
    meta.setdefault("name", name)
    if info.namespaced:
        meta.setdefault("namespace", namespace)
    decode_body(new)
    apply_defaults(new)
    before_update_meta(meta, old_meta)
    strategy.prepare_for_update(info, new, old)
    if info.kind == "Service":
        service_alloc.prepare_service_update(new, old, server)
    return new
