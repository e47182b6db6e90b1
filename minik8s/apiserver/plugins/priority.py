"""The Priority admission plugin, mirroring `plugin/pkg/admission/priority/admission.go`.

A new pod gets `spec.priority` (and `spec.preemptionPolicy`) from the PriorityClass its
`spec.priorityClassName` names; a pod without a class gets the globalDefault class (lowest value
if several; its name is written into the pod), else priority 0 and `PreemptLowerPriority`. A
class that does not exist is Forbidden, and so is a `priority` or `preemptionPolicy` the client
set that differs from the computed one. On update the old values are kept when the new object
omits them (validation forbids changing them). For PriorityClass writes it forbids a second
globalDefault class.

minik8s does not serve the PriorityClass kind (`scheduling.k8s.io/v1`) yet, so the classes are
the two system classes kube-apiserver bootstraps (`system-node-critical`,
`system-cluster-critical`) plus the stored ones once the kind is served. Left out: the
`HighestUserDefinablePriority` / reserved-name checks that live in PriorityClass validation.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Forbidden
from minik8s.api.kinds import UnknownResource, lookup
from minik8s.apiserver.admission import Attributes

NAME = "Priority"
Obj = dict[str, Any]
DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0  # upstream scheduling.DefaultPriority...
PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority"
SYSTEM_CRITICAL_PRIORITY = 2 * 1000000000  # upstream scheduling.SystemCriticalPriority


def _system_class(name: str, value: int, description: str) -> Obj:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "description": description,
        "preemptionPolicy": PREEMPT_LOWER_PRIORITY,  # v1 defaulting
    }


# upstream `scheduling.SystemPriorityClasses()`, as the bootstrap controller stores them.
SYSTEM_PRIORITY_CLASSES: tuple[Obj, ...] = (
    _system_class(
        "system-node-critical",
        SYSTEM_CRITICAL_PRIORITY + 1000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    _system_class(
        "system-cluster-critical",
        SYSTEM_CRITICAL_PRIORITY,
        "Used for system critical pods that must run in the cluster, but can be moved to "
        "another node if necessary.",
    ),
)


def priority_classes(server: Any) -> list[Obj]:
    """Every PriorityClass: the stored ones (when minik8s serves the kind), then any system
    class not stored, sorted by name (upstream's lister order is the cache's)."""
    stored: list[Obj] = []
    if server is not None:
        try:
            lookup("priorityclasses")
        except UnknownResource:
            pass  # the kind is not served: only the bootstrapped system classes exist
        else:
            stored = server.list("priorityclasses")["items"]
    names = {pc["metadata"]["name"] for pc in stored}
    classes = stored + [pc for pc in SYSTEM_PRIORITY_CLASSES if pc["metadata"]["name"] not in names]
    return sorted(classes, key=lambda pc: pc["metadata"]["name"])


def default_priority_class(classes: list[Obj]) -> Obj | None:
    """upstream `getDefaultPriorityClass`: the globalDefault class with the lowest value."""
    chosen: Obj | None = None
    for pc in classes:
        if pc.get("globalDefault") and (chosen is None or chosen["value"] > pc["value"]):
            chosen = pc
    return chosen


def _resource_name(attrs: Attributes) -> str:
    """upstream `extractResourceName`: the name, else the generateName, else "Unknown"."""
    meta = (attrs.obj or {}).get("metadata") or {}
    return attrs.name or meta.get("name") or meta.get("generateName") or "Unknown"


def _forbidden(attrs: Attributes, why: str) -> Forbidden:
    return Forbidden.for_resource(attrs.info.group_resource, _resource_name(attrs), why)


def _resolve(attrs: Attributes, spec: Obj) -> tuple[int, str | None]:
    """(priority, preemptionPolicy) of a new pod; names the globalDefault class in `spec`."""
    classes = priority_classes(attrs.server)
    class_name = spec.get("priorityClassName") or ""
    if not class_name:
        pc = default_priority_class(classes)
        if pc is None:
            return DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS, PREEMPT_LOWER_PRIORITY
        spec["priorityClassName"] = pc["metadata"]["name"]
        return pc["value"], pc.get("preemptionPolicy")
    pc = next((c for c in classes if c["metadata"]["name"] == class_name), None)
    if pc is None:
        raise _forbidden(attrs, f"no PriorityClass with name {class_name} was found")
    return pc["value"], pc.get("preemptionPolicy")


class Priority:
    """Resolves a new pod's priority from its PriorityClass; one globalDefault class at most."""

    name = NAME
    kinds = frozenset({"Pod", "PriorityClass"})  # the chain skips it for other kinds

    def __repr__(self) -> str:
        return f"<{NAME}>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation in ("CREATE", "UPDATE") and not subresource

    def admit(self, attrs: Attributes) -> None:
        """Pods proper: resolve the priority on CREATE, keep the old one on UPDATE."""
        if attrs.info.kind != "Pod" or attrs.info.group != "" or attrs.subresource:
            return
        if attrs.obj is None:
            return
        if attrs.operation == "CREATE":
            self._admit_new_pod(attrs)
        elif attrs.operation == "UPDATE" and attrs.old is not None:
            spec, old_spec = attrs.obj.setdefault("spec", {}), attrs.old.get("spec") or {}
            for field in ("priority", "preemptionPolicy"):
                if spec.get(field) is None and old_spec.get(field) is not None:
                    spec[field] = old_spec[field]

    def _admit_new_pod(self, attrs: Attributes) -> None:
        assert attrs.obj is not None
        spec = attrs.obj.setdefault("spec", {})
        priority, policy = _resolve(attrs, spec)
        given = spec.get("priority")
        if given is not None and given != priority:
            why = (
                f"the integer value of priority ({given}) must not be provided in pod spec; "
                f"priority admission controller computed {priority} from the given "
                "PriorityClass name"
            )
            raise _forbidden(attrs, why)
        spec["priority"] = priority
        if policy is None:
            return
        given_policy = spec.get("preemptionPolicy")
        if given_policy is not None and given_policy != policy:
            why = (
                f"the string value of PreemptionPolicy ({given_policy}) must not be provided "
                f"in pod spec; priority admission controller computed {policy} from the given "
                "PriorityClass name"
            )
            raise _forbidden(attrs, why)
        spec["preemptionPolicy"] = policy

    def validate(self, attrs: Attributes) -> None:
        """PriorityClass CREATE/UPDATE: at most one class is the globalDefault."""
        if attrs.info.kind != "PriorityClass" or attrs.subresource or attrs.obj is None:
            return
        if attrs.operation not in ("CREATE", "UPDATE") or not attrs.obj.get("globalDefault"):
            return
        current = default_priority_class(priority_classes(attrs.server))
        if current is None:
            return
        name = current["metadata"]["name"]
        if attrs.operation == "CREATE" or name != attrs.obj["metadata"].get("name"):
            why = f"PriorityClass {name} is already marked as default. Only one default can exist"
            raise _forbidden(attrs, why)
