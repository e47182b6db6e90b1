"""The admission chain runs a plugin declaring `kinds` only for those kinds (issue #10)."""

from __future__ import annotations

from minik8s.apiserver.admission import AdmissionChain, Attributes, NamespaceLifecycle
from minik8s.apiserver.plugins.defaulttolerationseconds import DefaultTolerationSeconds
from minik8s.apiserver.plugins.storageprotection import StorageObjectInUseProtection


class Recorder:
    """Records every call; with `kinds`, declares the kinds it acts on."""

    name = "Recorder"

    def __init__(self, seen: list[str], tag: str, kinds: frozenset[str] | None = None):
        self.seen, self.tag = seen, tag
        if kinds is not None:
            self.kinds = kinds

    def admit(self, attrs: Attributes) -> None:
        self.seen.append(f"{self.tag} admit {attrs.info.kind}")

    def validate(self, attrs: Attributes) -> None:
        self.seen.append(f"{self.tag} validate {attrs.info.kind}")


def attrs(env, resource: str) -> Attributes:
    info = env.server.info(resource)
    return Attributes("UPDATE", info, "default", "x", {}, {}, server=env.server)


def test_plugins_run_in_order_and_only_for_their_kinds(env):
    seen: list[str] = []
    chain = AdmissionChain([Recorder(seen, "a"), Recorder(seen, "pods", frozenset({"Pod"}))])
    chain.register(Recorder(seen, "b"))
    for resource in ("pods", "leases"):
        chain.admit(attrs(env, resource))
        chain.validate(attrs(env, resource))
    assert seen == [
        "a admit Pod",
        "pods admit Pod",
        "b admit Pod",
        "a validate Pod",
        "pods validate Pod",
        "b validate Pod",
        "a admit Lease",
        "b admit Lease",
        "a validate Lease",
        "b validate Lease",
    ]


def test_a_plugin_added_to_the_list_directly_runs_too(env):
    seen: list[str] = []
    chain = AdmissionChain([NamespaceLifecycle()])
    chain.admit(attrs(env, "leases"))
    chain.plugins.append(Recorder(seen, "late"))
    chain.admit(attrs(env, "leases"))
    chain.plugins = [Recorder(seen, "new")]
    chain.admit(attrs(env, "leases"))
    assert seen == ["late admit Lease", "new admit Lease"]


def test_built_in_plugins_declare_the_kinds_they_act_on():
    chain = AdmissionChain(
        [NamespaceLifecycle(), DefaultTolerationSeconds(), StorageObjectInUseProtection()]
    )
    assert [p.name for p in chain.for_kind("Lease")] == ["NamespaceLifecycle"]
    assert [p.name for p in chain.for_kind("Pod")] == [
        "NamespaceLifecycle",
        "DefaultTolerationSeconds",
    ]
    assert [p.name for p in chain.for_kind("PersistentVolume")] == [
        "NamespaceLifecycle",
        "StorageObjectInUseProtection",
    ]


class Stamp:
    """A mutating plugin without `mutates`: it may change anything of an update's object."""

    name = "Stamp"

    def admit(self, attrs: Attributes) -> None:
        if attrs.info.kind == "Pod" and attrs.operation == "UPDATE":
            attrs.obj["spec"].setdefault("nodeSelector", {})["stamped"] = "yes"
            if "status" in attrs.obj:
                attrs.obj["status"]["message"] = "touched by admission"

    def validate(self, attrs: Attributes) -> None:
        return None


def test_a_mutating_plugin_never_changes_the_watch_cache_object():
    from minik8s import Cluster

    c = Cluster(nodes=1)
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
        }
    )
    c.run(10)
    c.apiserver.admission.register(Stamp())
    cached = c.apiserver.cached("pods", "p", "default")
    before = repr(cached)
    body = c.apiserver.get("pods", "p", "default")
    body["status"]["message"] = "hello"
    c.apiserver.update("pods", body, "default", subresource="status")  # spec shared with old
    body = c.apiserver.get("pods", "p", "default")
    body["metadata"]["labels"] = {"x": "y"}
    try:
        c.apiserver.update("pods", body, "default")  # status shared with old
    except Exception:  # the stamped nodeSelector is immutable: rejected, after admission ran
        pass
    assert repr(cached) == before


def test_built_in_plugins_say_which_requests_they_mutate():
    chain = AdmissionChain([NamespaceLifecycle(), DefaultTolerationSeconds()])
    assert chain.mutates("Pod", "UPDATE", "")
    assert not chain.mutates("Pod", "UPDATE", "status")
    assert not chain.mutates("ConfigMap", "UPDATE", "")
    chain.register(Stamp())
    assert chain.mutates("ConfigMap", "UPDATE", "status")
