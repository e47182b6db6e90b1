"""The TTL-after-finished controller: upstream's TestTimeLeft cases and a scenario."""

from __future__ import annotations

import pytest

from minik8s.api.errors import NotFound
from minik8s.cluster import Cluster
from minik8s.controllers.job_util import format_time, parse_time
from minik8s.controllers.ttlafterfinished import being_processed, needs_cleanup, time_left

NOW = 1_735_689_600.0  # 2025-01-01T00:00:00Z


def job(ttl=None, finished=None, kind="Complete"):
    status = {}
    if finished is not None:
        cond = {"type": kind, "status": "True", "lastTransitionTime": format_time(finished)}
        status["conditions"] = [cond]
    spec = {} if ttl is None else {"ttlSecondsAfterFinished": ttl}
    return {"metadata": {"name": "j", "namespace": "default"}, "spec": spec, "status": status}


@pytest.mark.parametrize(
    ("ttl", "finished", "kind", "left"),
    [
        (None, None, "Complete", None),  # unfinished, no TTL
        (10, None, "Complete", None),  # unfinished
        (None, NOW, "Complete", None),  # completed now, no TTL
        (0, NOW, "Complete", 0),
        (10, NOW, "Complete", 10),
        (15, NOW - 10, "Complete", 5),
        (15, NOW - 10, "Failed", 5),
        (5, NOW - 10, "Complete", -5),
        (5, NOW + 10, "Complete", 15),  # finished "in the future": clock skew defers cleanup
    ],
)
def test_time_left(ttl, finished, kind, left):
    assert time_left(job(ttl, finished, kind), NOW) == left
    assert needs_cleanup(job(ttl, finished, kind)) == (left is not None)


def test_finished_job_is_deleted_after_its_ttl_with_its_pods():
    c = Cluster(seed=0)
    template = {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}
    spec = {"ttlSecondsAfterFinished": 100, "template": template}
    c.apply({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": spec})
    c.settle()
    (p,) = c.get("pods")
    p["status"] = {"phase": "Succeeded"}
    c.client.update_status("pods", p)
    c.settle()
    status = c.get("jobs", "pi")["status"]
    assert status["conditions"][-1]["type"] == "Complete"
    finished_at = parse_time(status["completionTime"]) or 0.0
    c.run(finished_at + 99 - (parse_time(c.loop.timestamp()) or 0.0))
    assert c.get("jobs", "pi")
    c.run(2)
    c.settle()
    with pytest.raises(NotFound):
        c.get("jobs", "pi")
    assert c.get("pods") == []
    assert (parse_time(c.loop.timestamp()) or 0.0) - finished_at < 102


def test_updated_ttl_is_honoured():
    c = Cluster(seed=0)
    template = {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}
    spec = {"ttlSecondsAfterFinished": 10, "template": template}
    c.apply({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": spec})
    c.settle()
    (p,) = c.get("pods")
    p["status"] = {"phase": "Succeeded"}
    c.client.update_status("pods", p)
    c.settle()
    c.client.patch("jobs", "pi", {"spec": {"ttlSecondsAfterFinished": 60}}, "default")
    c.run(30)
    assert c.get("jobs", "pi")
    c.run(31)
    c.settle()
    with pytest.raises(NotFound):
        c.get("jobs", "pi")


def test_a_job_being_deleted_is_not_processed_again():
    """upstream `processTTL` and `addJob`/`updateJob` skip Jobs with a deletionTimestamp."""
    expired = job(5, NOW - 10)
    assert being_processed(expired)
    expired["metadata"]["deletionTimestamp"] = format_time(NOW)
    assert needs_cleanup(expired) and not being_processed(expired)
