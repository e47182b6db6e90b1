"""kubectl cordon, uncordon and drain.

Mirrors `k8s.io/kubectl/pkg/cmd/drain` and `pkg/drain` (`cordon.go`; `filters.go`: mirror pods
skipped, DaemonSet / emptyDir / unmanaged pods refused unless `--ignore-daemonsets` /
`--delete-emptydir-data` / `--force`). minik8s has no `pods/eviction` subresource, so drain
"evicts" by deleting each pod through the API (no PodDisruptionBudget check) and does not wait for
the pods to terminate: the caller runs the clock. Leaves out `--selector`, `--pod-selector`,
`--timeout`, `--dry-run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.kubectl.cli import Args, bool_flag, bool_flags, register
from minik8s.kubectl.flag_values import int_flag

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
DRAIN_BOOLEANS = ("ignore-daemonsets", "delete-emptydir-data", "force")
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"


def _node_name(args: Args) -> str:
    words = args.positional
    if not words:
        raise ValueError("error: resource(s) were provided, but no name was specified")
    return words[0].split("/", 1)[1] if words[0].startswith(("node/", "nodes/")) else words[0]


def _cordon(client: Client, node: str, desired: bool) -> str:
    """`drain.RunCordonOrUncordon`: `node/x cordoned|already cordoned|uncordoned`."""
    current = client.get("nodes", node)
    word = "cordoned" if desired else "uncordoned"
    if bool((current.get("spec") or {}).get("unschedulable")) == desired:
        return f"node/{node} already {word}\n"
    client.patch("nodes", node, {"spec": {"unschedulable": True if desired else None}})
    return f"node/{node} {word}\n"


@register("cordon")
def cordon(client: Client, args: Args) -> str:
    """`kubectl cordon NODE`: mark the node unschedulable."""
    return _cordon(client, _node_name(args), True)


@register("uncordon")
def uncordon(client: Client, args: Args) -> str:
    """`kubectl uncordon NODE`: mark the node schedulable again."""
    return _cordon(client, _node_name(args), False)


def _controller(pod: Obj) -> Obj | None:
    for ref in pod["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return dict(ref)
    return None


def drain_status(pod: Obj, args: Args) -> tuple[str, str]:
    """`drain.makeFilters` in order: ("delete"|"skip"|"warning"|"error", message)."""
    ref = _controller(pod)
    finished = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
    if ref and ref.get("kind") == "DaemonSet" and not finished:  # a finished one goes
        if not bool_flag(args, "ignore-daemonsets", False):
            return "error", DAEMONSET_FATAL
        return "skip-warning", DAEMONSET_WARNING
    if MIRROR_ANNOTATION in (pod["metadata"].get("annotations") or {}):
        return "skip", ""
    result = ("delete", "")
    volumes = pod.get("spec", {}).get("volumes") or []
    if not finished and any("emptyDir" in v for v in volumes):
        if not bool_flag(args, "delete-emptydir-data", False):
            return "error", LOCAL_STORAGE_FATAL
        # (its warning is dropped by the next filter's status, as upstream's TODO says)
    if not finished and ref is None:
        if not bool_flag(args, "force", False):
            return "error", UNMANAGED_FATAL
        result = ("warning", UNMANAGED_WARNING)
    return result


def _grouped(statuses: list[tuple[Obj, str, str]], wanted: tuple[str, ...]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for pod, status, message in statuses:
        if status in wanted:
            meta = pod["metadata"]
            groups.setdefault(message, []).append(f"{meta['namespace']}/{meta['name']}")
    return [f"{msg}: {', '.join(pods)}" for msg, pods in groups.items()]


@register("drain")
def drain(client: Client, args: Args) -> str:
    """`kubectl drain NODE`: cordon, then evict the pods (by DELETE: no eviction subresource)."""
    bool_flags(args, DRAIN_BOOLEANS)  # pflag parses them before the command runs
    grace = int_flag(args, "grace-period", -1)
    node = _node_name(args)
    out = [_cordon(client, node, True)]
    pods = client.list("pods", None, field_selector=f"spec.nodeName={node}")["items"]
    statuses = [(pod, *drain_status(pod, args)) for pod in pods]
    fatal = [f"cannot delete {e}" for e in _grouped(statuses, ("error",))]
    if fatal:
        joined = fatal[0] if len(fatal) == 1 else f"[{', '.join(fatal)}]"
        out.append(
            f'error: unable to drain node "{node}" due to error: {joined}, continuing command...\n'
            f"There are pending nodes to be drained:\n {node}\n"
        )
        return "".join(out) + "".join(f"{e}\n" for e in fatal)
    warnings = _grouped(statuses, ("warning", "skip-warning"))
    if warnings:
        out.append(f"Warning: {'; '.join(warnings)}\n")
    victims = [pod for pod, status, _ in statuses if status in ("delete", "warning")]
    for pod in victims:
        out.append(f"evicting pod {pod['metadata']['namespace']}/{pod['metadata']['name']}\n")
    for pod in victims:
        meta = pod["metadata"]
        client.delete(
            "pods",
            meta["name"],
            meta["namespace"],
            grace_period_seconds=grace if grace >= 0 else None,
        )
        out.append(f"pod/{meta['name']} evicted\n")
    out.append(f"node/{node} drained\n")
    return "".join(out)
