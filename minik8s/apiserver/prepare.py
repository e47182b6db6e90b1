"""The decode and prepare steps of a write (`rest.BeforeCreate`/`BeforeUpdate` and the v1 decode
of `staging/src/k8s.io/apiserver/pkg/endpoints/handlers`): type checks, Secret `stringData`,
what an update may change, and the bytes the store keeps."""

from __future__ import annotations

import json
from json import encoder as _json_encoder
from typing import Any

from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.core import check_base64_fields, secret_merge_string_data
from minik8s.api.errors import BadRequest, MethodNotAllowed
from minik8s.api.kinds import ResourceInfo
from minik8s.api.meta import json_copy
from minik8s.apiserver import service_alloc, strategy

Obj = dict[str, Any]


# Compact JSON, as the store keeps it; one encoder for every write.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
# The C encoder `_ENCODER.encode` makes anew on every call, made once (same bytes; without
# `check_circular`: a write's object is JSON-shaped, copied from JSON). Python without the C
# accelerator (`c_make_encoder` None) uses `_ENCODER` itself.
_c_make_encoder = getattr(_json_encoder, "c_make_encoder", None)
_iterencode = (
    _c_make_encoder(
        None, _ENCODER.default, _json_encoder.encode_basestring, None, ":", ",", False, False, True
    )
    if _c_make_encoder is not None
    else None
)


def _encode_json(obj: Obj) -> str:
    if _iterencode is None:
        return _ENCODER.encode(obj)
    return "".join(_iterencode(obj, 0))


def encode(obj: Obj) -> bytes:
    """Stored bytes: the object without its resourceVersion (the revision is the version)."""
    meta = obj["metadata"]
    rv = meta.pop("resourceVersion", None)
    try:
        return _encode_json(obj).encode()
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


def prepare_update(
    server: Any, info: ResourceInfo, new: Obj, old: Obj, namespace: str, name: str, subresource: str
) -> Obj:
    """`rest.BeforeUpdate`: what an update (or a subresource write) may change of `old`
    (`new` has passed `check_type`)."""
    if subresource == "status":
        return strategy.prepare_for_status_update(new, old)
    if subresource == "finalize" and info.kind == "Namespace":
        result = json_copy(old)
        result.setdefault("spec", {})["finalizers"] = new.get("spec", {}).get("finalizers") or []
        return result
    if subresource == "binding":
        return new
    if subresource:
        raise MethodNotAllowed(
            f"the server does not allow this method on the requested resource ({subresource})"
        )
    meta, old_meta = new["metadata"], old["metadata"]
    meta.setdefault("name", name)
    if info.namespaced:
        meta.setdefault("namespace", namespace)
    decode_body(new)
    apply_defaults(new)
    if not meta.get("uid"):
        meta["uid"] = old_meta.get("uid")
    meta["creationTimestamp"] = old_meta.get("creationTimestamp")
    for field in ("deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
        if field in old_meta:
            meta[field] = old_meta[field]
        else:
            meta.pop(field, None)
    strategy.prepare_for_update(info, new, old)
    if info.kind == "Service":
        service_alloc.prepare_service_update(new, old, server)
    return new
