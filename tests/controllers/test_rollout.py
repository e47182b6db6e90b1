"""`kubectl rollout` and `kubectl scale` on Deployments, through the Cluster facade."""

from __future__ import annotations

import pytest

import minik8s.kubectl.rollout  # noqa: F401 - registers `kubectl rollout`
from minik8s.controllers import deployment_util as du
from minik8s.kubectl.rollout import rollout_status

WAIT = 'Waiting for deployment "web" rollout to finish: '


def web(replicas=3, image="nginx:1.27", annotations=None, **spec):
    meta = {"name": "web"}
    if annotations:
        meta["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": image}]},
            },
            **spec,
        },
    }


def make_ready(c):
    count = 0
    for pod in c.get("pods"):
        status = pod.setdefault("status", {})
        if pod["metadata"].get("deletionTimestamp") or status.get("phase") == "Running":
            continue
        status["phase"] = "Running"
        status["conditions"] = [
            {"type": "Ready", "status": "True", "lastTransitionTime": c.loop.timestamp()}
        ]
        c.client.update_status("pods", pod)
        count += 1
    return count


def roll(c):
    c.settle()
    while make_ready(c):
        c.settle()


@pytest.fixture
def c():
    from minik8s import Cluster

    return Cluster(seed=0)


def test_status_lines(c):
    c.apply(web())
    assert (
        c.kubectl("rollout status deployment/web")
        == "Waiting for deployment spec update to be observed...\n"
    )
    c.settle()
    assert c.kubectl("rollout status deploy web") == (
        WAIT + "0 of 3 updated replicas are available...\n"
    )
    roll(c)
    assert (
        c.kubectl("rollout status deployment/web") == 'deployment "web" successfully rolled out\n'
    )
    c.apply(web(image="nginx:1.28"))
    c.settle()
    assert c.kubectl("rollout status deployment/web") == (
        WAIT + "1 out of 3 new replicas have been updated...\n"
    )
    assert rollout_status(c.client, "web") == (
        WAIT + "1 out of 3 new replicas have been updated...\n",
        False,
    )


def test_status_old_replicas_pending_termination(c):
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 2, "maxUnavailable": 0}}
    c.apply(web(2, strategy=strategy))
    roll(c)
    c.apply(web(2, image="nginx:1.28", strategy=strategy))
    c.settle()
    assert c.kubectl("rollout status deployment/web") == (
        WAIT + "2 old replicas are pending termination...\n"
    )


def test_status_progress_deadline_exceeded(c):
    c.apply(web(progressDeadlineSeconds=5))
    c.run(20)
    assert (
        c.kubectl("rollout status deployment/web")
        == 'error: deployment "web" exceeded its progress deadline\n'
    )


def test_status_watch_runs_the_loop_until_done(c):
    """`--watch` advances virtual time; a stand-in kubelet readies the n-th pod 2+n s after it
    appears (one at a time: readiness at one instant would be one status update)."""
    added: list[str] = []

    def on_pod(kind, pod):
        if kind == "ADDED":
            added.append(pod["metadata"]["name"])
            c.loop.call_later(1 + len(added), ready, pod["metadata"]["name"])

    def ready(name):
        pod = c.get("pods", name)
        pod["status"]["phase"] = "Running"
        pod["status"]["conditions"] = [
            {"type": "Ready", "status": "True", "lastTransitionTime": c.loop.timestamp()}
        ]
        c.client.update_status("pods", pod)

    c.client.watch("pods", on_pod, "default")
    c.apply(web())
    assert c.kubectl("rollout status deployment/web -w") == (
        "Waiting for deployment spec update to be observed...\n"
        + WAIT
        + "0 out of 3 new replicas have been updated...\n"
        + WAIT
        + "0 of 3 updated replicas are available...\n"
        + WAIT
        + "1 of 3 updated replicas are available...\n"
        + WAIT
        + "2 of 3 updated replicas are available...\n"
        + 'deployment "web" successfully rolled out\n'
    )
    assert 4 <= c.loop.now < 5  # the third pod is ready at t=4
    c.apply(web(image="nginx:1.28"))
    out = c.kubectl("rollout status deployment/web --watch")
    assert out.splitlines()[-1] == 'deployment "web" successfully rolled out'
    assert WAIT + "1 old replicas are pending termination..." in out


def test_status_watch_times_out(c):
    c.apply(web())
    start = c.loop.now
    out = c.kubectl("rollout status deployment/web --watch --timeout=30s")
    assert out.endswith("error: timed out waiting for the condition\n")
    assert c.loop.now == pytest.approx(start + 30)


def test_history_undo_and_change_cause(c):
    c.apply(web(annotations={"kubernetes.io/change-cause": "first"}))
    roll(c)
    c.apply(web(image="nginx:1.28", annotations={"kubernetes.io/change-cause": "bump to 1.28"}))
    roll(c)
    assert c.kubectl("rollout history deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         bump to 1.28\n\n"
    )
    shown = c.kubectl("rollout history deployment/web --revision=1")
    assert shown.startswith("deployment.apps/web with revision #1\nPod Template:\n")
    assert "nginx:1.27" in shown
    assert c.kubectl("rollout history deployment/web --revision=7") == (
        "error: unable to find the specified revision\n"
    )
    assert c.kubectl("rollout undo deployment/web") == "deployment.apps/web rolled back\n"
    roll(c)
    d = c.get("deploy", "web")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert "pod-template-hash" not in d["spec"]["template"]["metadata"]["labels"]
    assert d["metadata"]["annotations"]["kubernetes.io/change-cause"] == "first"
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "3"
    old = next(r for r in c.get("rs") if du.revision(r) == 3)
    assert old["metadata"]["annotations"][du.REVISION_HISTORY_ANNOTATION] == "1"
    assert c.kubectl("rollout history deployment/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         bump to 1.28\n3         first\n\n"
    )
    assert c.kubectl("rollout undo deployment/web --to-revision=3") == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n"
    )
    assert c.kubectl("rollout undo deployment/web --to-revision=-1") == (
        "error: unable to find specified revision -1 in history\n"
    )
    assert c.kubectl("rollout undo deployment/web --to-revision=9") == (
        "error: unable to find specified revision 9 in history\n"
    )
    assert (
        c.kubectl("rollout undo deployment/web --to-revision=2")
        == "deployment.apps/web rolled back\n"
    )


def test_undo_without_history(c):
    c.apply(web())
    c.settle()
    assert (
        c.kubectl("rollout undo deployment/web")
        == 'error: no rollout history found for deployment "web"\n'
    )


def test_undo_of_a_paused_deployment_looks_for_the_revision_first(c):
    c.apply(web(paused=True))
    c.settle()
    assert c.kubectl("rollout undo deployment/web") == (
        'error: no rollout history found for deployment "web"\n'
    )


def test_pause_resume_restart(c):
    c.apply(web())
    roll(c)
    c.apply(web(image="nginx:1.28"))
    roll(c)
    assert c.kubectl("rollout pause deployment/web") == "deployment.apps/web paused\n"
    assert c.kubectl("rollout pause deployment/web") == (
        'error: deployments.apps "web" is already paused\n'
    )
    assert c.kubectl("rollout undo deployment/web") == (
        "error: you cannot rollback a paused deployment; resume it first with "
        "'kubectl rollout resume deployment/web' and try again\n"
    )
    assert c.kubectl("rollout restart deployment/web") == (
        'error: deployments.apps "web" can\'t restart paused deployment '
        "(run rollout resume first)\n"
    )
    assert c.kubectl("rollout resume deployment/web") == "deployment.apps/web resumed\n"
    assert c.kubectl("rollout resume deployment/web") == (
        'error: deployments.apps "web" is not paused\n'
    )
    roll(c)
    c.run(42)
    assert c.kubectl("rollout restart deployment/web") == "deployment.apps/web restarted\n"
    template = c.get("deploy", "web")["spec"]["template"]
    restarted_at = template["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    assert restarted_at == c.loop.timestamp()  # virtual time, RFC 3339
    roll(c)
    assert len(c.get("rs")) == 3
    assert (
        c.kubectl("rollout status deployment/web") == 'deployment "web" successfully rolled out\n'
    )


def test_rollout_errors(c):
    assert c.kubectl("rollout status deployment/nope") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )
    assert c.kubectl("rollout status") == "error: required resource not specified\n"
    assert c.kubectl("rollout status configmap/nope") == (  # the object is fetched first
        'Error from server (NotFound): configmaps "nope" not found\n'
    )
    assert c.kubectl("rollout frobnicate deployment/web") == (
        'error: unknown command "frobnicate" for "kubectl rollout"\n'
    )
    c.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})
    assert c.kubectl("rollout status configmap/x") == (
        "error: no status viewer has been implemented for ConfigMap\n"
    )
    c.apply(web())
    c.settle()
    rs = c.get("rs")[0]["metadata"]["name"]
    assert c.kubectl(f"rollout status rs/{rs}") == (
        "error: no status viewer has been implemented for ReplicaSet.apps\n"
    )
    assert c.kubectl(f"rollout history rs/{rs}") == (
        'error: no history viewer has been implemented for "ReplicaSet.apps"\n'
    )
    assert c.kubectl(f"rollout undo rs/{rs}") == (
        'error: no rollbacker has been implemented for "ReplicaSet.apps"\n'
    )
    assert c.kubectl("rollout history configmap/x") == (
        'error: error retrieving history for "ConfigMap", no visitor method exists for ConfigMap\n'
    )
    assert c.kubectl(f"rollout pause rs/{rs}") == (
        f'error: replicasets.apps "{rs}" pausing is not supported\n'
    )


def test_scale_deployment(c):
    c.apply(web())
    roll(c)
    assert c.kubectl("scale deployment/web --replicas=5") == "deployment.apps/web scaled\n"
    roll(c)
    assert len(c.get("pods")) == 5
    name = c.get("rs")[0]["metadata"]["name"]
    messages = [e["message"] for e in c.get("events") if e["reason"] == "ScalingReplicaSet"]
    assert messages[-1] == f"Scaled up replica set {name} from 3 to 5"
    assert c.kubectl("scale deploy web --replicas=1") == "deployment.apps/web scaled\n"
    roll(c)
    assert len(c.get("pods")) == 1
    assert c.get("deploy", "web")["status"]["availableReplicas"] == 1


def test_undo_skip_message_names_the_flag_value(c):
    c.apply(web())
    roll(c)
    c.apply(web(image="nginx:1.28"))
    roll(c)
    c.apply(web())  # back to revision 1's template; the controller has not synced it yet
    assert c.kubectl("rollout undo deployment/web") == (
        "deployment.apps/web skipped rollback (current template already matches revision 0)\n"
    )
