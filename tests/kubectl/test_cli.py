"""The kubectl command line: parsing, verbs, messages and errors worded like kubectl."""

import json

import pytest

from minik8s.kubectl import COMMANDS, kubectl, register
from minik8s.kubectl.cli import parse
from tests.kubectl import objects
from tests.kubectl.fake import FakeClient


@pytest.fixture
def client():
    c = FakeClient()
    for obj in (objects.DEPLOYMENT, objects.POD, objects.SERVICE, objects.NODE, objects.CONFIGMAP):
        c.add(obj)
    c.loop.run_for(60)
    return c


def test_parse_flags_anywhere():
    args = parse(["get", "pods", "-n", "shop", "-owide", "--show-labels", "-l=app=web", "-A"])
    assert args.command == "get" and args.positional == ["pods"]
    assert args.flags == {
        "namespace": "shop",
        "output": "wide",
        "show-labels": True,
        "selector": "app=web",
        "all-namespaces": True,
    }
    assert parse(["exec", "web", "--", "ls", "-l"]).rest == ["ls", "-l"]
    assert parse(["delete", "po", "x", "--cascade"]).flags["cascade"] == "background"


def test_unknown_resource_type(client):
    assert kubectl(client, "get foo") == 'error: the server doesn\'t have a resource type "foo"\n'


def test_not_found(client):
    assert kubectl(client, "get deploy nope") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )


def test_unknown_command(client):
    assert kubectl(client, "frobnicate") == 'error: unknown command "frobnicate" for "kubectl"\n'


def test_leading_kubectl_word_and_list_args(client):
    assert (
        kubectl(client, ["kubectl", "get", "deploy", "web", "-o", "name"])
        == "deployment.apps/web\n"
    )


def test_namespace_flag(client):
    assert kubectl(client, "get pods -n shop") == "No resources found in shop namespace.\n"
    assert kubectl(client, "get pods -A").startswith("NAMESPACE   NAME              READY")


def test_yaml_and_json_output(client):
    one = json.loads(kubectl(client, "get cm game -o json"))
    assert one["data"] == {"lives": "3", "ui.properties": "color=blue\n"}
    many = json.loads(kubectl(client, "get cm -o json"))
    assert (many["kind"], len(many["items"])) == ("List", 1)
    assert kubectl(client, "get cm game -o yaml").startswith(
        'apiVersion: v1\ndata:\n  lives: "3"\n'
    )


def test_delete_with_cascade(client):
    assert kubectl(client, "delete deploy web --cascade=foreground") == (
        'deployment.apps "web" deleted\n'
    )
    assert ("delete", "deployments", "web Foreground") in client.calls
    assert kubectl(client, "delete deploy web") == (
        'Error from server (NotFound): deployments.apps "web" not found\n'
    )
    assert kubectl(client, "delete deploy web --ignore-not-found") == ""
    assert kubectl(client, "delete po x --cascade=sideways").startswith(
        "error: invalid cascade value (sideways)."
    )


def test_delete_orphan_and_by_file(client):
    assert kubectl(client, "delete svc/web --cascade=orphan") == 'service "web" deleted\n'
    assert ("delete", "services", "web Orphan") in client.calls
    assert kubectl(client, "delete -f -", manifest=json.dumps(objects.CONFIGMAP)) == (
        'configmap "game" deleted\n'
    )


def test_delete_requires_a_name(client):
    assert kubectl(client, "delete pods") == (
        "error: resource(s) were provided, but no name was specified\n"
    )
    assert kubectl(client, "delete pods --all") == 'pod "web-7d4b9-abcde" deleted\n'


def test_scale(client):
    assert kubectl(client, "scale deploy/web --replicas=5") == "deployment.apps/web scaled\n"
    assert client.get("deployments", "web")["spec"]["replicas"] == 5
    assert kubectl(client, "scale deploy web --replicas 1") == "deployment.apps/web scaled\n"
    assert kubectl(client, "scale deploy web") == 'error: required flag(s) "replicas" not set\n'


def test_label_and_annotate(client):
    assert kubectl(client, "label deploy web tier=fe") == "deployment.apps/web labeled\n"
    assert kubectl(client, "label deploy web tier=be") == (
        "error: 'tier' already has a value (fe), and --overwrite is false\n"
    )
    assert (
        kubectl(client, "label deploy web tier=be --overwrite") == "deployment.apps/web labeled\n"
    )
    assert kubectl(client, "label deploy web tier-") == "deployment.apps/web unlabeled\n"
    assert client.get("deployments", "web")["metadata"]["labels"] == {"app": "web"}
    assert kubectl(client, "annotate pod/web-7d4b9-abcde note=hi") == (
        "pod/web-7d4b9-abcde annotated\n"
    )


def test_create_and_already_exists(client):
    manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
    assert kubectl(client, "create -f -", manifest=manifest) == "namespace/shop created\n"
    assert kubectl(client, "create -f -", manifest=manifest) == (
        'Error from server (AlreadyExists): error when creating "STDIN": namespaces "shop" '
        "already exists\n"
    )
    assert kubectl(client, "create namespace web") == "namespace/web created\n"


def test_apply_from_file(client, tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n")
    assert kubectl(client, f"apply -f {path}") == "configmap/extra created\n"
    assert kubectl(client, f"apply -f {path}") == "configmap/extra unchanged\n"
    assert kubectl(client, "apply") == "error: must specify one of -f and -k\n"


def test_apply_manifest_error(client):
    assert kubectl(client, "apply -f -", manifest="a: b: c\n") == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: mapping values are "
        "not allowed in this context\n"
    )


def test_api_resources_and_version(client):
    lines = kubectl(client, "api-resources").splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert lines[1].split() == ["bindings", "v1", "true", "Binding"]
    assert (
        "deployments              deploy       apps/v1                  true         Deployment"
        in lines
    )
    assert kubectl(client, "version").startswith("Client Version: v1.")


def test_registry_plugs_in_new_subcommands(client):
    @register("whoami")
    def whoami(c, args):
        return f"{args.namespace} {args.positional}\n"

    try:
        assert kubectl(client, "whoami x -n shop") == "shop ['x']\n"
    finally:
        del COMMANDS["whoami"]


def test_force_delete(client):
    out = kubectl(client, "delete pod web-7d4b9-abcde --grace-period=0 --force")
    assert out == (
        "Warning: Immediate deletion does not wait for confirmation that the running resource "
        "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
        'pod "web-7d4b9-abcde" force deleted\n'
    )


def test_server_warnings_are_printed_as_kubectl_prints_them(tmp_path):
    """client-go's warning handler: each `Warning:` header of the command's requests is written
    before kubectl's own output, once."""
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    owner = {"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "u-1"}
    manifest = tmp_path / "cm.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n"
        f"  ownerReferences: [{owner}, {owner}]\n".replace("'", '"')
    )
    out = c.kubectl(f"create -f {manifest}")
    first, rest = out.split("\n", 1)
    assert first.startswith("Warning: .metadata.ownerReferences contains duplicate entries")
    assert rest == "configmap/dup created\n"
    assert c.client.warnings == []  # taken off the client's list
    assert c.kubectl("get cm dup -o name") == "configmap/dup\n"  # no warning left to repeat


def test_strategy_warnings_reach_kubectl(tmp_path):
    """WarningsOnCreate / WarningsOnUpdate (apiserver/warnings.py) travel as Warning headers:
    a Deployment whose template repeats an env var warns on create and when its template
    changes (its generation moves), not on a label-only change."""
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    env = '[{"name": "X", "value": "1"}, {"name": "X", "value": "2"}]'
    manifest = tmp_path / "web.yaml"
    manifest.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        f"    spec:\n      containers: [{{name: c, image: nginx, env: {env}}}]\n"
    )
    warning = (
        'Warning: spec.template.spec.containers[0].env[1]: hides previous definition of "X", '
        "which may be dropped when using apply\n"
    )
    assert c.kubectl(f"create -f {manifest}") == warning + "deployment.apps/web created\n"
    assert c.kubectl("label deploy web tier=front") == "deployment.apps/web labeled\n"
    assert c.kubectl("set image deploy/web c=nginx:1.27") == (
        warning + "deployment.apps/web image updated\n"
    )
