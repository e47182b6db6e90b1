"""Hypothesis properties of whole scheduling runs on a real API server."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minik8s.scheduler.framework import Code, CycleState
from minik8s.scheduler.types import NodeInfo, PodInfo, pod_requests, quantity_value
from tests.scheduler.helpers import Env, make_pod

TAINT = {"key": "dedicated", "value": "db", "effect": "NoSchedule"}
TOLERATION = {"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}

nodes_st = st.lists(
    st.fixed_dictionaries(
        {
            "cpu": st.sampled_from(["500m", "1", "2"]),
            "memory": st.sampled_from(["256Mi", "1Gi"]),
            "pods": st.integers(1, 4),
            "disk": st.sampled_from(["ssd", "hdd"]),
            "tainted": st.booleans(),
            "cordoned": st.booleans(),
        }
    ),
    min_size=1,
    max_size=4,
)
pods_st = st.lists(
    st.fixed_dictionaries(
        {
            "cpu": st.sampled_from([None, "100m", "300m", "700m"]),
            "memory": st.sampled_from([None, "64Mi", "200Mi"]),
            "disk": st.sampled_from([None, "ssd"]),
            "tolerate": st.booleans(),
            "port": st.sampled_from([None, 8080]),
            "anti": st.booleans(),
        }
    ),
    min_size=1,
    max_size=10,
)


def build(env, nodes, pods):
    for i, n in enumerate(nodes):
        env.add_node(
            f"node-{i}", cpu=n["cpu"], memory=n["memory"], pods=n["pods"],
            labels={"disk": n["disk"]},
            taints=[TAINT] if n["tainted"] else None, unschedulable=n["cordoned"],
        )  # fmt: skip
    for i, p in enumerate(pods):
        requests = {k: p[k] for k in ("cpu", "memory") if p[k]}
        spec = {}
        if p["disk"]:
            spec["nodeSelector"] = {"disk": p["disk"]}
        if p["tolerate"]:
            spec["tolerations"] = [TOLERATION]
        if p["anti"]:
            term = {
                "labelSelector": {"matchLabels": {"anti": "yes"}},
                "topologyKey": "kubernetes.io/hostname",
            }
            spec["affinity"] = {
                "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}
            }
        pod = make_pod(
            f"p{i}", requests=requests, labels={"anti": "yes"} if p["anti"] else {}, **spec
        )
        if p["port"]:
            pod["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": p["port"]}]
        env.client.create("pods", pod, "default")
    env.settle()


def bound(env):
    pods = env.client.list("pods", "default")["items"]
    return [p for p in pods if p["spec"].get("nodeName")]


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(nodes_st, pods_st)
def test_a_bound_pod_passes_every_filter_for_its_node(nodes, pods):
    env = Env()
    build(env, nodes, pods)
    fwk = env.scheduler.framework
    placed = bound(env)
    for pod in placed:
        node = env.client.get("nodes", pod["spec"]["nodeName"])
        others = NodeInfo(node)
        for other in placed:
            if other is not pod and other["spec"]["nodeName"] == node["metadata"]["name"]:
                others.add_pod(PodInfo(other))
        state, info = CycleState(), PodInfo(pod)
        for plugin in fwk.pre_filter_plugins:
            if plugin.name in ("PodTopologySpread", "InterPodAffinity"):
                continue  # state from the whole snapshot; the anti rule is checked below
            _, status = plugin.pre_filter(state, info, [others])
            if status is not None and status.code == Code.Skip:
                state.skip_filter_plugins.add(plugin.name)
        for plugin in fwk.filter_plugins:
            if plugin.name in state.skip_filter_plugins or plugin.name in (
                "PodTopologySpread",
                "InterPodAffinity",
            ):
                continue
            assert plugin.filter(state, info, others) is None, (
                plugin.name,
                pod["metadata"]["name"],
            )
        if pod["metadata"]["labels"].get("anti"):
            assert not any(
                o["metadata"].get("labels", {}).get("anti")
                for o in others.pods.values()
                for o in [o.pod]
            )


@PROPERTY
@given(nodes_st, pods_st)
def test_requests_on_a_node_never_exceed_allocatable(nodes, pods):
    env = Env()
    build(env, nodes, pods)
    placed = bound(env)
    for node in env.client.list("nodes")["items"]:
        allocatable = node["status"]["allocatable"]
        mine = [p for p in placed if p["spec"]["nodeName"] == node["metadata"]["name"]]
        assert len(mine) <= int(allocatable["pods"])
        for resource in ("cpu", "memory"):
            total = sum(pod_requests(p).get(resource, 0) for p in mine)
            assert total <= quantity_value(resource, allocatable[resource])
    # and every pod left pending says why
    for pod in env.client.list("pods", "default")["items"]:
        if not pod["spec"].get("nodeName"):
            condition = pod["status"]["conditions"][0]
            assert condition["reason"] == "Unschedulable"
            assert condition["message"].startswith(f"0/{len(nodes)} nodes are available: ")
