"""Defaulting (`pkg/apis/core/v1/defaults.go`, storage/discovery/networking v1 defaults): every
default as a fact, and the property that defaulting twice changes nothing."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.core import namespace_prepare_for_create

Obj = dict[str, Any]


def obj(kind: str, api_version: str = "v1", **fields: Any) -> Obj:
    return {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}, **fields}


def service_spec(**spec: Any) -> Obj:
    return apply_defaults(obj("Service", spec=spec))["spec"]


# --- Service -----------------------------------------------------------------------------------


def test_service_defaults() -> None:
    spec = service_spec(ports=[{"port": 80}, {"port": 53, "protocol": "UDP", "targetPort": "dns"}])
    assert spec == {
        "type": "ClusterIP",
        "sessionAffinity": "None",
        "ports": [
            {"port": 80, "protocol": "TCP", "targetPort": 80},
            {"port": 53, "protocol": "UDP", "targetPort": "dns"},
        ],
        "internalTrafficPolicy": "Cluster",
    }


def test_target_port_defaults_to_port_when_zero_or_empty() -> None:
    spec = service_spec(ports=[{"port": 8080, "targetPort": 0}, {"port": 9090, "targetPort": ""}])
    assert [p["targetPort"] for p in spec["ports"]] == [8080, 9090]


def test_external_traffic_policy_only_for_externally_accessible() -> None:
    assert service_spec(type="NodePort")["externalTrafficPolicy"] == "Cluster"
    assert service_spec(type="LoadBalancer")["externalTrafficPolicy"] == "Cluster"
    assert service_spec(externalIPs=["1.2.3.4"])["externalTrafficPolicy"] == "Cluster"
    assert "externalTrafficPolicy" not in service_spec()
    assert service_spec(type="NodePort", externalTrafficPolicy="Local")[
        "externalTrafficPolicy"
    ] == ("Local")


def test_load_balancer_allocates_node_ports_by_default() -> None:
    assert service_spec(type="LoadBalancer")["allocateLoadBalancerNodePorts"] is True
    assert "allocateLoadBalancerNodePorts" not in service_spec(type="NodePort")
    assert (
        service_spec(type="LoadBalancer", allocateLoadBalancerNodePorts=False)[
            "allocateLoadBalancerNodePorts"
        ]
        is False
    )


def test_session_affinity_defaults() -> None:
    spec = service_spec(sessionAffinity="ClientIP")
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    kept = service_spec(
        sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}}
    )
    assert kept["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 60}}
    dropped = service_spec(sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}})
    assert "sessionAffinityConfig" not in dropped


def test_external_name_gets_no_ip_fields_or_internal_policy() -> None:
    spec = service_spec(type="ExternalName", externalName="db.example.com")
    assert spec == {
        "type": "ExternalName",
        "externalName": "db.example.com",
        "sessionAffinity": "None",
    }


def test_cluster_ip_and_cluster_ips_are_synced() -> None:
    assert service_spec(clusterIP="10.96.0.10")["clusterIPs"] == ["10.96.0.10"]
    assert service_spec(clusterIPs=["10.96.0.11"])["clusterIP"] == "10.96.0.11"
    headless = service_spec(clusterIP="None", selector={"app": "db"})
    assert headless["clusterIPs"] == ["None"]
    # ipFamilyPolicy / ipFamilies are the allocator's (tests/apiserver/test_review_services.py)
    assert "ipFamilyPolicy" not in headless and "ipFamilies" not in headless


# --- the other core kinds ----------------------------------------------------------------------


def test_secret_type_defaults_to_opaque() -> None:
    assert apply_defaults(obj("Secret"))["type"] == "Opaque"
    assert apply_defaults(obj("Secret", type="kubernetes.io/tls"))["type"] == "kubernetes.io/tls"


def test_persistent_volume_defaults() -> None:
    pv = apply_defaults(obj("PersistentVolume", spec={"capacity": {"storage": "1Gi"}}))
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["volumeMode"] == "Filesystem"
    assert pv["status"] == {"phase": "Pending"}


def test_persistent_volume_claim_defaults() -> None:
    pvc = apply_defaults(obj("PersistentVolumeClaim", spec={}))
    assert pvc["spec"] == {"volumeMode": "Filesystem", "resources": {}}  # a struct: always written
    assert pvc["status"] == {"phase": "Pending"}
    block = apply_defaults(obj("PersistentVolumeClaim", spec={"volumeMode": "Block"}))
    assert block["spec"]["volumeMode"] == "Block"


def test_namespace_defaults_and_create() -> None:
    ns = apply_defaults(obj("Namespace"))
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "x"}
    assert ns["status"] == {"phase": "Active"}
    assert "spec" not in ns  # the finalizer is a create-time step, not a default
    created = namespace_prepare_for_create(obj("Namespace", spec={"finalizers": ["a.io/b"]}))
    assert created["spec"]["finalizers"] == ["a.io/b", "kubernetes"]
    assert created["status"] == {"phase": "Active"}


def test_node_allocatable_defaults_to_capacity() -> None:
    node = apply_defaults(obj("Node", status={"capacity": {"cpu": "4", "pods": "110"}}))
    assert node["status"]["allocatable"] == {"cpu": "4", "pods": "110"}
    own = apply_defaults(
        obj("Node", status={"capacity": {"cpu": "4"}, "allocatable": {"cpu": "3"}})
    )
    assert own["status"]["allocatable"] == {"cpu": "3"}


def test_endpoints_port_protocol() -> None:
    ep = apply_defaults(obj("Endpoints", subsets=[{"ports": [{"port": 80}]}]))
    assert ep["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]


def test_storage_class_defaults() -> None:
    sc = apply_defaults(obj("StorageClass", "storage.k8s.io/v1", provisioner="a.io/b"))
    assert sc["reclaimPolicy"] == "Delete"
    assert sc["volumeBindingMode"] == "Immediate"


def test_endpoint_slice_port_defaults() -> None:
    eps = apply_defaults(obj("EndpointSlice", "discovery.k8s.io/v1", ports=[{"port": 80}]))
    assert eps["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]


def test_ingress_has_no_defaults() -> None:
    spec = {"rules": [{"http": {"paths": [{"path": "/", "backend": {}}]}}]}
    ing = obj("Ingress", "networking.k8s.io/v1", spec=spec)
    assert apply_defaults(copy.deepcopy(ing)) == ing


# --- property: defaulting is idempotent --------------------------------------------------------

_port = st.fixed_dictionaries(
    {"port": st.integers(0, 65535)},
    optional={
        "protocol": st.sampled_from(["", "TCP", "UDP", "SCTP"]),
        "targetPort": st.one_of(st.integers(0, 65535), st.sampled_from(["", "http"])),
        "nodePort": st.integers(0, 32767),
        "name": st.sampled_from(["", "http", "dns"]),
    },
)
_service_spec = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["", "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
        "ports": st.lists(_port, max_size=3),
        "sessionAffinity": st.sampled_from(["", "None", "ClientIP"]),
        "sessionAffinityConfig": st.sampled_from([None, {}, {"clientIP": {"timeoutSeconds": 5}}]),
        "clusterIP": st.sampled_from(["", "None", "10.96.0.1"]),
        "clusterIPs": st.sampled_from([[], ["10.96.0.2"], ["None"]]),
        "externalIPs": st.sampled_from([[], ["1.2.3.4"]]),
        "externalTrafficPolicy": st.sampled_from(["", "Local"]),
        "internalTrafficPolicy": st.sampled_from([None, "Local"]),
        "ipFamilyPolicy": st.sampled_from([None, "PreferDualStack"]),
    },
)
_other = st.one_of(
    st.builds(lambda s: obj("Secret", type=s), st.sampled_from(["", "Opaque", "x.io/y"])),
    st.builds(
        lambda p, m: obj(
            "PersistentVolume", spec={"persistentVolumeReclaimPolicy": p, "volumeMode": m}
        ),
        st.sampled_from(["", "Delete"]),
        st.sampled_from([None, "Block"]),
    ),
    st.builds(
        lambda m: obj("PersistentVolumeClaim", spec={"volumeMode": m}),
        st.sampled_from([None, "Block"]),
    ),
    st.builds(
        lambda labels: {"kind": "Namespace", "metadata": {"name": "ns", "labels": labels}},
        st.dictionaries(
            st.sampled_from(["a", "kubernetes.io/metadata.name"]), st.sampled_from(["1", "other"])
        ),
    ),
    st.builds(
        lambda cap: obj("Node", status={"capacity": cap}),
        st.one_of(st.none(), st.just({"cpu": "2"})),
    ),
    st.builds(
        lambda ports: obj("Endpoints", subsets=[{"ports": ports}]), st.lists(_port, max_size=2)
    ),
    st.builds(
        lambda ports: obj("EndpointSlice", "discovery.k8s.io/v1", ports=ports),
        st.lists(
            st.fixed_dictionaries({}, optional={"name": st.just("a"), "protocol": st.just("UDP")}),
            max_size=2,
        ),
    ),
    st.builds(
        lambda r: obj("StorageClass", "storage.k8s.io/v1", reclaimPolicy=r),
        st.sampled_from([None, "Retain"]),
    ),
    st.builds(
        lambda p: obj("IngressClass", "networking.k8s.io/v1", spec={"parameters": p}),
        st.sampled_from([None, {"kind": "C", "name": "c"}, {"scope": "Namespace"}]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.builds(lambda spec: obj("Service", spec=spec), _service_spec), _other))
def test_defaulting_is_idempotent(original: Obj) -> None:
    once = apply_defaults(copy.deepcopy(original))
    twice = apply_defaults(copy.deepcopy(once))
    assert twice == once
