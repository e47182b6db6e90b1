"""Core (v1) defaulting, mirroring `pkg/apis/core/v1/defaults.go` (Service, Secret, PV, PVC,
Namespace, Node status, Endpoints), plus the v1 decode steps upstream runs before validation:
a Secret's `data` / a ConfigMap's `binaryData` must be base64 (`encoding/json` decodes them),
and `Convert_v1_Secret_To_core_Secret` merges `stringData` into `data`.

Also, where upstream does it in the REST strategy rather than in defaults: a Service's
`clusterIP`/`clusterIPs` are synced (the IP families and policy are filled in by the
registry's allocator, `minik8s.apiserver.service_ipfamily`), and
`namespace_prepare_for_create` adds the `kubernetes` finalizer. The status parts of these
defaulters are in `minik8s.api.defaults.status`.
"""

from __future__ import annotations

import base64
from typing import Any

from minik8s.api.defaults import defaults_for
from minik8s.api.defaults.pod import set_defaults_pvc_spec
from minik8s.api.defaults.resources import set_defaults_resource_list
from minik8s.api.defaults.status import (
    set_defaults_namespace_status,
    set_defaults_node_status,
    set_defaults_persistent_volume_claim_status,
    set_defaults_persistent_volume_status,
    set_defaults_service_status,
)
from minik8s.api.errors import BadRequest
from minik8s.api.validation.config import go_base64_decode

Obj = dict[str, Any]
DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800
LABEL_METADATA_NAME = "kubernetes.io/metadata.name"


def _spec(obj: Obj) -> Obj:
    if not isinstance(obj.get("spec"), dict):
        obj["spec"] = {}
    return obj["spec"]


# --- Service -----------------------------------------------------------------------------------


@defaults_for("Service")
def set_defaults_service(svc: Obj) -> None:
    """upstream `SetDefaults_Service` plus the clusterIP(s)/ipFamilies the registry fills in."""
    spec = _spec(svc)
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = (spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}
        if client_ip.get("timeoutSeconds") is None:
            timeout = {"timeoutSeconds": DEFAULT_CLIENT_IP_AFFINITY_SECONDS}
            spec["sessionAffinityConfig"] = {"clientIP": timeout}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or []:
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port", 0)
    kind = spec["type"]
    externally = kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )
    if externally and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and kind in (
        "ClusterIP",
        "LoadBalancer",
        "NodePort",
    ):
        spec["internalTrafficPolicy"] = "Cluster"
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    if kind != "ExternalName":
        _default_cluster_ips(spec)
    set_defaults_service_status(svc)


def _default_cluster_ips(spec: Obj) -> None:
    """The strategy's `normalizeClusterIPs` on create: `clusterIP` and `clusterIPs` in sync.
    The IP families and policy are the allocator's (`service_alloc.init_ip_family_fields`)."""
    cluster_ip, ips = spec.get("clusterIP") or "", spec.get("clusterIPs") or []
    if cluster_ip and not ips:
        spec["clusterIPs"] = [cluster_ip]
    elif ips and not cluster_ip:
        spec["clusterIP"] = ips[0]


# --- Secret / ConfigMap decode -----------------------------------------------------------------


def check_base64_fields(obj: Obj) -> None:
    """Raise upstream's decode error if a Secret's `data` or a ConfigMap's `binaryData` value is
    not base64: BadRequest `Secret in version "v1" cannot be handled as a Secret: illegal base64
    data at input byte 4`."""
    kind = obj.get("kind", "")
    field = {"Secret": "data", "ConfigMap": "binaryData"}.get(kind)
    if field is None:
        return
    version = str(obj.get("apiVersion", "v1")).rsplit("/", 1)[-1]
    for key in sorted(obj.get(field) or {}):
        value = obj[field][key]
        error = None
        if value is None:
            continue
        if not isinstance(value, str):
            error = (
                f"json: cannot unmarshal {_json_kind(value)} into Go struct field "
                f"{kind}.{field} of type []uint8"
            )
        else:
            error = go_base64_decode(value)[1]
        if error:
            raise BadRequest(
                f'{kind} in version "{version}" cannot be handled as a {kind}: {error}'
            )


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "array" if isinstance(value, list) else "object"


def secret_merge_string_data(secret: Obj) -> Obj:
    """The v1 decode of a Secret: check `data` is base64 (BadRequest otherwise), then write each
    `stringData` entry into `data` (base64, overwriting) and drop `stringData`, like upstream's
    `Convert_v1_Secret_To_core_Secret`. Mutates and returns `secret`."""
    check_base64_fields(secret)
    string_data = secret.get("stringData") or {}
    for key in sorted(string_data):
        value = string_data[key]
        if value is not None and not isinstance(value, str):
            raise BadRequest(
                'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal '
                f"{_json_kind(value)} into Go struct field Secret.stringData of type string"
            )
    secret.pop("stringData", None)
    if string_data:
        data = secret.get("data") or {}
        for key, value in string_data.items():
            data[key] = base64.b64encode((value or "").encode()).decode()
        secret["data"] = data
    return secret


@defaults_for("Secret")
def set_defaults_secret(secret: Obj) -> None:
    """upstream `SetDefaults_Secret`: type Opaque."""
    if not secret.get("type"):
        secret["type"] = "Opaque"


# --- PersistentVolume(Claim) -------------------------------------------------------------------


@defaults_for("PersistentVolume")
def set_defaults_persistent_volume(pv: Obj) -> None:
    """upstream `SetDefaults_PersistentVolume`: phase Pending, reclaim Retain, Filesystem."""
    spec = _spec(pv)
    set_defaults_persistent_volume_status(pv)
    set_defaults_resource_list(spec, "capacity")
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"


@defaults_for("PersistentVolumeClaim")
def set_defaults_persistent_volume_claim(pvc: Obj) -> None:
    """upstream `SetDefaults_PersistentVolumeClaim(Spec)`: phase Pending, volumeMode Filesystem
    (and `spec.resources`, a struct Go always writes)."""
    set_defaults_persistent_volume_claim_status(pvc)
    set_defaults_pvc_spec(_spec(pvc))


# --- Namespace, Node, Endpoints ----------------------------------------------------------------


@defaults_for("Namespace")
def set_defaults_namespace(ns: Obj) -> None:
    """upstream `SetDefaults_Namespace` (metadata.name label) and `SetDefaults_NamespaceStatus`."""
    meta = ns.setdefault("metadata", {})
    if meta.get("name"):
        meta["labels"] = {**(meta.get("labels") or {}), LABEL_METADATA_NAME: meta["name"]}
    set_defaults_namespace_status(ns)


def namespace_prepare_for_create(ns: Obj) -> Obj:
    """The namespace strategy's `PrepareForCreate`: status Active and the `kubernetes` finalizer.
    Not a defaulter: the namespace controller removes that finalizer later, so only a create
    adds it."""
    ns["status"] = {"phase": "Active"}
    spec = _spec(ns)
    finalizers = list(spec.get("finalizers") or [])
    if "kubernetes" not in finalizers:
        finalizers.append("kubernetes")
    spec["finalizers"] = finalizers
    return ns


@defaults_for("Node")
def set_defaults_node(node: Obj) -> None:
    """upstream `SetDefaults_NodeStatus`: allocatable defaults to capacity."""
    set_defaults_node_status(node)


@defaults_for("Endpoints")
def set_defaults_endpoints(ep: Obj) -> None:
    """upstream `SetDefaults_Endpoints`: port protocol TCP."""
    for subset in ep.get("subsets") or []:
        for port in subset.get("ports") or []:
            if not port.get("protocol"):
                port["protocol"] = "TCP"
