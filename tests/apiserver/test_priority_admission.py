"""The Priority admission plugin (`plugin/pkg/admission/priority/admission.go`, cases after its
admission_test.go TestPodAdmission / TestPriorityClassAdmission): a new pod's priority and
preemptionPolicy come from its PriorityClass, the globalDefault class, or 0."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s import Cluster
from minik8s.api.errors import Forbidden
from minik8s.api.kinds import ResourceInfo, lookup
from minik8s.apiserver.admission import AdmissionChain, Attributes
from minik8s.apiserver.plugins import priority as plugin
from minik8s.apiserver.plugins.priority import Priority, default_priority_class

Obj = dict[str, Any]
PRIORITY_CLASSES = ResourceInfo(
    "scheduling.k8s.io",
    "v1",
    "PriorityClass",
    "priorityclasses",
    "priorityclass",
    ("pc",),
    namespaced=False,
    has_status=False,
)


def pod(name: str = "p", **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }


def priority_fields(obj: Obj) -> dict[str, Any]:
    keys = ("priorityClassName", "priority", "preemptionPolicy")
    return {k: obj["spec"][k] for k in keys if k in obj["spec"]}


@pytest.fixture
def server(env):
    """The bare API server of `env` with the Priority plugin in its admission chain."""
    env.server.admission = AdmissionChain([Priority()])
    return env


# --- pods, with only the bootstrapped system classes ---------------------------------------------


def test_pod_without_class_and_without_default_gets_zero(server) -> None:
    created = server.client.create("pods", pod(), "default")
    assert priority_fields(created) == {"priority": 0, "preemptionPolicy": "PreemptLowerPriority"}


@pytest.mark.parametrize(
    ("name", "value"),
    [("system-cluster-critical", 2000000000), ("system-node-critical", 2000001000)],
)
def test_system_priority_classes(server, name: str, value: int) -> None:
    created = server.client.create("pods", pod(priorityClassName=name), "kube-system")
    assert priority_fields(created) == {
        "priorityClassName": name,
        "priority": value,
        "preemptionPolicy": "PreemptLowerPriority",
    }


def test_unknown_class_is_forbidden(server) -> None:
    with pytest.raises(Forbidden) as caught:
        server.client.create("pods", pod(priorityClassName="foo"), "default")
    assert str(caught.value) == 'pods "p" is forbidden: no PriorityClass with name foo was found'
    assert caught.value.code == 403
    assert server.client.list("pods", "default")["items"] == []


def test_generated_name_is_named_by_its_prefix(server) -> None:
    sent = pod(priorityClassName="foo")
    sent["metadata"] = {"generateName": "web-"}
    with pytest.raises(Forbidden, match=r'^pods "web-" is forbidden: no PriorityClass'):
        server.client.create("pods", sent, "default")


def test_client_priority_must_match_the_computed_one(server) -> None:
    with pytest.raises(Forbidden) as caught:
        server.client.create("pods", pod(priority=5), "default")
    assert str(caught.value) == (
        'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod '
        "spec; priority admission controller computed 0 from the given PriorityClass name"
    )
    created = server.client.create("pods", pod(priority=0), "default")
    assert created["spec"]["priority"] == 0


def test_client_preemption_policy_must_match_the_computed_one(server) -> None:
    with pytest.raises(Forbidden) as caught:
        server.client.create("pods", pod(preemptionPolicy="Never"), "default")
    assert str(caught.value) == (
        'pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be provided '
        "in pod spec; priority admission controller computed PreemptLowerPriority from the "
        "given PriorityClass name"
    )


def test_update_keeps_priority_the_new_object_omits(server) -> None:
    created = server.client.create("pods", pod(), "default")
    sent = copy.deepcopy(created)
    del sent["spec"]["priority"], sent["spec"]["preemptionPolicy"]
    sent["metadata"]["labels"] = {"a": "b"}
    updated = server.client.update("pods", sent, "default")
    assert priority_fields(updated) == {"priority": 0, "preemptionPolicy": "PreemptLowerPriority"}
    assert updated["metadata"]["labels"] == {"a": "b"}


def test_status_and_binding_writes_are_not_admitted() -> None:
    attrs = Attributes("CREATE", lookup("pods"), "default", "p", pod(), subresource="status")
    Priority().admit(attrs)
    assert "priority" not in attrs.obj["spec"]  # type: ignore[index]
    assert not Priority().mutates("UPDATE", "status")
    assert Priority().mutates("CREATE", "") and Priority().mutates("UPDATE", "")


def test_cluster_pods_carry_priority_and_describe_shows_it() -> None:
    c = Cluster(nodes=1, seed=0)
    c.apply(pod("web"))
    c.run(seconds=5)
    assert priority_fields(c.get("pods", "web")) == {
        "priority": 0,
        "preemptionPolicy": "PreemptLowerPriority",
    }
    lines = c.kubectl("describe pod web").splitlines()
    assert lines[:3] == [
        "Name:             web",
        "Namespace:        default",
        "Priority:         0",
    ]
    c.apply(pod("web"))  # re-applying the manifest keeps the admitted values
    assert c.get("pods", "web")["spec"]["priority"] == 0


# --- stored PriorityClasses (once minik8s serves the kind) --------------------------------------


class StubServer:
    """Serves `list("priorityclasses")` from a fixed list."""

    def __init__(self, classes: list[Obj]):
        self.classes = classes

    def list(self, resource: str) -> Obj:
        assert resource == "priorityclasses"
        return {"items": copy.deepcopy(self.classes)}


def pc(name: str, value: int, default: bool = False, policy: str | None = None) -> Obj:
    obj: Obj = {"metadata": {"name": name}, "value": value, "globalDefault": default}
    if policy is not None:
        obj["preemptionPolicy"] = policy
    return obj


@pytest.fixture
def served(monkeypatch):
    """Pretend the PriorityClass kind is served."""
    monkeypatch.setattr(plugin, "lookup", lambda name: PRIORITY_CLASSES)


def admit_pod(classes: list[Obj], obj: Obj) -> Obj:
    attrs = Attributes("CREATE", lookup("pods"), "default", "", obj, server=StubServer(classes))
    Priority().admit(attrs)
    return obj


def test_global_default_class_names_the_pod(served) -> None:
    classes = [pc("low", 100, True, "Never"), pc("lower", 10, True, "Never"), pc("hi", 1000)]
    assert default_priority_class(classes) == classes[1]
    admitted = admit_pod(classes, pod())
    assert priority_fields(admitted) == {
        "priorityClassName": "lower",
        "priority": 10,
        "preemptionPolicy": "Never",
    }


def test_stored_class_sets_priority_and_policy(served) -> None:
    admitted = admit_pod([pc("hi", 1000, policy="Never")], pod(priorityClassName="hi"))
    assert priority_fields(admitted) == {
        "priorityClassName": "hi",
        "priority": 1000,
        "preemptionPolicy": "Never",
    }
    with pytest.raises(Forbidden, match=r"PreemptionPolicy \(PreemptLowerPriority\) must not"):
        sent = pod(priorityClassName="hi", preemptionPolicy="PreemptLowerPriority")
        admit_pod([pc("hi", 1000, policy="Never")], sent)


def test_class_without_policy_leaves_it_unset(served) -> None:
    admitted = admit_pod([pc("hi", 1000)], pod(priorityClassName="hi"))
    assert priority_fields(admitted) == {"priorityClassName": "hi", "priority": 1000}


def class_attrs(operation: str, obj: Obj, classes: list[Obj]) -> Attributes:
    name = obj["metadata"]["name"]
    return Attributes(operation, PRIORITY_CLASSES, "", name, obj, server=StubServer(classes))


def test_only_one_global_default_class(served) -> None:
    existing = [pc("default1", 1000, True)]
    with pytest.raises(Forbidden) as caught:
        Priority().validate(class_attrs("CREATE", pc("default2", 1, True), existing))
    assert str(caught.value) == (
        'priorityclasses.scheduling.k8s.io "default2" is forbidden: PriorityClass default1 is '
        "already marked as default. Only one default can exist"
    )
    with pytest.raises(Forbidden):
        Priority().validate(class_attrs("UPDATE", pc("other", 1, True), existing))
    Priority().validate(class_attrs("UPDATE", pc("default1", 5, True), existing))
    Priority().validate(class_attrs("CREATE", pc("plain", 5), existing))
    Priority().validate(class_attrs("CREATE", pc("first", 5, True), []))


def test_repr() -> None:
    assert repr(Priority()) == "<Priority>"
