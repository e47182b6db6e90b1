"""Strategic merge patch on the served kinds (`minik8s.apiserver.strategicpatch`).

Patch tags are the real ones of k8s.io/api 1.31 (containers by `name`, ports by `containerPort`,
volumes `merge,retainKeys`, finalizers `merge`, ...); error texts are upstream's.
"""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.errors import BadRequest, Invalid, StatusError
from minik8s.api.schema import kind_struct
from minik8s.apiserver import patch as patch_module
from minik8s.apiserver import server as server_module
from minik8s.apiserver.strategicpatch import (
    SCHEMA,
    StrategicMergePatchError,
    go_value,
    strategic_merge_patch,
)

from .conftest import deployment, pod


def _deployment():
    d = deployment("web")
    d["metadata"]["finalizers"] = ["a/a", "b/b"]
    d["spec"]["template"]["spec"]["containers"] = [
        {
            "name": "web",
            "image": "nginx:1.27",
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
            "env": [{"name": "A", "value": "1"}],
        },
        {"name": "side", "image": "busybox:1.36"},
    ]
    return d


def _smp(obj, patch):
    return strategic_merge_patch(obj, patch, kind_struct(obj["apiVersion"], obj["kind"]))


def _containers(obj):
    return obj["spec"]["template"]["spec"]["containers"]


def test_patch_tags_come_from_the_schema():
    assert SCHEMA.lookup("core.v1.PodSpec", "containers") == (
        "[]core.v1.Container",
        ["merge"],
        "name",
    )
    assert SCHEMA.lookup("core.v1.PodSpec", "volumes")[1:] == (["merge", "retainKeys"], "name")
    assert SCHEMA.lookup("core.v1.Container", "ports")[2] == "containerPort"
    assert SCHEMA.lookup("meta.v1.ObjectMeta", "finalizers")[1:] == (["merge"], "")
    assert SCHEMA.lookup("apps.v1.DeploymentSpec", "strategy")[1] == ["retainKeys"]
    assert SCHEMA.lookup("core.v1.PodSpec", "tolerations")[1:] == ([], "")
    assert SCHEMA.lookup("meta.v1.ObjectMeta", "labels")[0] == "map[string]string"


def test_container_merged_by_name_keeps_its_other_fields():
    d = _deployment()
    before = copy.deepcopy(d)
    out = _smp(
        d, {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}}}
    )
    assert d == before  # inputs are not modified
    web, side = _containers(out)
    assert web["image"] == "nginx:2"
    assert web["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert web["env"] == [{"name": "A", "value": "1"}]
    assert side == {"name": "side", "image": "busybox:1.36"}


def test_new_container_goes_before_server_only_items():
    # mergeSortedSlice: an item not in the live list sorts before the server-only items
    out = _smp(
        _deployment(),
        {"spec": {"template": {"spec": {"containers": [{"name": "new", "image": "x"}]}}}},
    )
    assert [c["name"] for c in _containers(out)] == ["new", "web", "side"]


def test_nested_lists_merge_by_their_own_keys():
    patch = {"name": "web", "ports": [{"containerPort": 443}], "env": [{"name": "A", "value": "2"}]}
    out = _smp(_deployment(), {"spec": {"template": {"spec": {"containers": [patch]}}}})
    web = _containers(out)[0]
    assert web["ports"] == [{"containerPort": 443}, {"containerPort": 80, "protocol": "TCP"}]
    assert web["env"] == [{"name": "A", "value": "2"}]


def test_delete_directive_removes_a_container():
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "web", "$patch": "delete"}]}}}}
    assert _containers(_smp(_deployment(), patch)) == [{"name": "side", "image": "busybox:1.36"}]


def test_replace_directive_in_a_list():
    patch = {
        "spec": {
            "template": {
                "spec": {"containers": [{"$patch": "replace"}, {"name": "only", "image": "x"}]}
            }
        }
    }
    assert _containers(_smp(_deployment(), patch)) == [{"name": "only", "image": "x"}]


def test_set_element_order():
    spec = {
        "$setElementOrder/containers": [{"name": "side"}, {"name": "web"}],
        "containers": [{"name": "web", "image": "b"}],
    }
    out = _smp(_deployment(), {"spec": {"template": {"spec": spec}}})
    assert [(c["name"], c["image"]) for c in _containers(out)] == [
        ("side", "busybox:1.36"),
        ("web", "b"),
    ]


def test_finalizers_union_and_delete_from_primitive_list():
    d = _deployment()
    # patch items in patch order; b/b (server-only) after a/a, which follows it on the server
    out = _smp(d, {"metadata": {"finalizers": ["c/c", "a/a"]}})
    assert out["metadata"]["finalizers"] == ["c/c", "a/a", "b/b"]
    out = _smp(d, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/a"]}})
    assert out["metadata"]["finalizers"] == ["b/b"]


def test_delete_from_primitive_list_of_an_absent_list_does_nothing():
    # mergeMap skips a `$deleteFromPrimitiveList` of a key the original lacks (`!isDeleteList`)
    d = _deployment()
    del d["metadata"]["finalizers"]
    out = _smp(d, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/a"]}})
    assert "finalizers" not in out["metadata"]


def test_maps_merge_and_replace_directive():
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "labels": {"x": "1", "y": "2"}},
        "data": {"k": "v"},
    }
    assert _smp(cm, {"metadata": {"labels": {"x": None, "z": "3"}}})["metadata"]["labels"] == {
        "y": "2",
        "z": "3",
    }
    assert _smp(cm, {"metadata": {"labels": {"$patch": "replace", "a": "b"}}})["metadata"][
        "labels"
    ] == {"a": "b"}
    assert _smp(cm, {"data": {"$patch": "replace", "n": "1"}})["data"] == {"n": "1"}
    assert _smp(cm, {"data": {"$patch": "delete"}})["data"] == {}
    assert _smp(cm, {"$patch": "replace", "kind": "ConfigMap"}) == {"kind": "ConfigMap"}


def test_non_merge_lists_replace():
    p = pod("p")
    p["spec"]["tolerations"] = [{"key": "a", "operator": "Exists"}]
    out = _smp(
        p,
        {
            "spec": {
                "tolerations": [{"key": "b", "operator": "Exists"}],
                "containers": [{"name": "c", "args": ["x"]}],
            }
        },
    )
    assert out["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]
    assert out["spec"]["containers"] == [{"name": "c", "image": "busybox:1.36", "args": ["x"]}]


def test_retain_keys_on_deployment_strategy():
    d = _deployment()
    d["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}
    out = _smp(d, {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})
    assert out["spec"]["strategy"] == {"type": "Recreate"}
    with pytest.raises(BadRequest, match="^invalid patch format of retainKeys$"):
        _smp(d, {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}})
    with pytest.raises(BadRequest, match="^invalid patch format of retainKeys$"):
        _smp(d, {"spec": {"strategy": {"$retainKeys": "type"}}})


def test_volumes_retain_keys_switches_the_volume_source():
    p = pod("p")
    p["spec"]["volumes"] = [{"name": "v", "emptyDir": {}}, {"name": "w", "emptyDir": {}}]
    vol = {"$retainKeys": ["configMap", "name"], "name": "v", "configMap": {"name": "cm"}}
    out = _smp(p, {"spec": {"volumes": [vol]}})
    assert out["spec"]["volumes"] == [
        {"name": "v", "configMap": {"name": "cm"}},
        {"name": "w", "emptyDir": {}},
    ]


@pytest.mark.parametrize(
    "patch, error, message",
    [
        (
            {"spec": {"containers": [{"image": "x"}]}},
            StrategicMergePatchError,
            "map: map[image:x] does not contain declared merge key: name",
        ),
        (
            {"spec": {"containers": [{"name": "c", "$patch": "merge"}]}},
            StrategicMergePatchError,
            "merging lists cannot yet be specified in the patch",
        ),
        (
            {"spec": {"containers": [{"name": "c", "$patch": "nope"}]}},
            StrategicMergePatchError,
            "unknown patch type: nope in map: map[$patch:nope name:c]",
        ),
        (
            {"metadata": {"labels": {"$patch": "merge"}}},
            StrategicMergePatchError,
            "unknown patch type: merge in map: map[$patch:merge]",
        ),
        (
            {"spec": {"imagePullSecrets": [["x"]]}},
            Invalid,
            "the server rejected our request due to an error in our request",
        ),
        (
            {"spec": {"containers": ["x"]}},
            StrategicMergePatchError,
            "list element types are not identical: [[map[image:busybox:1.36 name:c]] [x]]",
        ),
        ({"spec": {"bogus": {"a": 1}, "containers": []}}, None, None),
        (
            {"metadata": {"$deleteFromPrimitiveListX/finalizers": ["a"]}},
            BadRequest,
            "invalid patch format of primitive list",
        ),
        (
            {"spec": {"$setElementOrder": []}},
            BadRequest,
            "invalid patch format of setElementOrder list",
        ),
        (
            {"spec": {"$setElementOrder/containers": "c"}},
            StrategicMergePatchError,
            "expected a []interface {}, but received a string",
        ),
        ({"spec": {"securityContext": {"x": 1}}}, None, None),
    ],
)
def test_errors(patch, error, message):
    p = pod("p")
    p["metadata"]["labels"] = {"a": "b"}
    p["spec"]["securityContext"] = {"runAsUser": 1}
    p["spec"]["imagePullSecrets"] = []
    if error is None:
        _smp(p, patch)  # fields only in the patch are taken as they are
        return
    with pytest.raises(error) as err:
        _smp(p, patch)
    assert err.value.message == message
    assert type(err.value) is error
    assert err.value.code == {BadRequest: 400, Invalid: 422}.get(error, 500)


def test_unknown_field_in_both_is_an_error():
    p = pod("p")
    p["spec"]["bogus"] = {"a": 1}
    with pytest.raises(
        StatusError, match='^unable to find api field in struct PodSpec for the json field "bogus"$'
    ) as err:
        _smp(p, {"spec": {"bogus": {"b": 2}}})
    assert err.value.code == 500


def test_go_value_formats_like_fmt_v():
    assert go_value({"b": [1, 2.0, None, True], "a": "x"}) == "map[a:x b:[1 2 <nil> true]]"


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "b"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2)
    ),
    max_leaves=6,
)


@given(st.dictionaries(st.sampled_from(["data", "binaryData", "immutable"]), _json, max_size=3))
def test_empty_patch_is_identity(extra):
    obj = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "finalizers": ["a", "b"]},
        **extra,
    }
    assert strategic_merge_patch(obj, {}, "core.v1.ConfigMap") == obj


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4),
    st.lists(st.sampled_from(["a", "b", "c", "e"]), max_size=4),
)
def test_finalizer_patch_is_a_union_and_idempotent(live, patch):
    live = list(dict.fromkeys(live))
    obj = {"metadata": {"name": "n", "finalizers": live}}
    once = strategic_merge_patch(obj, {"metadata": {"finalizers": patch}}, "core.v1.ConfigMap")
    assert set(once["metadata"]["finalizers"]) == set(live) | set(patch)
    assert len(once["metadata"]["finalizers"]) == len(set(live) | set(patch))
    twice = strategic_merge_patch(once, {"metadata": {"finalizers": patch}}, "core.v1.ConfigMap")
    assert twice == once


def _wired_apply_patch(current, patch, patch_type):
    """The wiring proposed for `patch.apply_patch` (strategic patches through the module)."""
    sid = kind_struct(str(current.get("apiVersion", "")), str(current.get("kind", "")))
    if patch_type == "strategic" and isinstance(patch, dict) and sid:
        return strategic_merge_patch(current, patch, sid)
    return patch_module.apply_patch(current, patch, patch_type)


@pytest.fixture
def wired(env, monkeypatch):
    monkeypatch.setattr(server_module, "apply_patch", _wired_apply_patch)
    return env


def test_through_the_api_server(wired):
    c = wired.client
    c.create(
        "deployments", _deployment() | {"metadata": {"name": "web", "namespace": "shop"}}, "shop"
    )
    patch = {
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}
    }
    out = wired.server.patch("deployments", "web", patch, "shop", patch_type="strategic")
    web = _containers(out)[0]
    assert web["image"] == "nginx:1.28"
    assert web["ports"][0]["containerPort"] == 80 and web["env"] == [{"name": "A", "value": "1"}]
    c.create(
        "pods",
        pod("x")
        | {"spec": {"containers": [{"name": "c", "image": "a"}, {"name": "d", "image": "b"}]}},
        "shop",
    )
    out = wired.server.patch(
        "pods",
        "x",
        {"spec": {"containers": [{"name": "c", "image": "busybox:1.37"}]}},
        "shop",
        patch_type="strategic",
    )
    assert [(k["name"], k["image"]) for k in out["spec"]["containers"]] == [
        ("c", "busybox:1.37"),
        ("d", "b"),
    ]
