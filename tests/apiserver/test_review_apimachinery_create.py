"""Create and patch errors as upstream words them: store.go `Create` (AlreadyExists on an object
being deleted, generateName conflicts) and handlers/patch.go under fieldValidation=Strict."""

import json

import pytest

from minik8s.api.errors import AlreadyExists, BadRequest, Forbidden, Invalid, NotFound
from minik8s.apiserver import create_request

from .conftest import configmap


def test_recreating_an_object_being_deleted(env):
    cm = configmap("cm", "shop")
    cm["metadata"]["finalizers"] = ["x/y"]
    env.client.create("configmaps", cm)
    env.client.delete("configmaps", "cm", "shop")
    with pytest.raises(AlreadyExists) as err:
        env.client.create("configmaps", configmap("cm", "shop"))
    assert err.value.message == 'object is being deleted: configmaps "cm" already exists'


def test_generate_name_conflict(env, monkeypatch):
    env.client.create("configmaps", configmap("g-aaaaa", "shop"))
    tries = []
    monkeypatch.setattr(create_request, "random_suffix", lambda rng: tries.append(1) or "aaaaa")
    with pytest.raises(AlreadyExists) as err:
        env.client.create("configmaps", {"metadata": {"generateName": "g-", "namespace": "shop"}})
    assert err.value.message == (
        'configmaps "g-aaaaa" already exists, the server was not able to generate a unique name '
        "for the object"
    )
    assert err.value.details == {"name": "g-aaaaa", "kind": "configmaps", "retryAfterSeconds": 1}
    assert len(tries) == 8  # maxNameGenerationCreateAttempts


@pytest.mark.parametrize("patch_type", ["merge", "json", "strategic"])
def test_strict_patch_is_422_on_the_patch_field(env, patch_type):
    env.client.create("configmaps", configmap("cm", "shop", a="1"))
    body = [{"op": "add", "path": "/foo", "value": 1}] if patch_type == "json" else {"foo": 1}
    with pytest.raises(Invalid) as err:
        env.server.patch(
            "configmaps", "cm", body, "shop", patch_type=patch_type, field_validation="Strict"
        )
    stored = env.client.get("configmaps", "cm", "shop")
    shown = "map[foo:1]"
    if patch_type != "strategic":
        patched = {**stored, "foo": 1}
        shown = json.dumps(patched, separators=(",", ":"), sort_keys=True)
    assert err.value.message == (
        f' "" is invalid: patch: Invalid value: {json.dumps(shown)}: '
        'strict decoding error: unknown field "foo"'
    )
    assert err.value.details["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": f"Invalid value: {json.dumps(shown)}: strict decoding error: "
            'unknown field "foo"',
            "field": "patch",
        }
    ]


def bad_pod(name="", generate=""):
    meta = {"name": name} if name else {"generateName": generate}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": []}}


def test_namespace_lifecycle_answers_before_validation(env):
    with pytest.raises(NotFound, match='^namespaces "nons" not found$'):
        env.client.create("pods", bad_pod("x"), "nons")
    env.client.create("namespaces", {"metadata": {"name": "term"}})
    env.client.delete("namespaces", "term")
    with pytest.raises(Forbidden) as err:
        env.client.create("pods", bad_pod(generate="p-"), "term")
    assert err.value.message == (
        'pods "p-" is forbidden: unable to create new content in namespace term because it is '
        "being terminated"
    )
    assert err.value.details["causes"] == [
        {
            "reason": "NamespaceTerminating",
            "message": "namespace term is being terminated",
            "field": "metadata.namespace",
        }
    ]


def test_patch_may_not_rename_or_move(env):
    env.client.create("configmaps", configmap("cm", "shop"))
    with pytest.raises(BadRequest) as err:
        env.client.patch("configmaps", "cm", {"metadata": {"name": "other"}}, "shop")
    assert (
        err.value.message
        == "the name of the object (other) does not match the name on the URL (cm)"
    )
    with pytest.raises(BadRequest, match="^the namespace of the provided object does not match"):
        env.client.patch("configmaps", "cm", {"metadata": {"namespace": "default"}}, "shop")


def test_a_cluster_scoped_objects_namespace_is_dropped(env):
    env.client.create("nodes", {"metadata": {"name": "n1"}})
    patched = env.client.patch(
        "nodes", "n1", {"metadata": {"namespace": "x", "labels": {"a": "b"}}}
    )
    assert "namespace" not in patched["metadata"] and patched["metadata"]["labels"] == {"a": "b"}
    node = env.client.get("nodes", "n1")
    node["metadata"]["namespace"] = "x"
    node["metadata"]["labels"]["c"] = "d"
    updated = env.client.update("nodes", node)
    assert "namespace" not in updated["metadata"] and updated["metadata"]["labels"]["c"] == "d"


def test_a_long_generate_name_is_cut_to_58_characters_before_the_suffix():
    # apiserver storage/names SimpleNameGenerator: maxGeneratedNameLength = 63 - 5
    from tests.apiserver.conftest import Env

    env = Env()
    base = "a" * 70 + "-"
    created = env.client.create("configmaps", {"metadata": {"generateName": base}}, "shop")
    name = created["metadata"]["name"]
    assert len(name) == 63 and name.startswith("a" * 58)
