"""The Job controller, mirroring upstream `pkg/controller/job/job_controller.go` (the executor;
the decision is `minik8s.controllers.job_plan.plan`).

Pods are created from the template with `generateName` `<job>-` (`<job>-<index>-` for Indexed
Jobs), a controller ownerReference and the `batch.kubernetes.io/job-tracking` finalizer; a
finished pod is first recorded in `status.uncountedTerminatedPods`, then loses the finalizer,
then is counted in `succeeded`/`failed` (upstream's tracking with finalizers). Expectations keep
a sync from creating twice before the informer shows the pods. Failed pods delay replacements by
10 s doubling up to 10 minutes. A pod whose Job is gone loses its finalizer (`handleOrphanPod`).

Timers: like upstream, pod events and status-only Job updates sync the Job after the 1 s
`syncJobBatchPeriod` (`enqueueSyncJobBatched`), Job creation, deletion and spec changes at once;
the pod-failure back-off requeue (at least 1 s) is foreground work (`settle()` waits for it); the
`activeDeadlineSeconds` wake-up is a background timer (`run(...)` reaches it, `settle()` does not
jump to it). Left out: adoption/release of pods by selector (only owned pods count), metrics.
"""

from __future__ import annotations

import copy
from typing import Any

from minik8s.api.errors import NotFound, StatusError
from minik8s.api.meta import owner_reference
from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    DeletedFinalStateUnknown,
    controller_of,
    ensure_index,
    meta_namespace_key,
    owner_uid_index,
)
from minik8s.controllers import indexed_job as ix
from minik8s.controllers.base import Controller
from minik8s.controllers.job_plan import JobPlan, plan
from minik8s.controllers.job_util import (
    JOB_TRACKING_FINALIZER,
    BackoffRecord,
    ControllerExpectations,
    finished_condition,
    has_tracking_finalizer,
    parse_time,
)

Obj = dict[str, Any]
ORPHAN_POD_PREFIX = "orphan-pod:"
SYNC_JOB_BATCH_PERIOD = 1.0  # seconds, upstream syncJobBatchPeriod

__all__ = ["JobController", "JobPlan", "plan"]


class JobController(Controller):
    """Runs Jobs to completion: `completions`, `parallelism`, `backoffLimit`, deadlines, suspend."""

    name = "job-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.expectations = ControllerExpectations(clock=self.now)
        self.backoff: dict[str, BackoffRecord] = {}
        self.jobs = self.informers.lister_for("jobs")
        pods = self.informers.informer_for("pods")
        ensure_index(pods.indexer, CONTROLLER_UID_INDEX, owner_uid_index)
        self.pods = pods.indexer
        self.informers.informer_for("jobs").add_event_handler(
            on_add=self._add_job, on_update=self._update_job, on_delete=self._delete_job
        )
        pods.add_event_handler(
            on_add=self._add_pod, on_update=self._update_pod, on_delete=self._delete_pod
        )

    def now(self) -> float:
        """The virtual clock as POSIX seconds."""
        return self.loop.datetime().timestamp()

    # -- job events (addJob / updateJob / deleteJob) --------------------------------------------
    def _add_job(self, job: Obj) -> None:
        self.enqueue(meta_namespace_key(job))

    def _update_job(self, old: Obj, new: Obj) -> None:
        """`updateJob`: a spec change syncs at once, a status-only update batched; a changed
        `activeDeadlineSeconds` re-arms its wake-up."""
        key = meta_namespace_key(new)
        if new["metadata"].get("generation") == old["metadata"].get("generation"):
            self.enqueue_batched(key)
        else:
            self.enqueue(key)
        start = parse_time((new.get("status") or {}).get("startTime"))
        deadline = new["spec"].get("activeDeadlineSeconds")
        if start is not None and deadline is not None:
            if old["spec"].get("activeDeadlineSeconds") != deadline:
                self.queue.add_after(key, deadline - (self.now() - start), background=True)

    def _delete_job(self, job: Any) -> None:
        self.enqueue(meta_namespace_key(job))

    def enqueue_batched(self, key: str) -> None:
        """`enqueueSyncJobBatched`: sync after `syncJobBatchPeriod` (1 s) to batch pod events."""
        self.queue.add_after(key, SYNC_JOB_BATCH_PERIOD)

    # -- pod events (addPod / updatePod / deletePod) --------------------------------------------
    def _job_key(self, pod: Obj) -> str | None:
        ref = controller_of(pod)
        if ref is None or ref.get("kind") != "Job":
            return None
        namespace = pod["metadata"].get("namespace", "")
        try:
            job = self.jobs.get(namespace, ref["name"])
        except NotFound:
            return None
        return f"{namespace}/{ref['name']}" if job["metadata"]["uid"] == ref["uid"] else None

    def _orphan(self, pod: Obj) -> None:
        if has_tracking_finalizer(pod):
            meta = pod["metadata"]
            self.enqueue(f"{ORPHAN_POD_PREFIX}{meta.get('namespace', '')}/{meta['name']}")

    def _add_pod(self, pod: Obj) -> None:
        key = self._job_key(pod)
        if key is None:
            self._orphan(pod)
            return
        if pod["metadata"].get("deletionTimestamp"):
            self.expectations.lower(key, delete=1)
        else:
            self.expectations.lower(key, add=1)
        self.enqueue_batched(key)

    def _update_pod(self, old: Obj, new: Obj) -> None:
        key = self._job_key(new)
        if key is None:
            self._orphan(new)
            return
        if new["metadata"].get("deletionTimestamp") and not old["metadata"].get(
            "deletionTimestamp"
        ):
            self.expectations.lower(key, delete=1)
        self.enqueue_batched(key)

    def _delete_pod(self, pod: Any) -> None:
        if isinstance(pod, DeletedFinalStateUnknown):
            pod = pod.obj
        key = self._job_key(pod)
        if key is None:
            return
        if not pod["metadata"].get("deletionTimestamp"):
            self.expectations.lower(key, delete=1)
        self.enqueue_batched(key)

    # -- sync -----------------------------------------------------------------------------------
    def reconcile(self, key: str) -> float | None:
        if key.startswith(ORPHAN_POD_PREFIX):
            self._handle_orphan_pod(key[len(ORPHAN_POD_PREFIX) :])
            return None
        namespace, name = key.split("/", 1)
        try:
            job = self.jobs.get(namespace, name)
        except NotFound:
            self.expectations.delete_expectations(key)
            self.backoff.pop(key, None)
            return None
        if finished_condition(job) is not None:
            self.backoff.pop(key, None)
            return None
        satisfied = self.expectations.satisfied(key)
        pods = self.pods_for_job(job)
        result = plan(job, pods, self.now(), self.backoff.get(key, BackoffRecord()), satisfied)
        self._execute(key, job, pods, result)
        if result.deadline_after is not None and result.deadline_after > 0:
            self.queue.add_after(key, result.deadline_after, background=True)
        if result.requeue_after is None:
            return None
        return max(result.requeue_after, SYNC_JOB_BATCH_PERIOD)  # `enqueueSyncJobWithDelay`

    def pods_for_job(self, job: Obj) -> list[Obj]:
        """The pods `job` controls, from the shared cache (`getPodsForJob` without adoption)."""
        namespace = job["metadata"].get("namespace", "")
        pods = self.pods.by_index(CONTROLLER_UID_INDEX, job["metadata"]["uid"])
        return [p for p in pods if p["metadata"].get("namespace", "") == namespace]

    def _execute(self, key: str, job: Obj, pods: list[Obj], result: JobPlan) -> None:
        by_name = {p["metadata"]["name"]: p for p in pods}
        namespace = job["metadata"]["namespace"]
        if result.delete and result.strip_before_delete:
            self.expectations.expect(key, delete=len(result.delete))
        for name in result.delete:
            self._delete(key, job, by_name[name], result.strip_before_delete)
        failed = self._create(key, job, result) if result.create else 0
        for status in (result.flush, result.final):
            if failed and status is not None:  # the pods that were not created are not active
                active = status.pop("active", 0) - failed
                if active > 0:
                    status["active"] = active
        current = job
        if result.flush is not None:
            current = self.client.update_status("jobs", {**job, "status": result.flush}, namespace)
        self.backoff[key] = result.backoff
        for name in result.remove_finalizers:
            self._remove_finalizer(by_name[name])
        if result.final is not None:
            self.client.update_status("jobs", {**current, "status": result.final}, namespace)
        for event_type, reason, message in result.events:
            self.recorder.event(job, event_type, reason, message)
        if failed:
            raise RuntimeError(f"failed to create {failed} pod(s) for job {key}")

    def _delete(self, key: str, job: Obj, pod: Obj, strip: bool) -> None:
        name = pod["metadata"]["name"]
        try:
            if strip:
                self._remove_finalizer(pod)
            self.client.delete("pods", name, pod["metadata"]["namespace"])
        except NotFound:
            if strip:
                self.expectations.lower(key, delete=1)
            return
        self.recorder.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {name}")

    def _create(self, key: str, job: Obj, result: JobPlan) -> int:
        """Create the pods (stopping at the first error, like slow start); how many failed."""
        indexes = result.create
        self.expectations.expect(key, add=len(indexes))
        for done, index in enumerate(indexes):
            extra = result.create_annotations.get(index) if index is not None else None
            try:
                # only the generated name is read: the stored pod, uncopied
                pod = self.client.create(
                    "pods", pod_from_template(job, index, extra), respond=False
                )
            except StatusError as err:
                self.recorder.event(job, "Warning", "FailedCreate", f"Error creating: {err}")
                self.expectations.lower(key, add=len(indexes) - done)
                return len(indexes) - done
            message = f"Created pod: {pod['metadata']['name']}"
            self.recorder.event(job, "Normal", "SuccessfulCreate", message)
        return 0

    def _remove_finalizer(self, pod: Obj) -> None:
        """Drop the tracking finalizer (a pod already gone counts as done)."""
        meta = pod["metadata"]
        try:
            current = self.client.get("pods", meta["name"], meta["namespace"])
        except NotFound:
            return
        finalizers = current["metadata"].get("finalizers") or []
        if JOB_TRACKING_FINALIZER not in finalizers:
            return
        kept = [f for f in finalizers if f != JOB_TRACKING_FINALIZER]
        patch = {"metadata": {"finalizers": kept or None}}
        try:
            self.client.patch("pods", meta["name"], patch, meta["namespace"])
        except NotFound:
            pass

    def _handle_orphan_pod(self, key: str) -> None:
        """`handleOrphanPod`: a tracked pod whose Job is gone loses its finalizer."""
        namespace, name = key.split("/", 1)
        try:
            pod = self.informers.lister_for("pods").get(namespace, name)
        except NotFound:
            return
        if has_tracking_finalizer(pod) and self._job_key(pod) is None:
            self._remove_finalizer(pod)


def pod_from_template(
    job: Obj, index: int | None, annotations: dict[str, str] | None = None
) -> Obj:
    """`GetPodFromTemplate` + the Job's additions: index (and its failure-count
    `annotations`), generateName, owner, finalizer."""
    name = job["metadata"]["name"]
    template = copy.deepcopy(job["spec"]["template"])
    if index is not None:
        template = ix.add_completion_index(template, name, index)
        if annotations:
            template["metadata"].setdefault("annotations", {}).update(annotations)
    tmeta = template.get("metadata") or {}
    finalizers = list(tmeta.get("finalizers") or [])
    if JOB_TRACKING_FINALIZER not in finalizers:
        finalizers.append(JOB_TRACKING_FINALIZER)
    meta: Obj = {
        "generateName": ix.pod_generate_name(name, index),
        "namespace": job["metadata"]["namespace"],
        "labels": dict(tmeta.get("labels") or {}),
        "finalizers": finalizers,
        "ownerReferences": [owner_reference(job)],
    }
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template.get("spec", {})}
