"""The watch cache keeps each pool's keys in order until a key enters or leaves it: LISTs must
still return exactly the sorted matching objects after any sequence of creates, updates and
deletes (all objects, one namespace, a label selector, the `spec.nodeName` index)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import AlreadyExists, NotFound

from .conftest import Env, configmap, pod

NAMES = ["a", "b", "c", "d"]
NAMESPACES = ["default", "shop"]
NODES = ["node-1", "node-2"]

op = st.tuples(
    st.sampled_from(["create", "update", "delete"]),
    st.sampled_from(["configmaps", "pods"]),
    st.sampled_from(NAMES),
    st.sampled_from(NAMESPACES),
    st.sampled_from(NODES + ["x"]),  # a node, or a label value
)


def names(listed: dict) -> list[tuple[str, str]]:
    return [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in listed["items"]]


def apply(env: Env, action: str, resource: str, name: str, namespace: str, value: str) -> None:
    if resource == "pods":
        obj = pod(name, value if value in NODES else NODES[0], namespace=namespace)
    else:
        obj = configmap(name, namespace)
        obj["metadata"]["labels"] = {"v": value}
    try:
        if action == "create":
            env.client.create(resource, obj, namespace)
        elif action == "update" and resource == "configmaps":
            env.client.update(resource, obj, namespace)
        elif action == "delete":
            env.client.delete(resource, name, namespace, grace_period_seconds=0)
    except (AlreadyExists, NotFound):
        pass


@settings(max_examples=40, deadline=None)
@given(st.lists(op, max_size=25))
def test_lists_stay_sorted_and_complete(ops):
    env = Env()
    for action, resource, name, namespace, value in ops:
        apply(env, action, resource, name, namespace, value)
        env.loop.settle()
        stored = {
            resource: sorted(
                (o["metadata"]["namespace"], o["metadata"]["name"], o)
                for o in (json.loads(kv.value) for kv in env.store.range(f"/registry/{resource}/"))
            )
            for resource in ("configmaps", "pods")
        }
        for resource, objs in stored.items():
            assert names(env.client.list(resource)) == [(ns, n) for ns, n, _ in objs]
            for ns in NAMESPACES:
                want = [(o_ns, n) for o_ns, n, _ in objs if o_ns == ns]
                assert names(env.client.list(resource, ns)) == want
        labelled = [
            (ns, n) for ns, n, o in stored["configmaps"] if o["metadata"]["labels"]["v"] == "x"
        ]
        assert names(env.client.list("configmaps", label_selector="v=x")) == labelled
        for node in NODES:
            on_node = [(ns, n) for ns, n, o in stored["pods"] if o["spec"]["nodeName"] == node]
            assert names(env.client.list("pods", field_selector=f"spec.nodeName={node}")) == on_node
