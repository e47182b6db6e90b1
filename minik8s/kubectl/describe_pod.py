"""`kubectl describe pod`.

Mirrors `describePod` of `k8s.io/kubectl/pkg/describe/describe.go` (node, start time, status or
`Terminating (lasts ...)`, IPs, controller, containers, conditions, volumes, QoS class,
node-selectors, tolerations, events) and `qos.GetPodQOS` when `status.qosClass` is unset. Leaves
out ephemeral containers, seccomp profiles, runtime classes and topology spread constraints.
"""

from __future__ import annotations

from typing import Any

from minik8s.kubectl.describe_base import (
    PrefixWriter,
    annotations_multiline,
    controller_of,
    describe_events,
    labels_multiline,
    rfc1123z,
    tolerations_multiline,
)
from minik8s.kubectl.describe_containers import describe_containers, describe_volumes
from minik8s.kubectl.table import since

Obj = dict[str, Any]


def qos_class(pod: Obj) -> str:
    """`status.qosClass`, else computed like `qos.GetPodQOS` (requests == limits → Guaranteed)."""
    status = pod.get("status") or {}
    if status.get("qosClass"):
        return status["qosClass"]
    containers = (pod.get("spec") or {}).get("containers") or []
    resources = [c.get("resources") or {} for c in containers]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    for r in resources:
        limits, requests = r.get("limits") or {}, r.get("requests") or {}
        for name in ("cpu", "memory"):
            if name not in limits or requests.get(name, limits[name]) != limits[name]:
                return "Burstable"
    return "Guaranteed"


def describe_pod(
    w: PrefixWriter, pod: Obj, events: list[Obj] | None, explanation: str | None = None
) -> None:
    """`describePod`; `explanation` (minik8s only) is the scheduler's decision record."""
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    node = f"{spec['nodeName']}/{status.get('hostIP', '')}" if spec.get("nodeName") else "<none>"
    w.write(0, f"Node:\t{node}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    if meta.get("deletionTimestamp") and status.get("phase") not in ("Succeeded", "Failed"):
        # upstream's translateTimestampSince: a deletionTimestamp still in the grace period
        # lies in the future, so this prints `<invalid>` (kubernetes/kubernetes#74790).
        w.write(0, f"Status:\tTerminating (lasts {since(w.now, meta['deletionTimestamp'])})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    for field, label in (("reason", "Reason"), ("message", "Message")):
        if status.get(field):
            w.write(0, f"{label}:\t{status[field]}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for ip in ips:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    if controller_of(pod):
        w.write(0, f"Controlled By:\t{controller_of(pod)}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers(
            w,
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses") or [],
            "",
        )
    describe_containers(
        w, "Containers", spec.get("containers") or [], status.get("containerStatuses") or [], ""
    )
    if spec.get("readinessGates"):
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            ctype = gate.get("conditionType")
            w.write(1, f"{ctype} \t{conditions.get(ctype, '<none>')} \n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type')} \t{c.get('status')} \n")
    describe_volumes(w, spec.get("volumes"), "")
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    if explanation:
        w.write(0, "Scheduling Decision (minik8s):\n")
        for line in explanation.splitlines():
            w.write(1, f"{line}\n" if line else "\n")
    describe_events(w, events)
