"""Properties of whole clusters under random node failures, scaling and pod deletions."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minik8s import Cluster

FAST_EVICTION = [
    {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
]


def deployment(replicas):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "tolerations": FAST_EVICTION,
                    "containers": [{"name": "nginx", "image": "nginx:1.27"}],
                },
            },
        },
    }


def live_pods(c):
    pods = c.client.list("pods", "default", label_selector="app=web")["items"]
    return [p for p in pods if not p["metadata"].get("deletionTimestamp")]


NODES = ["node-1", "node-2", "node-3"]
op = st.one_of(
    st.tuples(st.just("fail"), st.sampled_from(NODES)),
    st.tuples(st.just("recover"), st.sampled_from(NODES)),
    st.tuples(st.just("scale"), st.integers(0, 5)),
    st.tuples(st.just("kill"), st.integers(0, 4)),
    st.tuples(st.just("wait"), st.integers(1, 90)),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(op, max_size=6), replicas=st.integers(1, 4))
def test_a_deployment_heals_after_any_node_failures(ops, replicas):
    c = Cluster(nodes=3, seed=0)
    c.apply(deployment(replicas))
    c.settle()
    for verb, arg in ops:
        if verb == "fail":
            c.fail_node(arg)
        elif verb == "recover":
            c.recover_node(arg)
        elif verb == "scale":
            replicas = arg
            c.kubectl(f"scale deployment web --replicas={arg}")
        elif verb == "kill":
            pods = live_pods(c)
            if pods:
                c.delete("pod", pods[arg % len(pods)]["metadata"]["name"])
        c.run(arg if verb == "wait" else 5)
        # The template never changes, so no rollout: never more live pods than replicas (pods
        # being deleted, and pods evicted from a failed node, are terminating, not live).
        assert len(live_pods(c)) <= replicas
    for node in NODES:
        c.recover_node(node)
    c.run(600)
    pods = live_pods(c)
    assert len(pods) == replicas
    assert all(p["status"].get("phase") == "Running" for p in pods)
    assert {p["spec"]["nodeName"] for p in pods} <= set(NODES)
    status = c.get("deploy", "web")["status"]
    assert status.get("readyReplicas", 0) == replicas
