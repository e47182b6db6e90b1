"""`kubectl rollout history|undo|restart` for DaemonSets and StatefulSets (ControllerRevisions),
and `printTemplate`'s raw tabs, after upstream polymorphichelpers history.go / rollback.go."""

from __future__ import annotations

import pytest

import minik8s.kubectl.rollout  # noqa: F401 - registers `kubectl rollout`
from minik8s import Cluster


def workload(kind: str, name: str, image: str, **spec) -> dict:
    labels = {"app": name}
    obj = {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": image}]},
            },
            **spec,
        },
    }
    if kind == "StatefulSet":
        obj["spec"].update(replicas=1, serviceName=name)
    return obj


@pytest.fixture
def c():
    return Cluster(nodes=1, seed=0)


@pytest.mark.parametrize(("kind", "short"), [("DaemonSet", "ds"), ("StatefulSet", "sts")])
def test_undo_goes_back_through_controller_revisions(c, kind, short):
    name, shown = "app", f"{kind.lower()}.apps/app"
    c.apply(workload(kind, name, "img:1"))
    c.settle()
    assert c.kubectl(f"rollout undo {short}/{name}") == (
        "error: no last revision to roll back to\n"
    )
    c.apply(workload(kind, name, "img:2"))
    c.settle()
    assert c.kubectl(f"rollout undo {short}/{name} --to-revision=5") == (
        "error: unable to find specified revision 5 in history\n"
    )
    assert c.kubectl(f"rollout undo {short}/{name} --to-revision=2") == (
        f"{shown} skipped rollback (current template already matches revision 2)\n"
    )
    assert c.kubectl(f"rollout undo {short}/{name}") == f"{shown} rolled back\n"
    c.settle()
    obj = c.get(kind.lower() + "s", name)
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "img:1"
    table = c.kubectl(f"rollout history {short}/{name}")
    assert table == f"{shown} \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"


@pytest.mark.parametrize(("kind", "short"), [("DaemonSet", "ds"), ("StatefulSet", "sts")])
def test_restart_stamps_the_template(c, kind, short):
    c.apply(workload(kind, "app", "img:1"))
    c.settle()
    assert c.kubectl(f"rollout restart {short}/app") == f"{kind.lower()}.apps/app restarted\n"
    template = c.get(kind.lower() + "s", "app")["spec"]["template"]
    assert template["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    assert c.kubectl(f"rollout pause {short}/app") == (
        f'error: {kind.lower()}s.apps "app" pausing is not supported\n'
    )


def test_history_of_one_revision_keeps_describe_tabs(c):
    c.apply(workload("Deployment", "web", "nginx:1.27", replicas=1))
    c.settle()
    shown = c.kubectl("rollout history deployment/web --revision=1")
    assert shown.startswith(
        "deployment.apps/web with revision #1\nPod Template:\n  Labels:\tapp=web"
    )
    assert "    Image:\tnginx:1.27\n" in shown
    c.apply(workload("DaemonSet", "agent", "agent:1"))
    c.settle()
    shown = c.kubectl("rollout history ds/agent --revision=1")
    assert "Pod Template:\n  Labels:\tapp=agent\n" in shown
    assert "    Image:\tagent:1\n" in shown
