"""evanphx/json-patch v4 (`patch_test.go`: Cases, BadCases, TestCases), as kube-apiserver v1.31
applies JSON patches (handlers/patch.go `applyJSPatch`), and the API server's 422 on a failure."""

import json

import pytest

from minik8s.api.errors import BadRequest, Invalid, RequestEntityTooLarge
from minik8s.apiserver.jsonpatch import JSONPatchError, apply

from .conftest import configmap

CASES = [
    (
        '{ "foo": "bar"}',
        '[{ "op": "add", "path": "/baz", "value": "qux" }]',
        '{"baz": "qux","foo": "bar"}',
    ),
    (
        '{ "foo": [ "bar", "baz" ] }',
        '[{ "op": "add", "path": "/foo/1", "value": "qux" }]',
        '{ "foo": [ "bar", "qux", "baz" ] }',
    ),
    (
        '{ "foo": [ "bar", "baz" ] }',
        '[{ "op": "add", "path": "/foo/-1", "value": "qux" }]',
        '{ "foo": [ "bar", "baz", "qux" ] }',
    ),
    (
        '{ "baz": "qux", "foo": "bar" }',
        '[ { "op": "remove", "path": "/baz" } ]',
        '{ "foo": "bar" }',
    ),
    (
        '{ "foo": [ "bar", "qux", "baz" ] }',
        '[ { "op": "remove", "path": "/foo/1" } ]',
        '{ "foo": [ "bar", "baz" ] }',
    ),
    (
        '{ "baz": "qux", "foo": "bar" }',
        '[ { "op": "replace", "path": "/baz", "value": "boo" } ]',
        '{ "baz": "boo", "foo": "bar" }',
    ),
    (
        '{"foo": {"bar": "baz","waldo": "fred"},"qux": {"corge": "grault"}}',
        '[ { "op": "move", "from": "/foo/waldo", "path": "/qux/thud" } ]',
        '{"foo": {"bar": "baz"},"qux": {"corge": "grault","thud": "fred"}}',
    ),
    (
        '{ "foo": [ "all", "grass", "cows", "eat" ] }',
        '[ { "op": "move", "from": "/foo/1", "path": "/foo/3" } ]',
        '{ "foo": [ "all", "cows", "eat", "grass" ] }',
    ),
    (
        '{ "foo": [ "all", "grass", "cows", "eat" ] }',
        '[ { "op": "move", "from": "/foo/1", "path": "/foo/2" } ]',
        '{ "foo": [ "all", "cows", "grass", "eat" ] }',
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "path": "/child", "value": { "grandchild": { } } } ]',
        '{ "foo": "bar", "child": { "grandchild": { } } }',
    ),
    (
        '{ "foo": ["bar"] }',
        '[ { "op": "add", "path": "/foo/-", "value": ["abc", "def"] } ]',
        '{ "foo": ["bar", ["abc", "def"]] }',
    ),
    (
        '{ "foo": "bar", "qux": { "baz": 1, "bar": null } }',
        '[ { "op": "remove", "path": "/qux/bar" } ]',
        '{ "foo": "bar", "qux": { "baz": 1 } }',
    ),
    (
        '{ "foo": "bar" }',
        '[ { "op": "add", "path": "/baz", "value": null } ]',
        '{ "baz": null, "foo": "bar" }',
    ),
    (
        '{ "foo": ["bar"]}',
        '[ { "op": "replace", "path": "/foo/0", "value": "baz"}]',
        '{ "foo": ["baz"]}',
    ),
    (
        '{ "foo": ["bar","baz"]}',
        '[ { "op": "replace", "path": "/foo/0", "value": "bum"}]',
        '{ "foo": ["bum","baz"]}',
    ),
    (
        '{ "foo": ["bar","qux","baz"]}',
        '[ { "op": "replace", "path": "/foo/1", "value": "bum"}]',
        '{ "foo": ["bar", "bum","baz"]}',
    ),
    (
        '[ {"foo": ["bar","qux","baz"]}]',
        '[ { "op": "replace", "path": "/0/foo/0", "value": "bum"}]',
        '[ {"foo": ["bum","qux","baz"]}]',
    ),
    (
        '[ {"foo": ["bar","qux","baz"], "bar": ["qux","baz"]}]',
        '[ { "op": "copy", "from": "/0/foo/0", "path": "/0/bar/0"}]',
        '[ {"foo": ["bar","qux","baz"], "bar": ["bar", "qux", "baz"]}]',
    ),
    (
        '[ {"foo": ["bar","qux","baz"], "bar": ["qux","baz"]}]',
        '[ { "op": "copy", "from": "/0/foo/0", "path": "/0/bar"}]',
        '[ {"foo": ["bar","qux","baz"], "bar": "bar"}]',
    ),
    (
        '[ { "foo": {"bar": ["qux","baz"]}, "baz": {"qux": "bum"}}]',
        '[ { "op": "copy", "from": "/0/foo/bar", "path": "/0/baz/bar"}]',
        '[ { "baz": {"bar": ["qux","baz"], "qux":"bum"}, "foo": {"bar": ["qux","baz"]}}]',
    ),
    (
        '{ "foo": ["bar"]}',
        '[{"op": "copy", "path": "/foo/0", "from": "/foo"}]',
        '{ "foo": [["bar"], "bar"]}',
    ),
    (
        '{ "foo": ["bar","qux","baz"]}',
        '[ { "op": "remove", "path": "/foo/-2"}]',
        '{ "foo": ["bar", "baz"]}',
    ),
    ('{ "foo": []}', '[ { "op": "add", "path": "/foo/-1", "value": "qux"}]', '{ "foo": ["qux"]}'),
    (
        '{ "bar": [{"baz": null}]}',
        '[ { "op": "replace", "path": "/bar/0/baz", "value": 1 } ]',
        '{ "bar": [{"baz": 1}]}',
    ),
    (
        '{ "bar": [{"baz": 1}]}',
        '[ { "op": "replace", "path": "/bar/0/baz", "value": null } ]',
        '{ "bar": [{"baz": null}]}',
    ),
    ('{ "bar": [null]}', '[ { "op": "replace", "path": "/bar/0", "value": 1 } ]', '{ "bar": [1]}'),
    (
        '{ "bar": [1]}',
        '[ { "op": "replace", "path": "/bar/0", "value": null } ]',
        '{ "bar": [null]}',
    ),
]
BAD_CASES = [
    ('{ "foo": "bar" }', '[ { "op": "add", "path": "/baz/bat", "value": "qux" } ]'),
    ('{ "a": { "b": { "d": 1 } } }', '[ { "op": "remove", "path": "/a/b/c" } ]'),
    ('{ "a": { "b": { "d": 1 } } }', '[ { "op": "move", "from": "/a/b/c", "path": "/a/b/e" } ]'),
    ('{ "a": { "b": [1] } }', '[ { "op": "remove", "path": "/a/b/1" } ]'),
    ('{ "a": { "b": [1] } }', '[ { "op": "move", "from": "/a/b/1", "path": "/a/b/2" } ]'),
    ('{ "foo": "bar" }', '[ { "op": "add", "pathz": "/baz", "value": "qux" } ]'),
    ('{ "foo": "bar" }', '[ { "op": "add", "path": "", "value": "qux" } ]'),
    ('{ "foo": ["bar","baz"]}', '[ { "op": "replace", "path": "/foo/2", "value": "bum"}]'),
    ('{ "foo": ["bar","baz"]}', '[ { "op": "add", "path": "/foo/-4", "value": "bum"}]'),
    (
        '{ "name":{ "foo": "bat", "qux": "bum"}}',
        '[ { "op": "replace", "path": "/foo/bar", "value":"baz"}]',
    ),
    ('{ "foo": ["bar"]}', '[ {"op": "add", "path": "/foo/2", "value": "bum"}]'),
    ('{ "foo": []}', '[ {"op": "remove", "path": "/foo/-"}]'),
    ('{ "foo": []}', '[ {"op": "remove", "path": "/foo/-1"}]'),
    ('{ "foo": ["bar"]}', '[ {"op": "remove", "path": "/foo/-2"}]'),
    ("{}", '[ {"op":null,"path":""} ]'),
    ("{}", '[ {"op":"add","path":null} ]'),
    ("{}", '[ { "op": "copy", "from": null }]'),
    ('{ "foo": ["bar"]}', '[{"op": "copy", "path": "/foo/6666666666", "from": "/"}]'),
    ('{ "foo": ["bar"]}', '[{"op": "copy", "path": "/foo/2", "from": "/foo/0"}]'),
    (
        '{ "foo": [ "all", "grass", "cows", "eat" ] }',
        '[ { "op": "move", "from": "/foo/1", "path": "/foo/4" } ]',
    ),
]
TEST_CASES = [
    (
        '{"baz": "qux","foo": [ "a", 2, "c" ]}',
        '[{ "op": "test", "path": "/baz", "value": "qux" },'
        '{ "op": "test", "path": "/foo/1", "value": 2 }]',
        True,
    ),
    ('{ "baz": "qux" }', '[ { "op": "test", "path": "/baz", "value": "bar" } ]', False),
    (
        '{"baz": "qux","foo": ["a", 2, "c"]}',
        '[{ "op": "test", "path": "/baz", "value": "qux" },'
        '{ "op": "test", "path": "/foo/1", "value": "c" }]',
        False,
    ),
    ('{ "baz": "qux" }', '[ { "op": "test", "path": "/foo", "value": 42 } ]', False),
    ('{ "baz": "qux" }', '[ { "op": "test", "path": "/foo", "value": null } ]', True),
    ('{ "foo": null }', '[ { "op": "test", "path": "/foo", "value": null } ]', True),
    ('{ "foo": {} }', '[ { "op": "test", "path": "/foo", "value": null } ]', False),
    ('{ "foo": [] }', '[ { "op": "test", "path": "/foo", "value": null } ]', False),
    ('{ "baz/foo": "qux" }', '[ { "op": "test", "path": "/baz~1foo", "value": "qux"} ]', True),
    ('{ "foo": [] }', '[ { "op": "test", "path": "/foo"} ]', False),
]


@pytest.mark.parametrize(("doc", "patch", "expected"), CASES)
def test_cases(doc, patch, expected):
    assert apply(json.loads(doc), json.loads(patch)) == json.loads(expected)


@pytest.mark.parametrize(("doc", "patch"), BAD_CASES)
def test_bad_cases(doc, patch):
    with pytest.raises(JSONPatchError):
        apply(json.loads(doc), json.loads(patch))


@pytest.mark.parametrize(("doc", "patch", "passes"), TEST_CASES)
def test_test_op(doc, patch, passes):
    if passes:
        apply(json.loads(doc), json.loads(patch))
    else:
        with pytest.raises(JSONPatchError):
            apply(json.loads(doc), json.loads(patch))


def test_replace_of_a_missing_object_key_adds_it():
    """v4's partialDoc.get never fails: replace acts as add on objects (not on arrays)."""
    assert apply({"a": {}}, [{"op": "replace", "path": "/a/b", "value": 1}]) == {"a": {"b": 1}}


def test_the_input_is_not_changed():
    doc = {"foo": ["bar"]}
    apply(doc, [{"op": "add", "path": "/foo/0", "value": "x"}])
    assert doc == {"foo": ["bar"]}


@pytest.fixture
def cm(env):
    cm = configmap("cm", "shop", a="1")
    cm["metadata"]["finalizers"] = ["x/a"]
    env.client.create("configmaps", cm)
    return env


@pytest.mark.parametrize(
    "ops",
    [
        [{"op": "replace", "path": "/metadata/finalizers/3", "value": "x/b"}],
        [{"op": "add", "value": {"metadata": {"name": "cm"}}}],
        [{"op": "add", "path": None, "value": "x"}],
        [{"op": "add", "path": "/metadata/finalizers/5", "value": "x/z"}],
        [{"op": "remove", "path": "/data/zz"}],
        [{"op": "test", "path": "/data/a", "value": "2"}],
        [{"op": "bogus", "path": "/data/a"}],
    ],
)
def test_failed_operations_are_422_and_write_nothing(cm, ops):
    before = cm.client.get("configmaps", "cm", "shop")
    with pytest.raises(Invalid) as err:
        cm.client.patch("configmaps", "cm", ops, "shop", patch_type="json")
    assert err.value.message == "the server rejected our request due to an error in our request"
    assert err.value.status()["code"] == 422
    assert cm.client.get("configmaps", "cm", "shop") == before


def test_negative_index_appends_through_the_server(cm):
    ops = [{"op": "add", "path": "/metadata/finalizers/-1", "value": "x/y"}]
    patched = cm.client.patch("configmaps", "cm", ops, "shop", patch_type="json")
    assert patched["metadata"]["finalizers"] == ["x/a", "x/y"]


def test_malformed_patch_bodies_are_400(cm):
    with pytest.raises(BadRequest, match="jsonpatch.Patch"):
        cm.client.patch("configmaps", "cm", {"op": "add"}, "shop", patch_type="json")
    with pytest.raises(BadRequest, match="cannot unmarshal number into Go value of type jsonpatch"):
        cm.client.patch("configmaps", "cm", [1], "shop", patch_type="json")


def test_too_many_operations(cm):
    ops = [{"op": "test", "path": "/data/a", "value": "1"}] * 10001
    with pytest.raises(RequestEntityTooLarge, match="maximum operations in a JSON patch is 10000"):
        cm.client.patch("configmaps", "cm", ops, "shop", patch_type="json")
