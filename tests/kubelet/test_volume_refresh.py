"""Mounted ConfigMaps/Secrets follow updates (upstream: the kubelet's 1-minute resync and
`atomic_writer.go`); env vars and `subPath` mounts do not."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minik8s
from minik8s.kubelet.volume_refresh import SYNC_FREQUENCY, needs_refresh, refreshable
from minik8s.kubelet.volumes import ProjectedFiles


def configmap(name, data, **extra):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def pod(volumes, mounts, env=None):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "app"},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "busybox:1.36",
                    "command": ["sh", "-c", "sleep 36000"],
                    "env": env or [],
                    "volumeMounts": mounts,
                }
            ],
            "volumes": volumes,
        },
    }


def cat(c, path):
    return c.kubectl(f"exec app -- cat {path}")


def printenv(c, name):
    return c.kubectl(f"exec app -- printenv {name}")


@pytest.fixture
def cluster():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(configmap("settings", {"color": "blue", "size": "L"}))
    c.apply(
        pod(
            [
                {"name": "cfg", "configMap": {"name": "settings"}},
                {"name": "one", "configMap": {"name": "settings"}},
                {"name": "later", "configMap": {"name": "later", "optional": True}},
                {
                    "name": "picked",
                    "configMap": {"name": "settings", "items": [{"key": "size", "path": "s"}]},
                },
            ],
            [
                {"name": "cfg", "mountPath": "/etc/cfg"},
                {"name": "one", "mountPath": "/etc/color", "subPath": "color"},
                {"name": "later", "mountPath": "/etc/later"},
                {"name": "picked", "mountPath": "/etc/picked"},
            ],
            env=[
                {
                    "name": "COLOR",
                    "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "color"}},
                }
            ],
        )
    )
    c.settle()
    return c


def test_settle_is_not_kept_busy(cluster):
    assert cluster.settle() < 1
    assert cat(cluster, "/etc/cfg/color") == "blue"


def test_mounted_key_follows_update_env_and_subpath_do_not(cluster):
    cluster.apply(configmap("settings", {"color": "green", "size": "XL"}))
    cluster.run(5)
    assert cat(cluster, "/etc/cfg/color") == "blue"  # not yet: the next resync writes it
    cluster.run(SYNC_FREQUENCY + 5)
    assert cat(cluster, "/etc/cfg/color") == "green"
    assert cat(cluster, "/etc/picked/s") == "XL"  # items as at mount time
    assert "color" not in cluster.kubectl("exec app -- ls /etc/picked")
    assert printenv(cluster, "COLOR").strip() == "blue"
    assert cat(cluster, "/etc/color") == "blue"  # subPath never updates


def test_removed_key_disappears(cluster):
    cluster.apply(configmap("settings", {"color": "red"}))
    cluster.run(70)
    assert "size" not in cluster.kubectl("exec app -- ls /etc/cfg")
    assert cat(cluster, "/etc/cfg/color") == "red"


def test_optional_configmap_appearing_later(cluster):
    assert "No such file" in cat(cluster, "/etc/later/greeting")
    cluster.apply(configmap("later", {"greeting": "hello"}))
    cluster.run(70)
    assert cat(cluster, "/etc/later/greeting") == "hello"


def test_deleted_source_keeps_files_and_warns(cluster):
    cluster.delete("configmap", "settings")
    cluster.run(70)
    assert cat(cluster, "/etc/cfg/color") == "blue"
    events = cluster.kubectl("get events")
    assert 'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found' in events


def test_secret_and_downward_api_follow_updates():
    c = minik8s.Cluster(nodes=1, seed=0)
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "creds"},
        "data": {"password": base64.b64encode(b"one").decode()},
    }
    c.apply(secret)
    labels = {"fieldRef": {"fieldPath": "metadata.labels"}, "path": "labels"}
    c.apply(
        pod(
            [
                {"name": "s", "secret": {"secretName": "creds"}},
                {"name": "d", "downwardAPI": {"items": [labels]}},
            ],
            [{"name": "s", "mountPath": "/s"}, {"name": "d", "mountPath": "/d"}],
        )
    )
    c.settle()
    secret["data"]["password"] = base64.b64encode(b"two").decode()
    c.apply(secret)
    c.kubectl("label pod app tier=web")
    c.run(70)
    assert cat(c, "/s/password") == "two"
    assert cat(c, "/d/labels") == 'tier="web"'


def test_only_pods_with_such_volumes_refresh():
    assert refreshable({"name": "x", "configMap": {"name": "a"}})
    assert refreshable({"name": "x", "projected": {"sources": [{"secret": {"name": "a"}}]}})
    assert not refreshable({"name": "x", "emptyDir": {}})
    assert not refreshable({"name": "x", "projected": {"sources": [{"serviceAccountToken": {}}]}})
    assert not needs_refresh({"spec": {"volumes": [{"name": "x", "emptyDir": {}}]}})


values = st.text(alphabet="abcdefgh", min_size=1, max_size=5)


@settings(max_examples=8, deadline=None)
@given(st.lists(values, min_size=1, max_size=3))
def test_refresh_never_changes_env(updates):
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(configmap("settings", {"color": "blue"}))
    c.apply(
        pod(
            [{"name": "cfg", "configMap": {"name": "settings"}}],
            [{"name": "cfg", "mountPath": "/etc/cfg"}],
            env=[
                {
                    "name": "COLOR",
                    "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "color"}},
                }
            ],
        )
    )
    c.settle()
    for value in updates:
        c.apply(configmap("settings", {"color": value}))
        c.run(70)
        assert cat(c, "/etc/cfg/color") == value
        assert printenv(c, "COLOR").strip() == "blue"


def test_mounted_files_keep_no_instance_dict():
    # one per mounted ConfigMap/Secret/projected volume (150,000 at full scale): slots only
    files = ProjectedFiles({"a": "1"})
    assert not hasattr(files, "__dict__") and files == {"a": "1"}
    assert (files.volume, files.plan, files.inputs) == ({}, None, None)
