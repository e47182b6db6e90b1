"""Create, get, list, update, patch and delete through the API server, with upstream's errors."""

import pytest

from minik8s.api.errors import AlreadyExists, BadRequest, Conflict, Invalid, NotFound

from .conftest import configmap, deployment, pod


def test_create_fills_system_fields_and_defaults(env):
    created = env.client.create("deployments", deployment("web"))
    meta = created["metadata"]
    assert meta["namespace"] == "shop"
    assert meta["uid"] and meta["creationTimestamp"] == "2025-01-01T00:00:00Z"
    assert meta["generation"] == 1
    assert int(meta["resourceVersion"]) == env.store.revision
    assert created["spec"]["strategy"]["type"] == "RollingUpdate"
    assert created["status"] == {}
    assert env.client.get("deploy", "web", "shop") == created


def test_create_does_not_mutate_the_callers_object(env):
    obj = configmap("x", a="1")
    env.client.create("configmaps", obj)
    assert obj == configmap("x", a="1")


def test_already_exists_and_not_found_are_worded_like_upstream(env):
    env.client.create("deployments", deployment("web"))
    with pytest.raises(AlreadyExists, match=r'^deployments.apps "web" already exists$'):
        env.client.create("deployments", deployment("web"))
    with pytest.raises(NotFound, match=r'^deployments.apps "nope" not found$'):
        env.client.get("deployments", "nope", "shop")
    with pytest.raises(NotFound, match=r'^pods "nope" not found$'):
        env.client.delete("pods", "nope", "shop")


def test_invalid_object_is_rejected_with_every_problem_and_nothing_is_stored(env):
    bad = deployment("web", replicas=-1)
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    revision = env.store.revision
    with pytest.raises(Invalid) as caught:
        env.client.create("deployments", bad)
    message = str(caught.value)
    assert message.startswith('Deployment.apps "web" is invalid: [')
    assert "spec.replicas: Invalid value: -1: must be greater than or equal to 0" in message
    assert "spec.template.metadata.labels" in message
    assert caught.value.code == 422 and caught.value.reason == "Invalid"
    assert env.store.revision == revision
    assert env.client.list("deployments", "shop")["items"] == []


def test_kind_and_namespace_mismatches_are_bad_requests(env):
    with pytest.raises(BadRequest, match="does not match the expected kind"):
        env.client.create("pods", configmap("x"))
    with pytest.raises(BadRequest, match="namespace of the provided object does not match"):
        env.client.create("configmaps", configmap("x", "shop"), "default")
    with pytest.raises(NotFound, match="the server could not find the requested resource"):
        env.client.get("widgets", "x")


def test_generate_name_appends_a_seeded_suffix(env):
    obj = {"metadata": {"generateName": "web-"}, "data": {}}
    a = env.client.create("configmaps", dict(obj))["metadata"]["name"]
    b = env.client.create("configmaps", dict(obj))["metadata"]["name"]
    assert a.startswith("web-") and len(a) == 9 and a != b
    from tests.apiserver.conftest import Env

    again = Env()
    assert again.client.create("configmaps", dict(obj))["metadata"]["name"] == a


def test_stale_resource_version_conflicts(env):
    first = env.client.create("configmaps", configmap("x", a="1"))
    first["data"] = {"a": "2"}
    env.client.update("configmaps", first)
    first["data"] = {"a": "3"}
    with pytest.raises(Conflict) as caught:
        env.client.update("configmaps", first)
    assert str(caught.value) == (
        'Operation cannot be fulfilled on configmaps "x": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert env.client.get("configmaps", "x")["data"] == {"a": "2"}


def test_update_without_resource_version_is_unconditional(env):
    env.client.create("configmaps", configmap("x", a="1"))
    updated = env.client.update("configmaps", configmap("x", a="9"))
    assert updated["data"] == {"a": "9"}


def test_noop_update_writes_nothing(env):
    created = env.client.create("configmaps", configmap("x", a="1"))
    revision = env.store.revision
    same = env.client.update("configmaps", created)
    assert env.store.revision == revision
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


def test_generation_moves_with_spec_and_status_has_its_own_subresource(env):
    created = env.client.create("deployments", deployment("web"))
    created["status"] = {"replicas": 5}
    created["metadata"]["labels"] = {"team": "a"}
    updated = env.client.update("deployments", created)
    assert updated["metadata"]["generation"] == 1 and updated["status"] == {}
    updated["spec"]["replicas"] = 3
    updated = env.client.update("deployments", updated)
    assert updated["metadata"]["generation"] == 2
    updated["status"] = {"replicas": 3, "observedGeneration": 2}
    updated["spec"]["replicas"] = 99
    status = env.client.update_status("deployments", updated)
    assert status["status"]["replicas"] == 3 and status["spec"]["replicas"] == 3


def test_immutable_metadata_and_fields(env):
    created = env.client.create("deployments", deployment("web"))
    created["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    created["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    with pytest.raises(Invalid, match="field is immutable"):
        env.client.update("deployments", created)


def test_merge_and_json_patch(env):
    env.client.create("configmaps", configmap("x", a="1", b="2"))
    patched = env.client.patch("configmaps", "x", {"data": {"a": None, "c": "3"}})
    assert patched["data"] == {"b": "2", "c": "3"}
    patched = env.client.patch(
        "configmaps", "x", [{"op": "replace", "path": "/data/b", "value": "B"}], patch_type="json"
    )
    assert patched["data"] == {"b": "B", "c": "3"}
    with pytest.raises(Invalid):
        env.client.patch(
            "configmaps", "x", [{"op": "test", "path": "/data/b", "value": "no"}], patch_type="json"
        )


def test_patch_with_stale_resource_version_conflicts(env):
    created = env.client.create("configmaps", configmap("x", a="1"))
    env.client.patch("configmaps", "x", {"data": {"a": "2"}})
    with pytest.raises(Conflict):
        env.client.patch(
            "configmaps",
            "x",
            {
                "metadata": {"resourceVersion": created["metadata"]["resourceVersion"]},
                "data": {"a": "3"},
            },
        )


def test_list_with_label_and_field_selectors(env):
    env.client.create("pods", pod("a", labels={"app": "web", "tier": "fe"}))
    env.client.create("pods", pod("b", labels={"app": "db"}))
    env.client.create("pods", pod("c", labels={"app": "web"}, namespace="default"))
    names = lambda lst: [p["metadata"]["name"] for p in lst["items"]]  # noqa: E731
    assert names(env.client.list("pods")) == ["c", "a", "b"]
    assert names(env.client.list("pods", "shop")) == ["a", "b"]
    assert names(env.client.list("pods", label_selector="app=web")) == ["c", "a"]
    assert names(env.client.list("pods", label_selector="app in (web,db),!tier")) == ["c", "b"]
    assert names(env.client.list("pods", field_selector="metadata.name=b")) == ["b"]
    listed = env.client.list("pods")
    assert listed["kind"] == "PodList" and listed["metadata"]["resourceVersion"] == str(
        env.store.revision
    )
    with pytest.raises(BadRequest, match="^field label not supported: spec.bogus$"):
        env.client.list("pods", field_selector="spec.bogus=1")


def test_resources_are_stored_under_registry_keys(env):
    env.client.create("configmaps", configmap("x", "shop"))
    kv = env.store.get("/registry/configmaps/shop/x")
    assert kv is not None and b'"resourceVersion"' not in kv.value
    assert env.store.get("/registry/namespaces/shop") is not None


def test_secret_string_data_is_merged_and_bad_base64_rejected(env):
    secret = {"metadata": {"name": "s"}, "stringData": {"user": "admin"}, "data": {"a": "Yg=="}}
    stored = env.client.create("secrets", secret)
    assert stored["data"] == {"a": "Yg==", "user": "YWRtaW4="} and "stringData" not in stored
    revision = env.store.revision
    with pytest.raises(BadRequest) as caught:
        env.client.create("secrets", {"metadata": {"name": "t"}, "data": {"p": "hunter2"}})
    assert str(caught.value) == (
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'
    )
    assert env.store.revision == revision
    patched = env.client.patch("secrets", "s", {"stringData": {"user": "root"}})
    assert patched["data"]["user"] == "cm9vdA==" and "stringData" not in patched
