"""StatefulSet events when a finished pod is replaced, as upstream `processReplica` (v1.31)
records them: `Warning RecreatingFailedPod` / `Normal RecreatingTerminatedPod`, then the
delete and the create of the replacement."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s import Cluster

Obj = dict[str, Any]


def statefulset() -> Obj:
    labels = {"app": "db"}
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop"},
        "spec": {
            "replicas": 1,
            "serviceName": "db",
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }


def set_events(c: Cluster) -> list[tuple[str, str, str]]:
    events = sorted(c.get("events", namespace="shop"), key=lambda e: e["metadata"]["name"])
    return [
        (e["type"], e["reason"], e["message"])
        for e in events
        if e["involvedObject"]["kind"] == "StatefulSet"
    ]


@pytest.mark.parametrize(
    "phase, expected",
    [
        (
            "Failed",
            ("Warning", "RecreatingFailedPod", "StatefulSet shop/db is recreating failed Pod db-0"),
        ),
        (
            "Succeeded",
            (
                "Normal",
                "RecreatingTerminatedPod",
                "StatefulSet shop/db is recreating terminated Pod db-0",
            ),
        ),
    ],
)
def test_recreating_a_finished_pod_records_its_event(phase: str, expected: tuple[str, ...]):
    c = Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    c.apply(statefulset())
    c.run(10)
    old_uid = c.get("pods", "db-0", namespace="shop")["metadata"]["uid"]
    assert [e[1] for e in set_events(c)] == ["SuccessfulCreate"]
    pod = c.get("pods", "db-0", namespace="shop")
    pod["status"]["phase"] = phase
    c.client.update_status("pods", pod, "shop")
    c.run(10)
    assert expected in set_events(c)
    assert ("Normal", "SuccessfulDelete", "delete Pod db-0 in StatefulSet db successful") in (
        set_events(c)
    )
    replacement = c.get("pods", "db-0", namespace="shop")
    assert replacement["metadata"]["uid"] != old_uid
    assert replacement["status"]["phase"] == "Running"
    recreating = [e for e in set_events(c) if e[1].startswith("Recreating")]
    assert recreating == [expected]  # recorded once, with the delete
