"""The Job controller's sync batching (upstream `syncJobBatchPeriod`, `enqueueSyncJobBatched`,
`enqueueSyncJobImmediately`, `enqueueSyncJobWithDelay`), through `Cluster`."""

from __future__ import annotations

from minik8s.cluster import Cluster
from minik8s.controllers.job import SYNC_JOB_BATCH_PERIOD, JobController
from tests.controllers.test_job_backoff import _job as job_manifest


def _job(name: str = "b", command: str = "sleep 3", **spec) -> dict:
    return job_manifest(name, command, **spec)


def _controller(c: Cluster) -> JobController:
    found = [x for x in c.controller_manager.controllers.values() if isinstance(x, JobController)]
    assert len(found) == 1
    return found[0]


def _trace(c: Cluster, seconds: float, step: float = 0.05) -> list[tuple[float, str, str]]:
    """(time, what, pod) for each pod creation and termination, polled every `step` seconds."""
    seen: set[tuple[str, str]] = set()
    out = []
    for _ in range(round(seconds / step)):
        c.run(step)
        for p in c.get("pods"):
            name = p["metadata"]["name"]
            state = ((p["status"].get("containerStatuses") or [{}])[0]).get("state") or {}
            for what, happened in (("created", True), ("terminated", "terminated" in state)):
                if happened and (name, what) not in seen:
                    seen.add((name, what))
                    out.append((round(c.loop.now, 2), what, name))
    return out


def test_batch_period_is_one_second():
    assert SYNC_JOB_BATCH_PERIOD == 1.0


def test_next_pod_comes_one_second_after_the_previous_one_finished():
    c = Cluster(nodes=1, seed=0)
    c.apply(_job(completions=2))
    trace = _trace(c, 10)
    (first_created, first_done, second_created, second_done) = [t for t, _, _ in trace]
    assert [w for _, w, _ in trace] == ["created", "terminated", "created", "terminated"]
    assert first_created < 0.5  # the Job's creation syncs at once
    assert round(second_created - first_done, 2) == SYNC_JOB_BATCH_PERIOD
    job = c.get("jobs", "b")
    # the Job completes at the sync 1 s after the last pod finished (00:00:08.65 → 00:00:09)
    assert second_done < 9 and job["status"]["completionTime"] == "2025-01-01T00:00:09Z"


def test_pod_events_are_batched_and_spec_changes_are_not():
    c = Cluster(nodes=1, seed=0)
    c.apply(_job(completions=4, parallelism=1, command="sleep 100"))
    c.settle()
    jm = _controller(c)
    assert "default/b" not in jm.queue.waiting()
    (p,) = c.get("pods")
    c.client.patch("pods", p["metadata"]["name"], {"metadata": {"labels": {"x": "y"}}}, "default")
    c.run(0.01)
    assert "default/b" in jm.queue.waiting()  # the pod event waits for the batch period
    c.settle()
    c.client.patch("jobs", "b", {"spec": {"parallelism": 2}}, "default")
    c.run(0.5)  # a spec change syncs at once: the second pod is there well before 1 s
    assert len(c.get("pods")) == 2
