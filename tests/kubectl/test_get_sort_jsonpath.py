"""`kubectl get` `-L/--label-columns`, `--sort-by` and `-o jsonpath=...`, worded like kubectl
(cli-runtime `tableprinter.go`, kubectl `get/sorter.go`, client-go `util/jsonpath`)."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.kubectl import kubectl
from minik8s.kubectl.jsonpath import JSONPath
from minik8s.kubectl.jsonpath_parser import JSONPathError
from minik8s.kubectl.sorter import is_less, natural_less, relaxed_jsonpath_expression
from tests.kubectl.fake import FakeClient

Obj = dict[str, Any]


def cm(name: str, labels: dict[str, str] | None = None, **data: str) -> Obj:
    meta: Obj = {"name": name, "namespace": "default"}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


@pytest.fixture
def client() -> FakeClient:
    c = FakeClient()
    c.add(cm("web-10", {"app": "web", "app.kubernetes.io/tier": "front"}, size="100m"))
    c.loop.run_for(60)
    c.add(cm("web-2", {"app": "web"}, size="1"))
    c.loop.run_for(60)
    c.add(cm("db", {"app": "db"}, size="2Gi"))
    c.loop.run_for(60)
    c.add(cm("plain"))
    return c


def lines(text: str) -> list[str]:
    return text.splitlines()


# --- -L / --label-columns ------------------------------------------------------------------------


def test_label_columns_are_upper_cased_last_segments(client: FakeClient) -> None:
    out = kubectl(client, "get cm -L app -L app.kubernetes.io/tier")
    assert lines(out) == [
        "NAME     DATA   AGE   APP   TIER",
        "db       1      60s   db    ",
        "plain    0      0s          ",
        "web-10   1      3m    web   front",
        "web-2    1      2m    web   ",
    ]


def test_label_columns_comma_separated_before_show_labels(client: FakeClient) -> None:
    out = kubectl(client, "get cm web-2 --label-columns=app,missing --show-labels")
    assert lines(out) == [
        "NAME    DATA   AGE   APP   MISSING   LABELS",
        "web-2   1      2m    web             app=web",
    ]


# --- --sort-by -----------------------------------------------------------------------------------


def test_sort_by_name_is_natural(client: FakeClient) -> None:
    out = kubectl(client, "get cm --sort-by=.metadata.name -o name")
    assert out == "configmap/db\nconfigmap/plain\nconfigmap/web-2\nconfigmap/web-10\n"


def test_sort_by_braced_path_in_a_table(client: FakeClient) -> None:
    out = kubectl(client, "get cm --sort-by={.metadata.creationTimestamp}")
    assert [line.split()[0] for line in lines(out)] == ["NAME", "web-10", "web-2", "db", "plain"]


def test_sort_by_quantities_and_missing_fields_first(client: FakeClient) -> None:
    # web-10 100m < web-2 1 < db 2Gi as quantities; plain has no data.size
    out = kubectl(client, "get cm --sort-by=data.size -o name")
    assert out == "configmap/plain\nconfigmap/web-10\nconfigmap/web-2\nconfigmap/db\n"


def test_sort_by_unknown_field_is_an_error(client: FakeClient) -> None:
    assert kubectl(client, "get cm --sort-by=.spec.nothing") == (
        'error: couldn\'t find any field with path "{.spec.nothing}" in the list of objects\n'
    )
    assert kubectl(client, "get cm --sort-by=.spec.nothing -o json") == (
        'error: couldn\'t find any field with path "{.spec.nothing}" in the list of objects\n'
    )


def test_sort_by_bad_path(client: FakeClient) -> None:
    assert kubectl(client, "get cm --sort-by={.metadata.name") == (
        "error: sorting error: unclosed action\n"
    )
    assert kubectl(client, "get cm -o name --sort-by={.metadata.name").startswith(
        "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
    )


def test_sort_by_with_nothing_found_is_no_error(client: FakeClient) -> None:
    out = kubectl(client, "get cm -n empty --sort-by=.spec.nothing")
    assert out == "No resources found in empty namespace.\n"


# upstream TestMassageJSONPath (get/customcolumn_test.go)
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("foo.bar", "{.foo.bar}"),
        ("{foo.bar}", "{.foo.bar}"),
        (".foo.bar", "{.foo.bar}"),
        ("{.foo.bar}", "{.foo.bar}"),
        ("", ""),
        ("{foo.bar", None),
        ("foo.bar}", None),
        ("{foo.bar}}", None),
        ("{{foo.bar}", None),
    ],
)
def test_relaxed_jsonpath_expression(given: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="^unexpected path string, expected a 'name1.name2'"):
            relaxed_jsonpath_expression(given)
    else:
        assert relaxed_jsonpath_expression(given) == expected


@pytest.mark.parametrize(
    ("a", "b", "less"),
    [
        ("a", "b", True),
        ("pod-2", "pod-10", True),
        ("pod-10", "pod-2", False),
        ("a01", "a1", False),  # equal numbers: fewer zeros first
        ("a1", "a01", True),
        ("1a", "a", True),  # digits before other characters
        ("abc", "abcd", True),
        ("x", "x", False),
    ],
)
def test_natural_less(a: str, b: str, less: bool) -> None:
    assert natural_less(a, b) is less


NAMES = st.text(alphabet="ab-019", max_size=6)


@given(NAMES, NAMES, NAMES)
def test_natural_less_is_a_strict_order(a: str, b: str, c: str) -> None:
    assert not natural_less(a, a)
    assert not (natural_less(a, b) and natural_less(b, a))
    if natural_less(a, b) and natural_less(b, c):
        assert natural_less(a, c)
    if a != b:  # a total order: distinct strings are always ordered
        assert natural_less(a, b) or natural_less(b, a)


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_natural_less_orders_numbers_by_value(x: int, y: int) -> None:
    assert natural_less(f"pod-{x}", f"pod-{y}") == (x < y)


def test_is_less_like_upstream() -> None:
    assert is_less(1, 2) and not is_less(2, 1)
    assert is_less("100m", "1") and is_less("1Gi", "2G")  # both quantities
    assert is_less(None, "a") and not is_less(None, None)
    with pytest.raises(ValueError, match="unsortable type: bool"):
        is_less(True, False)
    with pytest.raises(ValueError, match="unsortable interface: interface"):
        is_less("a", 1)


# --- -o jsonpath ---------------------------------------------------------------------------------


def test_jsonpath_items_wildcard(client: FakeClient) -> None:
    out = kubectl(client, "get cm -o jsonpath={.items[*].metadata.name}")
    assert out == "db plain web-10 web-2"


def test_jsonpath_range_with_quoted_newline(client: FakeClient) -> None:
    template = '{range .items[*]}{.metadata.name}{"\\t"}{.data.size}{"\\n"}{end}'
    out = kubectl(client, ["get", "cm", "-l", "app=web", "-o", f"jsonpath={template}"])
    assert out == "web-10\t100m\nweb-2\t1\n"


def test_jsonpath_single_object_and_literal_text(client: FakeClient) -> None:
    out = kubectl(
        client, "get cm web-2 -o 'jsonpath=name: {.metadata.name}, labels: {.metadata.labels}'"
    )
    assert out == 'name: web-2, labels: {"app":"web"}'
    assert kubectl(client, "get cm web-2 -o jsonpath={.nothing}") == ""


def test_jsonpath_sorted(client: FakeClient) -> None:
    out = kubectl(client, "get cm -o jsonpath={.items[*].metadata.name} --sort-by=.data.size")
    assert out == "plain web-10 web-2 db"


def test_jsonpath_errors(client: FakeClient) -> None:
    assert kubectl(client, "get cm -o jsonpath={.items") == (
        "error: error parsing jsonpath {.items, unclosed action\n"
    )
    assert kubectl(client, "get cm -o jsonpath=") == (
        "error: template format specified but no template given\n"
    )
    out = kubectl(client, "get cm web-2 -o jsonpath={.metadata.name[0]}")
    assert out.startswith(
        'error: error executing jsonpath "{.metadata.name[0]}": Error executing template: '
        "string is not array or slice. Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.metadata.name[0]}\n"
        '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"apiVersion":"v1", '
    )
    assert out.endswith("\n\n\n")


DATA: Obj = {
    "kind": "List",
    "items": [
        {"metadata": {"name": "a", "labels": {"x": "1"}}, "spec": {"n": 1, "ok": True}},
        {"metadata": {"name": "b"}, "spec": {"n": 2.5, "ok": False, "v": None}},
    ],
}


# upstream jsonpath_test.go style cases on unstructured-shaped data
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("plain text", "plain text"),
        ("{.kind}", "List"),
        ("{.items[0].metadata.name}", "a"),
        ("{.items[-1].metadata.name}", "b"),
        ("{.items[0:2].metadata.name}", "a b"),
        ("{.items[::2].metadata.name}", "a"),
        ("{.items[*].spec.n}", "1 2.5"),
        ("{.items[*].spec.ok}", "true false"),
        ("{.items[1].spec.v}", "null"),
        ("{.items[0].spec}", '{"n":1,"ok":true}'),
        ("{.items[0].metadata['name','labels']}", 'a {"x":"1"}'),
        ('{.items[?(@.metadata.name=="b")].spec.n}', "2.5"),
        ('{.items[?(@.metadata.name<"b")].metadata.name}', "a"),
        ("{.items[?(@.metadata.labels)].metadata.name}", "a"),
        ("{..name}", "a b"),
        ("{range .items[*]}[{.metadata.name}]{end}", "[a][b]"),
        ("{range .missing[*]}x{end}after", "after"),
        ('{"{"}{.kind}{"}"}', "{List}"),
        ("{.items[0].metadata.labels.*}", "1"),
    ],
)
def test_jsonpath_cases(template: str, expected: str) -> None:
    assert JSONPath(template, allow_missing_keys=True).execute(DATA) == expected


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("{.a", "unclosed action"),
        ("{.items[x]}", "invalid array index x"),
        ("{!}", "unrecognized character in action: U+0021 '!'"),
        ("{end}", "not in range, nothing to end"),
        ("{.items[5]}", "array index out of bounds: index 5, length 2"),
        ("{.items[1:0]}", "starting index 1 is greater than ending index 0"),
        ("{.items[?(@.spec.n=='x')]}", "incompatible types for comparison"),
        ("{.items[?(@.spec.n<2)]}", "incompatible types for comparison"),  # 2.5 vs int 2
        ("{foo}", "unrecognized identifier foo"),
        ('{"unterminated}', "unterminated quoted string"),
    ],
)
def test_jsonpath_errors_in_upstream_words(template: str, error: str) -> None:
    with pytest.raises(JSONPathError) as raised:
        JSONPath(template, allow_missing_keys=True).execute(DATA)
    assert str(raised.value) == error


def test_missing_keys_are_errors_unless_allowed() -> None:
    assert JSONPath("{.nothing}", allow_missing_keys=True).execute(DATA) == ""
    with pytest.raises(JSONPathError, match="^nothing is not found$"):
        JSONPath("{.nothing}").execute(DATA)


def test_sort_more_than_twelve_objects() -> None:
    c = FakeClient()
    for i in (14, 3, 7, 1, 12, 9, 2, 13, 5, 11, 4, 10, 8, 6):
        c.add(cm(f"cm-{i}", size=str(i)))
    c.add(cm("no-size"))
    names = kubectl(c, "get cm --sort-by=.data.size -o jsonpath={.items[*].metadata.name}")
    assert names.split() == ["no-size", *(f"cm-{i}" for i in range(1, 15))]


def test_fieldless_objects_come_first_in_reverse_order_like_go_insertion_sort() -> None:
    c = FakeClient()
    for name, size in (("a", None), ("b", "2"), ("c", None), ("d", "1")):
        c.add(cm(name, **({"size": size} if size else {})))
    assert kubectl(c, "get cm --sort-by=.data.size -o name").split() == [
        "configmap/c",
        "configmap/a",
        "configmap/d",
        "configmap/b",
    ]


def test_unsortable_values(client: FakeClient) -> None:
    assert kubectl(client, "get cm --sort-by=.metadata.labels") == (
        "error: Field {.metadata.labels} in [][][]reflect.Value is an unsortable type: "
        "interface, err: unsortable type: map[string]interface {}\n"
    )


def test_in_a_cluster_pods_by_start_time_with_label_columns() -> None:
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    for name in ("zeta", "alpha"):
        c.apply(
            f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: default, labels: {{app: {name}, tier: web}}}}
spec:
  containers: [{{name: web, image: "nginx:1.27"}}]
"""
        )
        c.run(5)
    c.settle()
    out = c.kubectl("get pods --sort-by=.status.startTime -L app,tier")
    assert [line.split()[0] for line in lines(out)] == ["NAME", "zeta", "alpha"]
    assert lines(out)[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "APP", "TIER"]
    assert lines(out)[1].split()[-2:] == ["zeta", "web"]
    template = '{range .items[*]}{.metadata.name}={.spec.nodeName}{"\\n"}{end}'
    out = c.kubectl(["get", "pods", "--sort-by=.metadata.name", "-o", f"jsonpath={template}"])
    assert out == "alpha=node-1\nzeta=node-1\n"


POD = {"spec": {"containers": [{"name": f"fake{i}"} for i in range(4)]}}


# upstream TestSliceColumnPrint (get/customcolumn_test.go): None = an error
@pytest.mark.parametrize(
    ("index", "names"),
    [
        ("0", "fake0"),
        ("3", "fake3"),
        ("5", None),
        ("-1", "fake3"),
        ("-2", "fake2"),
        ("-4", "fake0"),
        ("-5", None),
        ("0:0", ""),
        ("0:3", "fake0 fake1 fake2"),
        ("1:", "fake1 fake2 fake3"),
        ("3:1", None),
        ("0:-1", "fake0 fake1 fake2"),
        ("-1:", "fake3"),
        ("-4:", "fake0 fake1 fake2 fake3"),
        ("-3:-1", "fake1 fake2"),
        ("-2:-3", None),
        ("4:4", ""),
        ("-5:-5", ""),
    ],
)
def test_upstream_slice_cases(index: str, names: str | None) -> None:
    path = JSONPath(f"{{.spec.containers[{index}].name}}", allow_missing_keys=True)
    if names is None:
        with pytest.raises(JSONPathError):
            path.execute(POD)
    else:
        assert path.execute(POD) == names


def test_yaml_quotes_as_go_yaml_v2():
    """sigs.k8s.io/yaml: double quotes for strings that would read as another type when
    plain, libyaml's single quotes for those whose characters forbid the plain style."""
    from minik8s.kubectl.get import to_yaml

    doc = {"port": "80", "flag": "true", "empty": "", "schedule": "*/5 * * * *"}
    doc |= {"when": "2025-01-01T00:00:00Z", "name": "web", "pair": "x: y", "nil": "null"}
    assert to_yaml(doc) == (
        'empty: ""\nflag: "true"\nname: web\nnil: "null"\npair: \'x: y\'\nport: "80"\n'
        "schedule: '*/5 * * * *'\nwhen: \"2025-01-01T00:00:00Z\"\n"
    )
