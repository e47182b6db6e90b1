"""Out-of-tree style plugins: registry + profile, Reserve/Permit/Bind failures, Score."""

from minik8s.scheduler.framework import Code, CycleState, Status
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.types import NodeInfo, PodInfo
from tests.scheduler.helpers import Env


class PreferNodeNamed:
    """Score: 100 for the node named in the pod's `prefer` annotation."""

    name = "PreferNodeNamed"

    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int:
        wanted = (pod.pod["metadata"].get("annotations") or {}).get("prefer")
        return 100 if node.name == wanted else 0


class DenyOnce:
    """Permit: reject the first attempt of every pod; Reserve/Unreserve are recorded."""

    name = "DenyOnce"

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.calls: list[str] = []

    def reserve(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        self.calls.append(f"reserve {pod.key} {node_name}")
        return None

    def unreserve(self, state: CycleState, pod: PodInfo, node_name: str) -> None:
        self.calls.append(f"unreserve {pod.key} {node_name}")

    def permit(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        if pod.key in self.seen:
            return None
        self.seen.add(pod.key)
        return Status(Code.Unschedulable, "denied once")


def test_a_custom_score_plugin_with_a_big_weight_decides():
    registry = {**REGISTRY, "PreferNodeNamed": lambda args, handle: PreferNodeNamed()}
    profile = {"plugins": {"multiPoint": {"enabled": [{"name": "PreferNodeNamed", "weight": 10}]}}}
    env = Env(profile=profile, registry=registry)
    for name in ("n1", "n2", "n3"):
        env.add_node(name)
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default", "annotations": {"prefer": "n3"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    env.client.create("pods", pod, "default")
    env.settle()
    assert env.node_of("p") == "n3"
    attempt = env.scheduler.decisions["default/p"][0]
    assert attempt.scores("n3")["PreferNodeNamed"] == (100, 1000)


def test_permit_rejection_unreserves_forgets_and_retries_after_backoff():
    deny = DenyOnce()
    registry = {**REGISTRY, "DenyOnce": lambda args, handle: deny}
    env = Env(
        profile={"plugins": {"multiPoint": {"enabled": [{"name": "DenyOnce"}]}}}, registry=registry
    )
    env.add_node("n1")
    env.add_pod("p")
    env.loop.run(until=0.5)
    assert env.node_of("p") == ""
    assert env.scheduler.cache.get_pod_node("default/p") is None  # the assumption was forgotten
    assert deny.calls == ["reserve default/p n1", "unreserve default/p n1"]
    (event,) = env.events("FailedScheduling")
    assert event["message"] == "denied once"
    env.settle()
    assert env.node_of("p") == ""  # parked: nothing happened that could change the verdict
    env.add_node("n2")  # DenyOnce has no events_to_register: every event may help
    env.settle()
    assert env.node_of("p") in ("n1", "n2")
    assert [a.time for a in env.scheduler.decisions["default/p"]] == [0.0, 1.0]


def test_binding_conflict_is_a_scheduler_error():
    def failing_binder(args, handle):
        class Binder:
            name = "DefaultBinder"

            def bind(self, state, pod, node_name):
                return Status(Code.Error, f'pod {pod.name} is already assigned to node "elsewhere"')

        return Binder()

    env = Env(registry={**REGISTRY, "DefaultBinder": failing_binder})
    env.add_node("n1")
    env.add_pod("p")
    env.loop.run(until=0.5)
    condition = env.pod("p")["status"]["conditions"][0]
    assert condition["reason"] == "SchedulerError"
    assert condition["message"] == 'pod p is already assigned to node "elsewhere"'
    assert "default/p" in env.scheduler.queue.backoff


class OnlyNodes:
    """PreFilter: a PreFilterResult naming some nodes."""

    def __init__(self, name: str, nodes: set[str]) -> None:
        self.name, self.nodes = name, nodes

    def pre_filter(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]):
        return set(self.nodes), None


def test_disjoint_pre_filter_results_use_upstream_words():
    """upstream RunPreFilterPlugins: `node(s) didn't satisfy plugin(s) [A B] simultaneously`
    (sorted names), and `node(s) didn't satisfy plugin A` for one plugin."""
    registry = {
        **REGISTRY,
        "Zeta": lambda args, handle: OnlyNodes("Zeta", {"n1"}),
        "Alpha": lambda args, handle: OnlyNodes("Alpha", {"n2"}),
    }
    enabled = [{"name": "Zeta"}, {"name": "Alpha"}]
    env = Env(profile={"plugins": {"multiPoint": {"enabled": enabled}}}, registry=registry)
    for name in ("n1", "n2"):
        env.add_node(name)
    env.add_pod("p")
    env.settle()
    (event,) = env.events("FailedScheduling")
    assert event["message"] == (
        "0/2 nodes are available: node(s) didn't satisfy plugin(s) [Alpha Zeta] simultaneously. "
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.."
    )
