"""`kubectl get` rows for config, storage, cluster and event kinds.

Mirrors part of `pkg/printers/internalversion/printers.go`: `printConfigMap`, `printSecret`,
`printServiceAccount`, `printPersistentVolume(Claim)`, `printStorageClass`, `printNode`
(`findNodeRoles`), `printNamespace`, `printEvent` and `printLease`. Leaves out IPv6 brackets in
endpoint addresses and the 16-byte clipping of load-balancer addresses (never used without wide).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from minik8s.kubectl.printers import (
    Column,
    Obj,
    Row,
    object_age,
    object_meta,
)
from minik8s.kubectl.table import since


def _name(obj: Obj) -> str:
    return object_meta(obj).get("name", "")


# -- config and storage ------------------------------------------------------------------------
def _configmap(obj: Obj, now: datetime) -> list[Any]:
    count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [_name(obj), count, object_age(obj, now)]


def _secret(obj: Obj, now: datetime) -> list[Any]:
    count = len(obj.get("data") or {})
    return [_name(obj), obj.get("type", "Opaque"), count, object_age(obj, now)]


def _serviceaccount(obj: Obj, now: datetime) -> list[Any]:
    return [_name(obj), len(obj.get("secrets") or []), object_age(obj, now)]


def access_modes(modes: list[str]) -> str:
    """`GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` in that order."""
    short = (
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    )
    return ",".join(s for long, s in short if long in modes)


def storage_class_of(obj: Obj) -> str:
    """`GetPersistentVolume(Claim)Class`: beta annotation, else `spec.storageClassName`."""
    beta = (object_meta(obj).get("annotations") or {}).get(
        "volume.beta.kubernetes.io/storage-class"
    )
    return beta if beta is not None else (obj.get("spec") or {}).get("storageClassName", "")


def _unset(value: str | None) -> str:
    """A pointer field: `<unset>` when nil, else its value (even "")."""
    return "<unset>" if value is None else value


def _pv(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ref = spec.get("claimRef")
    claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""
    phase = "Terminating" if object_meta(obj).get("deletionTimestamp") else status.get("phase", "")
    return [
        _name(obj),
        (spec.get("capacity") or {}).get("storage", "0"),
        access_modes(spec.get("accessModes") or []),
        spec.get("persistentVolumeReclaimPolicy", ""),
        phase,
        claim,
        storage_class_of(obj),
        _unset(spec.get("volumeAttributesClassName")),
        status.get("reason", ""),
        object_age(obj, now),
        _unset(spec.get("volumeMode")),
    ]


def _pvc(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    phase = "Terminating" if object_meta(obj).get("deletionTimestamp") else status.get("phase", "")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes") or [])
        capacity = (status.get("capacity") or {}).get("storage", "0")
    return [
        _name(obj),
        phase,
        spec.get("volumeName", ""),
        capacity,
        modes,
        storage_class_of(obj),
        _unset(spec.get("volumeAttributesClassName")),
        object_age(obj, now),
        _unset(spec.get("volumeMode")),
    ]


def is_default_class(obj: Obj) -> bool:
    """`IsDefaultAnnotation`: the (beta) is-default-class annotation is `true`."""
    annotations = object_meta(obj).get("annotations") or {}
    return "true" in (
        annotations.get("storageclass.kubernetes.io/is-default-class"),
        annotations.get("storageclass.beta.kubernetes.io/is-default-class"),
    )


def _storageclass(obj: Obj, now: datetime) -> list[Any]:
    name = _name(obj) + (" (default)" if is_default_class(obj) else "")
    return [
        name,
        obj.get("provisioner", ""),
        obj.get("reclaimPolicy") or "Delete",
        obj.get("volumeBindingMode") or "Immediate",
        bool(obj.get("allowVolumeExpansion")),
        object_age(obj, now),
    ]


# -- cluster -----------------------------------------------------------------------------------
def node_roles(node: Obj) -> list[str]:
    """`findNodeRoles`: `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels."""
    roles = set()
    for key, value in (object_meta(node).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/") and key[len("node-role.kubernetes.io/") :]:
            roles.add(key[len("node-role.kubernetes.io/") :])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def node_status(node: Obj) -> str:
    """`Ready`, `NotReady`, `Unknown`, plus `,SchedulingDisabled` when cordoned."""
    status = []
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            status = ["Ready" if cond.get("status") == "True" else "NotReady"]
    status = status or ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _address(node: Obj, kind: str) -> str:
    for addr in (node.get("status") or {}).get("addresses") or []:
        if addr.get("type") == kind:
            return addr.get("address", "")
    return "<none>"


def _node(obj: Obj, now: datetime) -> list[Any]:
    info = (obj.get("status") or {}).get("nodeInfo") or {}
    return [
        _name(obj),
        node_status(obj),
        ",".join(node_roles(obj)) or "<none>",
        object_age(obj, now),
        info.get("kubeletVersion", ""),
        _address(obj, "InternalIP"),
        _address(obj, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def _namespace(obj: Obj, now: datetime) -> list[Any]:
    return [_name(obj), (obj.get("status") or {}).get("phase", ""), object_age(obj, now)]


def _lease(obj: Obj, now: datetime) -> list[Any]:
    return [_name(obj), (obj.get("spec") or {}).get("holderIdentity") or "", object_age(obj, now)]


def event_source(event: Obj) -> str:
    """`formatEventSource`: `component, host` (falling back to reportingController/Instance)."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {host}" if host else component


def _event(obj: Obj, now: datetime) -> list[Any]:
    first = obj.get("firstTimestamp")
    first_text = since(now, first) if first else since(now, obj.get("eventTime"))
    last_text = since(now, obj["lastTimestamp"]) if obj.get("lastTimestamp") else first_text
    count = obj.get("count") or 1
    if obj.get("series"):
        last_text = since(now, obj["series"].get("lastObservedTime"))
        count = obj["series"].get("count", count)
    involved = obj.get("involvedObject") or {}
    target = (involved.get("kind") or "").lower()
    if involved.get("name"):
        target += "/" + involved["name"]
    return [
        last_text,
        obj.get("type", ""),
        obj.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        event_source(obj),
        (obj.get("message") or "").strip(),
        first_text,
        count,
        _name(obj),
    ]


OTHERS: dict[str, tuple[list[Column], Row]] = {
    "ConfigMap": ([("NAME", 0), ("DATA", 0), ("AGE", 0)], _configmap),
    "Secret": ([("NAME", 0), ("TYPE", 0), ("DATA", 0), ("AGE", 0)], _secret),
    "ServiceAccount": ([("NAME", 0), ("SECRETS", 0), ("AGE", 0)], _serviceaccount),
    "PersistentVolume": (
        [
            ("NAME", 0),
            ("CAPACITY", 0),
            ("ACCESS MODES", 0),
            ("RECLAIM POLICY", 0),
            ("STATUS", 0),
            ("CLAIM", 0),
            ("STORAGECLASS", 0),
            ("VOLUMEATTRIBUTESCLASS", 0),
            ("REASON", 0),
            ("AGE", 0),
            ("VOLUMEMODE", 1),
        ],
        _pv,
    ),
    "PersistentVolumeClaim": (
        [
            ("NAME", 0),
            ("STATUS", 0),
            ("VOLUME", 0),
            ("CAPACITY", 0),
            ("ACCESS MODES", 0),
            ("STORAGECLASS", 0),
            ("VOLUMEATTRIBUTESCLASS", 0),
            ("AGE", 0),
            ("VOLUMEMODE", 1),
        ],
        _pvc,
    ),
    "StorageClass": (
        [
            ("NAME", 0),
            ("PROVISIONER", 0),
            ("RECLAIMPOLICY", 0),
            ("VOLUMEBINDINGMODE", 0),
            ("ALLOWVOLUMEEXPANSION", 0),
            ("AGE", 0),
        ],
        _storageclass,
    ),
    "Node": (
        [
            ("NAME", 0),
            ("STATUS", 0),
            ("ROLES", 0),
            ("AGE", 0),
            ("VERSION", 0),
            ("INTERNAL-IP", 1),
            ("EXTERNAL-IP", 1),
            ("OS-IMAGE", 1),
            ("KERNEL-VERSION", 1),
            ("CONTAINER-RUNTIME", 1),
        ],
        _node,
    ),
    "Namespace": ([("NAME", 0), ("STATUS", 0), ("AGE", 0)], _namespace),
    "Event": (
        [
            ("LAST SEEN", 0),
            ("TYPE", 0),
            ("REASON", 0),
            ("OBJECT", 0),
            ("SUBOBJECT", 1),
            ("SOURCE", 1),
            ("MESSAGE", 0),
            ("FIRST SEEN", 1),
            ("COUNT", 1),
            ("NAME", 1),
        ],
        _event,
    ),
    "Lease": ([("NAME", 0), ("HOLDER", 0), ("AGE", 0)], _lease),
}
