"""LIST and WATCH requests, mirroring `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go`
(`ListResource`) and `watch.go`, served by the watch cache (`cacher.py`) or, for an exact or paged
list, by `listing.py` as the generic registry's `List`
(`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import BadRequest, Expired
from minik8s.apiserver.cacher import Filter, Watch
from minik8s.apiserver.listing import ListOptions, get_list

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer

Obj = dict[str, Any]


def list_objects(
    server: APIServer,
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
    """`APIServer.list`: a `<Kind>List` (items shared: do not mutate)."""
    info = server.info(resource)
    selection = Filter(info, namespace if info.namespaced else None, label_selector, field_selector)
    source = server.cachers[info.plural]
    rv = "" if resource_version is None else str(resource_version)
    if rv or resource_version_match or limit or continue_:
        options = ListOptions(rv, resource_version_match, limit, continue_)
        result = get_list(server.store, source, selection, options)
        items, metadata = result.items, result.list_meta()
    else:  # the common case: everything now, from the watch cache
        items, metadata = source.list(selection), {"resourceVersion": str(server.store.revision)}
    return {
        "apiVersion": info.api_version,
        "kind": f"{info.kind}List",
        "metadata": metadata,
        "items": items,
    }


def watch_objects(
    server: APIServer,
    resource: str,
    handler: Callable[[str, Obj], None],
    namespace: str | None = None,
    *,
    resource_version: str | None = None,
    label_selector: str | None = None,
    field_selector: str | None = None,
    user: str = "",
) -> Watch:
    """`APIServer.watch`: events after `resource_version`, or the current objects first."""
    info = server.info(resource)
    cacher = server.cachers[info.plural]
    selection = Filter(info, namespace if info.namespaced else None, label_selector, field_selector)
    watch = Watch(cacher, handler, selection, user or "client")
    if resource_version in (None, "", "0"):
        cacher.add_watch(watch, None)
        return watch
    try:
        revision = int(str(resource_version))
    except ValueError:
        raise BadRequest(f"invalid resource version: {resource_version!r}") from None
    if revision < cacher.oldest_revision:
        error = Expired(f"too old resource version: {revision} ({cacher.oldest_revision})")
        watch.send("ERROR", error.status())
        return watch
    cacher.add_watch(watch, revision)
    return watch
