"""Preemption as upstream v1.31 does it: `DisruptionTarget` on the victim, the nominated node
patched with `PodScheduled=False`, and no second preemption while a victim terminates."""

from tests.scheduler.helpers import Env

UNSCHEDULABLE = "0/1 nodes are available: 1 Insufficient cpu."


def preempted_env() -> Env:
    env = Env()
    env.add_node("only", cpu="1")
    env.add_pod("low", requests={"cpu": "800m"}, priority=0)
    env.settle()
    env.add_pod("high", requests={"cpu": "800m"}, priority=1000)
    env.settle()
    return env


def condition(pod, kind):
    return next(c for c in pod["status"]["conditions"] if c["type"] == kind)


def test_victim_gets_the_disruption_target_condition_before_deletion():
    env = preempted_env()
    low = env.pod("low")
    assert low["metadata"]["deletionTimestamp"]
    target = condition(low, "DisruptionTarget")
    assert target["status"] == "True"
    assert target["reason"] == "PreemptionByScheduler"
    assert target["message"] == "default-scheduler: preempting to accommodate a higher priority pod"


def test_preemptor_is_nominated_and_marked_unschedulable_in_one_patch():
    env = preempted_env()
    high = env.pod("high")
    assert high["status"]["nominatedNodeName"] == "only"
    scheduled = condition(high, "PodScheduled")
    assert scheduled["status"] == "False" and scheduled["reason"] == "Unschedulable"
    # a successful PostFilter adds nothing to the FitError message
    assert scheduled["message"] == UNSCHEDULABLE
    (event,) = env.events("FailedScheduling")
    assert event["message"] == UNSCHEDULABLE


def test_no_second_preemption_while_the_victim_terminates():
    env = preempted_env()
    env.loop.run(until=env.loop.now + 400)  # the 5 min leftover flush retries the pod
    messages = [a.message for a in env.scheduler.decisions["default/high"]]
    assert messages[1] == (
        UNSCHEDULABLE + " preemption: not eligible due to a terminating pod on the nominated node.."
    )
    assert len(env.events("Preempted")) == 1
    env.finish_terminating()
    env.settle()
    assert env.node_of("high") == "only"


def test_nodes_left_out_by_a_pre_filter_result_use_the_v1_31_words():
    """As on a v1.31 cluster: a DaemonSet-style pod pinned with matchFields to a node whose
    host port is taken."""
    env = Env()
    for name in ("node-1", "node-2", "node-3"):
        env.add_node(name)
    port = [
        {"name": "c0", "image": "busybox:1.36", "ports": [{"containerPort": 80, "hostPort": 80}]}
    ]
    env.add_pod("a", node="node-1", containers=port)
    pinned = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [pinned]}}}  # fmt: skip
    env.add_pod("b", containers=port, affinity=affinity)
    env.settle()
    (event,) = env.events("FailedScheduling")
    assert event["message"] == (
        "0/3 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, "
        "2 node is filtered out by the prefilter result. preemption: 0/3 nodes are available: "
        "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for "
        "scheduling.."
    )


def nominated_pod(env: Env, **spec) -> None:
    env.add_pod("p", requests={"cpu": "2"}, **spec)
    env.client.patch("pods", "p", {"status": {"nominatedNodeName": "gone"}}, "default",
                     subresource="status")  # fmt: skip
    assert env.pod("p")["status"]["nominatedNodeName"] == "gone"


def test_no_nodes_at_all_clears_the_nomination():
    """upstream `clearNominatedNode` for ErrNoNodesAvailable (reason Unschedulable)."""
    env = Env()
    nominated_pod(env)
    env.settle()
    pod = env.pod("p")
    assert "nominatedNodeName" not in pod["status"]
    scheduled = condition(pod, "PodScheduled")
    assert scheduled["reason"] == "Unschedulable"
    assert scheduled["message"] == "no nodes available to schedule pods"


def test_preemption_that_cannot_help_anywhere_clears_the_nomination():
    """upstream `findCandidates`: no node where preemption might help → ClearNominatedNodeName."""
    env = Env()
    env.add_node("only", cpu="1")
    nominated_pod(env, priority=1000)
    env.settle()
    pod = env.pod("p")
    assert "nominatedNodeName" not in pod["status"]
    assert condition(pod, "PodScheduled")["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        "1 Preemption is not helpful for scheduling.."
    )
