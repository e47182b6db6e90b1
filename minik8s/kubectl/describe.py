"""`kubectl describe TYPE [NAME_PREFIX]`: pick the describer for a kind and print every match.

Mirrors `k8s.io/kubectl/pkg/cmd/describe/describe.go` (exact name first, else every object whose
name starts with the argument; outputs separated by a blank line; `-l` selects by label) and the
`DescriberFor` table of `k8s.io/kubectl/pkg/describe/describe.go`. The per-kind describers live in
`describe_pod`, `describe_node`, `describe_workloads`, `describe_network`, `describe_storage`
and `describe_misc`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl import describe_misc as misc
from minik8s.kubectl import describe_network as net
from minik8s.kubectl import describe_workloads as wl
from minik8s.kubectl.describe_base import PrefixWriter, events_for
from minik8s.kubectl.describe_node import describe_node
from minik8s.kubectl.describe_pod import describe_pod
from minik8s.kubectl.describe_storage import describe_storageclass

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
Describer = Callable[[PrefixWriter, Obj, "list[Obj] | None", Any], None]


def explain(client: Any, obj: Obj) -> str | None:
    """What the cluster's components recorded about `obj` (minik8s's `APIServer.explainers`)."""
    meta = obj.get("metadata") or {}
    key = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
    found = [fn(key) for fn in getattr(getattr(client, "server", None), "explainers", [])]
    return "\n\n".join(text for text in found if text) or None


DESCRIBERS: dict[str, Describer] = {
    "Pod": lambda w, o, ev, c: describe_pod(w, o, ev, explain(c, o)),
    "Deployment": wl.describe_deployment,
    "ReplicaSet": wl.describe_replicaset,
    "StatefulSet": wl.describe_statefulset,
    "DaemonSet": wl.describe_daemonset,
    "Job": wl.describe_job,
    "CronJob": wl.describe_cronjob,
    "Service": net.describe_service,
    "Endpoints": net.describe_endpoints,
    "EndpointSlice": net.describe_endpointslice,
    "Ingress": net.describe_ingress,
    "IngressClass": net.describe_ingressclass,
    "ServiceAccount": misc.describe_serviceaccount,
    "StorageClass": describe_storageclass,
    "Node": describe_node,
    "Namespace": misc.describe_namespace,
    "ConfigMap": misc.describe_configmap,
    "Secret": misc.describe_secret,
    "PersistentVolume": misc.describe_pv,
    "PersistentVolumeClaim": misc.describe_pvc,
}
_NO_EVENTS = ("Secret", "Namespace")


def describe_object(client: Client, info: kinds.ResourceInfo, obj: Obj) -> str:
    """The `kubectl describe` text of one object (ends with a newline)."""
    w = PrefixWriter(client.loop.datetime())
    events = None if info.kind in _NO_EVENTS else events_for(client, obj, info.kind)
    DESCRIBERS.get(info.kind, misc.describe_generic)(w, obj, events, client)
    return w.text()


def _matches(
    client: Client, info: kinds.ResourceInfo, name: str | None, ns: str | None, selector: str | None
) -> list[Obj]:
    if name is not None:
        try:
            return [client.get(info.plural, name, ns)]
        except errors.NotFound:
            items = client.list(info.plural, ns).get("items") or []
            found = [o for o in items if (o.get("metadata") or {}).get("name", "").startswith(name)]
            if not found:
                raise
            return found
    return client.list(info.plural, ns, label_selector=selector).get("items") or []


def run_describe(
    client: Client,
    resource: str,
    names: list[str],
    namespace: str,
    all_namespaces: bool = False,
    selector: str | None = None,
) -> str:
    """Describe every object matching; errors worded like kubectl, after what was found."""
    if "/" in resource:
        resource, _, name = resource.partition("/")
        names = [name, *names]
    info = kinds.lookup(resource)
    ns = None if (all_namespaces or not info.namespaced) else namespace
    outputs: list[str] = []
    errs: list[str] = []
    for name in names or [None]:  # type: ignore[list-item]
        try:
            outputs.extend(
                describe_object(client, info, o) for o in _matches(client, info, name, ns, selector)
            )
        except errors.StatusError as err:
            errs.append(f"Error from server ({err.reason}): {err.message}\n")
    if not outputs and not errs:
        where = f" in {ns} namespace" if ns else ""
        return f"No resources found{where}.\n"
    return "\n\n".join(outputs) + "".join(errs)
