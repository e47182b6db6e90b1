"""The kinds registry: what `kubectl api-resources` prints.

Every kind minik8s serves, with its group/version, plural, singular, short names and scope, and
the lookup that turns `po`, `pod`, `pods`, `Pod` or `deployments.apps` into one `ResourceInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class ResourceInfo:
    """One served resource, like an `APIResource` entry of API discovery."""

    group: str
    version: str
    kind: str
    plural: str
    singular: str
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    has_status: bool = True
    categories: tuple[str, ...] = ()

    # Derived names, computed once per instance (they are read on every API write). A
    # `cached_property` stores its value in the instance `__dict__` directly, which a frozen
    # dataclass allows; the value never changes, as the fields cannot.
    @cached_property
    def api_version(self) -> str:
        """`apps/v1`, or plain `v1` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @cached_property
    def group_resource(self) -> str:
        """`deployments.apps`, or `pods`: how upstream's errors name a resource."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @cached_property
    def group_kind(self) -> str:
        """`Deployment.apps`, or `Pod`: how upstream's Invalid errors name a kind."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def __repr__(self) -> str:
        return f"<ResourceInfo {self.group_resource} {self.api_version} {self.kind}>"


_ALL = ("all",)

RESOURCES: tuple[ResourceInfo, ...] = (
    ResourceInfo("", "v1", "Binding", "bindings", "binding", has_status=False),
    ResourceInfo("", "v1", "ConfigMap", "configmaps", "configmap", ("cm",), has_status=False),
    ResourceInfo("", "v1", "Endpoints", "endpoints", "endpoints", ("ep",), has_status=False),
    ResourceInfo("", "v1", "Event", "events", "event", ("ev",), has_status=False),
    ResourceInfo("", "v1", "Namespace", "namespaces", "namespace", ("ns",), namespaced=False),
    ResourceInfo("", "v1", "Node", "nodes", "node", ("no",), namespaced=False),
    ResourceInfo(
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        ("pvc",),
    ),
    ResourceInfo(
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        "persistentvolume",
        ("pv",),
        namespaced=False,
    ),
    ResourceInfo("", "v1", "Pod", "pods", "pod", ("po",), categories=_ALL),
    ResourceInfo("", "v1", "Secret", "secrets", "secret", has_status=False),
    ResourceInfo(
        "", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", ("sa",), has_status=False
    ),
    ResourceInfo("", "v1", "Service", "services", "service", ("svc",), categories=_ALL),
    ResourceInfo(
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        "controllerrevision",
        has_status=False,
    ),
    ResourceInfo("apps", "v1", "DaemonSet", "daemonsets", "daemonset", ("ds",), categories=_ALL),
    ResourceInfo(
        "apps", "v1", "Deployment", "deployments", "deployment", ("deploy",), categories=_ALL
    ),
    ResourceInfo("apps", "v1", "ReplicaSet", "replicasets", "replicaset", ("rs",), categories=_ALL),
    ResourceInfo(
        "apps", "v1", "StatefulSet", "statefulsets", "statefulset", ("sts",), categories=_ALL
    ),
    ResourceInfo("batch", "v1", "CronJob", "cronjobs", "cronjob", ("cj",), categories=_ALL),
    ResourceInfo("batch", "v1", "Job", "jobs", "job", categories=_ALL),
    ResourceInfo("coordination.k8s.io", "v1", "Lease", "leases", "lease", has_status=False),
    ResourceInfo(
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        "endpointslice",
        has_status=False,
    ),
    ResourceInfo(
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        "ingressclass",
        namespaced=False,
        has_status=False,
    ),
    ResourceInfo("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", ("ing",)),
    ResourceInfo(
        "storage.k8s.io",
        "v1",
        "VolumeAttachment",
        "volumeattachments",
        "volumeattachment",
        namespaced=False,
    ),
    ResourceInfo(
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        "storageclass",
        ("sc",),
        namespaced=False,
        has_status=False,
    ),
)

_BY_NAME: dict[str, ResourceInfo] = {}
for _info in RESOURCES:
    for _name in (_info.plural, _info.singular, _info.kind.lower(), *_info.short_names):
        _BY_NAME.setdefault(_name, _info)
        if _info.group:
            _BY_NAME.setdefault(f"{_name}.{_info.group}", _info)
_BY_KIND: dict[tuple[str, str], ResourceInfo] = {(i.api_version, i.kind): i for i in RESOURCES}


class UnknownResource(LookupError):
    """Raised for a name no served resource answers to; worded like kubectl."""


def lookup(name: str) -> ResourceInfo:
    """The resource for a kubectl-style name: `po`, `pod`, `pods`, `Pod`, `deployments.apps`."""
    info = _BY_NAME.get(name) or _BY_NAME.get(name.lower())
    if info is None:
        raise UnknownResource(f'the server doesn\'t have a resource type "{name}"')
    return info


def for_kind(api_version: str, kind: str) -> ResourceInfo:
    """The resource an object's `apiVersion` and `kind` name; precise errors for either."""
    info = _BY_KIND.get((api_version, kind))
    if info is not None:
        return info
    raise UnknownResource(f'no matches for kind "{kind}" in version "{api_version}"')


def by_category(category: str) -> list[ResourceInfo]:
    """Resources in a category, e.g. `all` for `kubectl get all`."""
    return [i for i in RESOURCES if category in i.categories]
