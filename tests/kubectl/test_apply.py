"""Client-side apply: created / configured / unchanged, three-way merge, last-applied."""

import json

from hypothesis import given
from hypothesis import strategies as st

from minik8s.kubectl import LAST_APPLIED, apply_object, kubectl
from minik8s.kubectl.apply import apply_merge_patch, create_merge_patch, three_way_merge_patch
from tests.kubectl.fake import FakeClient


def deployment(replicas=2, labels=None, image="nginx:1.27"):
    meta = {"name": "web"}
    if labels is not None:
        meta["labels"] = labels
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    }


def test_create_then_unchanged_then_configured():
    c = FakeClient()
    live, word = apply_object(c, deployment())
    assert word == "created"
    assert live["metadata"]["namespace"] == "default"
    annotation = live["metadata"]["annotations"][LAST_APPLIED]
    assert annotation.endswith("\n")
    assert json.loads(annotation) == {
        **deployment(),
        "metadata": {"annotations": {}, "name": "web", "namespace": "default"},
    }
    assert apply_object(c, deployment())[1] == "unchanged"
    live, word = apply_object(c, deployment(replicas=5))
    assert (word, live["spec"]["replicas"]) == ("configured", 5)


def test_field_removed_from_manifest_is_deleted_but_others_fields_kept():
    c = FakeClient()
    apply_object(c, deployment(labels={"app": "web", "tier": "fe"}))
    # another writer (say `kubectl label`) adds a label the manifest never had
    c.patch("deployments", "web", {"metadata": {"labels": {"owner": "ops"}}}, "default")
    live, word = apply_object(c, deployment(labels={"app": "web"}))
    assert word == "configured"
    assert live["metadata"]["labels"] == {"app": "web", "owner": "ops"}


def test_kubectl_apply_prints_like_kubectl():
    c = FakeClient()
    manifest = (
        json.dumps(deployment()) + "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
    )
    assert kubectl(c, "apply -f -", manifest=manifest) == (
        "deployment.apps/web created\nservice/web created\n"
    )
    assert kubectl(c, "apply", manifest=manifest) == (
        "deployment.apps/web unchanged\nservice/web unchanged\n"
    )


def test_apply_namespace_mismatch():
    c = FakeClient()
    obj = deployment()
    obj["metadata"]["namespace"] = "shop"
    out = kubectl(c, "apply -n other -f -", manifest=json.dumps(obj))
    assert out == (
        'error: the namespace from the provided object "shop" does not match the namespace '
        "\"other\". You must pass '--namespace=shop' to perform this operation.\n"
    )


def test_apply_unknown_kind():
    c = FakeClient()
    out = kubectl(c, "apply -f -", manifest="apiVersion: v9\nkind: Widget\nmetadata: {name: w}\n")
    assert out == (
        'error: resource mapping not found for name: "w" namespace: "" from "STDIN": '
        'no matches for kind "Widget" in version "v9"\nensure CRDs are installed first\n'
    )


def test_three_way_patch_shapes():
    original = {"a": 1, "b": {"c": 1, "d": 2}, "l": [1, 2]}
    modified = {"a": 1, "b": {"c": 1}, "l": [1]}
    current = {"a": 1, "b": {"c": 1, "d": 2, "x": 9}, "l": [1, 2], "status": {"ok": True}}
    assert three_way_merge_patch(original, modified, current) == {"b": {"d": None}, "l": [1]}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=10,
)
json_objects = st.dictionaries(st.text(max_size=2), json_values, max_size=4)


def _no_nulls(value):
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    return value


@given(json_objects, json_objects)
def test_merge_patch_round_trip(original, modified):
    # RFC 7386: applying diff(original, modified) to original yields modified (nulls mean absent)
    original, modified = _no_nulls(original), _no_nulls(modified)
    assert apply_merge_patch(original, create_merge_patch(original, modified)) == modified


@given(json_objects, json_objects)
def test_three_way_patch_makes_manifest_fields_win(current, modified):
    current, modified = _no_nulls(current), _no_nulls(modified)
    result = apply_merge_patch(current, three_way_merge_patch(None, modified, current))
    for key, value in modified.items():
        if not isinstance(value, dict):
            assert result[key] == value


def _container(c):
    return c.objects[("deployments", "default", "web")]["spec"]["template"]["spec"]["containers"][0]


def test_server_defaults_in_list_items_do_not_count_as_changes():
    c = FakeClient()
    apply_object(c, deployment())
    _container(c).update({"imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/x"})
    assert apply_object(c, deployment())[1] == "unchanged"
    assert ("patch", "deployments", "web") not in c.calls


def test_list_changed_out_of_band_is_restored():
    c = FakeClient()
    apply_object(c, deployment())
    _container(c)["image"] = "nginx:broken"  # e.g. `kubectl set image`
    live, word = apply_object(c, deployment())
    assert word == "configured"
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_field_removed_inside_a_list_item_is_removed():
    c = FakeClient()
    with_env = deployment()
    with_env["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "A", "value": "1"}]
    apply_object(c, with_env)
    live, word = apply_object(c, deployment())
    assert word == "configured"
    assert "env" not in live["spec"]["template"]["spec"]["containers"][0]
