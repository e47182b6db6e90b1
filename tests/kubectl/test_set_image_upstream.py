"""kubectl set image as upstream v1.31's set_image.go: `-l`/`--all`, dry runs, missing objects
reported after the found ones, and a rejected write worded `failed to patch image update to pod
template: ...`."""

from __future__ import annotations

import pytest

from minik8s import Cluster

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.25}]
"""


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster(nodes=1, seed=0)
    cluster.apply(WEB)
    cluster.apply(WEB.replace("web", "api"))
    return cluster


def image(c: Cluster, name: str = "web") -> str:
    return c.get("deployments", name)["spec"]["template"]["spec"]["containers"][0]["image"]


def test_set_image_by_selector_and_all(c):
    assert c.kubectl("set image deploy -l app=web nginx=nginx:2") == (
        "deployment.apps/web image updated\n"
    )
    assert (image(c), image(c, "api")) == ("nginx:2", "nginx:1.25")
    assert c.kubectl("set image deploy --all nginx=nginx:3") == (
        "deployment.apps/api image updated\ndeployment.apps/web image updated\n"
    )
    assert (image(c), image(c, "api")) == ("nginx:3", "nginx:3")


def test_set_image_dry_runs_send_nothing(c):
    assert c.kubectl("set image deploy/web nginx=nginx:9 --dry-run=client") == (
        "deployment.apps/web image updated (dry run)\n"
    )
    assert c.kubectl("set image deploy/web nginx=nginx:9 --dry-run=server") == (
        "deployment.apps/web image updated (server dry run)\n"
    )
    assert image(c) == "nginx:1.25"
    assert c.kubectl("set image deploy/web nginx=nginx:9 -o name") == "deployment.apps/web\n"
    assert image(c) == "nginx:9"


def test_set_image_errors(c):
    assert c.kubectl("set image deploy web nope nginx=nginx:2") == (
        "deployment.apps/web image updated\n"
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )
    assert c.kubectl("set image deploy/web nginx=") == (
        'error: failed to patch image update to pod template: Deployment.apps "web" is '
        "invalid: spec.template.spec.containers[0].image: Required value\n"
    )
    assert c.kubectl("set image nginx=x") == (
        "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
    )
    assert c.kubectl("set image deploy web nginx=x api") == (
        "error: all resources must be specified before image changes: api\n"
    )
    assert c.kubectl("set image deploy --all -l app=web nginx=x") == (
        "error: cannot set --all and --selector at the same time\n"
    )
