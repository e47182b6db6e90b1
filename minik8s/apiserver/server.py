"""The API server, mirroring kube-apiserver's request path and generic registry
(`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`).

A write goes: decode → default → mutating admission → prepare (strategy) → validate →
validating admission → store (compare-and-swap on the revision) → watch cache → watchers.
The decode step applies the request's field validation (`Strict`, `Warn` by default, `Ignore`)
and hands warnings back in a caller's list (upstream: `Warning:` headers); `respond=False` skips
the reply's copy for callers that drop it, and an update's `give=True` the body's for a caller
that built it for that one request. It is the only reader and writer of the store.
Left out: authentication and authorization (every caller is trusted), API discovery, protobuf,
server-side apply, the scale subresource.

`APIServer` keeps the request entry points and the store access they share; most entry points
delegate to the handler modules: `create_request.py` (upstream `Create` in `create_once`),
`update_request.py` and `guaranteed_update.py` (upstream `Update` over `GuaranteedUpdate`, for
updates, patches and bindings), `delete_request.py`, `list_watch.py`, `field_validation.py`
(limits: `limits.py`).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection
from typing import Any

from minik8s.api.errors import BadRequest, NotFound, RequestEntityTooLarge
from minik8s.api.kinds import RESOURCES, ResourceInfo, UnknownResource, lookup
from minik8s.api.meta import deep_copy, json_copy
from minik8s.apiserver import hooks_batch, service_alloc
from minik8s.apiserver.admission import AdmissionChain, NamespaceLifecycle
from minik8s.apiserver.cacher import Cacher, Watch, decode
from minik8s.apiserver.compactor import Compactor
from minik8s.apiserver.create_request import create_object
from minik8s.apiserver.delete_request import delete_object
from minik8s.apiserver.field_validation import decode_request
from minik8s.apiserver.guaranteed_update import guaranteed_update
from minik8s.apiserver.lease_manager import TTL_SECONDS, LeaseManager
from minik8s.apiserver.limits import MAX_OBJECT_BYTES
from minik8s.apiserver.list_watch import list_objects, watch_objects
from minik8s.apiserver.patch import apply_patch, patched_fields, shown_patch
from minik8s.apiserver.prepare import encode
from minik8s.apiserver.uncached import DEFAULT_WATCH_CACHE_SIZES, UncachedStorage
from minik8s.apiserver.update_request import update_object
from minik8s.etcd import Compare, KeyValue, Op, Store, TxnResult
from minik8s.sim.loop import EventLoop
from minik8s.trace import Tracer

Obj = dict[str, Any]
# Modules whose import registers create hooks (Job selectors, Service IP/port allocation).
KIND_HOOKS = (hooks_batch, service_alloc)


class APIServer:
    """kube-apiserver over one `Store`; `tracer` (optional) records each request;
    `compaction_interval` (seconds, upstream 300) compacts the store's history periodically;
    `watch_cache_sizes` (resource → size, `--watch-cache-sizes`): 0 serves a resource without a
    watch cache (default: events, as upstream)."""

    def __init__(
        self,
        store: Store,
        loop: EventLoop,
        *,
        admission: AdmissionChain | None = None,
        tracer: Tracer | None = None,
        compaction_interval: float | None = None,
        watch_cache_sizes: dict[str, int] | None = None,
    ):
        sizes = DEFAULT_WATCH_CACHE_SIZES if watch_cache_sizes is None else watch_cache_sizes
        self.store = store
        self.loop = loop
        self.admission = admission or AdmissionChain([NamespaceLifecycle()])
        self.tracer = tracer or Tracer(lambda: loop.now)
        # Each resource's watch cache, or its uncached storage (`watch_cache_sizes` of 0: by
        # default events, as upstream's DefaultWatchCacheSizes).
        self.cachers: dict[str, Cacher | UncachedStorage] = {}
        self.leases = LeaseManager(store)  # events expire after an hour (`--event-ttl`)
        # Node name → its kubelet, for pods/log and pods/exec (upstream proxies these requests to
        # the kubelet's port, found from the Node's status.daemonEndpoints).
        self.kubelets: dict[str, Any] = {}
        # minik8s only: components publish explanations (pod key → text) that `kubectl describe`
        # shows, e.g. the scheduler's decision table.
        self.explainers: list[Callable[[str], str | None]] = []
        for info in RESOURCES:
            if info.kind == "Binding":
                continue
            if sizes.get(info.plural) == 0:
                self.cachers[info.plural] = UncachedStorage(info, loop, store)
            else:
                prefix = self._prefix(info)
                cacher = Cacher(info, loop, store.range(prefix), store.revision)
                # prev_kv: the events as the store made them (not copied without their prev_kv)
                store.watch(prefix, cacher.on_store_events, prev_kv=True)
                self.cachers[info.plural] = cacher
            self.cachers[info.plural].tracer = self.tracer
        # Off unless asked for (upstream compacts every 5 minutes): reads of old revisions work.
        self.compactor = (
            Compactor(store, loop, compaction_interval) if compaction_interval else None
        )

    def __repr__(self) -> str:
        return f"<APIServer revision={self.store.revision} resources={len(self.cachers)}>"

    # -- naming ----------------------------------------------------------------------------------
    @staticmethod
    def _prefix(info: ResourceInfo) -> str:
        return f"/registry/{info.plural}/"

    def key(self, info: ResourceInfo, namespace: str, name: str) -> str:
        """`/registry/<resource>/<namespace>/<name>`, or without namespace if cluster-scoped."""
        return (
            f"/registry/{info.plural}/{namespace}/{name}"
            if info.namespaced
            else f"/registry/{info.plural}/{name}"
        )

    @staticmethod
    def info(resource: str) -> ResourceInfo:
        try:
            return lookup(resource)
        except UnknownResource:
            raise NotFound(
                "the server could not find the requested resource", {"kind": resource}
            ) from None

    @staticmethod
    def _namespace(info: ResourceInfo, namespace: str | None, obj: Obj | None = None) -> str:
        if not info.namespaced:
            return ""
        given = (obj or {}).get("metadata", {}).get("namespace") or ""
        if namespace and given and given != namespace:
            raise BadRequest(
                "the namespace of the provided object does not match the namespace sent "
                "on the request"
            )
        return namespace or given or "default"

    def cached(self, resource: str, name: str, namespace: str = "") -> Obj | None:
        """The watch cache's copy of an object (shared: do not mutate), for admission plugins."""
        info = self.info(resource)
        key = f"{namespace}/{name}" if info.namespaced else name
        return self.cachers[info.plural].current(key)

    def on_cached_change(
        self, resource: str, name: str, listener: Callable[[], object], namespace: str = ""
    ) -> Callable[[], None] | None:
        """Call `listener()` whenever `cached` would return another object (minik8s only: a
        caller that polls `cached` may skip the polls that would find the same object). Returns
        the function that stops it, or None for a resource served without a watch cache."""
        info = self.info(resource)
        cacher = self.cachers[info.plural]
        key = f"{namespace}/{name}" if info.namespaced else name
        return cacher.listen(key, listener) if isinstance(cacher, Cacher) else None

    def _trace(
        self,
        user: str,
        verb: str,
        info: ResourceInfo,
        namespace: str,
        name: str,
        result: str,
        subresource: str = "",
    ) -> None:
        if self.tracer.enabled:
            target = f"{namespace}/{name}" if namespace else name
            resource = (
                f"{info.group_resource}/{subresource}" if subresource else info.group_resource
            )
            self.tracer.emit(
                "apiserver", f"← {user or 'client'}: {verb} {resource} {target} → {result}"
            )

    # -- reads ---------------------------------------------------------------------------------
    def get(
        self,
        resource: str,
        name: str,
        namespace: str | None = None,
        *,
        user: str = "",
        respond: bool = True,
    ) -> Obj:
        """One object, the caller's private copy; `NotFound` if absent. Without `respond`, for a
        caller that only reads it, the object the watch cache holds (shared: do not mutate)."""
        info = self.info(resource)
        namespace = self._namespace(info, namespace)
        kv = self.store.get(self.key(info, namespace, name))
        if kv is None:
            raise NotFound.for_resource(info.group_resource, name)
        return self._private(info, kv) if respond else self._stored(info, kv)

    def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        resource_version: str | None = None,
        resource_version_match: str = "",
        limit: int = 0,
        continue_: str = "",
        user: str = "",
    ) -> Obj:
        """A `<Kind>List` (items shared: do not mutate): from the watch cache, or with `limit`,
        `continue_`, `resource_version`, `resource_version_match` as upstream (`listing.py`)."""
        return list_objects(
            self,
            resource,
            namespace,
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            limit=limit,
            continue_=continue_,
            user=user,
        )

    def watch(
        self,
        resource: str,
        handler: Callable[[str, Obj], None],
        namespace: str | None = None,
        *,
        resource_version: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        user: str = "",
    ) -> Watch:
        """Events after `resource_version`; without one, the current objects as ADDED first."""
        return watch_objects(
            self,
            resource,
            handler,
            namespace,
            resource_version=resource_version,
            label_selector=label_selector,
            field_selector=field_selector,
            user=user,
        )

    # -- the stored object and writes ----------------------------------------------------------
    def _stored(self, info: ResourceInfo, kv: KeyValue) -> Obj:
        """The object at `kv`: the watch cache's (shared, read-only), or decoded if not cached."""
        cached = self.cachers[info.plural].at(kv)
        return cached if cached is not None else decode(kv)

    def _private(self, info: ResourceInfo, kv: KeyValue) -> Obj:
        """A private copy of the object at `kv` (copied from the watch cache, not decoded)."""
        cached = self.cachers[info.plural].at(kv)
        return deep_copy(cached) if cached is not None else decode(kv)

    def _write(
        self, info: ResourceInfo, compare: Compare, op: Op, obj: Obj | None = None
    ) -> TxnResult:
        """One guarded txn. A put's `obj` becomes the watch cache's object (no decode of the
        bytes just encoded): it must not change afterwards; callers get `_response(obj)`."""
        cacher = self.cachers[info.plural]
        if op.kind == "put" and obj is not None:
            cacher.prime(op.value, obj)
        try:
            return self.store.txn([compare], [op])
        finally:
            cacher.prime(None, None)

    def _lease(self, info: ResourceInfo) -> int:
        """The etcd lease a write of `info` attaches to (0: none; events expire, `TTLFunc`)."""
        ttl = TTL_SECONDS.get(info.plural)
        return self.leases.get_lease(ttl) if ttl else 0

    @staticmethod
    def _decode(
        obj: Obj,
        field_validation: str,
        warnings: builtins.list[str] | None,
        options: str = "CreateOptions",
        skip: Collection[str] = (),
    ) -> None:
        """The body decoded into its kind (in place): unknown fields per `field_validation`;
        `skip`: top-level fields known to be decoded already (see `decoding.decode`)."""
        decode_request(obj, field_validation, warnings, options, skip)

    @staticmethod
    def _response(obj: Obj, revision: int | str) -> Obj:
        """The caller's private copy of `obj` at `revision` (`obj` may be shared with the cache)."""
        response = json_copy(obj)
        response["metadata"]["resourceVersion"] = str(revision)
        return response

    # -- create --------------------------------------------------------------------------------
    def create(
        self,
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
        """Create `obj`; returns it as stored (with uid, resourceVersion, defaults).

        `field_validation` (`Strict`, `Warn`, `Ignore`) says what an unknown field does (see
        `minik8s.apiserver.decode`); `warnings` (upstream's `Warning:` response headers), when
        given, gets the warnings appended. Without `respond` (a caller that drops the reply, as
        client-go's `Do().Error()`), the stored object is returned uncopied: read-only."""
        return create_object(
            self,
            resource,
            obj,
            namespace,
            dry_run=dry_run,
            subresource=subresource,
            user=user,
            field_validation=field_validation,
            warnings=warnings,
            respond=respond,
        )

    def _encode_checked(self, obj: Obj) -> bytes:
        """The stored bytes of `obj`, within etcd's limit."""
        data = encode(obj)
        if len(data) > MAX_OBJECT_BYTES:
            raise RequestEntityTooLarge(f"Request entity too large: limit is {MAX_OBJECT_BYTES}")
        return data

    # -- update and patch ----------------------------------------------------------------------
    def update(
        self,
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
        """Replace an object; a set `metadata.resourceVersion` must be current (`Conflict`).
        `field_validation`, `warnings`, `respond`: as for `create`. With `give`, the caller
        hands the body over: what it did not take from a read (the fields it built for this
        request) becomes the server's without a copy (Go's client encodes every body, so the
        server's copy is always its own)."""
        return update_object(
            self,
            resource,
            obj,
            namespace,
            subresource=subresource,
            dry_run=dry_run,
            user=user,
            field_validation=field_validation,
            warnings=warnings,
            respond=respond,
            give=give,
        )

    def patch(
        self,
        resource: str,
        name: str,
        patch: Obj | builtins.list,
        namespace: str | None = None,
        *,
        patch_type: str = "merge",
        subresource: str | None = None,
        dry_run: bool = False,
        user: str = "",
        field_validation: str = "Warn",
        warnings: builtins.list[str] | None = None,
        respond: bool = True,
    ) -> Obj:
        """Apply a merge (`merge`, `strategic`) or JSON (`json`) patch to the stored object;
        the patched object is decoded as a body is. `field_validation`, `warnings`, `respond`:
        as for `create`."""
        info = self.info(resource)
        namespace = self._namespace(info, namespace)
        rv = None
        if isinstance(patch, dict):
            rv = (patch.get("metadata") or {}).get("resourceVersion") or None
        return guaranteed_update(
            self,
            info,
            namespace,
            name,
            lambda current: apply_patch(current, patch, patch_type),
            rv,
            subresource or "",
            dry_run,
            user,
            "patch",
            respond,
            (
                field_validation,
                warnings,
                patched_fields(patch, patch_type),
                lambda patched: shown_patch(patch, patch_type, patched),
            ),
            warnings,
        )

    # -- delete --------------------------------------------------------------------------------
    def delete(
        self,
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
        """Delete now, or mark `deletionTimestamp` while finalizers or a grace period remain
        (see `minik8s.apiserver.deletion`); a pending deletion is not written again."""
        return delete_object(
            self,
            resource,
            name,
            namespace,
            propagation_policy=propagation_policy,
            grace_period_seconds=grace_period_seconds,
            preconditions=preconditions,
            dry_run=dry_run,
            user=user,
            warnings=warnings,
        )
