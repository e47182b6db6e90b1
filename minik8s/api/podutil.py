"""Pod helpers every controller shares, mirroring `pkg/api/v1/pod/util.go`
(`GetPodReadyCondition`, `IsPodReady`, `IsPodAvailable`, `VisitPodSecretNames`,
`VisitPodConfigmapNames`: here lists of names rather than visitor callbacks)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

Obj = dict[str, Any]


def parse_time(value: str | None) -> float | None:
    """An RFC 3339 `metav1.Time` as seconds since the Unix epoch (None when unset)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def ready_condition(pod: Obj) -> Obj | None:
    """The pod's `Ready` condition, if any (shared: do not mutate)."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition
    return None


def is_pod_ready(pod: Obj) -> bool:
    """`IsPodReady`: the Ready condition is True."""
    condition = ready_condition(pod)
    return condition is not None and condition.get("status") == "True"


def is_pod_available(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    """`IsPodAvailable`: Ready, and for longer than `minReadySeconds` at `now` (epoch seconds;
    strictly, as upstream's `LastTransitionTime.Add(minReadySeconds).Before(now)`)."""
    condition = ready_condition(pod)
    if condition is None or condition.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    since = parse_time(condition.get("lastTransitionTime"))
    return since is not None and since + min_ready_seconds < now


def _containers(pod: Obj) -> list[Obj]:
    """`VisitContainers` with `AllContainers`: init, regular, then ephemeral containers."""
    spec = pod.get("spec") or {}
    kinds = ("initContainers", "containers", "ephemeralContainers")
    return [c for kind in kinds for c in spec.get(kind) or []]


def _container_refs(container: Obj, ref: str, key_ref: str) -> list[str]:
    names = [(s.get(ref) or {}).get("name", "") for s in container.get("envFrom") or [] if ref in s]
    for var in container.get("env") or []:
        source = (var.get("valueFrom") or {}).get(key_ref)
        if source is not None:
            names.append(source.get("name", ""))
    return names


# Volume sources whose `secretRef` names a Secret (`VisitPodSecretNames`).
SECRET_REF_VOLUMES = ("cephfs", "cinder", "flexVolume", "rbd", "scaleIO", "iscsi", "storageos")


def _volume_secret_names(source: Obj) -> list[str]:
    if "azureFile" in source:
        name = source["azureFile"].get("secretName") or ""
        return [name] if name else []
    for kind in SECRET_REF_VOLUMES:
        if kind in source:
            ref = source[kind].get("secretRef")
            return [ref.get("name", "")] if ref is not None else []
    if "projected" in source:
        sources = source["projected"].get("sources") or []
        return [s["secret"].get("name", "") for s in sources if s.get("secret") is not None]
    if "secret" in source:
        return [source["secret"].get("secretName", "")]
    if "csi" in source:
        ref = source["csi"].get("nodePublishSecretRef")
        return [ref.get("name", "")] if ref is not None else []
    return []


def _volume_configmap_names(source: Obj) -> list[str]:
    if "projected" in source:
        sources = source["projected"].get("sources") or []
        return [s["configMap"].get("name", "") for s in sources if s.get("configMap") is not None]
    if "configMap" in source:
        return [source["configMap"].get("name", "")]
    return []


def pod_secret_names(pod: Obj) -> list[str]:
    """The Secrets the pod references, in `VisitPodSecretNames` order without repeats:
    `imagePullSecrets`, every container's `envFrom`/`env` refs, then the volumes."""
    spec = pod.get("spec") or {}
    names = [ref.get("name", "") for ref in spec.get("imagePullSecrets") or []]
    for container in _containers(pod):
        names += _container_refs(container, "secretRef", "secretKeyRef")
    for volume in spec.get("volumes") or []:
        names += _volume_secret_names(volume)
    return list(dict.fromkeys(names))


def pod_configmap_names(pod: Obj) -> list[str]:
    """The ConfigMaps the pod references, in `VisitPodConfigmapNames` order without repeats:
    every container's `envFrom`/`env` refs, then the volumes."""
    names: list[str] = []
    for container in _containers(pod):
        names += _container_refs(container, "configMapRef", "configMapKeyRef")
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        names += _volume_configmap_names(volume)
    return list(dict.fromkeys(names))
