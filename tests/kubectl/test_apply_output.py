"""`kubectl apply -o yaml|json|name` against upstream apply.go (`shouldPrintObject`,
`printObjects`): no `created` / `configured` lines with yaml or json, the applied objects printed
after all of them (one as it is, several as a `v1` `List`), nothing printed when one failed."""

import json

import pytest
import yaml

from minik8s.cluster import Cluster
from minik8s.kubectl import kubectl

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v}\n"
TWO = CM + "---\n" + CM.replace("cfg", "two")


@pytest.fixture
def c():
    return Cluster(seed=0)


def run(c, line, manifest):
    return kubectl(c.client, line, manifest=manifest)


def test_one_object_is_printed_as_the_server_returned_it(c):
    out = yaml.safe_load(run(c, "apply -f - -o yaml", CM))
    live = c.client.get("configmaps", "cfg", "default")
    assert out == live
    assert "kubectl.kubernetes.io/last-applied-configuration" in out["metadata"]["annotations"]


def test_several_objects_are_one_list(c):
    doc = json.loads(run(c, "apply -f - -o json", TWO))
    assert (doc["apiVersion"], doc["kind"], doc["metadata"]) == ("v1", "List", {})
    assert [i["metadata"]["name"] for i in doc["items"]] == ["cfg", "two"]


def test_configured_and_unchanged_objects_print_their_new_state(c):
    run(c, "apply -f -", CM)
    changed = yaml.safe_load(run(c, "apply -f - -o yaml", CM.replace("k: v", "k: w")))
    assert changed["data"] == {"k": "w"}
    same = yaml.safe_load(run(c, "apply -f - -o yaml", CM.replace("k: v", "k: w")))
    assert same == changed


def test_json_is_indented_with_four_spaces(c):
    text = run(c, "apply -f - -o json", CM)
    assert text.startswith('{\n    "apiVersion": "v1",\n    "data": {\n        "k": "v"\n')
    assert text.endswith("}\n")


def test_name_keeps_one_line_per_object(c):
    assert run(c, "apply -f - -o name", TWO) == "configmap/cfg\nconfigmap/two\n"


def test_a_failure_prints_no_objects_but_still_applies_the_others(c):
    bad = TWO + "---\n" + CM.replace("name: cfg", "name: Bad_Name")
    out = run(c, "apply -f - -o yaml", bad)
    assert out.startswith('Error from server (Invalid): error when creating "STDIN": ')
    assert "apiVersion" not in out
    assert c.client.get("configmaps", "two", "default")["data"] == {"k": "v"}


def test_dry_runs_print_what_would_be_applied(c):
    client_side = yaml.safe_load(run(c, "apply -f - -o yaml --dry-run=client", CM))
    assert client_side["metadata"]["name"] == "cfg" and "uid" not in client_side["metadata"]
    server_side = yaml.safe_load(run(c, "apply -f - -o yaml --dry-run=server", CM))
    assert server_side["metadata"]["uid"]
    assert c.kubectl("get cm cfg") == 'Error from server (NotFound): configmaps "cfg" not found\n'


def test_unknown_formats_are_refused_before_anything_is_sent(c):
    assert run(c, "apply -f - -o wide", CM).startswith(
        'error: unable to match a printer suitable for the output format "wide", allowed '
        "formats are: go-template,go-template-file,json,jsonpath,"
    )
    assert c.kubectl("get cm cfg").startswith("Error from server (NotFound)")
