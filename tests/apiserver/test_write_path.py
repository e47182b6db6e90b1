"""The cheaper write path (issue #10): same bytes, same answers, same indexes as before."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.apiserver.admission import AdmissionChain, NamespaceLifecycle
from minik8s.apiserver.prepare import encode

from .conftest import pod

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=5), JSON, max_size=4), st.sampled_from(["", "42"]))
def test_encode_is_compact_json_without_the_resource_version(body, rv):
    obj = {"metadata": {"name": "x", **({"resourceVersion": rv} if rv else {})}, **body}
    before = json.dumps(obj)
    data = encode(obj)
    expected = {k: v for k, v in obj.items()}
    expected["metadata"] = {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}
    assert data == json.dumps(expected, separators=(",", ":"), ensure_ascii=False).encode()
    assert json.dumps(obj) == before  # the object is left as it was


class _Mutating:
    name = "Mutating"

    def admit(self, attrs):
        return None

    def validate(self, attrs):
        return None


def test_remembered_mutates_answers_follow_registered_plugins():
    chain = AdmissionChain([NamespaceLifecycle()])
    assert not chain.mutates("Lease", "UPDATE", "")
    assert not chain.mutates("Lease", "UPDATE", "")  # remembered
    chain.register(_Mutating())  # no `mutates`: it may change anything
    assert chain.mutates("Lease", "UPDATE", "")


def test_replaced_objects_stay_indexed_by_namespace_and_node(env):
    env.client.create("pods", pod("a", node="n1"))
    env.client.create("pods", pod("b", node="n1"))
    current = env.client.get("pods", "a", "shop")
    env.client.update(
        "pods", {**current, "metadata": {**current["metadata"], "labels": {"x": "y"}}}
    )
    cacher = env.server.cachers["pods"]
    assert sorted(cacher.by_namespace["shop"]) == ["shop/a", "shop/b"]
    assert cacher.by_namespace["shop"]["shop/a"]["metadata"]["labels"] == {"x": "y"}
    assert sorted(cacher.by_index["n1"]) == ["shop/a", "shop/b"]
    assert [p["metadata"]["name"] for p in env.client.list("pods", "shop")["items"]] == ["a", "b"]
    env.client.delete("pods", "a", "shop", grace_period_seconds=0)
    env.loop.settle()
    assert sorted(cacher.by_index["n1"]) == ["shop/b"]
