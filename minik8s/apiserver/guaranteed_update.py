"""UPDATE, PATCH and binding at the store, mirroring the generic registry's `Store.Update`
(`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`) over the storage's
`GuaranteedUpdate` (`storage/etcd3/store.go`): read the current object, apply the request to it,
run admission and the strategy's update checks, then compare-and-swap on its revision, and read
and try again when another write won the race. The request handlers call it
(`update_request.py`, `APIServer.patch`, `create_request.bind_pod`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import BadRequest, Conflict, Invalid, NotFound
from minik8s.api.field import dedupe
from minik8s.api.kinds import ResourceInfo
from minik8s.api.validation import validate_object_update
from minik8s.api.validation.dispatch import checks_meta_update
from minik8s.api.validation.meta import validate_object_meta_update
from minik8s.api.validation.meta_memo import UnchangedMetadata
from minik8s.apiserver import strategy
from minik8s.apiserver.admission import Attributes
from minik8s.apiserver.deletion import should_delete_during_update
from minik8s.apiserver.limits import MAX_RETRIES
from minik8s.apiserver.ownerrefs import dedup_owner_references_and_warn
from minik8s.apiserver.patch import check_patched_name, strict_patch_error
from minik8s.apiserver.prepare import check_type, prepare_update
from minik8s.apiserver.warnings import warnings_on_update
from minik8s.etcd import Compare, Op

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer

Obj = dict[str, Any]
Mutation = Callable[[Obj], Obj]


def guaranteed_update(
    server: APIServer,
    info: ResourceInfo,
    namespace: str,
    name: str,
    mutate: Mutation | Obj,
    rv: str | None,
    subresource: str,
    dry_run: bool,
    user: str,
    verb: str,
    respond: bool = True,
    decode_as: tuple[str, list[str] | None, frozenset[str] | None, Callable[[Obj], str]]
    | None = None,
    warnings: list[str] | None = None,
    pure: bool = False,
) -> Obj:
    """`Store.Update` over `GuaranteedUpdate`: read, mutate, compare-and-swap, retry on a race.

    `mutate` is the new object (update) or a function of a private copy of the current one
    (patch); a `pure` one (binding) gets the current object itself, shared with the watch
    cache, and returns a new object without changing it. Returns the caller's copy of the
    result; without `respond`, for a caller that drops it, the object now shared with the
    watch cache (not copied).
    `decode_as` (field validation, warnings, the top-level fields the patch touches, what a
    Strict error shows of the patch): decode the patched object (its other fields are the
    stored object's, decoded). `warnings` gets what the owner references dedup after
    mutating admission says (`ownerrefs.py`)."""
    key = server.key(info, namespace, name)
    # (a Service's allocated values are copied from the old object, then reworked; a
    # mutating admission plugin may change what `new` shares with `old`)
    mutating = server.admission.mutates(info.kind, "UPDATE", subresource)
    private = info.kind == "Service" or mutating
    for _ in range(MAX_RETRIES):
        kv = server.store.get(key)
        if kv is None:
            if info.kind in strategy.CREATE_ON_UPDATE and not subresource and verb == "update":
                assert isinstance(mutate, dict)
                return server.create(
                    info.plural,
                    mutate,
                    namespace,
                    dry_run=dry_run,
                    user=user,
                    field_validation="Ignore",  # decoded by `update`
                    respond=respond,
                )
            raise NotFound.for_resource(info.group_resource, name)
        if rv is not None and rv != str(kv.mod_revision):
            server._trace(user, verb, info, namespace, name, "409 Conflict", subresource)
            raise Conflict.for_resource(info.group_resource, name)
        # `old` is shared with the watch cache: compared, validated, never changed. `new` may
        # take parts of it (status, or all but status): they are not changed either.
        old = server._stored(info, kv)
        if isinstance(mutate, dict):
            changed = mutate  # type-checked by `update`
        else:
            changed = mutate(old if pure else server._private(info, kv))
            check_type(info, changed)
            if decode_as is not None:  # a patch: its untouched fields are the stored ones
                touched = decode_as[2]
                untouched = [k for k in changed if k not in touched] if touched is not None else []
                shown = decode_as[3](changed) if decode_as[0] == "Strict" else ""
                try:
                    server._decode(changed, decode_as[0], decode_as[1], "PatchOptions", untouched)
                except BadRequest as err:
                    if decode_as[0] != "Strict" or "strict decoding error" not in err.message:
                        raise
                    raise strict_patch_error(err, shown) from None
                check_patched_name(info, changed, namespace, name)
        source = server._private(info, kv) if private else old
        new = prepare_update(server, info, changed, source, namespace, name, subresource, verb)
        new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
        attrs = None  # (none for a request no plugin acts on, e.g. a Lease renewal)
        if any(server.admission.for_request(info.kind, "UPDATE")):
            attrs = Attributes(
                "UPDATE", info, namespace, name, new, old, subresource, user, dry_run, server
            )
            server.admission.admit(attrs)
        if mutating or not isinstance(mutate, dict):  # (an update's body: deduplicated)
            dedup_owner_references_and_warn(new, warnings, True)
        if subresource not in ("status", "binding"):
            with UnchangedMetadata(new["metadata"], old["metadata"]):
                errors = validate_object_update(new, old)
                if not checks_meta_update(info.kind):  # else in the kind's rules already
                    errors += validate_object_meta_update(new["metadata"], old["metadata"])
            if errors:
                server._trace(user, verb, info, namespace, name, "422 Invalid", subresource)
                raise Invalid.for_kind(info.group_kind, name, dedupe(errors))
            if warnings is not None:  # the strategy's WarningsOnUpdate
                warnings.extend(warnings_on_update(info.kind, new, old))
        if attrs is not None:
            server.admission.validate(attrs)
        if new == old:
            return server._response(new, kv.mod_revision)
        if should_delete_during_update(new, old):
            op = Op("delete", key)
        else:
            op = Op("put", key, server._encode_checked(new), server._lease(info))
        if dry_run:
            return server._response(new, kv.mod_revision)
        result = server._write(info, Compare(key, "mod", "=", kv.mod_revision), op, new)
        if result.succeeded:
            server._trace(user, verb, info, namespace, name, "200 OK", subresource)
            return server._response(new, result.revision) if respond else new
        if rv is not None:
            raise Conflict.for_resource(info.group_resource, name)
    raise Conflict.for_resource(info.group_resource, name, "too many concurrent updates")
