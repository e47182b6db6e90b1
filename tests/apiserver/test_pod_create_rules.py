"""Pod create rules of the API server: the SchedulingGated condition upstream's pod strategy
(`pkg/registry/core/pod/strategy.go` `applySchedulingGatedCondition`, strategy_test.go
TestWaitingForGatesCondition) adds at create, and pod validation's topology spread rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s import Cluster
from minik8s.api.errors import Invalid
from minik8s.apiserver.strategy import scheduling_gated_condition

Obj = dict[str, Any]
GATED = {
    "type": "PodScheduled",
    "status": "False",
    "lastProbeTime": None,
    "lastTransitionTime": "2025-01-01T00:00:00Z",
    "reason": "SchedulingGated",
    "message": "Scheduling is blocked due to non-empty scheduling gates",
}


def pod(name: str = "p", **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }


# --- TestWaitingForGatesCondition --------------------------------------------------------------


def test_pod_without_scheduling_gates_gets_no_condition(env) -> None:
    created = env.client.create("pods", pod(), "default")
    assert "conditions" not in created["status"]
    assert scheduling_gated_condition(created) is None


def test_pod_with_scheduling_gates_starts_scheduling_gated(env) -> None:
    created = env.client.create("pods", pod(schedulingGates=[{"name": "foo"}]), "default")
    assert created["status"] == {
        "phase": "Pending",
        "qosClass": "BestEffort",
        "conditions": [GATED],
    }
    assert env.client.get("pods", "p", "default")["status"]["conditions"] == [GATED]


def test_client_status_is_replaced_on_create(env) -> None:
    # PrepareForCreate resets status first, so a client-sent PodScheduled condition is dropped
    sent = pod(schedulingGates=[{"name": "foo"}])
    sent["status"] = {"conditions": [{"type": "PodScheduled", "status": "True"}]}
    created = env.client.create("pods", sent, "default")
    assert created["status"]["conditions"] == [GATED]


def test_transition_time_is_the_creation_time(env) -> None:
    env.loop.run(until=42)
    created = env.client.create("pods", pod(schedulingGates=[{"name": "foo"}]), "default")
    condition = created["status"]["conditions"][0]
    assert condition["lastTransitionTime"] == created["metadata"]["creationTimestamp"]
    assert condition["lastTransitionTime"] == "2025-01-01T00:00:42Z"


def test_kubectl_shows_scheduling_gated_until_the_gate_is_removed() -> None:
    c = Cluster(nodes=1, seed=0)
    c.apply(pod("gated", schedulingGates=[{"name": "example.com/gate"}]))
    c.run(seconds=5)
    lines = c.kubectl("get pods").splitlines()
    assert lines[1].split()[:3] == ["gated", "0/1", "SchedulingGated"]
    assert not c.get("pods", "gated")["spec"].get("nodeName")
    ungated = copy.deepcopy(c.get("pods", "gated"))
    ungated["spec"]["schedulingGates"] = []
    c.client.update("pods", ungated, "default")
    c.run(seconds=10)
    current = c.get("pods", "gated")
    assert current["spec"]["nodeName"] == "node-1"
    scheduled = [x for x in current["status"]["conditions"] if x["type"] == "PodScheduled"]
    assert [(x["status"], x.get("reason")) for x in scheduled] == [("True", None)]
    assert c.kubectl("get pods").splitlines()[1].split()[:3] == ["gated", "1/1", "Running"]


# --- topology spread constraints through the API server -----------------------------------------

SPREAD = {
    "maxSkew": 1,
    "topologyKey": "kubernetes.io/hostname",
    "whenUnsatisfiable": "DoNotSchedule",
}


def test_api_server_rejects_a_pod_with_duplicate_constraints(env) -> None:
    constraints = [
        {**SPREAD, "labelSelector": {"matchLabels": {"app": "a"}}},
        {**SPREAD, "labelSelector": {"matchLabels": {"app": "b"}}},
    ]
    with pytest.raises(Invalid) as caught:
        env.client.create("pods", pod(topologySpreadConstraints=constraints), "default")
    assert str(caught.value) == (
        'Pod "p" is invalid: spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: '
        'Duplicate value: "{kubernetes.io/hostname, DoNotSchedule}"'
    )
    assert env.client.list("pods", "default")["items"] == []


def test_deployment_template_constraints_are_validated(env) -> None:
    labels = {"app": "a"}
    template = pod(topologySpreadConstraints=[{**SPREAD, "maxSkew": 0}])
    template["metadata"] = {"labels": labels}
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {"selector": {"matchLabels": labels}, "template": template},
    }
    with pytest.raises(Invalid) as caught:
        env.client.create("deployments", deploy, "default")
    assert str(caught.value) == (
        'Deployment.apps "d" is invalid: spec.template.spec.topologySpreadConstraints[0].maxSkew: '
        "Invalid value: 0: must be greater than zero"
    )
