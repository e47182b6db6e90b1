"""TaintNodesByCondition, with cases like upstream's nodetaint admission_test.go."""

from __future__ import annotations

import pytest

from minik8s.apiserver.plugins.nodetaint import TaintNodesByCondition

NOT_READY = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
OTHER = {"key": "foo", "value": "bar", "effect": "NoSchedule"}


class Info:
    def __init__(self, kind: str, group: str = ""):
        self.kind, self.group = kind, group


class Attrs:
    def __init__(self, obj, operation="CREATE", kind="Node", subresource=""):
        self.obj, self.operation, self.subresource = obj, operation, subresource
        self.info = Info(kind)


def node(*taints: dict) -> dict:
    return {"metadata": {"name": "n"}, "spec": {"taints": list(taints)} if taints else {}}


@pytest.mark.parametrize(
    ("name", "obj", "operation", "subresource", "want"),
    [
        ("notReady taint is added on creation", node(), "CREATE", "", [NOT_READY]),
        ("already tainted node is not tainted again", node(NOT_READY), "CREATE", "", [NOT_READY]),
        ("NotReady taint is appended", node(OTHER), "CREATE", "", [OTHER, NOT_READY]),
        ("unrelated operations are ignored", node(), "UPDATE", "", None),
        ("status updates are ignored", node(), "CREATE", "status", None),
    ],
)
def test_admit(name, obj, operation, subresource, want):
    TaintNodesByCondition().admit(Attrs(obj, operation, subresource=subresource))
    assert obj["spec"].get("taints") == want, name


def test_other_kinds_are_ignored():
    pod = {"metadata": {"name": "p"}, "spec": {}}
    TaintNodesByCondition().admit(Attrs(pod, kind="Pod"))
    assert pod["spec"] == {}
