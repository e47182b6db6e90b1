"""kubectl patch, set image, cordon/uncordon, drain, taint and DaemonSet/StatefulSet rollouts,
each through a real Cluster, checking the printed lines (as upstream) and the stored objects."""

from __future__ import annotations

import pytest

from minik8s import Cluster
from minik8s.api import errors

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: init, image: busybox:1}]
      containers:
      - {name: nginx, image: nginx:1.25}
      - {name: sidecar, image: envoy:1}
"""
AGENT = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: agent:1}]
"""
DB = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db:1}]
"""


def pod(name: str, node: str, volumes: str = "[]") -> str:
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeName: {node}
  containers: [{{name: c, image: busybox}}]
  volumes: {volumes}
"""


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster(nodes=2, seed=0)
    cluster.apply(WEB)
    cluster.settle()
    return cluster


def containers(c: Cluster, kind: str = "deployments", name: str = "web") -> dict[str, str]:
    spec = c.get(kind, name)["spec"]["template"]["spec"]
    both = (spec.get("initContainers") or []) + spec["containers"]
    return {x["name"]: x["image"] for x in both}


# --- patch -------------------------------------------------------------------------------------


def test_patch_strategic_default_and_no_change(c: Cluster) -> None:
    cmd = """patch deployment web -p '{"spec":{"replicas":3}}'"""
    assert c.kubectl(cmd) == "deployment.apps/web patched\n"
    assert c.get("deployments", "web")["spec"]["replicas"] == 3
    assert c.kubectl(cmd) == "deployment.apps/web patched (no change)\n"


def test_patch_merge_and_json_types(c: Cluster) -> None:
    merge = """patch deploy/web --type=merge -p '{"metadata":{"labels":{"tier":"front"}}}'"""
    assert c.kubectl(merge) == "deployment.apps/web patched\n"
    assert c.get("deployments", "web")["metadata"]["labels"]["tier"] == "front"
    op = '[{"op":"replace","path":"/spec/replicas","value":1}]'
    assert c.kubectl(f"patch deploy web --type json -p '{op}'") == "deployment.apps/web patched\n"
    assert c.get("deployments", "web")["spec"]["replicas"] == 1
    assert c.kubectl('patch node node-1 --patch \'{"spec":{"unschedulable":true}}\'') == (
        "node/node-1 patched\n"
    )
    assert c.get("nodes", "node-1")["spec"]["unschedulable"] is True


def test_patch_errors(c: Cluster) -> None:
    assert c.kubectl("patch deploy web --type=foo -p '{}'") == (
        'error: --type must be one of [json merge strategic], not "foo"\n'
    )
    missing = "error: must specify --patch or --patch-file containing the contents of the patch\n"
    assert c.kubectl("patch deploy web") == missing
    assert c.kubectl("patch deploy web '{}'") == missing  # the patch must come with -p
    assert c.kubectl("patch deploy web -p '{bad'").startswith('error: unable to parse "{bad"')
    assert c.kubectl("patch deploy web -p 42").startswith('error: unable to parse "42"')
    assert c.kubectl("patch deploy nope -p '{}'") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )


# --- set image ---------------------------------------------------------------------------------


def test_set_image_both_forms_and_init_containers(c: Cluster) -> None:
    out = c.kubectl("set image deployment/web nginx=nginx:1.26")
    assert out == "deployment.apps/web image updated\n"
    assert containers(c)["nginx"] == "nginx:1.26"
    assert c.kubectl("set image deployment web init=busybox:2") == (
        "deployment.apps/web image updated\n"
    )
    assert containers(c) == {"init": "busybox:2", "nginx": "nginx:1.26", "sidecar": "envoy:1"}
    # no change: nothing printed, as upstream (the empty patch is skipped)
    assert c.kubectl("set image deployment web nginx=nginx:1.26") == ""


def test_set_image_wildcard_and_missing_container(c: Cluster) -> None:
    assert c.kubectl("set image deploy/web '*=img:9'") == "deployment.apps/web image updated\n"
    assert set(containers(c).values()) == {"img:9"}
    out = c.kubectl("set image deploy/web nginx=nginx:2 nope=x:1")
    assert (
        out == 'deployment.apps/web image updated\nerror: unable to find container named "nope"\n'
    )
    assert containers(c)["nginx"] == "nginx:2"
    assert c.kubectl("set image deploy/web").startswith(
        "error: at least one image update is required"
    )
    assert c.kubectl("set image deploy/web '*=a' x=b").startswith(
        "error: all containers are already specified by *"
    )


def test_set_image_other_kinds(c: Cluster) -> None:
    c.apply(AGENT)
    c.apply(DB)
    c.apply(pod("solo", "node-1"))
    c.apply(
        """
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: t, image: tick:1}]
"""
    )
    assert c.kubectl("set image ds/agent a=agent:2") == "daemonset.apps/agent image updated\n"
    assert c.kubectl("set image sts db db=db:2") == "statefulset.apps/db image updated\n"
    assert c.kubectl("set image pod/solo c=busybox:2") == "pod/solo image updated\n"
    assert c.kubectl("set image cronjob/tick t=tick:2") == "cronjob.batch/tick image updated\n"
    assert containers(c, "daemonsets", "agent") == {"a": "agent:2"}
    assert containers(c, "statefulsets", "db") == {"db": "db:2"}
    assert c.get("pods", "solo")["spec"]["containers"][0]["image"] == "busybox:2"
    tmpl = c.get("cronjobs", "tick")["spec"]["jobTemplate"]["spec"]["template"]
    assert tmpl["spec"]["containers"][0]["image"] == "tick:2"


# --- cordon / uncordon -------------------------------------------------------------------------


def test_cordon_uncordon(c: Cluster) -> None:
    assert c.kubectl("cordon node-1") == "node/node-1 cordoned\n"
    assert c.get("nodes", "node-1")["spec"]["unschedulable"] is True
    assert c.kubectl("cordon node/node-1") == "node/node-1 already cordoned\n"
    assert c.kubectl("uncordon node-1") == "node/node-1 uncordoned\n"
    assert not c.get("nodes", "node-1")["spec"].get("unschedulable")
    assert c.kubectl("uncordon node-1") == "node/node-1 already uncordoned\n"
    assert c.kubectl("cordon nope") == 'Error from server (NotFound): nodes "nope" not found\n'


# --- drain -------------------------------------------------------------------------------------


def pods_on(c: Cluster, node: str) -> list[str]:
    items = c.get("pods")["items"] if isinstance(c.get("pods"), dict) else c.get("pods")
    return sorted(
        p["metadata"]["name"]
        for p in items
        if p["spec"].get("nodeName") == node and not p["metadata"].get("deletionTimestamp")
    )


def test_drain_evicts_managed_pods(c: Cluster) -> None:
    victims = pods_on(c, "node-1")
    assert victims
    out = c.kubectl("drain node-1")
    assert out == (
        "node/node-1 cordoned\n"
        + "".join(f"evicting pod default/{p}\n" for p in victims)
        + "".join(f"pod/{p} evicted\n" for p in victims)
        + "node/node-1 drained\n"
    )
    assert c.get("nodes", "node-1")["spec"]["unschedulable"] is True
    c.settle()
    assert pods_on(c, "node-1") == []
    assert len(pods_on(c, "node-2")) == 2  # the Deployment replaced them on node-2


def test_drain_refuses_daemonset_unmanaged_and_emptydir_pods(c: Cluster) -> None:
    c.apply(AGENT)
    c.apply(pod("solo", "node-1"))
    c.apply(pod("scratch", "node-1", "[{name: s, emptyDir: {}}]"))
    c.settle()
    agent = [p for p in pods_on(c, "node-1") if p.startswith("agent-")][0]
    out = c.kubectl("drain node-1")
    errs = [
        "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
        f"default/{agent}",
        "cannot delete Pods with local storage (use --delete-emptydir-data to override): "
        "default/scratch",
        "cannot delete cannot delete Pods that declare no controller (use --force to override): "
        "default/solo",
    ]
    assert out.startswith("node/node-1 cordoned\n")
    lines = out.splitlines()
    assert lines[1].startswith('error: unable to drain node "node-1" due to error: [')
    assert lines[1].endswith("], continuing command...")
    assert lines[2:4] == ["There are pending nodes to be drained:", " node-1"]
    assert sorted(lines[4:]) == sorted(errs)
    assert "solo" in pods_on(c, "node-1")  # nothing was deleted
    out = c.kubectl("drain node-1 --ignore-daemonsets --force --delete-emptydir-data")
    assert out.splitlines()[:2] == [
        "node/node-1 already cordoned",
        f"Warning: ignoring DaemonSet-managed Pods: default/{agent}; "
        # scratch passes the local-storage filter with a warning, then the unmanaged filter
        # overwrites it (upstream keeps the last filter's status)
        "deleting Pods that declare no controller: default/scratch, default/solo",
    ]
    assert "pod/solo evicted" in out and "pod/scratch evicted" in out
    assert f"pod/{agent} evicted" not in out
    assert out.endswith("node/node-1 drained\n")
    c.settle()
    assert pods_on(c, "node-1") == [agent]


def test_drain_skips_mirror_pods_and_honours_grace_period(c: Cluster) -> None:
    c.apply(
        pod("static", "node-1").replace(
            "{name: static}", "{name: static, annotations: {kubernetes.io/config.mirror: abc}}"
        )
    )
    c.apply(pod("solo", "node-1"))
    out = c.kubectl("drain node-1 --force --grace-period=0")
    assert "static" not in out
    assert "pod/solo evicted" in out
    with pytest.raises(errors.NotFound):
        c.get("pods", "solo")  # grace period 0: gone at once
    assert c.get("pods", "static")["metadata"]["name"] == "static"


# --- taint -------------------------------------------------------------------------------------


def taints(c: Cluster, node: str = "node-1") -> list[dict[str, str]]:
    return c.get("nodes", node)["spec"].get("taints") or []


def test_taint_add_overwrite_remove(c: Cluster) -> None:
    assert c.kubectl("taint nodes node-1 dedicated=gpu:NoSchedule") == "node/node-1 tainted\n"
    assert taints(c) == [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]
    assert c.kubectl("taint nodes node-1 dedicated=cpu:NoSchedule") == (
        "error: node node-1 already has dedicated taint(s) with same effect(s) and "
        "--overwrite is false\n"
    )
    assert c.kubectl("taint node/node-1 dedicated=cpu:NoSchedule --overwrite") == (
        "node/node-1 modified\n"
    )
    assert taints(c) == [{"key": "dedicated", "value": "cpu", "effect": "NoSchedule"}]
    assert c.kubectl("taint nodes node-1 example.com/x:NoExecute") == "node/node-1 tainted\n"
    assert c.kubectl("taint nodes node-1 dedicated:NoSchedule-") == "node/node-1 untainted\n"
    assert taints(c) == [{"key": "example.com/x", "effect": "NoExecute"}]
    assert c.kubectl("taint nodes node-1 example.com/x-") == "node/node-1 untainted\n"
    assert taints(c) == []


def test_taint_errors(c: Cluster) -> None:
    assert c.kubectl("taint nodes node-1 k=v:Bad") == (
        "error: invalid taint effect: Bad, unsupported taint effect\n"
    )
    assert c.kubectl("taint nodes node-1 k-") == 'error: taint "k" not found\n'
    assert (
        c.kubectl("taint nodes node-1 k:NoSchedule-") == 'error: taint "k:NoSchedule" not found\n'
    )
    assert c.kubectl("taint nodes node-1 k=v").startswith(
        "error: invalid taint spec: k=v, name part must consist of alphanumeric characters"
    )
    assert c.kubectl("taint nodes node-1 k:NoSchedule k:NoSchedule") == (
        "error: duplicated taints with the same key and effect: k:NoSchedule\n"
    )
    assert c.kubectl("taint nodes node-1 a=b=c:NoSchedule") == (
        "error: invalid taint spec: a=b=c:NoSchedule\n"
    )
    assert c.kubectl("taint nodes node-1") == "error: at least one taint update is required\n"
    assert c.kubectl("taint nodes node-1 k:NoSchedule node-2") == (
        "error: all resources must be specified before taint changes: node-2\n"
    )
    assert c.kubectl("taint pods web k:NoSchedule").startswith("error: invalid resource type")
    assert taints(c) == []


# --- rollout status / history for DaemonSets and StatefulSets ---------------------------------


def test_rollout_daemonset(c: Cluster) -> None:
    c.apply(AGENT)
    c.settle()
    assert c.kubectl("rollout status ds/agent") == 'daemon set "agent" successfully rolled out\n'
    c.kubectl("set image ds/agent a=agent:2")
    assert c.kubectl("rollout status daemonset/agent") == (
        "Waiting for daemon set spec update to be observed...\n"
    )
    out = c.kubectl("rollout status ds/agent -w")
    assert 'Waiting for daemon set "agent" rollout to finish: 0 out of 2 new pods have been ' in out
    assert out.endswith('daemon set "agent" successfully rolled out\n')
    assert c.kubectl("rollout history ds/agent") == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    )
    assert "Image:\tagent:1" in c.kubectl("rollout history ds/agent --revision=1")
    assert c.kubectl("rollout history ds/agent --revision=9") == (
        "error: unable to find the specified revision\n"
    )


def test_rollout_statefulset(c: Cluster) -> None:
    c.apply(DB)
    c.settle()
    assert c.kubectl("rollout status sts/db") == (
        "partitioned roll out complete: 3 new pods have been updated...\n"
    )
    c.kubectl('patch sts db -p \'{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}\'')
    c.kubectl("set image sts/db db=db:2")
    c.settle()
    assert c.kubectl("rollout status sts/db") == (
        "partitioned roll out complete: 1 new pods have been updated...\n"
    )
    assert "Image:\tdb:2" in c.kubectl("rollout history statefulset/db --revision=2")
    assert c.kubectl("rollout history sts/db").endswith("1         <none>\n2         <none>\n\n")


def test_rollout_status_on_delete_strategy(c: Cluster) -> None:
    c.apply(
        AGENT.replace("spec:\n  selector", "spec:\n  updateStrategy: {type: OnDelete}\n  selector")
    )
    c.settle()
    assert c.kubectl("rollout status ds/agent") == (
        "error: rollout status is only available for RollingUpdate strategy type\n"
    )


def _owned(kind: str, phase: str, volumes: list | None = None) -> dict:
    ref = {"apiVersion": "apps/v1", "kind": kind, "name": "x", "uid": "u", "controller": True}
    return {
        "metadata": {"name": "p", "namespace": "default", "ownerReferences": [ref]},
        "spec": {"volumes": volumes or []},
        "status": {"phase": phase},
    }


def test_drain_filters_as_upstream_makefilters() -> None:
    """kubectl drain's filters: a finished DaemonSet pod is deleted like any other; a
    replicated pod with local storage is deleted with no warning (the local-storage filter's
    warning is overwritten by the unreplicated filter's status, upstream's TODO)."""
    from minik8s.kubectl.cli import parse
    from minik8s.kubectl.commands_edit import drain_status

    plain = parse(["drain", "node-1"])
    assert drain_status(_owned("DaemonSet", "Succeeded"), plain) == ("delete", "")
    assert drain_status(_owned("DaemonSet", "Running"), plain)[0] == "error"
    emptydir = parse(["drain", "node-1", "--delete-emptydir-data"])
    scratch = _owned("ReplicaSet", "Running", [{"name": "s", "emptyDir": {}}])
    assert drain_status(scratch, emptydir) == ("delete", "")
    assert drain_status(scratch, plain)[0] == "error"
