"""Status words for pods and nodes, as `kubectl get` prints them, and the colour they pick.

The words come from minik8s's `kubectl` printers, which mirror `printPod` and `printNode` of
upstream's `pkg/printers/internalversion/printers.go`; this module only adds the coarse phase
a diagram colours by (`Running`, `Pending`, `Failed`, `Succeeded`, `Terminating`).
"""

from __future__ import annotations

from typing import Any

from minik8s.kubectl.pod_status import pod_status as _print_pod
from minik8s.kubectl.printers_misc import node_status as _print_node

Obj = dict[str, Any]


def pod_phase(pod: Obj) -> str:
    """`Terminating`, or the pod's phase (`Pending` when it has none yet); picks the colour."""
    if pod.get("metadata", {}).get("deletionTimestamp"):
        return "Terminating"
    return str((pod.get("status") or {}).get("phase") or "Pending")


def pod_status(pod: Obj) -> str:
    """What `kubectl get pods` shows in STATUS (`Running`, `CrashLoopBackOff`, `Init:0/1`…)."""
    return _print_pod(pod)[2] or pod_phase(pod)


def node_status(node: Obj) -> str:
    """`kubectl get nodes` STATUS: `Ready`, `NotReady` or `Unknown`, maybe `,SchedulingDisabled`."""
    return _print_node(node)


def is_control_plane(node: Obj) -> bool:
    """Whether the node carries kubeadm's `node-role.kubernetes.io/control-plane` label."""
    labels = node.get("metadata", {}).get("labels") or {}
    return "node-role.kubernetes.io/control-plane" in labels
