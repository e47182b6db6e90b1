"""kubectl against the real API server (validation, defaulting, admission, patches)."""

import pytest

from minik8s.kubectl import kubectl

apiserver = pytest.importorskip("minik8s.apiserver.server")
etcd = pytest.importorskip("minik8s.etcd")

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: game}
data: {lives: "3"}
"""


@pytest.fixture
def client():
    from minik8s.client.client import Client
    from minik8s.sim.loop import EventLoop

    loop = EventLoop()
    server = apiserver.APIServer(etcd.Store(), loop)
    c = Client(server, "kubectl")
    c.create(
        "namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}
    )
    loop.run_for(1)
    return c


def test_apply_created_unchanged_configured(client):
    assert kubectl(client, "apply -f -", manifest=MANIFEST) == (
        "deployment.apps/web created\nconfigmap/game created\n"
    )
    assert kubectl(client, "apply -f -", manifest=MANIFEST) == (
        "deployment.apps/web unchanged\nconfigmap/game unchanged\n"
    )
    changed = MANIFEST.replace("replicas: 2", "replicas: 4").replace('lives: "3"', 'lives: "9"')
    assert kubectl(client, "apply -f -", manifest=changed) == (
        "deployment.apps/web configured\nconfigmap/game configured\n"
    )
    assert client.get("deployments", "web", "default")["spec"]["replicas"] == 4


def test_removed_label_is_deleted_by_the_server(client):
    kubectl(client, "apply -f -", manifest=MANIFEST)
    kubectl(client, "apply -f -", manifest=MANIFEST.replace("  labels: {app: web}\n", "", 1))
    assert "labels" not in client.get("deployments", "web", "default")["metadata"]


def test_get_describe_delete(client):
    kubectl(client, "apply -f -", manifest=MANIFEST)
    client.loop.run_for(30)
    assert kubectl(client, "get deploy") == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/2     0            0           30s\n"
    )
    assert kubectl(client, "get cm game") == "NAME   DATA   AGE\ngame   1      30s\n"
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n" in kubectl(
        client, "describe deploy web"
    )
    assert kubectl(client, "delete cm game") == 'configmap "game" deleted\n'
    assert kubectl(client, "get cm game") == (
        'Error from server (NotFound): configmaps "game" not found\n'
    )


def test_server_errors_are_printed_like_kubectl(client):
    bad = MANIFEST.replace("replicas: 2", "replicas: -1")
    out = kubectl(client, "apply -f -", manifest=bad)
    assert out.startswith(
        'configmap/game created\nError from server (Invalid): error when creating "STDIN": '
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
        "than or equal to 0"
    )
    assert kubectl(client, "get pods -n nowhere") == "No resources found in nowhere namespace.\n"


def test_invalid_patch_is_reported_as_patching(client):
    kubectl(client, "apply -f -", manifest=MANIFEST)
    out = kubectl(client, "apply -f -", manifest=MANIFEST.replace("replicas: 2", "replicas: -1"))
    assert out.startswith(
        'configmap/game unchanged\nError from server (Invalid): error when patching "STDIN": '
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1'
    )
