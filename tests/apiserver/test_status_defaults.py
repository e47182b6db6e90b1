"""A `/status` write is decoded with upstream's defaults (`pkg/apis/core/v1/defaults.go`)
before the status strategy keeps the stored spec: the status parts of
`SetDefaults_PersistentVolume(Claim)`, `SetDefaults_NodeStatus`, `SetDefaults_NamespaceStatus`
and `SetDefaults_Service` (ipMode)."""

import pytest

from minik8s.api.defaults import apply_defaults, apply_status_defaults
from minik8s.api.errors import Invalid


def pv(name="pv1"):
    spec = {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteOnce"],
        "hostPath": {"path": "/data"},
    }
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": spec,
    }


def test_pv_status_write_without_phase_is_pending(env):
    created = env.client.create("persistentvolumes", pv())
    assert created["status"]["phase"] == "Pending"
    bound = env.client.update_status("persistentvolumes", {**created, "status": {"phase": "Bound"}})
    assert bound["status"]["phase"] == "Bound"
    reset = env.client.update_status("persistentvolumes", {**bound, "status": {}})
    assert reset["status"]["phase"] == "Pending"  # SetDefaults_PersistentVolume


def test_pvc_status_write_without_phase_is_pending(env):
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }
    created = env.client.create("persistentvolumeclaims", claim, "shop")
    stored = env.client.update_status("persistentvolumeclaims", {**created, "status": {}}, "shop")
    assert stored["status"] == {"phase": "Pending"}


def test_node_status_write_without_allocatable_gets_the_capacity(env):
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}
    created = env.client.create("nodes", node)
    capacity = {"cpu": "2", "memory": "4Gi", "pods": "110"}
    stored = env.client.update_status("nodes", {**created, "status": {"capacity": capacity}})
    assert stored["status"]["allocatable"] == capacity
    empty = env.client.update_status(
        "nodes", {**stored, "status": {"capacity": capacity, "allocatable": {}}}
    )
    assert empty["status"]["allocatable"] == {}  # only a missing allocatable is defaulted


def test_ip_mode_needs_a_load_balancer_type_in_the_body_written():
    """Upstream defaults the body's own spec (type empty: ClusterIP), so no ipMode."""
    body = {
        "kind": "Service",
        "spec": {},
        "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}},
    }
    apply_status_defaults(body)
    assert body["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4"}]
    body["spec"]["type"] = "LoadBalancer"
    apply_status_defaults(body)
    assert body["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4", "ipMode": "VIP"}]


def test_a_status_write_without_the_type_is_422(env):
    spec = {"type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"port": 80}]}
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec}
    created = env.client.create("services", svc, "shop")
    body = {
        "metadata": created["metadata"],
        "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}},
    }
    with pytest.raises(Invalid) as err:
        env.client.update_status(
            "services", {"kind": "Service", "apiVersion": "v1", **body}, "shop"
        )
    assert err.value.message == (
        'Service "web" is invalid: status.loadBalancer.ingress[0].ipMode: '
        "Required value: must be specified when `ip` is set"
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("Namespace", {"phase": "Active"}),
        ("PersistentVolume", {"phase": "Pending"}),
        ("PersistentVolumeClaim", {"phase": "Pending"}),
    ],
)
def test_status_defaults_are_copy_on_write(kind, expected):
    status: dict = {}
    body = {"kind": kind, "metadata": {"name": "x"}, "spec": {}, "status": status}
    apply_status_defaults(body)
    assert body["status"] == expected
    assert status == {}  # the writer's dict is not changed


@pytest.mark.parametrize("kind", ["Namespace", "PersistentVolume", "PersistentVolumeClaim", "Node"])
def test_full_defaulter_includes_the_status_part(kind):
    status = {"capacity": {"cpu": "1"}} if kind == "Node" else {}
    full = apply_defaults({"kind": kind, "metadata": {"name": "x"}, "status": dict(status)})
    part = apply_status_defaults({"kind": kind, "metadata": {"name": "x"}, "status": dict(status)})
    assert full["status"] == part["status"]
