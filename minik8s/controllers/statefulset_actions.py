"""The writes a StatefulSet plan asks for, mirroring the calls `stateful_set_control.go` makes
on `StatefulPodControl` (`CreateStatefulPod`, `UpdateStatefulPod`, `DeleteStatefulPod`,
`createMissingPersistentVolumeClaims`, `UpdatePodClaimForRetentionPolicy`).

Plain values with a readable `repr`: `statefulset_control.plan` returns them, the executor in
`statefulset.py` makes them. Leaves out: the events each call records (the executor does that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]


@dataclass(frozen=True)
class CreatePod:
    """Create the pod, after creating its missing claims (`CreateStatefulPod`)."""

    pod: Obj = field(compare=False)
    claims: tuple[Obj, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        names = ", ".join(c["metadata"]["name"] for c in self.claims)
        return f"CreatePod({self.pod['metadata']['name']}{', claims: ' + names if names else ''})"


@dataclass(frozen=True)
class CreateClaims:
    """Create the missing claims of a Pending pod (`createMissingPersistentVolumeClaims`)."""

    pod_name: str
    claims: tuple[Obj, ...] = field(compare=False)

    def __repr__(self) -> str:
        names = ", ".join(c["metadata"]["name"] for c in self.claims)
        return f"CreateClaims({self.pod_name}: {names})"


@dataclass(frozen=True)
class UpdatePod:
    """Restore a pod's identity labels (`UpdateStatefulPod`)."""

    pod: Obj = field(compare=False)

    def __repr__(self) -> str:
        return f"UpdatePod({self.pod['metadata']['name']})"


@dataclass(frozen=True)
class UpdateClaim:
    """Rewrite a claim's ownerReferences for the retention policy."""

    claim: Obj = field(compare=False)

    def __repr__(self) -> str:
        owners = ",".join(r["kind"] for r in self.claim["metadata"]["ownerReferences"]) or "-"
        return f"UpdateClaim({self.claim['metadata']['name']} owners={owners})"


@dataclass(frozen=True)
class DeletePod:
    """Delete a pod (`DeleteStatefulPod`): `scale down`, `update`, `failed` or `succeeded`."""

    name: str
    reason: str

    def __repr__(self) -> str:
        return f"DeletePod({self.name}, {self.reason})"


Action = CreatePod | CreateClaims | UpdatePod | UpdateClaim | DeletePod


@dataclass
class Plan:
    """The writes to make, in order, and the status they lead to."""

    actions: list[Action]
    status: Obj

    def __repr__(self) -> str:
        return f"Plan({self.actions!r})"
