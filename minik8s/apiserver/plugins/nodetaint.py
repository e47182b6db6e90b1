"""The TaintNodesByCondition admission plugin, mirroring upstream
`plugin/pkg/admission/nodetaint/admission.go`.

A Node being created gets the `node.kubernetes.io/not-ready:NoSchedule` taint unless it has it
already, so no pod is scheduled to a node that has not reported Ready yet. The node lifecycle
controller removes the taint once the node's Ready condition is True. Mutating only; Nodes
proper on CREATE, never subresources.
"""

from __future__ import annotations

from minik8s.api.taints import NO_SCHEDULE, TAINT_NODE_NOT_READY
from minik8s.apiserver.admission import Attributes

NAME = "TaintNodesByCondition"


class TaintNodesByCondition:
    """Taints new Nodes as not ready (NoSchedule)."""

    name = NAME
    kinds = frozenset({"Node"})  # the chain skips it for other kinds

    def __repr__(self) -> str:
        return "<TaintNodesByCondition>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation == "CREATE" and not subresource

    def admit(self, attrs: Attributes) -> None:
        """upstream `addNotReadyTaint`: add the taint to a Node being created."""
        if attrs.info.kind != "Node" or attrs.info.group != "" or attrs.subresource:
            return
        if attrs.operation != "CREATE" or attrs.obj is None:
            return
        spec = attrs.obj.setdefault("spec", {})
        taints = spec.get("taints") or []
        if any(
            t.get("key") == TAINT_NODE_NOT_READY and t.get("effect") == NO_SCHEDULE for t in taints
        ):
            return
        spec["taints"] = [*taints, {"key": TAINT_NODE_NOT_READY, "effect": NO_SCHEDULE}]

    def validate(self, attrs: Attributes) -> None:
        """Mutating only."""
