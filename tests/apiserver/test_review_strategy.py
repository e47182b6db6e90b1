"""Per-kind REST strategies and the generic registry's update rules, as upstream v1.31
(`pkg/registry/<group>/<kind>/strategy.go`, `staging/src/k8s.io/apiserver/pkg/registry/rest/
update.go`, `generic/registry/store.go`): generation, status subresource writes, update
metadata and preconditions, per-kind update policy, subresource routes."""

import pytest

from minik8s.api.errors import Conflict, Invalid, NotFound
from minik8s.apiserver import prepare

from .conftest import configmap, deployment, pod

INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "i", "namespace": "shop"},
    "spec": {"defaultBackend": {"service": {"name": "s", "port": {"number": 80}}}},
}
LEASE = {
    "apiVersion": "coordination.k8s.io/v1",
    "kind": "Lease",
    "metadata": {"name": "l", "namespace": "shop"},
    "spec": {"holderIdentity": "a"},
}
NOT_FOUND = "the server could not find the requested resource"


def _lease(holder):
    lease = {**LEASE, "spec": {"holderIdentity": holder}}
    lease["metadata"] = dict(LEASE["metadata"])
    return lease


# -- #7 metadata.generation ---------------------------------------------------------------------
def test_ingress_gets_generation_and_spec_changes_bump_it(env):
    s = env.server
    assert s.create("ingresses", INGRESS)["metadata"]["generation"] == 1
    backend = {"service": {"name": "s2", "port": {"number": 80}}}
    patched = s.patch("ingresses", "i", {"spec": {"defaultBackend": backend}}, "shop")
    assert patched["metadata"]["generation"] == 2
    labelled = s.patch("ingresses", "i", {"metadata": {"labels": {"a": "b"}}}, "shop")
    assert labelled["metadata"]["generation"] == 2


def test_ingressclass_gets_generation(env):
    s = env.server
    ic = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "nginx"},
        "spec": {"controller": "k8s.io/ingress-nginx"},
    }
    assert s.create("ingressclasses", ic)["metadata"]["generation"] == 1
    params = {"kind": "P", "name": "p", "apiGroup": "x.io", "scope": "Cluster"}
    patched = s.patch("ingressclasses", "nginx", {"spec": {"parameters": params}})
    assert patched["metadata"]["generation"] == 2


def test_deployment_annotation_change_bumps_generation(env):
    s = env.server
    s.create("deployments", deployment("web"))
    note = s.patch("deployments", "web", {"metadata": {"annotations": {"note": "x"}}}, "shop")
    assert note["metadata"]["generation"] == 2
    label = s.patch("deployments", "web", {"metadata": {"labels": {"a": "b"}}}, "shop")
    assert label["metadata"]["generation"] == 2


def test_deletion_with_finalizers_bumps_generation(env):
    s = env.server
    d = deployment("web")
    d["metadata"]["finalizers"] = ["x/y"]
    s.create("deployments", d)
    deleted = s.delete("deployments", "web", "shop")
    assert deleted["metadata"]["deletionTimestamp"]
    assert deleted["metadata"]["generation"] == 2


# -- #5 status subresource ----------------------------------------------------------------------
def test_pod_status_validates_nominated_node_name(env):
    s = env.server
    s.create("pods", pod("x"))
    current = s.get("pods", "x", "shop")
    current["status"]["nominatedNodeName"] = "Bad_Node"
    with pytest.raises(Invalid) as err:
        s.update("pods", current, subresource="status")
    assert err.value.message.startswith(
        'Pod "x" is invalid: status.nominatedNodeName: Invalid value: "Bad_Node": '
        "a lowercase RFC 1123 subdomain must consist of"
    )


def _terminated_pod(env, policy):
    s = env.server
    p = pod("x")
    p["spec"]["restartPolicy"] = policy
    s.create("pods", p)
    current = s.get("pods", "x", "shop")
    current["status"]["containerStatuses"] = [
        {
            "name": "c",
            "image": "busybox:1.36",
            "imageID": "",
            "ready": False,
            "restartCount": 0,
            "state": {"terminated": {"exitCode": 1}},
        }
    ]
    stored = s.update("pods", current, subresource="status")
    stored["status"]["containerStatuses"][0]["state"] = {
        "running": {"startedAt": "2025-01-01T00:00:00Z"}
    }
    return stored


def test_pod_status_terminated_container_may_not_run_again(env):
    stored = _terminated_pod(env, "Never")
    with pytest.raises(Invalid) as err:
        env.server.update("pods", stored, subresource="status")
    assert err.value.message == (
        'Pod "x" is invalid: status.containerStatuses[0].state: '
        "Forbidden: may not be transitioned to non-terminated state"
    )


def test_pod_status_failed_container_of_on_failure_pod_may_restart(env):
    stored = _terminated_pod(env, "OnFailure")
    updated = env.server.update("pods", stored, subresource="status")
    assert "running" in updated["status"]["containerStatuses"][0]["state"]


def test_pod_status_keeps_labels_but_not_spec_or_owner_references(env):
    s = env.server
    s.create("pods", pod("x"))
    current = s.get("pods", "x", "shop")
    current["metadata"]["labels"] = {"a": "b"}
    current["metadata"]["ownerReferences"] = [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "u1"}
    ]
    current["spec"]["containers"][0]["image"] = "busybox:1.37"
    current["status"]["phase"] = "Running"
    stored = s.update("pods", current, subresource="status")
    assert stored["metadata"]["labels"] == {"a": "b"}
    assert "ownerReferences" not in stored["metadata"]
    assert stored["spec"]["containers"][0]["image"] == "busybox:1.36"
    assert stored["status"]["phase"] == "Running"


def test_pod_status_validates_metadata(env):
    s = env.server
    s.create("pods", pod("x"))
    with pytest.raises(Invalid) as err:
        s.patch("pods", "x", {"metadata": {"labels": {"a": "-bad-"}}}, "shop", subresource="status")
    assert err.value.message.startswith(
        'Pod "x" is invalid: metadata.labels: Invalid value: "-bad-"'
    )


def test_deployment_status_drops_label_changes_keeps_annotations(env):
    s = env.server
    s.create("deployments", deployment("web"))
    meta = {"labels": {"a": "b"}, "annotations": {"n": "1"}}
    patch = {"metadata": meta, "status": {"replicas": 1}}
    stored = s.patch("deployments", "web", patch, "shop", subresource="status")
    assert stored["metadata"].get("labels") in (None, {})
    assert stored["metadata"]["annotations"] == {"n": "1"}
    assert stored["metadata"]["generation"] == 1
    assert stored["status"]["replicas"] == 1


def test_node_status_keeps_label_changes(env):
    s = env.server
    s.create("nodes", {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}})
    patch = {"metadata": {"labels": {"zone": "a"}}, "spec": {"unschedulable": True}}
    stored = s.patch("nodes", "n1", patch, subresource="status")
    assert stored["metadata"]["labels"]["zone"] == "a"
    assert not stored.get("spec", {}).get("unschedulable")


def test_deployment_status_drops_label_changes(env):
    s = env.server
    s.create("deployments", deployment("web"))
    patch = {"metadata": {"labels": {"a": "b"}}, "status": {"replicas": 1}}
    stored = s.patch("deployments", "web", patch, "shop", subresource="status")
    assert stored["metadata"].get("labels") in (None, {})
    assert stored["metadata"]["generation"] == 1
    assert stored["status"]["replicas"] == 1


# -- #9 update metadata and preconditions -------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("deletionTimestamp", "2025-01-01T00:10:00Z", '"2025-01-01T00:10:00Z"'),
        ("deletionGracePeriodSeconds", 30, "30"),
    ],
)
def test_update_may_not_set_deletion_fields(env, field, value, shown):
    s = env.server
    s.create("configmaps", configmap("cm", "shop", a="1"))
    current = s.get("configmaps", "cm", "shop")
    current["metadata"][field] = value
    with pytest.raises(Invalid) as err:
        s.update("configmaps", current)
    assert err.value.message == (
        f'ConfigMap "cm" is invalid: metadata.{field}: Invalid value: {shown}: field is immutable'
    )


def test_update_keeps_deletion_fields_of_a_deleting_object(env):
    s = env.server
    cm = configmap("cm", "shop", a="1")
    cm["metadata"]["finalizers"] = ["x/y"]
    s.create("configmaps", cm)
    deleting = s.delete("configmaps", "cm", "shop")
    body = s.get("configmaps", "cm", "shop")
    del body["metadata"]["deletionTimestamp"]
    body["data"] = {"a": "2"}
    stored = s.update("configmaps", body)
    assert stored["metadata"]["deletionTimestamp"] == deleting["metadata"]["deletionTimestamp"]
    assert stored["data"] == {"a": "2"}


def test_put_body_uid_is_a_precondition(env):
    s = env.server
    uid = s.create("configmaps", configmap("cm", "shop", a="1"))["metadata"]["uid"]
    current = s.get("configmaps", "cm", "shop")
    current["metadata"]["uid"] = "other"
    with pytest.raises(Conflict) as err:
        s.update("configmaps", current)
    assert err.value.message == (
        'Operation cannot be fulfilled on configmaps "cm": StorageError: invalid object, '
        "Code: 4, Key: /registry/configmaps/shop/cm, ResourceVersion: 0, AdditionalErrorMsg: "
        f"Precondition failed: UID in precondition: other, UID in object meta: {uid}"
    )


def test_patch_uid_is_not_a_precondition(env):
    info = env.server.info("configmaps")
    new = {"metadata": {"name": "cm", "uid": "other", "resourceVersion": "5"}}
    old = {"metadata": {"name": "cm", "uid": "u", "resourceVersion": "5"}}
    prepare.check_update_preconditions(info, new, old, "patch")  # validation rejects it later
    with pytest.raises(Conflict):
        prepare.check_update_preconditions(info, new, old, "update")


def test_json_patch_of_resource_version_is_checked(env):
    s = env.server
    s.create("configmaps", configmap("cm", "shop", a="1"))
    s.patch("configmaps", "cm", {"data": {"a": "2"}}, "shop")
    ops = [
        {"op": "replace", "path": "/metadata/resourceVersion", "value": "1"},
        {"op": "replace", "path": "/data/a", "value": "3"},
    ]
    with pytest.raises(Conflict):
        s.patch("configmaps", "cm", ops, "shop", patch_type="json")
    assert s.get("configmaps", "cm", "shop")["data"] == {"a": "2"}


# -- #12 per-kind update policy -----------------------------------------------------------------
def test_lease_update_needs_a_resource_version(env):
    s = env.server
    s.create("leases", _lease("a"))
    with pytest.raises(Invalid) as err:
        s.update("leases", _lease("b"))
    assert err.value.message == (
        'leases.coordination.k8s.io "l" is invalid: metadata.resourceVersion: '
        "Invalid value: 0x0: must be specified for an update"
    )
    current = s.get("leases", "l", "shop")
    current["spec"]["holderIdentity"] = "b"
    assert s.update("leases", current)["spec"]["holderIdentity"] == "b"
    patched = s.patch("leases", "l", {"spec": {"holderIdentity": "c"}}, "shop")
    assert patched["spec"]["holderIdentity"] == "c"


def test_lease_update_may_still_create(env):
    created = env.server.update("leases", _lease("a"))
    assert created["spec"]["holderIdentity"] == "a"


def test_endpointslice_update_does_not_create(env):
    es = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "es", "namespace": "shop"},
        "addressType": "IPv4",
        "endpoints": [],
    }
    with pytest.raises(NotFound) as err:
        env.server.update("endpointslices", es)
    assert err.value.message == 'endpointslices.discovery.k8s.io "es" not found'


def test_endpoints_update_still_creates(env):
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "e", "namespace": "shop"}}
    assert env.server.update("endpoints", ep)["metadata"]["uid"]


# -- #22 subresource routes ---------------------------------------------------------------------
def test_configmap_has_no_status_subresource(env):
    s = env.server
    s.create("configmaps", configmap("cm", "shop", a="1"))
    body = s.get("configmaps", "cm", "shop")
    body["data"] = {"a": "2"}
    with pytest.raises(NotFound) as err:
        s.update("configmaps", body, subresource="status")
    assert err.value.message == NOT_FOUND
    with pytest.raises(NotFound):
        s.patch("configmaps", "cm", {"data": {"a": "3"}}, "shop", subresource="status")
    assert s.get("configmaps", "cm", "shop")["data"] == {"a": "1"}


def test_unknown_subresource_is_not_found(env):
    s = env.server
    s.create("configmaps", configmap("cm", "shop", a="1"))
    with pytest.raises(NotFound):
        s.patch("configmaps", "cm", {"data": {"a": "3"}}, "shop", subresource="bogus")
    with pytest.raises(NotFound):
        s.patch("pods", "x", {}, "shop", subresource="finalize")


def test_create_on_unknown_subresource_is_not_found(env):
    with pytest.raises(NotFound):
        env.server.create("configmaps", configmap("cm", "shop"), subresource="bogus")
