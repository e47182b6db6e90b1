"""Pod and PodSpec defaults, mirroring `pkg/apis/core/v1/defaults.go` (+ generated defaulters).

`set_defaults_pod_spec` is what every workload applies to its `spec.template.spec`;
`SetDefaults_Pod` extras (requests from limits, enableServiceLinks, host-network ports) only
apply to Pods, exactly as upstream; every resource list is rounded up to milli precision
(`minik8s.api.defaults.resources`). Left out: pod-level resources, and the exotic volume
plugins' defaults (iSCSI, RBD, ScaleIO, AzureDisk). `serviceAccountName` is not defaulted
here: upstream sets it in the ServiceAccount admission plugin, not in defaulting.

Also filled in here, though upstream has no defaulter for them: the struct fields Go's JSON
always writes because they are not pointers (`omitempty` never omits a struct), so that the
stored object reads like a v1.31 API server's answer: a container's `resources: {}`, a claim
spec's `resources: {}`, and an embedded ObjectMeta's (pod or claim template) zero
`creationTimestamp`, which `metav1.Time` encodes as `null`. `hash_view` in
`minik8s.controllers.deployment_util` strips them again for the pod-template hash.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import defaults_for
from minik8s.api.defaults.image import image_tag
from minik8s.api.defaults.resources import (
    set_defaults_resource_list,
    set_defaults_resource_requirements,
)

Obj = dict[str, Any]

CONTAINER_KINDS = ("containers", "initContainers", "ephemeralContainers")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


def child(obj: Obj, key: str) -> Obj:
    """`obj[key]` as a dict, created when absent or null (like Go's zero-valued struct)."""
    value = obj.get(key)
    if value is None:
        value = obj[key] = {}
    return value


def set_defaults_container(container: Obj) -> None:
    """`SetDefaults_Container` plus the generated per-field defaults of a container."""
    if not container.get("imagePullPolicy"):
        latest = image_tag(container.get("image", "")) == "latest"
        container["imagePullPolicy"] = "Always" if latest else "IfNotPresent"
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    for port in container.get("ports") or []:
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in container.get("env") or []:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef")
        if field_ref is not None and not field_ref.get("apiVersion"):
            field_ref["apiVersion"] = "v1"
    for probe_name in _PROBES:
        if container.get(probe_name) is not None:
            set_defaults_probe(container[probe_name])
    for hook in ("postStart", "preStop"):
        handler = (container.get("lifecycle") or {}).get(hook)
        if handler is not None:
            _set_defaults_handler(handler)
    if container.get("resources") is None:  # a struct, not a pointer: Go always writes it
        container["resources"] = {}
    else:
        set_defaults_resource_requirements(container)


def zero_object_meta(owner: Obj, key: str = "metadata") -> None:
    """An embedded `metav1.ObjectMeta` (template, claim template) as Go writes it: always
    present, with a zero `creationTimestamp` that `metav1.Time` encodes as `null`."""
    meta = child(owner, key)
    if "creationTimestamp" not in meta:
        meta["creationTimestamp"] = None


def set_defaults_probe(probe: Obj) -> None:
    """`SetDefaults_Probe`: timeout 1s, period 10s, success 1, failure 3; handler defaults."""
    for key, value in (
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ):
        if not probe.get(key):
            probe[key] = value
    _set_defaults_handler(probe)


def _set_defaults_handler(handler: Obj) -> None:
    http_get = handler.get("httpGet")
    if http_get is not None:
        if not http_get.get("path"):
            http_get["path"] = "/"
        if not http_get.get("scheme"):
            http_get["scheme"] = "HTTP"
    grpc = handler.get("grpc")
    if grpc is not None and grpc.get("service") is None:
        grpc["service"] = ""


_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
    "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
    "csi", "ephemeral", "image",
)  # fmt: skip


def set_defaults_volume(volume: Obj) -> None:
    """`SetDefaults_Volume` and the defaults of its source (modes 0644, hostPath type "")."""
    if not any(volume.get(source) is not None for source in _VOLUME_SOURCES):
        volume["emptyDir"] = {}
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        if volume.get(source) is not None and volume[source].get("defaultMode") is None:
            volume[source]["defaultMode"] = 0o644
    if volume.get("hostPath") is not None and volume["hostPath"].get("type") is None:
        volume["hostPath"]["type"] = ""
    if volume.get("image") is not None and not volume["image"].get("pullPolicy"):
        latest = image_tag(volume["image"].get("reference", "")) == "latest"
        volume["image"]["pullPolicy"] = "Always" if latest else "IfNotPresent"
    for item in (volume.get("downwardAPI") or {}).get("items") or []:
        _default_field_ref(item)
    for projection in (volume.get("projected") or {}).get("sources") or []:
        for item in (projection.get("downwardAPI") or {}).get("items") or []:
            _default_field_ref(item)
        token = projection.get("serviceAccountToken")
        if token is not None and token.get("expirationSeconds") is None:
            token["expirationSeconds"] = 3600
    claim_template = (volume.get("ephemeral") or {}).get("volumeClaimTemplate")
    if claim_template is not None:
        zero_object_meta(claim_template)
        set_defaults_pvc_spec(child(claim_template, "spec"))


def _default_field_ref(item: Obj) -> None:
    field_ref = item.get("fieldRef")
    if field_ref is not None and not field_ref.get("apiVersion"):
        field_ref["apiVersion"] = "v1"


def set_defaults_pod_spec(spec: Obj) -> None:
    """`SetDefaults_PodSpec` and everything nested (volumes, containers, probes)."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    set_defaults_resource_list(spec, "overhead")
    for volume in spec.get("volumes") or []:
        set_defaults_volume(volume)
    for kind in CONTAINER_KINDS:
        for container in spec.get(kind) or []:
            set_defaults_container(container)


def set_defaults_pod_template(template: Obj) -> None:
    """The defaults a workload's `spec.template` gets (PodSpec only, not Pod-only extras), and
    its metadata's `creationTimestamp: null`."""
    zero_object_meta(template)
    set_defaults_pod_spec(child(template, "spec"))


def _requests_from_limits(container: Obj) -> None:
    resources = container.get("resources")
    if not resources or resources.get("limits") is None:
        return
    requests = resources.get("requests")
    if requests is None:
        requests = resources["requests"] = {}
    for name, value in resources["limits"].items():
        requests.setdefault(name, value)


@defaults_for("Pod")
def set_defaults_pod(pod: Obj) -> None:
    """`SetObjectDefaults_Pod`: `SetDefaults_Pod` then `SetDefaults_PodSpec` and nested."""
    spec = child(pod, "spec")
    for kind in ("containers", "initContainers"):
        for container in spec.get(kind) or []:
            _requests_from_limits(container)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for kind in ("containers", "initContainers"):
            for container in spec.get(kind) or []:
                for port in container.get("ports") or []:
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)
    set_defaults_pod_spec(spec)


def set_defaults_pvc_spec(spec: Obj) -> None:
    """`SetDefaults_PersistentVolumeClaimSpec`: Filesystem mode; `resources` (a struct) always."""
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    if spec.get("resources") is None:
        spec["resources"] = {}
    else:
        set_defaults_resource_requirements(spec)


def set_defaults_pvc_template(claim: Obj) -> None:
    """`SetDefaults_PersistentVolumeClaim` + `..ClaimSpec` (StatefulSet volumeClaimTemplates),
    with the embedded metadata's `creationTimestamp: null`."""
    zero_object_meta(claim)
    set_defaults_pvc_spec(child(claim, "spec"))
    status = child(claim, "status")
    if not status.get("phase"):
        status["phase"] = "Pending"
