"""A Lease renewal through the whole API path for less (issue #10, target 4): the shortcuts
taken for a body that shares parts with the stored object give the answers of the full path."""

import pytest

from minik8s.apiserver import decode as decoding

LEASE_NS = "kube-node-lease"


def lease(name="node-1", renew="2025-01-01T00:00:00.000000Z", **spec):
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": name,
            "namespace": LEASE_NS,
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": "u1"}],
        },
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": renew, **spec},
    }


@pytest.fixture
def stored(env):
    env.client.create("namespaces", {"metadata": {"name": LEASE_NS}})
    env.client.create("leases", lease())
    return env.server.get("leases", "node-1", LEASE_NS, respond=False)


def _skips(monkeypatch):
    seen = []
    real = decoding.decode

    def spy(obj, field_validation="Strict", skip=()):
        seen.append(sorted(k for k in skip if k not in ("apiVersion", "kind")))  # (strings)
        return real(obj, field_validation, skip)

    monkeypatch.setattr(decoding, "decode", spy)
    return seen


def test_fields_shared_with_the_stored_object_are_not_decoded_again(env, stored, monkeypatch):
    seen = _skips(monkeypatch)
    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    new = env.server.update("leases", body, LEASE_NS, respond=False)
    assert seen == [["metadata"]]
    assert new["spec"]["renewTime"] == "2025-01-01T00:00:10.000000Z"
    assert new["metadata"]["resourceVersion"] != stored["metadata"]["resourceVersion"]
    assert stored["spec"]["renewTime"] == "2025-01-01T00:00:00.000000Z"  # not changed


def test_an_equal_copy_is_decoded_in_full(env, stored, monkeypatch):
    seen = _skips(monkeypatch)
    body = lease(renew="2025-01-01T00:00:10.000000Z")
    body["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
    body["metadata"]["bogus"] = 1
    warnings = []
    env.server.update("leases", body, LEASE_NS, warnings=warnings)
    assert seen == [[]]
    assert warnings == ['unknown field "metadata.bogus"']


def test_a_stale_shared_body_is_still_a_conflict(env, stored):
    env.client.update("leases", {**stored, "spec": {**stored["spec"], "holderIdentity": "x"}})
    body = {**stored, "spec": {**stored["spec"], "holderIdentity": "y"}}
    with pytest.raises(Exception, match="the object has been modified"):
        env.server.update("leases", body, LEASE_NS)


def test_unknown_fields_in_a_changed_field_still_warn_or_fail(env, stored):
    body = {**stored, "spec": {**stored["spec"], "renewTim": "x"}}
    warnings = []
    env.server.update("leases", body, LEASE_NS, warnings=warnings, respond=False)
    assert warnings == ['unknown field "spec.renewTim"']
    current = env.server.get("leases", "node-1", LEASE_NS, respond=False)
    body = {**current, "spec": {**current["spec"], "renewTim": "x"}}
    with pytest.raises(Exception, match='strict decoding error: unknown field "spec.renewTim"'):
        env.server.update("leases", body, LEASE_NS, field_validation="Strict")


def test_shared_metadata_is_copied_one_level_and_the_stored_object_stays(env, stored):
    before = {k: v for k, v in stored["metadata"].items()}
    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    new = env.server.update("leases", body, LEASE_NS, respond=False)
    assert new["metadata"] is not stored["metadata"]
    assert new["metadata"]["ownerReferences"] is stored["metadata"]["ownerReferences"]
    assert list(new) == list(stored)  # the same order of fields, so the same stored bytes
    assert {k: v for k, v in stored["metadata"].items() if k != "resourceVersion"} == {
        k: v for k, v in before.items() if k != "resourceVersion"
    }


class _AddsLabel:
    name = "AddsLabel"

    def mutates(self, operation, subresource):
        return operation == "UPDATE"

    def admit(self, attrs):
        if attrs.operation == "UPDATE":
            attrs.obj["metadata"].setdefault("labels", {})["seen"] = "yes"
            attrs.obj["metadata"]["ownerReferences"][0]["name"] = "changed"

    def validate(self, attrs):
        return None


def test_a_mutating_plugin_gets_a_deep_copy_of_shared_metadata(env, stored):
    env.server.admission.register(_AddsLabel())
    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    new = env.server.update("leases", body, LEASE_NS, respond=False)
    assert new["metadata"]["labels"] == {"seen": "yes"}
    assert new["metadata"]["ownerReferences"][0]["name"] == "changed"
    assert stored["metadata"]["ownerReferences"][0]["name"] == "node-1"
    assert "labels" not in stored["metadata"]


class _Recorder:
    name = "Recorder"

    def __init__(self, seen, **operations):
        self.seen = seen
        for attribute, ops in operations.items():
            setattr(self, attribute, frozenset(ops))

    def admit(self, attrs):
        self.seen.append(f"admit {attrs.operation}")

    def validate(self, attrs):
        self.seen.append(f"validate {attrs.operation}")


def test_plugins_run_only_for_the_operations_they_declare(env, stored):
    from minik8s.apiserver.admission import AdmissionChain, NamespaceLifecycle

    seen = []
    chain = AdmissionChain(
        [NamespaceLifecycle(), _Recorder(seen, admits={"CREATE"}, validates={"CREATE"})]
    )
    chain.register(_Recorder(seen, validates={"UPDATE"}))
    assert chain.for_request("Lease", "UPDATE") == ((chain.plugins[2],), (chain.plugins[2],))
    assert chain.for_request("Namespace", "DELETE")[1] == (chain.plugins[0],)
    assert chain.mutates("Lease", "UPDATE", "")  # the last one may (it has no `mutates`)
    assert not AdmissionChain(chain.plugins[:2]).mutates("Lease", "UPDATE", "")
    env.server.admission = chain
    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    env.server.update("leases", body, LEASE_NS)
    assert seen == ["admit UPDATE", "validate UPDATE"]


def test_namespace_lifecycle_still_guards_creates_and_immortal_namespaces(env):
    from minik8s.api.errors import Forbidden, NotFound

    with pytest.raises(NotFound):
        env.client.create("leases", {**lease(), "metadata": {"name": "x"}}, "nowhere")
    with pytest.raises(Forbidden, match="this namespace may not be deleted"):
        env.client.delete("namespaces", "default")


def test_a_renewal_stores_the_bytes_of_a_full_encoding(env, stored):
    from minik8s.apiserver.prepare import encode

    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    new = env.server.update("leases", body, LEASE_NS, respond=False)
    body = {**new, "spec": {**new["spec"], "renewTime": "2025-01-01T00:00:20.000000Z"}}
    newer = env.server.update("leases", body, LEASE_NS, respond=False)
    kv = env.store.get(f"/registry/leases/{LEASE_NS}/node-1")
    assert kv.value == encode(newer)


def test_update_body_helpers():
    from minik8s.api.kinds import lookup
    from minik8s.apiserver.update_body import copy_body, stored_fields, stored_key

    leases, nodes = lookup("leases"), lookup("nodes")
    body = lease()
    assert stored_key(leases, body, None) == f"{LEASE_NS}/node-1"
    assert stored_key(leases, {"metadata": {"name": "x"}}, None) == "default/x"
    assert stored_key(nodes, {"metadata": {"name": "n"}}, None) == "n"
    assert stored_key(nodes, {"metadata": {"name": 3}}, None) is None
    assert stored_key(nodes, {"metadata": None}, None) is None
    stored = {**body, "spec": dict(body["spec"])}
    assert stored_fields(stored, body) == ["apiVersion", "kind", "metadata"]
    assert stored_fields(None, body) == []
    deep = copy_body(body, ["metadata"], False)
    assert (
        deep == body
        and deep["metadata"]["ownerReferences"] is not body["metadata"]["ownerReferences"]
    )
    shallow = copy_body(body, ["metadata"], True)
    assert shallow == body and list(shallow) == list(body)
    assert shallow["metadata"] is not body["metadata"]
    assert shallow["metadata"]["ownerReferences"] is body["metadata"]["ownerReferences"]
    assert shallow["spec"] is not body["spec"]


def test_a_validating_only_plugin_still_sees_an_update(env, stored):
    from minik8s.apiserver.admission import AdmissionChain

    seen = []
    env.server.admission = AdmissionChain([_Recorder(seen, admits=set(), validates={"UPDATE"})])
    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    env.server.update("leases", body, LEASE_NS)
    assert seen == ["validate UPDATE"]
    env.server.admission = AdmissionChain([_Recorder(seen, admits=set(), validates=set())])
    env.client.update("leases", env.client.get("leases", "node-1", LEASE_NS))
    assert seen == ["validate UPDATE"]


def test_a_given_body_is_taken_without_a_copy_and_stored_alike(env, stored):
    from minik8s.apiserver.prepare import encode

    env.client.create("leases", lease("node-2"))
    other = env.server.get("leases", "node-2", LEASE_NS, respond=False)
    at = "2025-01-01T00:00:10.000000Z"
    copied = env.server.update("leases", {**other, "spec": {**other["spec"], "renewTime": at}})
    body = {**stored, "spec": {**stored["spec"], "renewTime": at}}
    given = env.server.update("leases", body, LEASE_NS, respond=False, give=True)
    assert given["spec"] is body["spec"]  # the caller's own field: the server's now
    assert given["metadata"] is not body["metadata"]  # what it read is still copied
    assert stored["metadata"]["resourceVersion"] != given["metadata"]["resourceVersion"]
    assert given["spec"] == {**copied["spec"], "holderIdentity": "node-1"}
    assert env.store.get(f"/registry/leases/{LEASE_NS}/node-1").value == encode(given)


def test_a_body_not_given_is_never_shared(env, stored):
    body = {**stored, "spec": {**stored["spec"], "renewTime": "2025-01-01T00:00:10.000000Z"}}
    new = env.server.update("leases", body, LEASE_NS, respond=False)
    assert new["spec"] is not body["spec"] and new["spec"] == body["spec"]
