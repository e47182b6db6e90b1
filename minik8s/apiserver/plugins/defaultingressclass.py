"""The DefaultIngressClass admission plugin, mirroring
`plugin/pkg/admission/network/defaultingressclass/admission.go`.

A new Ingress that names no class (no `spec.ingressClassName`, no legacy
`kubernetes.io/ingress.class` annotation) gets the default IngressClass: the one annotated
`ingressclass.kubernetes.io/is-default-class: "true"`; with several, the newest (then the first
by name), as upstream. Mutating only.
"""

from __future__ import annotations

from typing import Any

from minik8s.apiserver.admission import Attributes

NAME = "DefaultIngressClass"
IS_DEFAULT = "ingressclass.kubernetes.io/is-default-class"
LEGACY_ANNOTATION = "kubernetes.io/ingress.class"
Obj = dict[str, Any]


def default_ingress_class(classes: list[Obj]) -> Obj | None:
    """The default IngressClass: newest of those annotated as default, ties broken by name."""
    defaults = [
        c for c in classes if (c["metadata"].get("annotations") or {}).get(IS_DEFAULT) == "true"
    ]
    defaults.sort(key=lambda c: c["metadata"]["name"])
    defaults.sort(key=lambda c: c["metadata"].get("creationTimestamp") or "", reverse=True)
    return defaults[0] if defaults else None


class DefaultIngressClass:
    """Sets `spec.ingressClassName` of a new Ingress that has none."""

    name = NAME
    kinds = frozenset({"Ingress"})  # the chain skips it for other kinds

    def __repr__(self) -> str:
        return f"<{NAME}>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation == "CREATE" and not subresource

    def admit(self, attrs: Attributes) -> None:
        """Default the class of an Ingress being created."""
        if attrs.info.kind != "Ingress" or attrs.operation != "CREATE":
            return
        if attrs.subresource or attrs.obj is None or attrs.server is None:
            return
        spec = attrs.obj.setdefault("spec", {})
        annotations = attrs.obj.get("metadata", {}).get("annotations") or {}
        if spec.get("ingressClassName") is not None or LEGACY_ANNOTATION in annotations:
            return
        chosen = default_ingress_class(attrs.server.list("ingressclasses")["items"])
        if chosen is not None:
            spec["ingressClassName"] = chosen["metadata"]["name"]

    def validate(self, attrs: Attributes) -> None:
        """Mutating only."""
        return None
