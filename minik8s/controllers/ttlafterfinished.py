"""The TTL-after-finished controller, mirroring upstream
`pkg/controller/ttlafterfinished/ttlafterfinished_controller.go`.

A finished Job (condition `Complete` or `Failed` True) with `spec.ttlSecondsAfterFinished` is
deleted that many seconds after it finished, with foreground propagation and a UID
precondition, after re-reading it from the API server (the TTL may have been changed). The
wake-up at expiry is a background timer: `run(seconds)` reaches it, `settle()` does not jump
to it. A Job already being deleted (foreground deletion waits for its pods) is left alone.
Left out: the clock-skew warning log, metrics.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.errors import Conflict, NotFound
from minik8s.controllers.base import Controller
from minik8s.controllers.job_util import finish_time

Obj = dict[str, Any]


def needs_cleanup(job: Obj) -> bool:
    """`needsCleanup`: a TTL is set and the Job has finished."""
    ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
    return ttl is not None and finish_time(job) is not None


def being_processed(job: Obj) -> bool:
    """What `processTTL` and the event handlers look at: a Job to clean up, not being deleted."""
    return not job["metadata"].get("deletionTimestamp") and needs_cleanup(job)


def time_left(job: Obj, now: float) -> float | None:
    """`timeLeft`: seconds until the Job expires (<= 0: expired); None if not to clean up."""
    if not needs_cleanup(job):
        return None
    finished = finish_time(job)
    assert finished is not None
    return finished + float(job["spec"]["ttlSecondsAfterFinished"]) - now


class TTLAfterFinishedController(Controller):
    """Deletes finished Jobs once `ttlSecondsAfterFinished` has passed."""

    name = "ttl-after-finished-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.jobs = self.informers.lister_for("jobs")
        self.watch("jobs", self._key_if_needed)

    @staticmethod
    def _key_if_needed(job: Obj) -> str | None:
        if not being_processed(job):
            return None
        meta = job["metadata"]
        return f"{meta.get('namespace', '')}/{meta['name']}"

    def now(self) -> float:
        """The virtual clock as POSIX seconds."""
        return self.loop.datetime().timestamp()

    def reconcile(self, key: str) -> float | None:
        namespace, name = key.split("/", 1)
        try:
            job = self.jobs.get(namespace, name)
        except NotFound:
            return None
        if not self._expired(key, job):
            return None
        try:  # the final sanity check against the API server, as upstream
            fresh = self.client.get("jobs", name, namespace)
        except NotFound:
            return None
        if not self._expired(key, fresh):
            return None
        uid = fresh["metadata"]["uid"]
        try:
            self.client.delete(
                "jobs",
                name,
                namespace,
                propagation_policy="Foreground",
                preconditions={"uid": uid},
            )
        except (NotFound, Conflict):
            pass
        return None

    def _expired(self, key: str, job: Obj) -> bool:
        """`processTTL`: expired now, or a wake-up at expiry (a Job being deleted is skipped)."""
        left = time_left(job, self.now()) if being_processed(job) else None
        if left is None:
            return False
        if left > 0:
            self.queue.add_after(key, left, background=True)
            return False
        return True
