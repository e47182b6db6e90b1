"""How the ReplicaSet controller claims and writes pods, mirroring `claimPods`
(`pkg/controller/controller_ref_manager.go`: adopt matching orphans, release owned pods that no
longer match), `FilterPodsByOwner` and the create/delete half of `manageReplicas` with its
slow-start batches and expectations (`pkg/controller/replicaset/replica_set.go`).

`ReplicaSetController` owns one `ReplicaSetPodControl`. Leaves out: the `PodControlInterface`
(writes go straight through the client) and the `CanAdopt` recheck of a fresh ReplicaSet before
adopting.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import NotFound, StatusError
from minik8s.api.meta import owner_reference
from minik8s.client.cache import CONTROLLER_UID_INDEX, ORPHAN_INDEX_KEY, controller_of
from minik8s.client.client import Client
from minik8s.client.record import EventRecorder
from minik8s.controllers.replicaset_plan import ReplicaSetPlan, pod_from_template
from minik8s.controllers.replicaset_utils import (
    SLOW_START_INITIAL_BATCH_SIZE,
    ControllerExpectations,
    claim_decision,
    selector_matcher,
    slow_start_batch,
)

Obj = dict[str, Any]


class ReplicaSetPodControl:
    """The pod writes of one `ReplicaSetController`: claim, create and delete pods, through its
    client, recording its events and expectations."""

    def __init__(
        self, client: Client, recorder: EventRecorder, expectations: ControllerExpectations
    ) -> None:
        self.client = client
        self.recorder = recorder
        self.expectations = expectations

    def __repr__(self) -> str:
        return f"<ReplicaSetPodControl {self.recorder.component}>"

    def claim_pods(self, rs: Obj, selector: Any, pods: list[Obj]) -> list[Obj]:
        """`claimPods`: keep owned matching pods, adopt matching orphans, release the rest."""
        uid, matches = rs["metadata"]["uid"], selector_matcher(rs["spec"].get("selector"))[1]
        claimed = []
        for pod in pods:
            meta = pod["metadata"]
            ref = controller_of(pod)
            if ref is not None and ref.get("uid") == uid and matches(meta.get("labels") or {}):
                claimed.append(pod)  # "own", the common case, decided without copies
                continue
            decision = claim_decision(rs, pod, selector)
            refs = list(meta.get("ownerReferences") or [])
            try:
                if decision == "adopt":
                    refs.append(owner_reference(rs))
                    pod = self.client.patch(
                        "pods",
                        meta["name"],
                        {"metadata": {"ownerReferences": refs}},
                        meta["namespace"],
                    )
                elif decision == "release":
                    refs = [r for r in refs if r.get("uid") != rs["metadata"]["uid"]]
                    self.client.patch(
                        "pods",
                        meta["name"],
                        {"metadata": {"ownerReferences": refs or None}},
                        meta["namespace"],
                    )
            except NotFound:
                continue
            if decision in ("own", "adopt"):
                claimed.append(pod)
        return claimed

    def execute_plan(self, key: str, rs: Obj, plan: ReplicaSetPlan) -> str | None:
        """Create or delete pods as planned, with expectations; the first error, if any."""
        if plan.create:
            self.expectations.expect_creations(key, plan.create)
            successes, err = slow_start_batch(
                plan.create, SLOW_START_INITIAL_BATCH_SIZE, lambda: self._create_pod(rs)
            )
            for _ in range(plan.create - successes):
                self.expectations.creation_observed(key)
            return _message(err) if err is not None else None
        if plan.delete:
            namespace = rs["metadata"]["namespace"]
            self.expectations.expect_deletions(key, [f"{namespace}/{n}" for n in plan.delete])
            first_error: str | None = None
            for pod_name in plan.delete:
                try:
                    self.client.delete("pods", pod_name, namespace)
                    self.recorder.event(
                        rs, "Normal", "SuccessfulDelete", f"Deleted pod: {pod_name}"
                    )
                except StatusError as err:
                    self.expectations.deletion_observed(key, f"{namespace}/{pod_name}")
                    if not isinstance(err, NotFound):
                        self.recorder.event(
                            rs, "Warning", "FailedDelete", f"Error deleting: {err.message}"
                        )
                        first_error = first_error or err.message
            return first_error
        return None

    def _create_pod(self, rs: Obj) -> None:
        try:
            # only the generated name is read: the stored pod, uncopied (`respond=False`)
            pod = self.client.create(
                "pods", pod_from_template(rs), rs["metadata"]["namespace"], respond=False
            )
        except StatusError as err:
            self.recorder.event(rs, "Warning", "FailedCreate", f"Error creating: {err.message}")
            raise
        self.recorder.event(
            rs, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}"
        )


def _message(err: Exception) -> str:
    return err.message if isinstance(err, StatusError) else str(err)


def owned_and_orphans(indexer: Any, owner: Obj) -> list[Obj]:
    """`FilterPodsByOwner`: objects `owner` controls plus the orphans of its namespace."""
    meta = owner["metadata"]
    owned = indexer.by_index(CONTROLLER_UID_INDEX, meta["uid"])
    return owned + indexer.by_index(
        CONTROLLER_UID_INDEX, f"{ORPHAN_INDEX_KEY}/{meta.get('namespace', '')}"
    )
