"""`kubectl describe storageclass`, and the storage parts of the PV and PVC describers.

Mirrors `describeStorageClass` of `k8s.io/kubectl/pkg/describe/describe.go`: `IsDefaultClass`
from `storageutil.IsDefaultAnnotationText`, annotations and parameters as one `k=v,...` line
(`labels.FormatLabels`, last-applied included, as upstream), `printBoolPtr`, mount options,
reclaim policy, binding mode and `printAllowedTopologies`. For `describePersistentVolume` and
`describePersistentVolumeClaim`: `printVolumeNodeAffinity` (with
`printNodeSelectorTermsMultilineWithIndent`) and the claim's `Conditions:` table.
"""

from __future__ import annotations

from typing import Any

from minik8s.kubectl.describe_base import PrefixWriter, describe_events, print_bool, rfc1123z
from minik8s.kubectl.printers import format_labels
from minik8s.kubectl.printers_misc import is_default_class

Obj = dict[str, Any]


def _allowed_topologies(w: PrefixWriter, terms: list[Obj]) -> None:
    """`printAllowedTopologies` with `printTopologySelectorTermsMultilineWithIndent`."""
    w.write(0, "AllowedTopologies:\t")
    if not terms:
        w.line("<none>")
        return
    w.line("")
    for i, term in enumerate(terms):
        w.write(1, f"Term {i}:\t")
        reqs = term.get("matchLabelExpressions") or []
        if not reqs:
            w.line("<none>")
        for j, req in enumerate(reqs):
            if j:
                w.write(1, "\t")
            text = f"{req.get('key', '')} in"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(0, text + "\n")


def describe_storageclass(w: PrefixWriter, sc: Obj, events: list[Obj] | None, client: Any) -> None:
    """`StorageClassDescriber`."""
    meta = sc.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"IsDefaultClass:\t{'Yes' if is_default_class(sc) else 'No'}\n")
    w.write(0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    w.write(0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    expansion = sc.get("allowVolumeExpansion")
    w.write(
        0, f"AllowVolumeExpansion:\t{'<unset>' if expansion is None else print_bool(expansion)}\n"
    )
    if not sc.get("mountOptions"):
        w.write(0, "MountOptions:\t<none>\n")
    else:
        w.write(0, "MountOptions:\n")
        for option in sc["mountOptions"]:
            w.write(1, f"{option}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    if sc.get("allowedTopologies") is not None:
        _allowed_topologies(w, sc["allowedTopologies"])
    describe_events(w, events)


ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"  # Go's zero time.Time in RFC1123Z


def print_volume_node_affinity(w: PrefixWriter, affinity: Obj | None) -> None:
    """`printVolumeNodeAffinity`: the PV's required node selector terms, one line each."""
    w.write(0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.line("<none>")
        return
    w.line("")
    w.write(1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.line("<none>")
        return
    w.line("")
    for i, term in enumerate(terms):
        _node_selector_term(w, 2, f"Term {i}", term.get("matchExpressions") or [])


def _node_selector_term(w: PrefixWriter, level: int, title: str, reqs: list[Obj]) -> None:
    """`printNodeSelectorTermsMultilineWithIndent` with an inner indent of one tab."""
    w.write(level, f"{title}:\t")
    if not reqs:
        w.line("<none>")
        return
    for i, req in enumerate(reqs):
        if i:
            w.write(level, "\t")
        text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
        if req.get("values"):
            text += f" [{', '.join(req['values'])}]"
        w.write(0, text + "\n")


def print_claim_conditions(w: PrefixWriter, status: Obj) -> None:
    """The `Conditions:` table of `describePersistentVolumeClaim` (nothing without any)."""
    conditions = status.get("conditions") or []
    if not conditions:
        return
    w.write(0, "Conditions:\n")
    w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
    for c in conditions:
        probe = rfc1123z(c["lastProbeTime"]) if c.get("lastProbeTime") else ZERO_TIME
        moved = rfc1123z(c["lastTransitionTime"]) if c.get("lastTransitionTime") else ZERO_TIME
        cells = (c.get("type", ""), c.get("status", ""), probe, moved, c.get("reason", ""))
        w.write(1, "".join(f"{cell} \t" for cell in cells) + f"{c.get('message', '')}\n")
