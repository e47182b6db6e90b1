"""The conditions of a terminating namespace, mirroring
`pkg/controller/namespace/deletion/status_condition_utils.go` (`namespaceConditionUpdater`).

The namespace controller reports each pass of its clean-up in five condition types; a type with
no problem gets its "ok" variant (status `False`). Left out: `ProcessDiscoverResourcesErr` and
`ProcessGroupVersionErr` (discovery here cannot fail, so those two are always "ok").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]

CONDITION_TYPES = (
    "NamespaceDeletionDiscoveryFailure",
    "NamespaceDeletionGroupVersionParsingFailure",
    "NamespaceDeletionContentFailure",
    "NamespaceContentRemaining",
    "NamespaceFinalizersRemaining",
)
OK_MESSAGES = {
    "NamespaceDeletionDiscoveryFailure": "All resources successfully discovered",
    "NamespaceDeletionGroupVersionParsingFailure": "All legacy kube types successfully parsed",
    "NamespaceDeletionContentFailure": (
        "All content successfully deleted, may be waiting on finalization"
    ),
    "NamespaceContentRemaining": "All content successfully removed",
    "NamespaceFinalizersRemaining": "All content-preserving finalizers finished",
}
OK_REASONS = {
    "NamespaceDeletionDiscoveryFailure": "ResourcesDiscovered",
    "NamespaceDeletionGroupVersionParsingFailure": "ParsedGroupVersions",
    "NamespaceDeletionContentFailure": "ContentDeleted",
    "NamespaceContentRemaining": "ContentRemoved",
    "NamespaceFinalizersRemaining": "ContentHasNoFinalizers",
}


@dataclass
class NamespaceConditionUpdater:
    """Collects one pass's problems; `update(status, now)` writes the five conditions."""

    new_conditions: list[Obj] = field(default_factory=list)
    delete_content_errors: list[str] = field(default_factory=list)

    def process_delete_content_err(self, err: str) -> None:
        """`ProcessDeleteContentErr`: remember one resource's deletion failure."""
        self.delete_content_errors.append(err)

    def process_content_totals(
        self, remaining: dict[str, int], finalizers: dict[str, int], now: str
    ) -> None:
        """`ProcessContentTotals`: `remaining` by `resource.group`, `finalizers` by name."""
        resources = sorted(f"{r} has {n} resource instances" for r, n in remaining.items() if n)
        if resources:
            message = "Some resources are remaining: " + ", ".join(resources)
            self._add("NamespaceContentRemaining", "SomeResourcesRemain", message, now)
        held = sorted(f"{f} in {n} resource instances" for f, n in finalizers.items() if n)
        if held:
            message = "Some content in the namespace has finalizers remaining: " + ", ".join(held)
            self._add("NamespaceFinalizersRemaining", "SomeFinalizersRemain", message, now)

    def _add(self, kind: str, reason: str, message: str, now: str) -> None:
        condition = {"type": kind, "status": "True", "lastTransitionTime": now}
        self.new_conditions.append({**condition, "reason": reason, "message": message})

    def update(self, status: Obj, now: str) -> bool:
        """`Update`: fold the problems into `status.conditions`; True if anything changed."""
        if self.delete_content_errors and _find(self.new_conditions, CONDITION_TYPES[2]) is None:
            errors = sorted(self.delete_content_errors)
            message = f"Failed to delete all resource types, {len(errors)} remaining: " + ", ".join(
                errors
            )
            self._add(CONDITION_TYPES[2], "ContentDeletionFailed", message, now)
        return update_conditions(status, self.new_conditions, now)


def _find(conditions: list[Obj], kind: str) -> Obj | None:
    return next((c for c in conditions if c.get("type") == kind), None)


def successful_condition(kind: str, now: str) -> Obj:
    """`newSuccessfulCondition`: the "ok" variant of a condition type."""
    return {
        "type": kind,
        "status": "False",
        "lastTransitionTime": now,
        "reason": OK_REASONS[kind],
        "message": OK_MESSAGES[kind],
    }


def update_conditions(status: Obj, new_conditions: list[Obj], now: str) -> bool:
    """`updateConditions`: every type present; one whose status, reason or message moved is
    rewritten (its `lastTransitionTime` moves only with its status). Other types stay."""
    conditions: list[Obj] = status.setdefault("conditions", [])
    changed = False
    for kind in CONDITION_TYPES:
        new = _find(new_conditions, kind) or successful_condition(kind, now)
        old = _find(conditions, kind)
        if old is None:
            conditions.append(new)
            changed = True
        elif any(old.get(k) != new.get(k) for k in ("status", "reason", "message")):
            if old.get("status") != new.get("status"):
                old["lastTransitionTime"] = now
            old.update({k: new.get(k) for k in ("type", "status", "reason", "message")})
            changed = True
    return changed
