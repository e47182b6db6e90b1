"""kubectl label, annotate and scale against a real Cluster: upstream v1.31's printed lines and
error texts (label.go, annotate.go, cmdutil GetResourcesAndPairs/ParsePairs, scale.go and
pkg/scale's PreconditionError)."""

from __future__ import annotations

import re

import pytest

from minik8s import Cluster
from minik8s.kubectl.commands_meta import _overwrite_errors, label_change_message, parse_labels

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.25, ports: [{containerPort: 80}]}]
"""


@pytest.fixture(scope="module")
def base() -> Cluster:
    cluster = Cluster(nodes=1, seed=0)
    cluster.apply(WEB)
    cluster.apply(WEB.replace("web", "api"))
    cluster.settle()
    return cluster


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster(nodes=1, seed=0)
    cluster.apply(WEB)
    cluster.settle()
    return cluster


def labels(c: Cluster, name: str = "web") -> dict[str, str]:
    return c.get("deployments", name)["metadata"].get("labels") or {}


def test_label_messages(c):
    assert c.kubectl("label deploy web tier=fe") == "deployment.apps/web labeled\n"
    assert c.kubectl("label deploy web tier=fe") == "deployment.apps/web not labeled\n"
    assert c.kubectl("label deploy web tier-") == "deployment.apps/web unlabeled\n"
    # removing a key that is not there: upstream prints a notice, then "not labeled"
    assert c.kubectl("label deploy web tier-") == (
        'label "tier" not found.\ndeployment.apps/web not labeled\n'
    )
    assert labels(c) == {"app": "web"}


def test_label_unlabeled_compares_json_length_unless_overwrite(c):
    c.kubectl("label deploy web a=b")
    # v1.31's updateDataChangeMsg: shorter JSON after the change means "unlabeled"...
    assert c.kubectl("label deploy web a- ee=f") == "deployment.apps/web labeled\n"
    assert c.kubectl("label deploy web ee- x=y") == "deployment.apps/web unlabeled\n"
    # ...but never with --overwrite
    assert c.kubectl("label deploy web x- --overwrite") == "deployment.apps/web labeled\n"


def test_label_overwrite(c):
    assert c.kubectl("label deploy web app=other") == (
        "error: 'app' already has a value (web), and --overwrite is false\n"
    )
    assert labels(c) == {"app": "web"}
    assert c.kubectl("label deploy web app=other --overwrite") == "deployment.apps/web labeled\n"
    assert labels(c) == {"app": "other"}


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("label deploy web", "at least one label update is required"),
        ("label deploy web a=b a-", "can not both modify and remove a label in the same command"),
        ("label deploy web a=b=c", "invalid label spec: a=b=c"),
        ("label deploy web a=b web2", "all resources must be specified before label changes: web2"),
        (
            "label a=b",
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ),  # fmt: skip
        ("label deploy a=b", "resource(s) were provided, but no name was specified"),
        ("label deploy --all -l app=web a=b", "cannot set --all and --selector at the same time"),
        (
            "label deploy web api a=b --resource-version=1",
            "--resource-version may only be used with a single resource",
        ),  # fmt: skip
        (
            "label deploy -l app=web a=b --resource-version=1",
            "--resource-version may only be used with a single resource",
        ),  # fmt: skip
        ("label foo x a=b", 'the server doesn\'t have a resource type "foo"'),
        ("annotate deploy web", "at least one annotation update is required"),
        (
            "annotate deploy web a=1 =x",
            "all resources must be specified before annotation changes: =x",
        ),
        (
            "annotate deploy web a=1 a-",
            "can not both modify and remove the following annotation(s) in the same command: a",
        ),  # fmt: skip
    ],
)
def test_label_and_annotate_errors(base, command, error):
    assert base.kubectl(command) == f"error: {error}\n"


def test_label_value_checked_before_sending(base):
    out = base.kubectl("label deploy web 'a=b@'")
    assert out.startswith('error: invalid label value: "a=b@": a valid label must be an empty ')


def test_label_selector_all_and_missing_names(base):
    assert base.kubectl("label deploy --all team=x") == (
        "deployment.apps/api labeled\ndeployment.apps/web labeled\n"
    )
    assert base.kubectl("label deploy -l app=api team-") == "deployment.apps/api unlabeled\n"
    # ContinueOnError: the found objects are labeled, the missing one reported last
    assert base.kubectl("label deploy nope web team=y --overwrite") == (
        "deployment.apps/web labeled\n"
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )


def test_label_resource_version_is_a_precondition(c):
    version = c.get("deployments", "web")["metadata"]["resourceVersion"]
    assert c.kubectl("label deploy web a=b --resource-version=1") == (
        'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": '
        "the object has been modified; please apply your changes to the latest version and try "
        "again\n"
    )
    assert "a" not in labels(c)
    out = c.kubectl(f"label deploy web a=b --resource-version={version}")
    assert out == "deployment.apps/web labeled\n"
    assert labels(c)["a"] == "b"


def test_label_dry_run(c):
    assert c.kubectl("label deploy web a=b --dry-run=client") == (
        "deployment.apps/web labeled (dry run)\n"
    )
    assert c.kubectl("label deploy web a=b --dry-run=server") == (
        "deployment.apps/web labeled (server dry run)\n"
    )
    assert "a" not in labels(c)


def test_annotate(c):
    assert c.kubectl("annotate deploy web note=hi") == "deployment.apps/web annotated\n"
    assert c.kubectl("annotate deploy web note=hi") == "deployment.apps/web annotated\n"
    assert c.kubectl("annotate deploy web note=bye zz=1") == (
        "error: --overwrite is false but found the following declared annotation(s): "
        "'note' already has a value (hi)\n"
    )
    assert c.kubectl("annotate deploy web note=bye --overwrite") == (
        "deployment.apps/web annotated\n"
    )
    assert c.kubectl("annotate deploy web note- missing-") == "deployment.apps/web annotated\n"
    annotations = c.get("deployments", "web")["metadata"].get("annotations") or {}
    assert "note" not in annotations and "zz" not in annotations
    # the change-cause annotation may always be overwritten
    c.kubectl("annotate deploy web kubernetes.io/change-cause=a")
    assert c.kubectl("annotate deploy web kubernetes.io/change-cause=b") == (
        "deployment.apps/web annotated\n"
    )


def replicas(c: Cluster) -> int:
    return c.get("deployments", "web")["spec"]["replicas"]


def test_scale_current_replicas_precondition(c):
    assert c.kubectl("scale deploy web --replicas=3 --current-replicas=5") == (
        "error: Expected replicas to be 5, was 2\n"
    )
    assert replicas(c) == 2
    assert c.kubectl("scale deploy web --replicas=3 --current-replicas=2") == (
        "deployment.apps/web scaled\n"
    )
    assert replicas(c) == 3


def test_scale_resource_version_precondition(c):
    version = c.get("deployments", "web")["metadata"]["resourceVersion"]
    assert c.kubectl("scale deploy web --replicas=4 --resource-version=1") == (
        f"error: Expected resource version to be 1, was {version}\n"
    )
    assert c.kubectl(f"scale deploy web --replicas=4 --resource-version={version}") == (
        "deployment.apps/web scaled\n"
    )
    assert replicas(c) == 4


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("scale deploy web --replicas=-1",
         "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"),
        ("scale deploy web --replicas=1 --current-replicas=-2",
         "The --current-replicas must specify an integer of -1 or greater"),
        ("scale deploy web --replicas=x",
         'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": '
         "invalid syntax\nSee 'kubectl scale --help' for usage."),
        ("scale deploy web", 'required flag(s) "replicas" not set'),
        ("scale deploy --all --replicas=1 --resource-version=1",
         "cannot use --resource-version with multiple resources"),
    ],
)  # fmt: skip
def test_scale_errors(base, command, error):
    assert base.kubectl(command) == f"error: {error}\n"


def test_scale_continues_past_missing_objects_and_dry_runs(c):
    assert c.kubectl("scale deploy web nope --replicas=1") == (
        "deployment.apps/web scaled\n"
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )
    assert replicas(c) == 1
    assert c.kubectl("scale deploy web --replicas=5 --dry-run=client") == (
        "deployment.apps/web scaled (dry run)\n"
    )
    assert c.kubectl("scale deploy web --replicas=5 --dry-run=server") == (
        "deployment.apps/web scaled (server dry run)\n"
    )
    assert c.kubectl("scale deploy/web --replicas=2 -o name") == "deployment.apps/web\n"
    assert replicas(c) == 2


def test_scale_a_kind_without_scale_subresource(c):
    c.kubectl("run p --image=nginx")
    assert c.kubectl("scale pod p --replicas=2") == (
        "Error from server (NotFound): the server could not find the requested resource\n"
    )


# label_test.go TestParseLabels, TestValidateLabels and TestLabelMsg (v1.31: #105936, #107657)
@pytest.mark.parametrize(
    ("specs", "labels", "remove", "error"),
    [
        (["a=b", "c=d"], {"a": "b", "c": "d"}, [], ""),
        ([], {}, [], ""),
        (["a=b", "c=d", "e-"], {"a": "b", "c": "d"}, ["e"], ""),
        (["ab", "c=d"], None, None, "error: unknown label spec: ab"),
        (["a=b", "c=d", "a-"], None, None, "error: can not both modify and remove a label"),
        (["a="], {"a": ""}, [], ""),
        (["a=%^$"], None, None, 'error: invalid label value: "a=%^$": a valid label must be'),
    ],
)
def test_parse_labels_upstream(specs, labels, remove, error):
    if error:
        with pytest.raises(ValueError, match=re.escape(error)):
            parse_labels(specs)
    else:
        assert parse_labels(specs) == (labels, remove)


@pytest.mark.parametrize(
    ("current", "new", "clash"),
    [
        ({"a": "b", "c": "d"}, {"a": "c", "d": "b"}, True),  # one shared
        ({"a": "b", "c": "d"}, {"b": "d", "c": "a"}, True),  # second shared
        ({"a": "b", "c": "d"}, {"b": "a", "d": "c"}, False),  # no overlap
        ({}, {"b": "a", "d": "c"}, False),  # no labels
        ({"a": "b"}, {"a": "b"}, False),  # the same value needs no --overwrite (#105936)
    ],
)
def test_validate_no_overwrites_upstream(current, new, clash):
    assert bool(_overwrite_errors(current, new, "labels")) == clash


@pytest.mark.parametrize(
    ("old", "new", "overwrite", "message"),
    [
        ({"a": "b"}, {"a": "b"}, False, "not labeled"),
        (None, {"a": "b"}, False, "labeled"),
        ({"a": "b"}, {"a": "c"}, True, "labeled"),
        ({"a": "b"}, {"a": "b", "c": "d"}, False, "labeled"),
        ({"a": "b"}, {}, False, "unlabeled"),
        ({"a": "b"}, {}, True, "labeled"),  # #107657: never "unlabeled" with --overwrite
        ({"a": "b", "c": "d"}, {"c": "d", "e": "f"}, False, "labeled"),  # same length
        (None, {}, False, "labeled"),  # removing from no labels still sets `labels: {}`
    ],
)
def test_label_message_upstream(old, new, overwrite, message):
    assert label_change_message(old, new, overwrite) == message


def test_type_and_type_slash_name_do_not_mix(base):
    assert base.kubectl("label deploy deploy/web a=b") == (
        "error: there is no need to specify a resource type as a separate argument when passing "
        "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
        "'kubectl get resource resource/<resource_name>'\n"
    )
    assert base.kubectl("label deploy web -l app=web a=b") == (
        "error: name cannot be provided when a selector is specified\n"
    )
    assert base.kubectl("label deploy/web deploy/api pr=1") == (
        "deployment.apps/web labeled\ndeployment.apps/api labeled\n"
    )
