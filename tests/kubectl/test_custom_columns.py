"""`kubectl get -o custom-columns=...` and `--no-headers`, with upstream's
`customcolumn_test.go` tables (TestMassageJSONPath, TestNewColumnPrinterFromSpec, TestColumnPrint,
TestIndividualPrintObjOnExistingTabWriter, TestSliceColumnPrint) as facts."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.kubectl import kubectl
from minik8s.kubectl.customcolumns import Column, go_sprint, parse_spec, print_custom_columns
from minik8s.kubectl.sorter import relaxed_jsonpath_expression
from tests.kubectl.fake import FakeClient

Obj = dict[str, Any]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("foo.bar", "{.foo.bar}"),
        ("{foo.bar}", "{.foo.bar}"),
        (".foo.bar", "{.foo.bar}"),
        ("{.foo.bar}", "{.foo.bar}"),
        ("", ""),
    ],
)
def test_massage_jsonpath(path, expected):
    assert relaxed_jsonpath_expression(path) == expected


@pytest.mark.parametrize("path", ["{foo.bar", "foo.bar}", "{foo.bar}}", "{{foo.bar}"])
def test_massage_jsonpath_errors(path):
    with pytest.raises(ValueError, match="unexpected path string"):
        relaxed_jsonpath_expression(path)


@pytest.mark.parametrize("spec", ["", "invalid", "invalid=foobar", "invalid,foobar:blah"])
def test_spec_errors(spec):
    with pytest.raises(ValueError):
        parse_spec(spec)


def test_spec_columns_and_error_words():
    assert parse_spec("NAME:metadata.name,API_VERSION:apiVersion") == [
        Column("NAME", "{.metadata.name}"),
        Column("API_VERSION", "{.apiVersion}"),
    ]
    with pytest.raises(ValueError) as err:
        parse_spec("invalid,foobar:blah")
    assert str(err.value) == (
        "unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>"
    )


def pod(name: str, api_version: str = "", **labels: str) -> Obj:
    obj: Obj = {"metadata": {"name": name, "labels": labels}}
    if api_version:
        obj["apiVersion"] = api_version
    return obj


def test_column_print():
    assert print_custom_columns("NAME:{.metadata.name}", [pod("foo")]) == "NAME\nfoo\n"
    assert print_custom_columns("NAME:.metadata.name", [pod("foo"), pod("bar")]) == (
        "NAME\nfoo\nbar\n"
    )
    spec = "NAME:.metadata.name,API_VERSION:.apiVersion"
    assert print_custom_columns(spec, [pod("foo", "baz")]) == "NAME   API_VERSION\nfoo    baz\n"
    spec += ",NOT_FOUND:.notFound"
    assert print_custom_columns(spec, [pod("foo", "baz")]) == (
        "NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n"
    )


def test_individual_print_obj_on_existing_tab_writer():
    spec = (
        "NAME:{.metadata.name},LONG COLUMN NAME:{.metadata.labels.label1},"
        "LABEL 2:{.metadata.labels.label2}"
    )
    objs = [pod("foo", label1="foo", label2="foo"), pod("bar", label1="bar", label2="bar")]
    assert print_custom_columns(spec, objs) == (
        "NAME   LONG COLUMN NAME   LABEL 2\n"
        "foo    foo                foo\n"
        "bar    bar                bar\n"
    )


def test_no_headers():
    assert print_custom_columns("API_VERSION:apiVersion", [pod("x", "v1")], True) == "v1\n"
    assert print_custom_columns("A:apiVersion", [], True) == ""
    assert print_custom_columns("A:apiVersion", []) == "A\n"


SLICES = [
    ("[0]", "fake0"),
    ("[3]", "fake3"),
    ("[-1]", "fake3"),
    ("[-2]", "fake2"),
    ("[-4]", "fake0"),
    ("[0:0]", "<none>"),
    ("[0:3]", "fake0,fake1,fake2"),
    ("[1:]", "fake1,fake2,fake3"),
    ("[0:-1]", "fake0,fake1,fake2"),
    ("[-1:]", "fake3"),
    ("[-4:]", "fake0,fake1,fake2,fake3"),
    ("[-3:-1]", "fake1,fake2"),
    ("[4:4]", "<none>"),
    ("[-5:-5]", "<none>"),
]
FAKE_POD = {
    "metadata": {"name": "fake-name"},
    "spec": {"containers": [{"name": f"fake{i}"} for i in range(4)]},
}


@pytest.mark.parametrize(("index", "expected"), SLICES)
def test_slice_column_print(index, expected):
    spec = f"CONTAINER:.spec.containers{index}.name"
    assert print_custom_columns(spec, [FAKE_POD]) == f"CONTAINER\n{expected}\n"


@pytest.mark.parametrize("index", ["[5]", "[-5]", "[3:1]", "[-2:-3]"])
def test_slice_column_print_errors(index):
    with pytest.raises(ValueError):
        print_custom_columns(f"CONTAINER:.spec.containers{index}.name", [FAKE_POD])


def test_go_sprint():
    assert go_sprint({"b": 1, "a": [True, None, 1.5]}) == "map[a:[true <nil> 1.5] b:1]"
    assert go_sprint(3.0) == "3"
    assert go_sprint("x y") == "x y"


@given(st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), min_size=1, max_size=6))
def test_one_row_per_object_and_names_round_trip(names):
    out = print_custom_columns("N:.metadata.name", [pod(n) for n in names], no_headers=True)
    assert [line.rstrip() for line in out.splitlines()] == names


# -- through kubectl get -----------------------------------------------------------------------


def cm(name: str, **data: str) -> Obj:
    meta = {"name": name, "namespace": "default", "labels": {"app": name}}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


@pytest.fixture
def client() -> FakeClient:
    c = FakeClient()
    c.add(cm("web", size="1"))
    c.add(cm("db"))
    return c


def test_get_custom_columns(client):
    out = kubectl(client, "get cm -o custom-columns=NAME:.metadata.name,SIZE:.data.size")
    assert out == "NAME   SIZE\ndb     <none>\nweb    1\n"
    out = kubectl(client, "get cm web -o custom-columns=L:.metadata.labels")
    assert out == "L\nmap[app:web]\n"
    out = kubectl(client, "get cm -o custom-columns=NAME:.metadata.name --sort-by=.data.size")
    assert out.splitlines()[0] == "NAME"


def test_get_custom_columns_no_headers_and_empty(client):
    assert kubectl(client, "get cm -o custom-columns=N:metadata.name --no-headers") == "db\nweb\n"
    assert kubectl(client, "get cm -n other -o custom-columns=N:metadata.name") == "N\n"


def test_get_output_errors(client):
    assert kubectl(client, "get cm -o custom-columns") == (
        "error: custom-columns format specified but no custom columns given\n"
    )
    assert kubectl(client, "get cm -o custom-columns=NAME").startswith(
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"
    )
    assert kubectl(client, "get cm -o bogus").startswith(
        'error: unable to match a printer suitable for the output format "bogus", allowed '
        "formats are: custom-columns,"
    )


def test_get_no_headers_tables(client):
    table = kubectl(client, "get cm")
    assert table.splitlines()[0].startswith("NAME")
    rows = [line.split() for line in table.splitlines()[1:]]
    assert [line.split() for line in kubectl(client, "get cm --no-headers").splitlines()] == rows
    assert kubectl(client, "get cm --no-headers").startswith("db    0    ")  # narrower columns
    both = kubectl(client, "get cm,secrets --no-headers --show-labels")
    assert "NAME" not in both and "\n\n" not in both
    assert both.splitlines()[0].startswith("configmap/db")
    assert (
        kubectl(client, "get secrets --no-headers") == "No resources found in default namespace.\n"
    )


def test_get_output_name(client):
    assert kubectl(client, "get cm -o name") == "configmap/db\nconfigmap/web\n"
