"""Reading manifests like `kubectl apply -f`: documents, lists, files, and kubectl's errors."""

import json

import pytest

from minik8s.kubectl.manifest import ManifestError, load_manifests, parse_text, split_documents

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\n"


def test_several_documents_in_order_and_empty_ones_skipped():
    text = (
        "---\n"
        + POD.format("a")
        + "---\n# only a comment\n---   # trailing comment\n"
        + POD.format("b")
    )
    assert [o["metadata"]["name"] for o in load_manifests(text)] == ["a", "b"]


def test_kind_list_is_expanded():
    text = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}},
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "y"}},
            ],
        }
    )
    assert [o["kind"] for o in load_manifests(text)] == ["ConfigMap", "Secret"]


def test_dict_and_list_sources():
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
    assert load_manifests(obj) == [obj]
    assert len(load_manifests([obj, POD.format("a")])) == 2


def test_files_and_directories_sorted(tmp_path):
    (tmp_path / "b.yaml").write_text(POD.format("b"))
    (tmp_path / "a.yml").write_text(POD.format("a"))
    (tmp_path / "c.json").write_text(
        json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "c"}})
    )
    (tmp_path / "notes.txt").write_text("not a manifest")
    assert [o["metadata"]["name"] for o in load_manifests(str(tmp_path))] == ["a", "b", "c"]
    assert load_manifests(tmp_path / "b.yaml")[0]["metadata"]["name"] == "b"


def test_missing_file():
    with pytest.raises(ManifestError, match='error: the path "nope.yaml" does not exist'):
        load_manifests("nope.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # go-yaml: scanner errors on the first line carry no line number
        ("a: b: c\n", "yaml: mapping values are not allowed in this context"),
        (
            "kind: Pod\n  apiVersion: v1\n metadata: x\n",
            "yaml: line 2: mapping values are not allowed in this context",
        ),
        ("a:\n\t- b\n", "yaml: line 2: found character that cannot start any token"),
        ("x:\n  - a\n  b: c\n", "yaml: line 2: did not find expected key"),
    ],
)
def test_yaml_errors_worded_like_kubectl(text, message):
    with pytest.raises(ManifestError) as err:
        load_manifests(text)
    assert str(err.value) == (
        f"error: error parsing STDIN: error converting YAML to JSON: {message}"
    )


def test_yaml_error_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n")
    with pytest.raises(ManifestError, match=f"error: error parsing {path}: error converting"):
        load_manifests(str(path))


def test_line_numbers_count_from_the_document_start():
    text = POD.format("a") + "---\nkind: Pod\n  bad: x\n"
    with pytest.raises(ManifestError, match="yaml: line 2: mapping values"):
        load_manifests(text)


def test_missing_kind():
    with pytest.raises(ManifestError) as err:
        load_manifests("apiVersion: v1\nmetadata:\n  name: x\n")
    assert str(err.value) == (
        "error: unable to decode \"STDIN\": Object 'Kind' is missing in "
        '\'{"apiVersion":"v1","metadata":{"name":"x"}}\''
    )


def test_missing_api_version():
    with pytest.raises(
        ManifestError, match="Object 'apiVersion' is missing in '{\"kind\":\"Pod\"}'"
    ):
        load_manifests("kind: Pod\n")


def test_bad_separator():
    with pytest.raises(ManifestError, match="invalid Yaml document separator: junk"):
        split_documents("--- junk\n")


def test_integral_yaml_floats_reach_the_api_as_integers():
    """sigs.k8s.io/yaml marshals YAML numbers through Go's float64: `2.0` becomes `2`."""
    (obj,) = parse_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        "spec: {replicas: 2.0, minReadySeconds: 1.5, template: {metadata: {labels: [3.0]}}}\n"
    )
    assert obj["spec"]["replicas"] == 2 and isinstance(obj["spec"]["replicas"], int)
    assert obj["spec"]["minReadySeconds"] == 1.5
    assert obj["spec"]["template"]["metadata"]["labels"] == [3]
