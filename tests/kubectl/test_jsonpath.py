"""JSONPath templates: upstream client-go `util/jsonpath/jsonpath_test.go` cases on JSON data
(TestTypesInput, TestStructInput's JSON-shaped ones, TestJSONInput, TestKubernetes,
TestEmptyRange, TestNestedRanges, TestFilterPartialMatches..., TestNegativeIndex,
TestRunningPodsJSONPathOutput, TestStep)."""

import json
from typing import Any

import pytest

from minik8s.kubectl.jsonpath import JSONPath
from minik8s.kubectl.jsonpath_parser import JSONPathError

TYPES = {
    "bools": [True, False, True, False],
    "integers": [1, 2, 3, 4],
    "floats": [1.0, 2.2, 3.3, 4.0],
    "strings": ["one", "two", "three", "four"],
    "interfaces": [True, "one", 1, 1.1],
    "maps": [
        {"name": "one", "value": 1},
        {"name": "two", "value": 2.02},
        {"name": "three", "value": 3.03},
        {"name": "four", "value": 4.04},
    ],
}
POINTS = json.loads("""[
    {"id": "i1", "x": 4, "y": -5}, {"id": "i2", "x": -2, "y": -5, "z": 1},
    {"id": "i3", "x": 8, "y": 3}, {"id": "i4", "x": -6, "y": -1},
    {"id": "i5", "x": 0, "y": 2, "z": 1}, {"id": "i6", "x": 1, "y": 4}]""")
NODES = json.loads("""{
  "kind": "List",
  "items": [
    {"kind": "None", "metadata": {"name": "127.0.0.1",
      "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
     "status": {"capacity": {"cpu": "4"}, "ready": true,
      "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
    {"kind": "None", "metadata": {"name": "127.0.0.2",
      "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
     "status": {"capacity": {"cpu": "8"}, "ready": false,
      "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                    {"type": "another", "address": "127.0.0.3"}]}}],
  "users": [{"name": "myself", "user": {}},
            {"name": "e2e", "user": {"username": "admin", "password": "secret"}}]}""")
PODS = {
    "items": [
        {
            "metadata": {"name": "pod1"},
            "spec": {
                "containers": [
                    {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
                    {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]},
                ]
            },
        },
        {
            "metadata": {"name": "pod2"},
            "spec": {
                "containers": [{"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}]
            },
        },
    ]
}
SIX = {"spec": {"containers": [{"name": f"fake{i}"} for i in range(6)]}}
ANNOTATED = {
    "kind": "List",
    "items": [
        {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"kind": "Pod", "metadata": {"name": "pod2"}},
        {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}},
    ],
}
RUNNING = {
    "kind": "List",
    "items": [
        *({"kind": "Pod", "metadata": {"name": f"pod{i}"}, "status": {"phase": "Running"}}
          for i in (1, 2, 3)),
        {"resourceVersion": ""},
    ],
}  # fmt: skip

CASES: list[tuple[str, Any, str]] = [
    ("{ .bools }", TYPES, "[true,false,true,false]"),
    ("{ .bools[-1] }", TYPES, "false"),
    ("{ .bools[:4:2] }", TYPES, "true true"),
    ("{ .integers[-2] }", TYPES, "3"),
    ("{ .integers[:4:2] }", TYPES, "1 3"),
    ("{ .floats }", TYPES, "[1,2.2,3.3,4]"),
    ("{ .floats[0] }", TYPES, "1"),
    ("{ .floats[:2] }", TYPES, "1 2.2"),
    ('{ .strings }', TYPES, '["one","two","three","four"]'),
    ("{ .strings[:4:2] }", TYPES, "one three"),
    ('{ .interfaces }', TYPES, '[true,"one",1,1.1]'),
    ("{ .interfaces[0:2] }", TYPES, "true one"),
    ('{ .maps[-2] }', TYPES, '{"name":"three","value":3.03}'),
    ('{ .maps[1::2] }', TYPES, '{"name":"two","value":2.02} {"name":"four","value":4.04}'),
    ("hello jsonpath", None, "hello jsonpath"),
    ("{..}", [1, 2, 3], "[1,2,3]"),
    ("{[?(@<5)]}", [2, 6, 3, 7], "2 3"),
    ('{"{"}', None, "{"),
    ("{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4"),
    ("{[0:2]}", ["Monday", "Tudesday"], "Monday Tudesday"),
    ("{[?(@.z)].id}", POINTS, "i2 i5"),
    ("{[0]['id']}", POINTS, "i1"),
    ("{range .items[*]}{.metadata.name}, {end}{.kind}", NODES, "127.0.0.1, 127.0.0.2, List"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{end}', NODES, "127.0.0.1\t127.0.0.2\t"),
    ("{.items[*].status.addresses[*].address}", NODES, "127.0.0.1 127.0.0.2 127.0.0.3"),
    ("{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", NODES,
     "127.0.0.1, 127.0.0.2, 127.0.0.3, "),
    ("{.items[*].metadata.name}", NODES, "127.0.0.1 127.0.0.2"),
    ("{.items[*]['metadata.name', 'status.capacity']}", NODES,
     '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'),
    ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", NODES,
     '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '),
    ('{.users[?(@.name=="e2e")].user.password}', NODES, "secret"),
    ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", NODES, "127.0.0.1"),
    ('{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', NODES, "None"),
    ("{.items[?(@..ready==true)].metadata.name}", NODES, "127.0.0.1"),
    ('{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
     '{"+"}{end}', PODS, "pod1:foo,bar,+pod2:baz,+"),
    ('{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}'
     '{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}', PODS,
     "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}'
     '{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}', PODS,
     "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n"),
    ("{.spec.containers[0:].name}", SIX, "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[0:6:].name}", SIX, "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("{.spec.containers[1:4:2].name}", SIX, "fake1 fake3"),
    ("{.spec.containers[1:4:4].name}", SIX, "fake1"),
    ("{.spec.containers[0:6:5].name}", SIX, "fake0 fake5"),
    ("{.spec.containers[-2:].name}", SIX, "fake4 fake5"),
    ("{.spec.containers[5:5].name}", SIX, ""),
]  # fmt: skip


@pytest.mark.parametrize(("template", "data", "expected"), CASES)
def test_upstream_jsonpath(template: str, data: Any, expected: str) -> None:
    assert JSONPath(template).execute(data) == expected


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("{.hello}", {"Name": "jsonpath"}, ""),
        ("before-{.hello}after", {"Name": "jsonpath"}, "before-after"),
        ("{range .items[*]}{.metadata.name}{end}", {"items": []}, ""),
        ('{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
         '{"+"}{end}', {"items": []}, ""),
        ('{.items[?(@.metadata.annotations.color=="blue")].metadata.name}', ANNOTATED,
         "pod1 pod4"),
        ('{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}',
         RUNNING, "pod1 is Running\npod2 is Running\npod3 is Running\n"),
    ],
)  # fmt: skip
def test_upstream_jsonpath_missing_keys_allowed(template: str, data: Any, expected: str) -> None:
    assert JSONPath(template, allow_missing_keys=True).execute(data) == expected


@pytest.mark.parametrize(
    ("template", "data", "error"),
    [
        ("{hello}", {}, "unrecognized identifier hello"),
        ("{.hello}", {}, "hello is not found"),
        ("{.Labels[0]}", {"Labels": {"a": 1}}, "map[string]interface {} is not array or slice"),
        ("{.Book[?(@.Price<>10)]}", {"Book": [{"Price": 8.95}]}, "unrecognized filter operator <>"),
        ("{range .Labels.*}{@}{end}{end}", {"Labels": {"a": 1}}, "not in range, nothing to end"),
        ('{.items[?(@.metadata.annotations.color=="blue")].metadata.name}', ANNOTATED,
         "annotations is not found"),
        ("{.spec.containers[-1:0].name}", SIX, "starting index 5 is greater than ending index 0"),
        ("{.spec.containers[-7].name}", SIX, "array index out of bounds: index -1, length 6"),
        ("{.spec.containers[0:6:0].name}", SIX, "step must be > 0"),
        ("{.spec.containers[0:6:-1].name}", SIX, "step must be > 0"),
        ("{............Price}", {}, "invalid multiple recursive descent"),
    ],
)  # fmt: skip
def test_upstream_jsonpath_failures(template: str, data: Any, error: str) -> None:
    with pytest.raises(JSONPathError) as raised:
        JSONPath(template).execute(data)
    assert str(raised.value) == error


def test_recursive_names_in_sorted_key_order() -> None:
    # upstream TestKubernetes' "recursive name" (compared there after sorting: map order)
    names = JSONPath("{..name}").execute(NODES).split()
    assert sorted(names) == sorted(["127.0.0.1", "127.0.0.2", "myself", "e2e"])
