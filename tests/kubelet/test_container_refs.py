"""Container events point at the container (upstream `pkg/kubelet/container/ref.go`
`GenerateContainerRef`), pod events at the pod; the recorder keeps two containers' events apart
(client-go `getEventKey` includes `involvedObject.fieldPath`)."""

import pytest

from minik8s.kubelet.ref import IMPLICIT_CONTAINER_PREFIX, container_field_path, field_path

BUSYBOX = "busybox:1.36"

# upstream ref_test.go `TestFieldPath`
POD = {"spec": {"containers": [{"name": "foo"}, {"name": "bar"}, {"name": ""}, {"name": "baz"}]}}


@pytest.mark.parametrize(
    ("name", "path"),
    [("foo", "spec.containers{foo}"), ("baz", "spec.containers{baz}"), ("", "spec.containers[2]")],
)
def test_field_path_upstream_table(name, path):
    assert field_path(POD, name) == path


def test_field_path_missing_container_is_an_error():
    with pytest.raises(KeyError):
        field_path(POD, "qux")


def test_field_path_of_init_and_ephemeral_containers():
    pod = {
        "spec": {
            "initContainers": [{"name": "setup"}],
            "containers": [{"name": "web"}],
            "ephemeralContainers": [{"name": "debug"}],
        }
    }
    assert field_path(pod, "setup") == "spec.initContainers{setup}"
    assert field_path(pod, "web") == "spec.containers{web}"
    assert field_path(pod, "debug") == "spec.ephemeralContainers{debug}"


def test_generate_container_ref_implicitly_required():
    """upstream `TestGenerateContainerRef` "implicitly-required"."""
    pod = {"spec": {"containers": [{"name": "by-name"}, {}]}}
    assert container_field_path(pod, {"name": "net"}) == "implicitly required container net"
    assert IMPLICIT_CONTAINER_PREFIX == "implicitly required container "
    assert container_field_path(pod, {"name": "by-name"}) == "spec.containers{by-name}"


def involved(node, name="web"):
    items = node.client.list("events", "shop")["items"]
    return [
        (e["reason"], e["involvedObject"].get("fieldPath", ""), e["count"])
        for e in items
        if e["involvedObject"]["name"] == name
    ]


def test_container_events_carry_field_path_pod_events_do_not(node):
    init = {"name": "setup", "image": BUSYBOX, "command": ["sh", "-c", "exit 0"]}
    node.pod(initContainers=[init])
    node.loop.run_for(10)
    events = involved(node)
    for reason in ("Pulling", "Pulled", "Created", "Started"):
        assert (reason, "spec.initContainers{setup}", 1) in events
        assert (reason, "spec.containers{web}", 1) in events
    ref = next(
        e["involvedObject"]
        for e in node.client.list("events", "shop")["items"]
        if e["reason"] == "Started" and e["involvedObject"]["name"] == "web"
    )
    assert list(ref) == [
        "kind",
        "namespace",
        "name",
        "uid",
        "apiVersion",
        "resourceVersion",
        "fieldPath",
    ]


def test_two_containers_with_one_image_get_two_pulled_events(node):
    """Same reason and message ("already present on machine"), different containers: not
    merged into one Event with count 2."""
    first = {"name": "a", "image": BUSYBOX, "command": ["sleep", "3600"]}
    second = {"name": "b", "image": BUSYBOX, "command": ["sleep", "3600"]}
    node.pod(name="one", containers=[{**first, "name": "warm"}])
    node.loop.run_for(10)  # the image is on the node now
    node.pod(containers=[first, second])
    node.loop.run_for(10)
    pulled = [e for e in involved(node) if e[0] == "Pulled"]
    assert pulled == [("Pulled", "spec.containers{a}", 1), ("Pulled", "spec.containers{b}", 1)]


def test_failure_events_name_the_container(node):
    bad = {"name": "bad", "image": BUSYBOX, "command": ["sh", "-c", "exit 1"]}
    probed = {
        "name": "web",
        "image": "nginx:1.27",
        "livenessProbe": {"httpGet": {"path": "/missing", "port": 80}, "periodSeconds": 5},
    }
    node.pod(containers=[probed, bad])
    node.loop.run_for(60)
    events = involved(node)
    assert any(r == "BackOff" and p == "spec.containers{bad}" for r, p, _ in events)
    assert any(r == "Unhealthy" and p == "spec.containers{web}" for r, p, _ in events)
    assert any(r == "Killing" and p == "spec.containers{web}" for r, p, _ in events)


def test_pod_events_carry_no_field_path(node):
    volume = {"name": "cfg", "configMap": {"name": "missing"}}
    node.pod(volumes=[volume], imagePullSecrets=[{"name": "nope"}])
    node.loop.run_for(5)
    events = involved(node)
    assert ("FailedMount", "", 1) in events
    node.client.create(
        "configmaps", {"metadata": {"name": "missing", "namespace": "shop"}, "data": {}}, "shop"
    )
    node.loop.run_for(10)
    pod_level = {r for r, p, _ in involved(node) if not p}
    assert {"FailedMount", "FailedToRetrieveImagePullSecret"} <= pod_level
    assert not pod_level & {"Pulling", "Pulled", "Created", "Started"}


def test_kubectl_get_events_wide_shows_the_subobject():
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "x", "namespace": "default"},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        }
    )
    c.run(seconds=20)
    rows = [line.split() for line in c.kubectl("get events -o wide").splitlines()]
    started = next(r for r in rows if "Started" in r)
    assert started[3:5] == ["pod/x", "spec.containers{web}"]
    scheduled = next(r for r in rows if "Scheduled" in r)
    assert scheduled[3:5] == ["pod/x", "default-scheduler"]  # no subobject: the pod itself
    assert "spec.containers{web}" not in c.kubectl("describe pod x")
