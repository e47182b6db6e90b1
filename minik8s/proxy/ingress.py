"""An Ingress controller in the manner of ingress-nginx (`kubernetes/ingress-nginx`), with the
matching rules the Ingress API defines (`concepts/services-networking/ingress.md`: "Path types",
"Examples", "Hostname wildcards"; `networking/v1` `HTTPIngressPath`).

It serves Ingresses of its class (`nginx`, the default IngressClass, so also those naming no
class): a host matches exactly, or a `*.` wildcard matches one DNS label; paths match `Exact`
or `Prefix` element-wise on `/` (`ImplementationSpecific` as `Prefix`); the longest match wins
and `Exact` beats `Prefix` at equal length. As in nginx, the host picks the server first (an
exact host beats a wildcard, which beats rules with no host), and only that host's paths count:
no path matching, the server's root answers: the `defaultBackend` of the Ingress defining the
host, else 404 from the controller's own default backend (for rules without host: any
Ingress's `defaultBackend`, oldest first). A backend Service that is missing or has no ready
endpoint answers 503. A host listed in `tls` is served over HTTPS with the named Secret
(checked to exist: without it the controller's fake certificate is used, as ingress-nginx does)
and plain HTTP is redirected (308).
The controller writes its address into each Ingress's `status.loadBalancer.ingress`.
Left out: annotations (rewrite, canary...), resource backends, regex paths, TCP/UDP services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.client.cache import meta_namespace_key

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory

Obj = dict[str, Any]
CLASS_NAME = "nginx"
CONTROLLER = "k8s.io/ingress-nginx"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
FAKE_CERTIFICATE = "Kubernetes Ingress Controller Fake Certificate"


def ingress_class() -> Obj:
    """The IngressClass `nginx`, marked default (created at bootstrap)."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": CLASS_NAME, "annotations": {DEFAULT_CLASS_ANNOTATION: "true"}},
        "spec": {"controller": CONTROLLER},
    }


def path_elements(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def path_matches(path_type: str, path: str, request: str) -> bool:
    """upstream pathType semantics: Exact is string equality; Prefix compares `/` elements;
    ImplementationSpecific is ingress-nginx's `location` prefix (a string prefix)."""
    if path_type == "Exact":
        return path == request
    if path_type == "ImplementationSpecific":
        return request.startswith(path)
    wanted, got = path_elements(path), path_elements(request)
    return got[: len(wanted)] == wanted


def host_matches(rule_host: str, host: str) -> bool:
    """Exact host, or `*.foo.com` covering exactly one label in front of `foo.com`."""
    if not rule_host:
        return True
    if rule_host.startswith("*."):
        label, _, rest = host.partition(".")
        return bool(label) and rest == rule_host[2:]
    return rule_host == host


def _host_rank(rule_host: str) -> int:
    return 2 if rule_host and not rule_host.startswith("*.") else 1 if rule_host else 0


@dataclass
class Match:
    """The backend a request goes to, and why (`rule` describes the rule that matched)."""

    ingress: Obj
    backend: Obj
    rule: str


def _age(ing: Obj) -> tuple[str, str, str]:
    meta = ing["metadata"]
    return (meta.get("creationTimestamp") or "", meta.get("namespace", ""), meta["name"])


def choose_backend(ingresses: list[Obj], host: str, path: str) -> Match | None:
    """Pick the backend for `host` + `path` across `ingresses` (oldest first on ties): first
    the server (the most specific rule host), then the longest path among that host's rules."""
    host = host.split(":")[0].lower()
    ordered = sorted(ingresses, key=_age)
    server = server_host(ordered, host)
    best: tuple[tuple[int, int], Match] | None = None
    for ing in ordered:
        for rule in (ing.get("spec") or {}).get("rules") or []:
            if (rule.get("host") or "") != server:
                continue
            for p in (rule.get("http") or {}).get("paths") or []:
                kind = p.get("pathType") or "ImplementationSpecific"
                if not path_matches(kind, p.get("path") or "/", path):
                    continue
                rank = (len(p.get("path") or "/"), kind == "Exact")
                if best is None or rank > best[0]:
                    where = f"{server or '*'} {p.get('path') or '/'} ({kind})"
                    best = (rank, Match(ing, p.get("backend") or {}, where))
    return best[1] if best is not None else default_backend(ordered, server)


def server_host(ingresses: list[Obj], host: str) -> str:
    """The nginx server a request goes to: a rule host equal to `host`, else a matching `*.`
    wildcard, else "" (the catch-all server of the rules without host)."""
    hosts = {
        rule.get("host") or ""
        for ing in ingresses
        for rule in (ing.get("spec") or {}).get("rules") or []
    }
    matching = sorted(h for h in hosts if h and host_matches(h, host))
    return max(matching, key=_host_rank, default="")


def default_backend(ingresses: list[Obj], server: str) -> Match | None:
    """The root location of `server` (ingress-nginx `createServers`): a host's server answers
    with the `defaultBackend` of the (oldest) Ingress that defines the host, else the
    controller's 404 (None); the catch-all server with the oldest Ingress's `defaultBackend`."""
    for ing in ingresses:
        spec = ing.get("spec") or {}
        if server and not any((r.get("host") or "") == server for r in spec.get("rules") or []):
            continue
        if spec.get("defaultBackend"):
            return Match(ing, spec["defaultBackend"], "defaultBackend")
        if server:
            return None
    return None


def tls_secret(ingresses: list[Obj], host: str) -> tuple[Obj, str] | None:
    """(ingress, secretName) of the first TLS section listing `host` (wildcards included)."""
    for ing in sorted(ingresses, key=_age):
        for tls in (ing.get("spec") or {}).get("tls") or []:
            if any(host_matches(h, host) for h in tls.get("hosts") or []):
                return ing, tls.get("secretName") or ""
    return None


class IngressController:
    """ingress-nginx: watches Ingresses of its class and routes requests for them."""

    name = "ingress-nginx-controller"

    def __init__(self, client: Client, informers: SharedInformerFactory, address: str = ""):
        self.client = client
        self.informers = informers
        self.address = address
        for resource in ("ingresses", "ingressclasses", "services", "endpointslices", "secrets"):
            informers.informer_for(resource)
        self.loop = client.loop
        informers.informer_for("ingresses").add_event_handler(
            on_add=self._enqueue, on_update=lambda _old, new: self._enqueue(new)
        )

    def __repr__(self) -> str:
        return f"<IngressController class={CLASS_NAME} address={self.address or '-'}>"

    def is_default_class(self) -> bool:
        for cls in self.informers.lister_for("ingressclasses").list():
            annotations = cls["metadata"].get("annotations") or {}
            if (
                cls["metadata"]["name"] == CLASS_NAME
                and annotations.get(DEFAULT_CLASS_ANNOTATION) == "true"
            ):
                return True
        return False

    def handles(self, ing: Obj, default: bool | None = None) -> bool:
        """Ours: `ingressClassName: nginx`, the legacy annotation, or no class while default
        (`default`: whether our class is the default, if already known)."""
        named = (ing.get("spec") or {}).get("ingressClassName")
        legacy = (ing["metadata"].get("annotations") or {}).get(LEGACY_CLASS_ANNOTATION)
        if named or legacy:
            return (named or legacy) == CLASS_NAME
        return self.is_default_class() if default is None else default

    def ingresses(self) -> list[Obj]:
        default = self.is_default_class()
        return [
            i for i in self.informers.lister_for("ingresses").list() if self.handles(i, default)
        ]

    def _enqueue(self, ing: Obj) -> None:
        key = meta_namespace_key(ing)
        self.loop.call_soon(self._sync_status, key, label=f"{self.name} sync {key}")

    def _sync_status(self, key: str) -> None:
        """Publish the controller's address in `status.loadBalancer.ingress`."""
        namespace, _, name = key.partition("/")
        try:
            ing = self.informers.lister_for("ingresses").get(namespace, name)
        except NotFound:
            return
        if not self.address or not self.handles(ing):
            return
        wanted = {"ingress": [{"ip": self.address}]}
        if (ing.get("status") or {}).get("loadBalancer") == wanted:
            return
        body = dict(ing, status={"loadBalancer": wanted})
        try:
            self.client.update_status("ingresses", body, namespace)
        except NotFound:
            pass
        except Conflict:
            self._enqueue(ing)  # a newer version is on its way: retry with it

    def secret_exists(self, namespace: str, name: str) -> bool:
        try:
            self.informers.lister_for("secrets").get(namespace, name)
        except NotFound:
            return False
        return True
