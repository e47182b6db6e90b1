"""The kubelet's watch-based ConfigMap/Secret managers (upstream `watch_based_manager.go`,
`cache_based_manager.go`, podutil's `VisitPodSecretNames` / `VisitPodConfigmapNames`)."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minik8s
import minik8s.kubelet.volume_refresh as volume_refresh
from minik8s.api.errors import NotFound
from minik8s.api.podutil import pod_configmap_names, pod_secret_names
from minik8s.kubelet.container_config import ContainerConfigError, make_environment
from minik8s.kubelet.object_manager import (
    MAX_IDLE_TIME,
    CacheBasedManager,
    NotRegistered,
    ObjectCache,
    ObjectManagers,
)
from minik8s.kubelet.pull_secrets import pull_auth
from minik8s.kubelet.volume_refresh import SYNC_FREQUENCY


def configmap(name, data, **extra):
    meta = {"name": name, "namespace": "default"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data, **extra}


def pod(name, uid, *configmaps):
    volumes = [{"name": f"v{i}", "configMap": {"name": cm}} for i, cm in enumerate(configmaps)]
    meta = {"name": name, "namespace": "default", "uid": uid}
    return {"metadata": meta, "spec": {"containers": [{"name": "c"}], "volumes": volumes}}


@pytest.fixture
def cluster():
    return minik8s.Cluster(nodes=1, seed=0)


@pytest.fixture
def manager(cluster):
    cache = ObjectCache(cluster.client_for("kubelet/test"), "configmaps", "configmap")
    return CacheBasedManager(cache, pod_configmap_names)


def watchers(cluster):
    return cluster.apiserver.cachers["configmaps"].watcher_count()


# -- podutil visitors: upstream's TestPodSecrets / TestPodConfigmaps (names are field paths) -----
def _env_container(ref, key_ref, prefix):
    return {
        "name": "c",
        "envFrom": [{ref: {"name": f"Spec.{prefix}[*].EnvFrom[*].{ref[0].upper()}{ref[1:]}"}}],
        "env": [
            {
                "name": "E",
                "valueFrom": {
                    key_ref: {"name": f"Spec.{prefix}[*].Env[*].ValueFrom.{key_ref}", "key": "k"}
                },
            }
        ],
    }


def _pod_with(ref, key_ref, volumes, **spec):
    kinds = {"Containers": "containers", "InitContainers": "initContainers"}
    kinds["EphemeralContainers"] = "ephemeralContainers"
    containers = {v: [_env_container(ref, key_ref, k)] for k, v in kinds.items()}
    return {"metadata": {}, "spec": {**containers, "volumes": volumes, **spec}}


def test_pod_secret_names_visits_every_secret_field():
    v = "Spec.Volumes[*].VolumeSource."
    ref_volumes = [("cephfs", "CephFS"), ("cinder", "Cinder"), ("flexVolume", "FlexVolume")]
    ref_volumes += [("rbd", "RBD"), ("scaleIO", "ScaleIO"), ("iscsi", "ISCSI")]
    ref_volumes += [("storageos", "StorageOS")]
    volumes = [{"azureFile": {"secretName": v + "AzureFile.SecretName"}}]
    volumes += [{kind: {"secretRef": {"name": f"{v}{go}.SecretRef"}}} for kind, go in ref_volumes]
    volumes += [
        {"projected": {"sources": [{"secret": {"name": v + "Projected.Sources[*].Secret"}}]}},
        {"secret": {"secretName": v + "Secret"}},
        {"csi": {"nodePublishSecretRef": {"name": v + "CSI.NodePublishSecretRef"}}},
        {"configMap": {"name": "not a secret"}},
    ]
    pod = _pod_with(
        "secretRef",
        "secretKeyRef",
        volumes,
        imagePullSecrets=[{"name": "Spec.ImagePullSecrets"}],
    )
    expected = {
        "Spec.Containers[*].EnvFrom[*].SecretRef",
        "Spec.Containers[*].Env[*].ValueFrom.secretKeyRef",
        "Spec.EphemeralContainers[*].EnvFrom[*].SecretRef",
        "Spec.EphemeralContainers[*].Env[*].ValueFrom.secretKeyRef",
        "Spec.ImagePullSecrets",
        "Spec.InitContainers[*].EnvFrom[*].SecretRef",
        "Spec.InitContainers[*].Env[*].ValueFrom.secretKeyRef",
        v + "AzureFile.SecretName",
        v + "CephFS.SecretRef",
        v + "Cinder.SecretRef",
        v + "FlexVolume.SecretRef",
        v + "Projected.Sources[*].Secret",
        v + "RBD.SecretRef",
        v + "Secret",
        v + "ScaleIO.SecretRef",
        v + "ISCSI.SecretRef",
        v + "StorageOS.SecretRef",
        v + "CSI.NodePublishSecretRef",
    }
    names = pod_secret_names(pod)
    assert set(names) == expected and len(names) == len(expected)
    assert names[0] == "Spec.ImagePullSecrets"  # upstream visits them first


def test_pod_configmap_names_visits_every_configmap_field():
    v = "Spec.Volumes[*].VolumeSource."
    volumes = [
        {"projected": {"sources": [{"configMap": {"name": v + "Projected.Sources[*].ConfigMap"}}]}},
        {"configMap": {"name": v + "ConfigMap"}},
        {"secret": {"secretName": "not a configmap"}},
    ]
    pod = _pod_with("configMapRef", "configMapKeyRef", volumes)
    assert pod_configmap_names(pod) == [
        "Spec.InitContainers[*].EnvFrom[*].ConfigMapRef",
        "Spec.InitContainers[*].Env[*].ValueFrom.configMapKeyRef",
        "Spec.Containers[*].EnvFrom[*].ConfigMapRef",
        "Spec.Containers[*].Env[*].ValueFrom.configMapKeyRef",
        "Spec.EphemeralContainers[*].EnvFrom[*].ConfigMapRef",
        "Spec.EphemeralContainers[*].Env[*].ValueFrom.configMapKeyRef",
        v + "Projected.Sources[*].ConfigMap",
        v + "ConfigMap",
    ]


def test_repeated_names_are_visited_once():
    assert pod_configmap_names(pod("p", "u", "a", "b", "a")) == ["a", "b"]


# -- the object cache ------------------------------------------------------------------------------
def test_one_watch_per_object_however_many_pods_reference_it(cluster, manager):
    cluster.apply(configmap("settings", {"color": "blue"}))
    before = watchers(cluster)
    first, second = pod("a", "uid-a", "settings"), pod("b", "uid-b", "settings")
    manager.register_pod(first)
    manager.register_pod(second)
    assert watchers(cluster) == before + 1
    assert manager.get_object("default", "settings")["data"] == {"color": "blue"}
    manager.unregister_pod(first)
    assert watchers(cluster) == before + 1  # the other pod still references it
    assert manager.get_object("default", "settings")["data"] == {"color": "blue"}
    manager.unregister_pod(second)
    assert watchers(cluster) == before
    assert manager.cache.items == {}
    with pytest.raises(NotRegistered, match=r'^object "default"/"settings" not registered$'):
        manager.get_object("default", "settings")


def test_updates_and_deletions_arrive_by_watch_without_gets(cluster, manager, monkeypatch):
    cluster.apply(configmap("settings", {"color": "blue"}))
    manager.register_pod(pod("a", "uid-a", "settings"))
    gets = count_gets(cluster, monkeypatch)
    cluster.apply(configmap("settings", {"color": "green"}))
    cluster.run(1)
    assert manager.get_object("default", "settings")["data"] == {"color": "green"}
    cluster.delete("configmaps", "settings", namespace="default")
    cluster.run(1)
    with pytest.raises(NotFound, match=r'^configmap "settings" not found$'):
        manager.get_object("default", "settings")
    assert gets == []


def test_not_found_then_created(cluster, manager):
    manager.register_pod(pod("a", "uid-a", "later"))
    with pytest.raises(NotFound) as err:
        manager.get_object("default", "later")
    assert err.value.code == 404 and str(err.value) == 'configmap "later" not found'
    cluster.apply(configmap("later", {"k": "v"}))
    cluster.run(1)
    assert manager.get_object("default", "later")["data"] == {"k": "v"}


def test_immutable_object_stops_its_watch_and_is_still_served(cluster, manager):
    cluster.apply(configmap("frozen", {"k": "v"}, immutable=True))
    manager.register_pod(pod("a", "uid-a", "frozen"))
    before = watchers(cluster)
    assert manager.get_object("default", "frozen")["data"] == {"k": "v"}
    assert watchers(cluster) == before - 1
    item = manager.cache.items[("default", "frozen")]
    assert item.stopped and item.immutable
    cluster.run(MAX_IDLE_TIME * 2)
    assert manager.get_object("default", "frozen")["data"] == {"k": "v"}
    assert item.reflector.list_count == 1  # never restarted


def test_pod_update_moves_its_references(cluster, manager):
    for name in ("a", "b", "c"):
        cluster.apply(configmap(name, {}))
    before = watchers(cluster)
    manager.register_pod(pod("p", "uid-p", "a", "b"))
    second = pod("p", "uid-p", "b", "c")
    manager.register_pod(second)
    assert list(manager.cache.items) == [("default", "b"), ("default", "c")]
    assert manager.cache.items[("default", "b")].ref_map == {"uid-p": 1}
    assert watchers(cluster) == before + 2
    with pytest.raises(NotRegistered):
        manager.get_object("default", "a")
    status_update = {**second, "status": {}}
    manager.register_pod(status_update)  # a new object sharing the spec: nothing moves
    registered = manager.registered_pods[("default", "p", "uid-p")]
    assert registered[0] is second["spec"] and registered[1] == ["b", "c"]
    assert manager.cache.items[("default", "b")].ref_map == {"uid-p": 1}
    manager.unregister_pod(status_update)
    assert manager.cache.items == {} and watchers(cluster) == before


def test_idle_watch_is_recycled_and_restarted_by_the_next_get(cluster, manager):
    cluster.apply(configmap("env-only", {"k": "v"}))
    manager.register_pod(pod("a", "uid-a", "env-only"))
    manager.get_object("default", "env-only")
    before = watchers(cluster)
    item = manager.cache.items[("default", "env-only")]
    cluster.run(MAX_IDLE_TIME - 60)
    assert not item.stopped  # read recently enough
    cluster.run(120)
    assert item.stopped and watchers(cluster) == before - 1
    cluster.apply(configmap("env-only", {"k": "new"}))
    assert manager.get_object("default", "env-only")["data"] == {"k": "new"}  # re-listed
    assert item.reflector.list_count == 2 and watchers(cluster) == before


def test_reprs_are_deterministic(cluster, manager):
    cluster.apply(configmap("settings", {}))
    manager.register_pod(pod("a", "uid-a", "settings"))
    manager.get_object("default", "settings")
    assert repr(manager) == "<CacheBasedManager configmaps pods=1>"
    assert repr(manager.cache) == "<ObjectCache configmaps items=1 watching=1>"
    item = manager.cache.items[("default", "settings")]
    assert repr(item) == "<ObjectCacheItem metadata.name=settings refs=1 watching>"
    assert repr(item.store) == "<CacheStore ['settings']>"
    managers = ObjectManagers(cluster.client)
    assert repr(managers) == "<ObjectManagers configmaps=0 secrets=0>"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sets(st.sampled_from("abcd"))), max_size=12))
def test_watches_are_exactly_the_referenced_objects(steps):
    """Whatever pods register (again) or leave, the items are the union of the references."""
    cluster = minik8s.Cluster(nodes=1, seed=0)
    cache = ObjectCache(cluster.client, "configmaps", "configmap")
    manager = CacheBasedManager(cache, pod_configmap_names)
    base = watchers(cluster)
    live: dict[int, set[str]] = {}
    for number, names in steps:
        p = pod(f"p{number}", f"uid-{number}", *sorted(names))
        if names:
            manager.register_pod(p)
            live[number] = names
        else:
            manager.unregister_pod(p)
            live.pop(number, None)
        referenced = set().union(*live.values()) if live else set()
        assert {name for _, name in cache.items} == referenced
        assert watchers(cluster) == base + len(referenced)
        for (_, name), item in cache.items.items():
            assert set(item.ref_map) == {f"uid-{n}" for n, ns in live.items() if name in ns}


# -- wired into the kubelet ----------------------------------------------------------------------
def count_gets(cluster, monkeypatch):
    """The resources of every GET a kubelet sends the API server from now on."""
    seen = []
    original = cluster.apiserver.get

    def get(resource, name, namespace=None, **kwargs):
        if kwargs.get("user", "").startswith("kubelet"):
            seen.append(resource)
        return original(resource, name, namespace, **kwargs)

    monkeypatch.setattr(cluster.apiserver, "get", get)
    return seen


DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""


def test_volume_resyncs_of_running_pods_send_no_configmap_gets(monkeypatch):
    cluster = minik8s.Cluster(nodes=2, seed=0)
    cluster.apply(DEPLOYMENT)
    cluster.settle()
    pods = cluster.get("pods", namespace="default")
    assert len(pods) == 6 and all(p["status"]["phase"] == "Running" for p in pods)
    assert any("projected" in v for v in pods[0]["spec"]["volumes"])  # kube-api-access
    gets = count_gets(cluster, monkeypatch)
    cluster.run(SYNC_FREQUENCY * 3)
    assert [r for r in gets if r in ("configmaps", "secrets")] == []
    for node in ("node-1", "node-2"):
        objects = cluster.kubelet(node).workers.objects
        assert list(objects.configmaps.cache.items) == [("default", "kube-root-ca.crt")]


def test_kubelet_watches_follow_its_pods(monkeypatch):
    cluster = minik8s.Cluster(nodes=1, seed=0)
    base = watchers(cluster)
    cluster.apply(DEPLOYMENT)
    cluster.settle()
    objects = cluster.kubelet("node-1").workers.objects
    item = objects.configmaps.cache.items[("default", "kube-root-ca.crt")]
    assert len(item.ref_map) == 6 and watchers(cluster) == base + 1
    cluster.delete("deployments", "web", namespace="default")
    cluster.settle()
    assert objects.configmaps.cache.items == {} and watchers(cluster) == base


def test_mounted_configmap_follows_update_within_one_resync():
    cluster = minik8s.Cluster(nodes=1, seed=0)
    cluster.apply(configmap("settings", {"color": "blue"}))
    spec = pod("app", "", "settings")["spec"]
    spec["containers"] = [
        {
            "name": "app",
            "image": "busybox:1.36",
            "command": ["sh", "-c", "sleep 36000"],
            "volumeMounts": [{"name": "v0", "mountPath": "/etc/cfg"}],
        }
    ]
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"}, "spec": spec})
    cluster.settle()
    cluster.apply(configmap("settings", {"color": "green"}))
    cluster.run(SYNC_FREQUENCY + 1)
    assert cluster.kubectl("exec app -- cat /etc/cfg/color") == "green"


def test_missing_configmap_volume_keeps_upstream_message():
    cluster = minik8s.Cluster(nodes=1, seed=0)
    spec = pod("app", "", "absent")["spec"]
    spec["containers"][0].update(image="busybox:1.36")
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"}, "spec": spec})
    cluster.run(5)
    events = cluster.get("events", namespace="default")
    messages = [e["message"] for e in events if e["reason"] == "FailedMount"]
    assert messages and messages[0] == (
        'MountVolume.SetUp failed for volume "v0" : configmap "absent" not found'
    )
    cluster.apply(configmap("absent", {"k": "v"}))
    cluster.run(30)
    assert cluster.get("pods", "app", namespace="default")["status"]["phase"] == "Running"


def test_env_and_pull_secrets_read_through_the_managers(cluster, monkeypatch):
    cluster.apply(configmap("settings", {"color": "blue"}))
    auths = '{"auths": {"registry.example.com": {"username": "dev", "password": "pw"}}}'
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson"}
    secret["metadata"] = {"name": "regcred", "namespace": "default"}
    secret["data"] = {".dockerconfigjson": base64.b64encode(auths.encode()).decode()}
    cluster.apply(secret)
    ref = {"configMapKeyRef": {"name": "settings", "key": "color"}}
    container = {"name": "c", "image": "registry.example.com/app:1", "env": []}
    container["env"] = [{"name": "COLOR", "valueFrom": ref}]
    p = pod("p", "uid-p")
    p["spec"].update(containers=[container], imagePullSecrets=[{"name": "regcred"}])
    objects = ObjectManagers(cluster.client_for("kubelet node-9"))
    with pytest.raises(ContainerConfigError, match=r'^object "default"/"settings" not registered$'):
        make_environment(cluster.client, p, container, {}, objects)
    assert pull_auth(cluster.client, p, container["image"], objects)[1] == ["regcred"]
    objects.register_pod(p)
    gets = count_gets(cluster, monkeypatch)
    assert make_environment(cluster.client, p, container, {}, objects) == {"COLOR": "blue"}
    auth, missing = pull_auth(cluster.client, p, container["image"], objects)
    assert auth is not None and auth.username == "dev" and missing == []
    assert gets == []
    objects.unregister_pod(p)
    assert repr(objects) == "<ObjectManagers configmaps=0 secrets=0>"


def _count_builds(monkeypatch):
    builds = []
    original = volume_refresh.volume_files

    def volume_files(client, pod, volume, *args):
        builds.append(volume["name"])
        return original(client, pod, volume, *args)

    monkeypatch.setattr(volume_refresh, "volume_files", volume_files)
    return builds


def test_refresh_rebuilds_only_when_a_source_or_a_label_it_reads_changed(monkeypatch):
    cluster = minik8s.Cluster(nodes=1, seed=0)
    cluster.apply(configmap("settings", {"color": "blue"}))
    spec = pod("app", "", "settings")["spec"]
    spec["containers"][0].update(image="nginx:1.27")
    labels = {"fieldRef": {"fieldPath": "metadata.labels['tier']"}, "path": "tier"}
    spec["volumes"].append({"name": "d", "downwardAPI": {"items": [labels]}})
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"}, "spec": spec})
    cluster.run(1)
    builds = _count_builds(monkeypatch)
    volumes = [
        v["name"] for v in cluster.get("pods", "app", namespace="default")["spec"]["volumes"]
    ]
    assert volumes[:2] == ["v0", "d"] and volumes[2].startswith("kube-api-access-")
    cluster.run(SYNC_FREQUENCY * 3)
    # Since the mount the pod's status was written (a new pod object), but nothing the files
    # read changed: the token volume's downward API reads only the (immutable) namespace.
    assert builds == []
    cluster.apply(configmap("settings", {"color": "green"}))
    cluster.run(SYNC_FREQUENCY)
    assert builds == ["v0"]  # only the volume whose source changed
    workers = cluster.kubelet("node-1").workers
    (state,) = workers.states.values()
    assert state.volumes["v0"] == {"color": "green"}
    cluster.kubectl("label pod app team=a")
    cluster.run(SYNC_FREQUENCY)
    assert builds == ["v0"]  # another label: the value the fieldRef reads is the same
    assert state.volumes["d"] == {"tier": ""}
    cluster.kubectl("label pod app tier=web")
    cluster.run(SYNC_FREQUENCY)
    assert builds == ["v0", "d"] and state.volumes["d"] == {"tier": "web"}
