"""`kubectl apply` against a whole cluster: the three-way strategic merge patch keeps what
admission and other writers added to list items, and deletes what the manifest dropped."""

import copy
import json

import pytest

from minik8s import Cluster
from minik8s.kubectl import kubectl
from minik8s.kubectl.apply import apply_object


@pytest.fixture
def cluster():
    return Cluster(nodes=1, seed=0)


def pod(image="nginx:1.27"):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "nginx", "image": image}]},
    }


def deployment(containers=None, env=None):
    nginx = {"name": "nginx", "image": "nginx:1.27"}
    if env is not None:
        nginx["env"] = env
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": containers or [nginx]},
            },
        },
    }


def _containers(cluster, kind="Deployment"):
    obj = cluster.get(kind, "web")
    spec = obj["spec"] if kind == "Pod" else obj["spec"]["template"]["spec"]
    return spec["containers"]


def test_reapplying_a_pod_with_a_new_image_keeps_the_admitted_token_mount(cluster):
    (created,) = cluster.apply(pod())
    (mount,) = created["spec"]["containers"][0]["volumeMounts"]  # the ServiceAccount plugin's
    assert mount["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount"
    live, word = apply_object(cluster.client, pod("nginx:1.28"))
    assert word == "configured"
    (container,) = live["spec"]["containers"]
    assert container["image"] == "nginx:1.28"
    assert container["volumeMounts"] == [mount]
    assert [v["name"] for v in live["spec"]["volumes"]] == [
        v["name"] for v in created["spec"]["volumes"]
    ]


def test_reapplying_an_unchanged_pod_is_unchanged_despite_defaults_and_admission(cluster):
    cluster.apply(pod())
    live, word = apply_object(cluster.client, pod())
    assert word == "unchanged"
    assert live["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_kubectl_apply_prints_configured_then_unchanged(cluster):
    manifest = json.dumps(deployment())
    assert kubectl(cluster.client, "apply -f -", manifest=manifest) == (
        "deployment.apps/web created\n"
    )
    assert kubectl(cluster.client, "apply -f -", manifest=manifest) == (
        "deployment.apps/web unchanged\n"
    )
    changed = json.dumps(deployment(env=[{"name": "A", "value": "1"}]))
    assert kubectl(cluster.client, "apply -f -", manifest=changed) == (
        "deployment.apps/web configured\n"
    )


def test_an_env_var_another_writer_added_is_kept(cluster):
    cluster.apply(deployment(env=[{"name": "A", "value": "1"}]))
    # another writer (say `kubectl set env`) adds B to the container
    patch = {
        "spec": {
            "template": {
                "spec": {"containers": [{"name": "nginx", "env": [{"name": "B", "value": "2"}]}]}
            }
        }
    }
    cluster.client.patch("deployments", "web", patch, "default", patch_type="strategic")
    # patch items go first, then the server-only ones (`mergeSlice`)
    assert [e["name"] for e in _containers(cluster)[0]["env"]] == ["B", "A"]
    # the manifest changes A: B, which it never mentioned, stays where it was
    live, word = apply_object(cluster.client, deployment(env=[{"name": "A", "value": "9"}]))
    assert word == "configured"
    env = live["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [{"name": "B", "value": "2"}, {"name": "A", "value": "9"}]


def test_a_list_item_deleted_from_the_manifest_is_deleted(cluster):
    cluster.apply(deployment(env=[{"name": "A", "value": "1"}, {"name": "C", "value": "3"}]))
    live, word = apply_object(cluster.client, deployment(env=[{"name": "C", "value": "3"}]))
    assert word == "configured"
    assert live["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "C", "value": "3"}]


def test_a_container_removed_from_the_manifest_is_removed_and_order_follows(cluster):
    sidecar = {"name": "sidecar", "image": "busybox:1.36"}
    nginx = {"name": "nginx", "image": "nginx:1.27"}
    cluster.apply(deployment(containers=[copy.deepcopy(nginx), copy.deepcopy(sidecar)]))
    assert [c["name"] for c in _containers(cluster)] == ["nginx", "sidecar"]
    live, word = apply_object(cluster.client, deployment(containers=[sidecar]))
    assert word == "configured"
    assert [c["name"] for c in live["spec"]["template"]["spec"]["containers"]] == ["sidecar"]
    # adding it back in front: `$setElementOrder` puts it first
    live, _ = apply_object(cluster.client, deployment(containers=[nginx, sidecar]))
    assert [c["name"] for c in live["spec"]["template"]["spec"]["containers"]] == [
        "nginx",
        "sidecar",
    ]


def test_switching_deployment_strategy_clears_rolling_update_via_retain_keys(cluster):
    rolling = deployment()
    rolling["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 2}}
    cluster.apply(rolling)
    recreate = deployment()
    recreate["spec"]["strategy"] = {"type": "Recreate"}
    live, word = apply_object(cluster.client, recreate)
    assert word == "configured"
    assert live["spec"]["strategy"] == {"type": "Recreate"}


def test_a_field_removed_from_the_manifest_is_deleted(cluster):
    labelled = deployment()
    labelled["metadata"]["labels"] = {"app": "web", "tier": "fe"}
    cluster.apply(labelled)
    live, _ = apply_object(cluster.client, deployment())
    assert "tier" not in (live["metadata"].get("labels") or {})


def test_pod_with_its_own_volume_keeps_both_mounts_and_volumes(cluster):
    manifest = pod()
    manifest["spec"]["volumes"] = [{"name": "data", "emptyDir": {}}]
    manifest["spec"]["containers"][0]["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    (created,) = cluster.apply(manifest)
    mounts = created["spec"]["containers"][0]["volumeMounts"]
    volumes = created["spec"]["volumes"]
    assert len(mounts) == len(volumes) == 2  # the admitted token volume and its mount
    changed = copy.deepcopy(manifest)
    changed["spec"]["containers"][0]["image"] = "nginx:1.28"
    live, word = apply_object(cluster.client, changed)
    assert word == "configured"
    assert live["spec"]["containers"][0]["volumeMounts"] == mounts
    assert live["spec"]["volumes"] == volumes
    # as upstream, the lists the server grew make `$setElementOrder` part of every re-apply
    assert apply_object(cluster.client, changed)[1] == "configured"
    assert cluster.get("Pod", "web")["spec"]["volumes"] == volumes


def test_nulls_are_pruned_on_create_and_delete_on_update(cluster):
    manifest = deployment()
    manifest["spec"]["revisionHistoryLimit"] = None
    manifest["metadata"]["labels"] = {"app": "web", "tier": None}
    live, word = apply_object(cluster.client, manifest)
    assert word == "created"
    assert live["spec"]["revisionHistoryLimit"] == 10  # pruned, so defaulted
    assert live["metadata"]["labels"] == {"app": "web"}
    last = json.loads(
        live["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    )
    assert last["spec"]["revisionHistoryLimit"] is None  # the annotation keeps the null
    # as upstream, the null is sent again on each apply (delete, defaulted again)
    live, word = apply_object(cluster.client, manifest)
    assert (word, live["spec"]["revisionHistoryLimit"]) == ("configured", 10)
    assert live["metadata"]["labels"] == {"app": "web"}
