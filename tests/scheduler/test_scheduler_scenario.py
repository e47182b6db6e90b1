"""The scheduler on a real API server: pods and nodes created through a Client."""

from minik8s.scheduler import Profile
from minik8s.scheduler.scheduler import truncate_message
from tests.scheduler.helpers import Env, make_pod

CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def three_nodes(env):
    env.add_node("control-plane", taints=[CONTROL_PLANE_TAINT])
    env.add_node("node-1", cpu="1")
    env.add_node("node-2", cpu="1")


def test_pod_is_bound_with_a_scheduled_event():
    env = Env()
    three_nodes(env)
    env.add_pod("web-1", "shop", requests={"cpu": "500m"})
    env.settle()
    node = env.node_of("web-1", "shop")
    assert node in ("node-1", "node-2")
    (event,) = env.events("Scheduled")
    assert event["message"] == f"Successfully assigned shop/web-1 to {node}"
    assert event["type"] == "Normal" and event["source"]["component"] == "default-scheduler"
    conditions = env.pod("web-1", "shop")["status"]["conditions"]
    assert {"type": "PodScheduled", "status": "True"}.items() <= conditions[0].items()


def test_unschedulable_pod_reports_upstream_reasons_then_schedules_when_a_node_appears():
    env = Env()
    three_nodes(env)
    env.add_pod("big", "shop", requests={"cpu": "2"})
    env.settle()
    message = (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: "
        "0/3 nodes are available: 3 Preemption is not helpful for scheduling.."
    )
    (event,) = env.events("FailedScheduling")
    assert event["type"] == "Warning" and event["message"] == message
    pod = env.pod("big", "shop")
    assert pod["spec"].get("nodeName") is None
    (condition,) = pod["status"]["conditions"]
    assert condition["type"] == "PodScheduled" and condition["status"] == "False"
    assert condition["reason"] == "Unschedulable" and condition["message"] == message
    assert "shop/big" in env.scheduler.queue.unschedulable
    env.add_node("node-3", cpu="4")
    env.settle()
    assert env.node_of("big", "shop") == "node-3"
    attempts = env.scheduler.decisions["shop/big"]
    assert [a.chosen for a in attempts] == [None, "node-3"]
    assert attempts[1].time == 1.0  # the node arrived during the 1 s back-off


def test_fitting_pods_are_spread_and_requests_never_exceed_allocatable():
    env = Env()
    for i in range(3):
        env.add_node(f"node-{i}", cpu="1", memory="1Gi", pods=5)
    for i in range(7):
        env.add_pod(f"p{i}", requests={"cpu": "400m", "memory": "100Mi"})
    env.settle()
    nodes = [env.node_of(f"p{i}") for i in range(7)]
    assert sorted(n for n in nodes if n) == [
        "node-0",
        "node-0",
        "node-1",
        "node-1",
        "node-2",
        "node-2",
    ]
    (failed,) = [f"p{i}" for i, n in enumerate(nodes) if not n]
    assert "3 Insufficient cpu" in env.pod(failed)["status"]["conditions"][0]["message"]


def test_deleting_a_pod_frees_room_for_a_parked_one():
    env = Env()
    env.add_node("only", cpu="1")
    env.add_pod("a", requests={"cpu": "800m"})
    env.add_pod("b", requests={"cpu": "800m"})
    env.settle()
    assert env.node_of("a") == "only" and env.node_of("b") == ""
    env.client.delete("pods", "a", "default")
    env.settle()
    assert env.node_of("b") == ""  # a terminating pod still holds its resources, as upstream
    env.finish_terminating()
    env.settle()
    assert env.node_of("b") == "only"


def test_node_selector_and_taint_toleration_end_to_end():
    env = Env()
    env.add_node(
        "gpu",
        labels={"accelerator": "nvidia"},
        taints=[{"key": "gpu", "value": "true", "effect": "NoSchedule"}],
    )
    env.add_node("plain")
    tolerations = [{"key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}]
    env.add_pod("train", nodeSelector={"accelerator": "nvidia"}, tolerations=tolerations)
    env.add_pod("web", nodeSelector={"accelerator": "nvidia"})
    env.settle()
    assert env.node_of("train") == "gpu"
    assert env.pod("web")["status"]["conditions"][0]["message"].startswith(
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
        "1 node(s) had untolerated taint {gpu: true}."
    )
    # labelling the plain node moves the parked pod (NodeAffinity registered label updates)
    plain = env.client.get("nodes", "plain")
    plain["metadata"]["labels"]["accelerator"] = "nvidia"
    env.client.update("nodes", plain)
    env.settle()
    assert env.node_of("web") == "plain"


def test_a_profile_changes_the_scoring_strategy():
    profile = {
        "pluginConfig": [
            {"name": "NodeResourcesFit", "args": {"scoringStrategy": {"type": "MostAllocated"}}}
        ],
        "plugins": {"score": {"disabled": [{"name": "NodeResourcesBalancedAllocation"}]}},
    }
    env = Env(profile=profile)
    env.add_node("small", cpu="2")
    env.add_node("large", cpu="8")
    for i in range(3):
        env.add_pod(f"p{i}", requests={"cpu": "500m"})
    env.settle()
    assert {env.node_of(f"p{i}") for i in range(3)} == {"small"}  # bin packing
    attempt = env.scheduler.decisions["default/p0"][0]
    assert list(attempt.raw_scores) == ["TaintToleration", "NodeResourcesFit"]
    assert isinstance(env.scheduler.profile, Profile)


def test_explain_renders_every_attempt():
    env = Env()
    three_nodes(env)
    env.add_pod("web", requests={"cpu": "100m"})
    env.settle()
    text = env.scheduler.explain("default/web")
    assert text.splitlines()[0].startswith("attempt 1 for default/web at t=0s: 3/3 nodes evaluated")
    assert "TaintToleration: node(s) had untolerated taint" in text
    assert "← chosen" in text
    assert (
        env.scheduler.explain("default/none") == "no scheduling decision recorded for default/none"
    )


def test_preemption_evicts_a_lower_priority_pod():
    env = Env()
    env.add_node("only", cpu="1")
    env.add_pod("low", requests={"cpu": "800m"}, priority=0)
    env.settle()
    env.add_pod("high", requests={"cpu": "800m"}, priority=1000)
    env.settle()
    assert env.pod("high")["status"]["nominatedNodeName"] == "only"
    assert env.pod("low")["metadata"]["deletionTimestamp"]
    env.finish_terminating()
    env.settle()
    assert env.node_of("high") == "only"
    assert [e["involvedObject"]["name"] for e in env.events("Preempted")] == ["low"]
    names = [p["metadata"]["name"] for p in env.client.list("pods", "default")["items"]]
    assert names == ["high"]


def test_no_preemption_victims_message():
    env = Env()
    env.add_node("only", cpu="1")
    env.add_pod("a", requests={"cpu": "800m"})
    env.add_pod("b", requests={"cpu": "800m"})
    env.settle()
    (event,) = env.events("FailedScheduling")
    assert event["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        "1 No preemption victims found for incoming pod.."
    )


def test_pods_of_another_scheduler_are_left_alone():
    env = Env()
    env.add_node("n")
    env.add_pod("mine")
    env.add_pod("theirs", schedulerName="other-scheduler")
    env.settle()
    assert env.node_of("mine") == "n" and env.node_of("theirs") == ""


def test_topology_spread_and_anti_affinity_end_to_end():
    env = Env()
    for name, zone in (("a1", "a"), ("a2", "a"), ("b1", "b")):
        env.add_node(name, labels={"topology.kubernetes.io/zone": zone})
    constraint = {
        "maxSkew": 1,
        "topologyKey": "topology.kubernetes.io/zone",
        "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {"matchLabels": {"app": "web"}},
    }
    for i in range(4):
        env.add_pod(f"web-{i}", labels={"app": "web"}, topologySpreadConstraints=[constraint])
    env.settle()
    zones = {"a1": "a", "a2": "a", "b1": "b"}
    placed = [zones[env.node_of(f"web-{i}")] for i in range(4)]
    assert sorted(placed) == ["a", "a", "b", "b"]
    term = {
        "labelSelector": {"matchLabels": {"app": "db"}},
        "topologyKey": "kubernetes.io/hostname",
    }
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    for i in range(4):
        env.add_pod(f"db-{i}", labels={"app": "db"}, affinity=anti)
    env.settle()
    hosts = [env.node_of(f"db-{i}") for i in range(4)]
    assert sorted(h for h in hosts if h) == ["a1", "a2", "b1"]
    (pending,) = [f"db-{i}" for i, h in enumerate(hosts) if not h]
    message = env.pod(pending)["status"]["conditions"][0]["message"]
    assert message.startswith(
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."
    )


def test_no_nodes_at_all_is_retried_with_backoff():
    env = Env()
    env.add_pod("early")
    env.loop.run(until=0.5)
    condition = env.pod("early")["status"]["conditions"][0]
    assert (condition["reason"], condition["message"]) == (
        "Unschedulable",
        "no nodes available to schedule pods",
    )
    assert "default/early" in env.scheduler.queue.backoff  # nothing rejected it: back-off
    env.loop.run(until=3.5)
    assert [a.time for a in env.scheduler.decisions["default/early"]] == [0.0, 1.0, 3.0]
    env.add_node("late")
    env.settle()
    assert env.node_of("early") == "late"


def test_a_pod_updated_while_waiting_in_the_active_queue_is_scheduled_once():
    """Regression: the update re-pushed the pod with its own sequence number, and the heap
    compared the two entries (TypeError)."""
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }
    c.client.create("pods", pod)
    c.client.patch("pods", "p", {"metadata": {"labels": {"a": "b"}}}, "default")
    c.run(5)
    stored = c.get("Pod", "p")
    assert stored["spec"]["nodeName"] == "node-1"
    assert stored["metadata"]["labels"] == {"a": "b"}
    scheduled = [e for e in c.get("Event") if e["reason"] == "Scheduled"]
    assert len(scheduled) == 1


def test_preemption_policy_never_message_ends_with_upstream_periods():
    """PodEligibleToPreemptOthers says "...preemptionPolicy=Never." and FitError adds " %v."."""
    env = Env()
    env.add_node("only", cpu="1")
    env.add_pod("p", requests={"cpu": "2"}, preemptionPolicy="Never")
    env.settle()
    (event,) = env.events("FailedScheduling")
    assert event["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. "
        "preemption: not eligible due to preemptionPolicy=Never.."
    )


def test_long_failed_scheduling_message_is_truncated_with_upstream_suffix():
    """upstream truncateMessage: NoteLengthLimit (1024) bytes, the cut ones end in " ..."; the
    PodScheduled condition keeps the whole message."""
    env = Env()
    for i in range(40):
        taint = {"key": f"example.com/team-{i:03d}", "value": "reserved", "effect": "NoSchedule"}
        env.add_node(f"n{i:02d}", taints=[taint])
    env.add_pod("p")
    env.settle()
    (event,) = env.events("FailedScheduling")
    (condition,) = env.pod("p")["status"]["conditions"]
    full = condition["message"]
    assert len(full) > 1024
    assert event["message"] == full[:1020] + " ..."
    assert truncate_message("x" * 1024) == "x" * 1024
    assert truncate_message("x" * 1025) == "x" * 1020 + " ..."


def test_a_pending_pod_being_deleted_gets_a_skip_event():
    """upstream skipPodSchedule: `skip schedule deleting pod: <ns>/<name>` (FailedScheduling)."""
    env = Env()
    env.add_node("only", cpu="1")
    pod = make_pod("p", requests={"cpu": "2"})
    pod["metadata"]["finalizers"] = ["example.com/keep"]
    env.client.create("pods", pod, "default")
    env.settle()
    env.client.delete("pods", "p", "default")
    env.settle()
    assert env.pod("p")["metadata"]["deletionTimestamp"]
    events = env.events("FailedScheduling")
    assert [(e["type"], e["message"]) for e in events][-1] == (
        "Warning",
        "skip schedule deleting pod: default/p",
    )
    assert len(env.scheduler.decisions["default/p"]) == 1  # no scheduling attempt for it
    assert "default/p" not in env.scheduler.queue
