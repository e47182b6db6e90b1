"""The `/status` validation of Services, Ingresses, Namespaces, PersistentVolumeClaims and Nodes
(upstream `ValidateServiceStatusUpdate`, `ValidateIngressStatusUpdate` and its test's error
cases, `ValidateNamespaceStatusUpdate`, `ValidatePersistentVolumeClaimStatusUpdate`,
`ValidateNodeUpdate`), unit by unit and through the API server."""

import pytest

from minik8s.api.errors import Invalid
from minik8s.api.validation.status_core import (
    validate_ingress_status_update,
    validate_namespace_status_update,
    validate_node_status_update,
    validate_persistent_volume_claim_status_update,
    validate_service_status_update,
)
from minik8s.apiserver.status_strategy import prepare_for_status_update

IP_DETAIL = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
ING = "status.loadBalancer.ingress[0]"


def messages(errs):
    return [str(e) for e in errs]


def lb(*points, type_="LoadBalancer"):
    return {"spec": {"type": type_}, "status": {"loadBalancer": {"ingress": list(points)}}}


SERVICE_ROWS = [
    ("ip and ipMode", lb({"ip": "1.2.3.4", "ipMode": "VIP"}), []),
    ("hostname only", lb({"hostname": "lb.example.com"}), []),
    ("proxy mode", lb({"ip": "2001:db8::1", "ipMode": "Proxy"}), []),
    ("no ingress on a ClusterIP Service", lb(type_="ClusterIP"), []),
    (
        "ingress on a ClusterIP Service",
        lb({"ip": "1.2.3.4", "ipMode": "VIP"}, type_="ClusterIP"),
        [
            "status.loadBalancer.ingress: Forbidden: "
            "may only be used when `spec.type` is 'LoadBalancer'"
        ],
    ),
    (
        "invalid ip",
        lb({"ip": "abcd", "ipMode": "VIP"}),
        [f'{ING}.ip: Invalid value: "abcd": {IP_DETAIL}'],
    ),
    (
        "ip without ipMode",
        lb({"ip": "1.2.3.4"}),
        [f"{ING}.ipMode: Required value: must be specified when `ip` is set"],
    ),
    (
        "ipMode without ip",
        lb({"hostname": "lb.example.com", "ipMode": "VIP"}),
        [f"{ING}.ipMode: Forbidden: may not be specified when `ip` is not set"],
    ),
    (
        "unsupported ipMode",
        lb({"ip": "1.2.3.4", "ipMode": "Direct"}),
        [f'{ING}.ipMode: Unsupported value: "Direct": supported values: "Proxy", "VIP"'],
    ),
    (
        "hostname that is an IP",
        lb({"hostname": "127.0.0.1"}),
        [f'{ING}.hostname: Invalid value: "127.0.0.1": must be a DNS name, not an IP address'],
    ),
    (
        "hostname not a DNS subdomain",
        lb({"hostname": "Bad_Host"}),
        [
            f'{ING}.hostname: Invalid value: "Bad_Host": a lowercase RFC 1123 subdomain must '
            "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ],
    ),
]


@pytest.mark.parametrize("row", SERVICE_ROWS, ids=[r[0] for r in SERVICE_ROWS])
def test_service_load_balancer_status(row):
    _, service, expected = row
    assert messages(validate_service_status_update(service, service)) == expected


def test_ip_mode_defaults_to_vip_without_changing_the_writers_object():
    point = {"ip": "1.2.3.4"}
    written = lb(point, {"hostname": "lb.example.com"})
    new = {"metadata": {}, "spec": {"type": "LoadBalancer"}, "status": written["status"]}
    prepare_for_status_update("Service", new, {"metadata": {}, "spec": {"type": "LoadBalancer"}})
    assert new["status"]["loadBalancer"]["ingress"] == [
        {"ip": "1.2.3.4", "ipMode": "VIP"},
        {"hostname": "lb.example.com"},
    ]
    assert point == {"ip": "1.2.3.4"}
    assert validate_service_status_update(new, new) == []


# upstream TestValidateIngressStatusUpdate's error cases (and its valid status)
INGRESS_ROWS = [
    ("valid", lb({"ip": "127.0.0.1", "hostname": "foo.com"}), []),
    (
        "invalid ip",
        lb({"ip": "abcd", "hostname": "foo.com"}),
        [f'{ING}.ip: Invalid value: "abcd": {IP_DETAIL}'],
    ),
    (
        "invalid hostname",
        lb({"ip": "127.0.0.1", "hostname": "127.0.0.1"}),
        [f'{ING}.hostname: Invalid value: "127.0.0.1": must be a DNS name, not an IP address'],
    ),
    ("no ipMode rules", lb({"ip": "127.0.0.1"}, type_="ClusterIP"), []),
]


@pytest.mark.parametrize("row", INGRESS_ROWS, ids=[r[0] for r in INGRESS_ROWS])
def test_ingress_load_balancer_status(row):
    _, ingress, expected = row
    assert messages(validate_ingress_status_update(ingress, ingress)) == expected


@pytest.mark.parametrize(
    ("deleting", "phase", "expected"),
    [
        (False, "Active", []),
        (True, "Terminating", []),
        (
            False,
            "Terminating",
            [
                'status.Phase: Invalid value: "Terminating": '
                "may only be 'Active' if `deletionTimestamp` is empty"
            ],
        ),
        (
            True,
            "Active",
            [
                'status.Phase: Invalid value: "Active": '
                "may only be 'Terminating' if `deletionTimestamp` is not empty"
            ],
        ),
    ],
)
def test_namespace_phase_follows_deletion(deleting, phase, expected):
    meta = {"deletionTimestamp": "2025-01-01T00:00:00Z"} if deleting else {}
    ns = {"metadata": meta, "status": {"phase": phase}}
    assert messages(validate_namespace_status_update(ns, ns)) == expected


def test_pvc_status_capacity_and_access_modes():
    pvc = {
        "spec": {"accessModes": ["ReadWriteOnce"]},
        "status": {"capacity": {"storage": "-1Gi", "example.com/x": "1"}},
    }
    assert messages(validate_persistent_volume_claim_status_update(pvc, pvc)) == [
        "status.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity"
    ]
    no_modes = {"spec": {}, "status": {"capacity": {"storage": "1Gi"}}}
    assert messages(validate_persistent_volume_claim_status_update(no_modes, no_modes)) == [
        "Spec.accessModes: Required value"
    ]


def test_node_status_runs_the_node_update_rules():
    meta = {"name": "n", "resourceVersion": "1"}
    address = {"type": "InternalIP", "address": "10.0.0.1"}
    node = {
        "metadata": meta,
        "spec": {},
        "status": {"addresses": [address, address], "capacity": {"cpu": "-1"}},
    }
    errs = validate_node_status_update(node, {"metadata": meta})
    assert [e.field for e in errs] == ["status.addresses[1]", "status.capacity.cpu"]
    assert str(errs[0]) == (  # Go's %#v of the core.NodeAddress
        'status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", '
        'Address:"10.0.0.1"}'
    )


# --- through the API server -------------------------------------------------------------------


def service(type_):
    spec = {"type": type_, "selector": {"app": "web"}, "ports": [{"port": 80}]}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec}


def test_load_balancer_status_on_a_cluster_ip_service_is_422(env):
    created = env.client.create("services", service("ClusterIP"), "shop")
    body = {**created, "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}}
    with pytest.raises(Invalid) as err:
        env.client.update_status("services", body, "shop")
    assert err.value.message == (
        'Service "web" is invalid: status.loadBalancer.ingress: Forbidden: '
        "may only be used when `spec.type` is 'LoadBalancer'"
    )
    assert env.client.get("services", "web", "shop")["status"] == created["status"]


def test_load_balancer_status_is_defaulted_then_validated(env):
    created = env.client.create("services", service("LoadBalancer"), "shop")
    body = {**created, "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}}
    stored = env.client.update_status("services", body, "shop")
    assert stored["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4", "ipMode": "VIP"}]
    bad = {**stored, "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3"}]}}}
    with pytest.raises(Invalid) as err:
        env.client.update_status("services", bad, "shop")
    assert [str(e) for e in err.value.errors] == [f'{ING}.ip: Invalid value: "1.2.3": {IP_DETAIL}']


def test_namespace_status_phase_through_the_server(env):
    ns = env.client.get("namespaces", "shop")
    with pytest.raises(Invalid) as err:
        env.client.update_status("namespaces", {**ns, "status": {"phase": "Terminating"}})
    assert err.value.message == (
        'Namespace "shop" is invalid: status.Phase: Invalid value: "Terminating": '
        "may only be 'Active' if `deletionTimestamp` is empty"
    )
    stored = env.client.update_status("namespaces", {**ns, "status": {}})
    assert stored["status"] == {"phase": "Active"}  # SetDefaults_NamespaceStatus
