"""The admission chain, mirroring `staging/src/k8s.io/apiserver/pkg/admission`: every mutating
plugin runs, then every validating plugin; any of them may reject the request. Built in:
`NamespaceLifecycle` (`plugin/pkg/admission/namespace/lifecycle`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from minik8s.api.errors import Forbidden, NotFound
from minik8s.api.kinds import ResourceInfo

if TYPE_CHECKING:
    from minik8s.apiserver.server import APIServer

Obj = dict[str, Any]
RequestPlugins = tuple[tuple["AdmissionPlugin", ...], tuple["AdmissionPlugin", ...]]


@dataclass(slots=True)
class Attributes:
    """What a plugin sees of one request (upstream `admission.Attributes`)."""

    operation: str  # CREATE, UPDATE, DELETE
    info: ResourceInfo
    namespace: str
    name: str
    obj: Obj | None
    old: Obj | None = None
    subresource: str = ""
    user: str = ""
    dry_run: bool = False
    server: APIServer | None = field(default=None, repr=False)


class AdmissionPlugin(Protocol):
    """A plugin: `admit` may change `attrs.obj`; `validate` may only reject (raise). Optional
    attributes: `kinds` (the kinds it acts on), `admits` / `validates` (the operations its
    `admit` / `validate` act on), `mutates(operation, subresource)`; absent, it acts on all."""

    name: str

    def admit(self, attrs: Attributes) -> None: ...

    def validate(self, attrs: Attributes) -> None: ...


class AdmissionChain:
    """Plugins in order; mutating ones first, then validating ones, like upstream."""

    def __init__(self, plugins: list[AdmissionPlugin] | None = None):
        self.plugins: list[AdmissionPlugin] = list(plugins or [])
        # kind -> the plugins that may act on it (see `for_kind`), for this list of this length
        self._by_kind: dict[str, tuple[AdmissionPlugin, ...]] = {}
        # (kind, operation) -> (`admit` plugins, `validate` plugins) (see `for_request`), and
        # (kind, operation, subresource) -> `mutates`: kept and cleared with `_by_kind`
        self._by_request: dict[tuple[str, str], RequestPlugins] = {}
        self._mutates: dict[tuple[str, str, str], bool] = {}
        self._indexed: tuple[list[AdmissionPlugin], int] = (self.plugins, len(self.plugins))

    def __repr__(self) -> str:
        return f"<AdmissionChain {[p.name for p in self.plugins]}>"

    def register(self, plugin: AdmissionPlugin) -> None:
        """Append a plugin (it runs after those already registered)."""
        self.plugins.append(plugin)

    def _forget_if_changed(self) -> None:
        """Forget every remembered answer when the plugin list was replaced or changed size."""
        listed, count = self._indexed
        if listed is not self.plugins or count != len(self.plugins):
            self._by_kind.clear()
            self._by_request.clear()
            self._mutates.clear()
            self._indexed = (self.plugins, len(self.plugins))

    def for_kind(self, kind: str) -> tuple[AdmissionPlugin, ...]:
        """The plugins, in order, that may act on `kind`: a plugin with a `kinds` attribute
        acts on those kinds only (skipped up front for the others), any other on every kind."""
        self._forget_if_changed()
        plugins = self._by_kind.get(kind)
        if plugins is None:
            plugins = self._by_kind[kind] = tuple(
                p for p in self.plugins if kind in getattr(p, "kinds", (kind,))
            )
        return plugins

    def for_request(self, kind: str, operation: str) -> RequestPlugins:
        """(the plugins whose `admit`, those whose `validate` may act on an `operation` of
        `kind`), in order: `for_kind`'s, less a plugin whose `admits` / `validates` attribute
        (upstream: `admission.Handler.Handles`, per interface) leaves `operation` out."""
        listed, count = self._indexed
        found = self._by_request.get((kind, operation))
        if found is None or listed is not self.plugins or count != len(self.plugins):
            self._forget_if_changed()
            plugins = self.for_kind(kind)
            found = self._by_request[(kind, operation)] = (
                tuple(p for p in plugins if operation in getattr(p, "admits", (operation,))),
                tuple(p for p in plugins if operation in getattr(p, "validates", (operation,))),
            )
        return found

    def admit(self, attrs: Attributes) -> None:
        for plugin in self.for_request(attrs.info.kind, attrs.operation)[0]:
            plugin.admit(attrs)

    def mutates(self, kind: str, operation: str, subresource: str) -> bool:
        """Whether some plugin's `admit` may change the object of such a request. A plugin says
        so with `mutates(operation, subresource)` (upstream: `admission.Handler.Handles` of a
        `MutationInterface`); one without that method may change anything. Plugins answer
        from the request's kind, operation and subresource alone: answers are remembered."""
        listed, count = self._indexed
        request = (kind, operation, subresource)
        known = self._mutates.get(request)
        if known is None or listed is not self.plugins or count != len(self.plugins):
            self._forget_if_changed()
            known = False
            for plugin in self.for_request(kind, operation)[0]:
                says = getattr(plugin, "mutates", None)
                if says is None or says(operation, subresource):
                    known = True
                    break
            self._mutates[request] = known
        return known

    def validate(self, attrs: Attributes) -> None:
        for plugin in self.for_request(attrs.info.kind, attrs.operation)[1]:
            plugin.validate(attrs)


IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")


class NamespaceLifecycle:
    """No new objects in a missing or terminating namespace; system namespaces stay. A mutating
    plugin upstream (`Lifecycle.Admit`), so it answers before the object is validated."""

    name = "NamespaceLifecycle"
    # Upstream handles CREATE, UPDATE and DELETE; here a CREATE (`Admit`) and the DELETE of a
    # system namespace (`Validate`) can be refused, so an UPDATE (a Lease renewal) skips it.
    # (Upstream also refuses an UPDATE in a namespace that is gone, which cannot happen here:
    # a namespace is removed only once it is empty.)
    admits = frozenset({"CREATE"})
    validates = frozenset({"DELETE"})

    def __repr__(self) -> str:
        return "<NamespaceLifecycle>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return False  # admits or rejects, never changes the object

    def admit(self, attrs: Attributes) -> None:
        if attrs.info.kind == "Namespace" or attrs.operation != "CREATE":
            return
        if not attrs.info.namespaced or attrs.server is None:
            return
        namespace = attrs.server.cached("namespaces", attrs.namespace)
        if namespace is None:
            raise NotFound.for_resource("namespaces", attrs.namespace)
        if namespace.get("status", {}).get("phase") == "Terminating":
            why = (
                f"unable to create new content in namespace {attrs.namespace} "
                "because it is being terminated"
            )
            error = Forbidden.for_resource(attrs.info.group_resource, resource_name(attrs), why)
            cause = {
                "reason": "NamespaceTerminating",
                "message": f"namespace {attrs.namespace} is being terminated",
                "field": "metadata.namespace",
            }
            error.details.setdefault("causes", []).append(cause)
            raise error

    def validate(self, attrs: Attributes) -> None:
        if (
            attrs.info.kind == "Namespace"
            and attrs.operation == "DELETE"
            and attrs.name in IMMORTAL_NAMESPACES
        ):
            raise Forbidden.for_resource(
                "namespaces", attrs.name, "this namespace may not be deleted"
            )


def resource_name(attrs: Attributes) -> str:
    """admission `extractResourceName`: the request's name, else the object's name, else its
    generateName (a name is generated after admission)."""
    if attrs.name:
        return attrs.name
    meta = (attrs.obj or {}).get("metadata") or {}
    return str(meta.get("name") or meta.get("generateName") or "")
