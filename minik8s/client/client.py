"""The API client every component uses, mirroring client-go's dynamic client.

Components never touch the store or each other: they call these verbs, which go to the API
server (`minik8s.apiserver.APIServer`). `resource` is a plural name (`pods`, `deployments`) or
any name `minik8s.api.kinds.lookup` accepts. Objects are plain dicts in Kubernetes shape.

Contract for what comes back (upstream's "do not mutate objects from a lister"): `get`, `list`
and watch events may hand out objects shared with caches; copy before changing them
(`copy.deepcopy`, or `minik8s.api.meta.deep_copy`).

Watch events are `(type, object)` with type `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or
`ERROR` (object: a `metav1.Status` dict, e.g. code 410 reason `Expired` when the requested
resourceVersion was compacted). They are delivered asynchronously, as callbacks on the event loop.

Writes take `field_validation` (`Strict`, `Warn` — the server's default —, `Ignore`: what an
unknown field does, upstream's `fieldValidation` query parameter); the warnings the server
returns (upstream's `Warning:` response headers, e.g. `unknown field "spec.replica"`) are
appended to `client.warnings`, which the caller may read and clear. With `respond=False` a write
returns the stored object without copying it (upstream: a client that ignores the body): for
callers that drop the reply; never change it.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer, Watch
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
WatchHandler = Callable[[str, Obj], None]


class Client:
    """One component's connection to the API server; `user_agent` names it in traces."""

    def __init__(self, server: APIServer, user_agent: str = "client"):
        self.server = server
        self.user_agent = user_agent
        self.warnings: list[str] = []  # the server's warnings, oldest first

    def __repr__(self) -> str:
        return f"<Client {self.user_agent}>"

    @property
    def loop(self) -> EventLoop:
        return self.server.loop

    def create(
        self,
        resource: str,
        obj: Obj,
        namespace: str | None = None,
        *,
        dry_run: bool = False,
        subresource: str | None = None,
        field_validation: str = "Warn",
        respond: bool = True,
    ) -> Obj:
        """POST: create `obj` (its namespace may also come from `metadata.namespace`)."""
        return self.server.create(
            resource,
            obj,
            namespace,
            dry_run=dry_run,
            subresource=subresource,
            user=self.user_agent,
            field_validation=field_validation,
            warnings=self.warnings,
            respond=respond,
        )

    def get(
        self, resource: str, name: str, namespace: str | None = None, *, respond: bool = True
    ) -> Obj:
        """GET one object; raises `NotFound`. `respond=False`: a read-only object shared with
        the server's cache (no copy), for a caller that does not change it."""
        return self.server.get(resource, name, namespace, user=self.user_agent, respond=respond)

    def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int = 0,
        continue_: str = "",
        resource_version: str | None = None,
        resource_version_match: str = "",
    ) -> Obj:
        """LIST: a `<Kind>List` dict with `metadata.resourceVersion` and `items` (and, for a
        page of `limit` items, `metadata.continue` to pass back as `continue_`)."""
        return self.server.list(
            resource,
            namespace,
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            limit=limit,
            continue_=continue_,
            user=self.user_agent,
        )

    def update(
        self,
        resource: str,
        obj: Obj,
        namespace: str | None = None,
        *,
        subresource: str | None = None,
        dry_run: bool = False,
        field_validation: str = "Warn",
        respond: bool = True,
        give: bool = False,
    ) -> Obj:
        """PUT: replace; `metadata.resourceVersion`, when set, must match (else `Conflict`).
        `give`: the caller never reads or changes the body again (`APIServer.update`)."""
        return self.server.update(
            resource,
            obj,
            namespace,
            subresource=subresource,
            dry_run=dry_run,
            user=self.user_agent,
            field_validation=field_validation,
            warnings=self.warnings,
            respond=respond,
            give=give,
        )

    def update_status(self, resource: str, obj: Obj, namespace: str | None = None) -> Obj:
        """PUT on the status subresource: only `status` changes."""
        return self.update(resource, obj, namespace, subresource="status")

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
        field_validation: str = "Warn",
        respond: bool = True,
    ) -> Obj:
        """PATCH with a JSON merge patch (`merge`) or a JSON patch (`json`)."""
        return self.server.patch(
            resource,
            name,
            patch,
            namespace,
            patch_type=patch_type,
            subresource=subresource,
            dry_run=dry_run,
            user=self.user_agent,
            field_validation=field_validation,
            warnings=self.warnings,
            respond=respond,
        )

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
    ) -> Obj:
        """DELETE: returns the object (with `deletionTimestamp` while finalizers remain)."""
        return self.server.delete(
            resource,
            name,
            namespace,
            propagation_policy=propagation_policy,
            grace_period_seconds=grace_period_seconds,
            preconditions=preconditions,
            dry_run=dry_run,
            user=self.user_agent,
            warnings=self.warnings,
        )

    def watch(
        self,
        resource: str,
        handler: WatchHandler,
        namespace: str | None = None,
        *,
        resource_version: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> Watch:
        """WATCH after `resource_version` (None or "0": current state first, as ADDED)."""
        return self.server.watch(
            resource,
            handler,
            namespace,
            resource_version=resource_version,
            label_selector=label_selector,
            field_selector=field_selector,
            user=self.user_agent,
        )
