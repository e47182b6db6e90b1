"""What the Endpoints and EndpointSlice controllers share, mirroring `pkg/api/v1/pod/util.go`
(`FindPort`, `IsPodReady`), `pkg/controller/util/endpoint/controller_utils.go`
(`ShouldPodBeInEndpoints`, `ShouldSetHostname`, `GetPodServiceMemberships`) and the pod handlers
both controllers register. Left out: sidecar (restartable init) container ports.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.podutil import is_pod_ready  # noqa: F401 (re-exported)
from minik8s.client.cache import DeletedFinalStateUnknown

Obj = dict[str, Any]
HEADLESS_LABEL = "service.kubernetes.io/headless"


def pod_ip(pod: Obj) -> str:
    status = pod.get("status") or {}
    ips = status.get("podIPs") or []
    return status.get("podIP") or (ips[0].get("ip", "") if ips else "")


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """upstream `ShouldPodBeInEndpoints`: has an IP, is not finished (nor terminating)."""
    if not pod_ip(pod):
        return False
    if not include_terminating and pod["metadata"].get("deletionTimestamp"):
        return False
    return (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded")


def should_set_hostname(pod: Obj, svc: Obj) -> bool:
    """upstream `ShouldSetHostname`: the pod names this headless service as its subdomain."""
    spec = pod.get("spec") or {}
    return (
        bool(spec.get("hostname"))
        and spec.get("subdomain") == svc["metadata"]["name"]
        and pod["metadata"].get("namespace") == svc["metadata"].get("namespace")
    )


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """upstream `FindPort`: a numeric targetPort as is; a named one from the pod's containers
    (same name and protocol); None when the pod has no such port."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol") or "TCP"
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return int(port["containerPort"])
    return None


def selects(svc: Obj, pod: Obj) -> bool:
    """The service's selector matches the pod (same namespace, non-empty selector)."""
    selector = (svc.get("spec") or {}).get("selector") or {}
    if not selector or svc["metadata"].get("namespace") != pod["metadata"].get("namespace"):
        return False
    labels = pod["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def is_headless(svc: Obj) -> bool:
    return (svc.get("spec") or {}).get("clusterIP") == "None"


def pod_service_keys(services: list[Obj], pod: Obj) -> set[str]:
    """upstream `GetPodServiceMemberships`: keys of the services in `services` selecting `pod`."""
    return {
        f"{s['metadata']['namespace']}/{s['metadata']['name']}" for s in services if selects(s, pod)
    }


def pod_handlers(controller: Any) -> None:
    """Register the pod handlers both controllers use: a pod event enqueues every service that
    selects the pod, before or after the change (a label change moves it between services)."""
    services = controller.informers.lister_for("services")

    def keys(pod: Any) -> set[str]:
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        return pod_service_keys(services.list(pod["metadata"].get("namespace")), pod)

    def on_add(pod: Obj) -> None:
        for key in sorted(keys(pod)):
            controller.enqueue(key)

    def on_update(old: Obj, new: Obj) -> None:
        if old.get("metadata", {}).get("resourceVersion") == new["metadata"].get("resourceVersion"):
            return  # a resync: nothing changed
        for key in sorted(keys(old) | keys(new)):
            controller.enqueue(key)

    controller.informers.informer_for("pods").add_event_handler(
        on_add=on_add, on_update=on_update, on_delete=on_add
    )


def service_labels(svc: Obj) -> dict[str, str]:
    """The service's labels plus the headless marker, as both controllers copy them."""
    labels = dict(svc["metadata"].get("labels") or {})
    if is_headless(svc):
        labels[HEADLESS_LABEL] = ""
    else:
        labels.pop(HEADLESS_LABEL, None)
    return labels
