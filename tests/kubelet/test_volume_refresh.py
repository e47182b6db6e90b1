"""Mounted ConfigMaps/Secrets follow updates (upstream: the kubelet's 1-minute resync and
`atomic_writer.go`); env vars and `subPath` mounts do not."""

import base64
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minik8s
from minik8s.kubelet import volume_refresh
from minik8s.kubelet.object_manager import MAX_IDLE_TIME
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


def _refresh_program_cluster():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(configmap("settings", {"color": "blue"}))
    labels = {"fieldRef": {"fieldPath": "metadata.labels['tier']"}, "path": "tier"}
    notes = {"fieldRef": {"fieldPath": "metadata.annotations"}, "path": "notes"}
    sources = [{"configMap": {"name": "settings"}}, {"downwardAPI": {"items": [notes]}}]
    c.apply(
        pod(
            [
                {"name": "cfg", "configMap": {"name": "settings"}},
                {"name": "d", "downwardAPI": {"items": [labels]}},
                {"name": "p", "projected": {"sources": sources}},
            ],
            [{"name": v, "mountPath": f"/{v}"} for v in ("cfg", "d", "p")],
        )
    )
    c.settle()
    return c


def _observe(c):
    """What a resync can change: the files, the FailedMount events, the watches."""
    (state,) = c.kubelet("node-1").workers.states.values()
    files = {name: dict(f) for name, f in state.volumes.items()}
    events = [
        (e["reason"], e["count"], e["lastTimestamp"])
        for e in c.get("events", namespace="default")
        if e["reason"] == "FailedMount"
    ]
    cache = c.kubelet("node-1").workers.objects.configmaps.cache
    watches = sorted((key, item.stopped) for key, item in cache.items.items())
    return c.loop.now, files, events, watches


def _run_refresh_program(steps):
    c = _refresh_program_cluster()
    seen = [_observe(c)]
    for step, arg in steps:
        if step == "run":
            c.run(arg)
        elif step == "update":
            c.apply(configmap("settings", {"color": arg}))
        elif step == "delete":
            c.kubectl("delete configmap settings --ignore-not-found")
        elif step == "label":
            c.kubectl(f"label pod app tier={arg} --overwrite")
        else:
            c.kubectl(f"annotate pod app note={arg} --overwrite")
        seen.append(_observe(c))
    return seen


refresh_steps = st.lists(
    st.one_of(
        st.tuples(st.just("run"), st.sampled_from([1, 7, 30, 59, 60, 61, 120, 400])),
        st.tuples(st.sampled_from(["update", "label", "annotate"]), values),
        st.tuples(st.just("delete"), st.none()),
    ),
    max_size=12,
)


@settings(max_examples=12, deadline=None)
@given(refresh_steps)
def test_skipped_resyncs_are_unobservable(steps):
    # A resync is armed only when the watch or the pod says something its files read changed;
    # with a resync every minute whatever happens, every file, event and watch is the same at
    # every instant.
    lazy = _run_refresh_program(steps)
    with mock.patch.object(volume_refresh, "_periodic", lambda state, failed: True):
        eager = _run_refresh_program(steps)
    assert lazy == eager


def test_quiet_pod_arms_no_resync_and_keeps_its_watch():
    c = _refresh_program_cluster()
    workers = c.kubelet("node-1").workers
    (state,) = workers.states.values()
    assert state.refresh is None and state.refresh_next > c.loop.now
    c.run(MAX_IDLE_TIME * 3)  # nobody reads the ConfigMap, yet its volume is mounted
    assert state.refresh is None
    item = workers.objects.configmaps.cache.items[("default", "settings")]
    assert item.readers == 2 and not item.stopped
    c.apply(configmap("settings", {"color": "green"}))
    c.run(1)
    assert state.refresh is not None and state.refresh.when == state.refresh_next
    c.run(SYNC_FREQUENCY)
    assert cat(c, "/cfg/color") == "green" and state.refresh is None
    c.delete("pods", "app")
    c.settle()
    assert ("default", "settings") not in workers.objects.configmaps.cache.items


def test_failed_mount_repeats_every_resync_while_the_source_is_missing(cluster):
    cluster.delete("configmap", "settings")
    cluster.run(SYNC_FREQUENCY * 4)
    events = [e for e in cluster.get("events", namespace="default") if e["reason"] == "FailedMount"]
    # three volumes read it (an event each), and each fails at every one of four resyncs
    assert sorted(e["count"] for e in events) == [4, 4, 4]
    cluster.apply(configmap("settings", {"color": "red"}))  # no "size": "picked" fails
    cluster.run(SYNC_FREQUENCY)
    (state,) = cluster.kubelet("node-1").workers.states.values()
    assert cat(cluster, "/etc/cfg/color") == "red" and state.refresh is not None
    cluster.apply(configmap("settings", {"color": "red", "size": "S"}))
    cluster.run(SYNC_FREQUENCY)
    assert cat(cluster, "/etc/picked/s") == "S" and state.refresh is None
