"""Objects stored and served as a v1.31 API server serializes them.

Facts checked against upstream v1.31: pods carry no `metadata.generation` (kubernetes#113961;
pod generation came with KEP-5067 in v1.33); a struct field that is not a pointer is always
encoded by Go's JSON, so every container has `resources: {}` and every embedded ObjectMeta
`creationTimestamp: null`; the `pod-template-hash` of a template does not move because of
them (upstream hashes the Go struct); and with the RecursiveReadOnlyMounts gate (beta, on in
v1.31) each container status lists its `volumeMounts`.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.defaults import apply_defaults
from minik8s.apiserver import APIServer
from minik8s.apiserver.strategy import GENERATION_KINDS
from minik8s.client.client import Client
from minik8s.controllers.deployment_util import compute_hash, hash_view
from minik8s.etcd import Store
from minik8s.kubelet.mount_status import resolve_recursive_read_only, volume_mount_statuses
from minik8s.sim import EventLoop

Obj = dict[str, Any]


@pytest.fixture
def client() -> Client:
    loop = EventLoop(seed=0)
    store = Store(clock=lambda: loop.now)
    c = Client(APIServer(store, loop), "test")
    c.create("namespaces", {"metadata": {"name": "default"}})
    loop.settle()
    return c


def _template(labels: Obj, containers: list[Obj], **spec: Any) -> Obj:
    return {"metadata": {"labels": labels}, "spec": {"containers": containers, **spec}}


def _pod(name: str, **spec: Any) -> Obj:
    containers = [{"name": "c", "image": "busybox:1.36"}]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": containers, **spec},
    }


# -- 1. metadata.generation ----------------------------------------------------------------------
def test_generation_kinds_are_those_whose_v131_strategy_sets_generation_1() -> None:
    # each kind's `PrepareForCreate` in pkg/registry/<group>/<kind>/strategy.go at v1.31
    assert GENERATION_KINDS == {
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Ingress",
        "IngressClass",
    }


def test_a_pod_has_no_generation_on_create_update_or_graceful_delete(client: Client) -> None:
    created = client.create("pods", _pod("p", nodeName="node-1"))
    assert "generation" not in created["metadata"]
    created["spec"]["containers"][0]["image"] = "busybox:1.37"
    updated = client.update("pods", created)
    assert "generation" not in updated["metadata"]
    client.delete("pods", "p", "default")  # graceful: BeforeDelete bumps only a generation > 0
    deleting = client.get("pods", "p", "default")
    assert deleting["metadata"].get("deletionTimestamp")
    assert "generation" not in deleting["metadata"]


def test_a_deployment_still_starts_at_generation_1_and_moves_on_spec_changes(
    client: Client,
) -> None:
    d = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": _template({"app": "web"}, [{"name": "web", "image": "nginx:1.27"}]),
        },
    }
    created = client.create("deployments", d)
    assert created["metadata"]["generation"] == 1
    created["spec"]["replicas"] = 3
    assert client.update("deployments", created)["metadata"]["generation"] == 2


# -- 2. Go zero values ---------------------------------------------------------------------------
def test_pod_containers_always_have_resources(client: Client) -> None:
    pod = _pod("p", initContainers=[{"name": "i", "image": "busybox"}])
    pod["spec"]["containers"].append(
        {"name": "r", "image": "nginx", "resources": {"limits": {"cpu": "1"}}}
    )
    spec = client.create("pods", pod)["spec"]
    assert [c["resources"] for c in spec["initContainers"] + spec["containers"]] == [
        {},
        {},
        {"limits": {"cpu": "1"}, "requests": {"cpu": "1"}},
    ]


WORKLOADS: list[tuple[str, str, Obj]] = [
    ("deployments", "Deployment", {"selector": {"matchLabels": {"a": "b"}}}),
    ("replicasets", "ReplicaSet", {"selector": {"matchLabels": {"a": "b"}}}),
    ("daemonsets", "DaemonSet", {"selector": {"matchLabels": {"a": "b"}}}),
    ("statefulsets", "StatefulSet", {"selector": {"matchLabels": {"a": "b"}}, "serviceName": "s"}),
    ("jobs", "Job", {}),
]


@pytest.mark.parametrize(("resource", "kind", "spec"), WORKLOADS)
def test_workload_templates_have_null_creation_timestamp_and_resources(
    client: Client, resource: str, kind: str, spec: Obj
) -> None:
    group = "batch/v1" if kind == "Job" else "apps/v1"
    policy = {"restartPolicy": "Never"} if kind == "Job" else {}
    template = _template({"a": "b"}, [{"name": "c", "image": "nginx"}], **policy)
    obj = {"apiVersion": group, "kind": kind, "metadata": {"name": "w"}}
    obj["spec"] = {**spec, "template": template}
    stored = client.create(resource, obj)["spec"]["template"]
    assert stored["metadata"]["creationTimestamp"] is None
    assert stored["spec"]["containers"][0]["resources"] == {}


@pytest.mark.parametrize(
    ("resource", "kind", "spec", "status"),
    [
        ("replicasets", "ReplicaSet", WORKLOADS[1][2], {"replicas": 0}),
        ("statefulsets", "StatefulSet", WORKLOADS[3][2], {"replicas": 0, "availableReplicas": 0}),
        (
            "daemonsets",
            "DaemonSet",
            WORKLOADS[2][2],
            {
                "currentNumberScheduled": 0,
                "numberMisscheduled": 0,
                "desiredNumberScheduled": 0,
                "numberReady": 0,
            },
        ),
        ("deployments", "Deployment", WORKLOADS[0][2], {}),  # every field omitempty
    ],
)
def test_a_new_workload_status_has_the_go_zero_fields_without_omitempty(
    client: Client, resource: str, kind: str, spec: Obj, status: Obj
) -> None:
    template = _template({"a": "b"}, [{"name": "c", "image": "nginx"}])
    obj = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w"}}
    obj["spec"] = {**spec, "template": template}
    created = client.create(resource, obj)["status"]
    assert created == status and list(created) == list(status)  # in the Go struct's order


def test_a_new_volume_attachment_is_not_attached(client: Client) -> None:
    va = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "VolumeAttachment",
        "metadata": {"name": "csi-1"},
        "spec": {"attacher": "a.csi.io", "nodeName": "n", "source": {"persistentVolumeName": "p"}},
    }
    assert client.create("volumeattachments", va)["status"] == {"attached": False}


def test_cronjob_job_template_and_its_pod_template_have_null_creation_timestamp(
    client: Client,
) -> None:
    template = {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x"}]}}
    cj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "tick"},
        "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}},
    }
    job_template = client.create("cronjobs", cj)["spec"]["jobTemplate"]
    assert job_template["metadata"] == {"creationTimestamp": None}
    assert job_template["spec"]["template"]["metadata"] == {"creationTimestamp": None}
    assert job_template["spec"]["template"]["spec"]["containers"][0]["resources"] == {}


def test_statefulset_claim_templates_as_v131_prints_them(client: Client) -> None:
    claim = {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "selector": {"matchLabels": {"a": "b"}},
            "serviceName": "db",
            "template": _template({"a": "b"}, [{"name": "c", "image": "nginx"}]),
            "volumeClaimTemplates": [claim],
        },
    }
    stored = client.create("statefulsets", sts)["spec"]["volumeClaimTemplates"][0]
    assert stored == {
        "metadata": {"name": "data", "creationTimestamp": None},
        "spec": {"accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem", "resources": {}},
        "status": {"phase": "Pending"},
    }


def test_pvc_and_ephemeral_claim_template_always_have_resources() -> None:
    pvc = apply_defaults({"kind": "PersistentVolumeClaim", "metadata": {"name": "c"}, "spec": {}})
    assert pvc["spec"]["resources"] == {}
    volume = {"name": "v", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}
    pod = apply_defaults({"kind": "Pod", "spec": {"containers": [], "volumes": [volume]}})
    claim = pod["spec"]["volumes"][0]["ephemeral"]["volumeClaimTemplate"]
    assert claim == {
        "metadata": {"creationTimestamp": None},
        "spec": {"volumeMode": "Filesystem", "resources": {}},
    }


def test_a_set_creation_timestamp_in_a_template_is_kept() -> None:
    stamp = "2025-01-01T00:00:00Z"
    d = {"kind": "Deployment", "spec": {"template": {"metadata": {"creationTimestamp": stamp}}}}
    assert apply_defaults(d)["spec"]["template"]["metadata"]["creationTimestamp"] == stamp


# -- 3. pod-template-hash ------------------------------------------------------------------------
def _defaulted_template(template: Obj) -> Obj:
    d = {"kind": "Deployment", "spec": {"template": copy.deepcopy(template)}}
    return apply_defaults(d)["spec"]["template"]


HEAD_TEMPLATE_NGINX = {  # a Deployment's template as stored before this change
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "image": "nginx:1.27",
                "imagePullPolicy": "IfNotPresent",
                "name": "nginx",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    },
}

# (template as the user writes it, hash before and after, hash with collision count 1)
PINNED = [
    (
        _template({"app": "web"}, [{"name": "nginx", "image": "nginx:1.27"}]),
        "c68c68797",
        "9b67cf7f6",
    ),
    (
        _template(
            {"app": "b"},
            [
                {
                    "name": "app",
                    "image": "busybox",
                    "command": ["sh", "-c", "sleep 3600"],
                    "resources": {"requests": {"cpu": "100m"}},
                }
            ],
        ),
        "5794888869",
        "7945c7fb9b",
    ),
    (
        _template(
            {"a": "b"},
            [{"name": "c", "image": "nginx"}],
            initContainers=[{"name": "i", "image": "busybox"}],
        ),
        "77578cf97",
        "7f7c8bff7b",
    ),
]


def test_head_template_hash_is_pinned_with_and_without_zero_fields() -> None:
    assert compute_hash(HEAD_TEMPLATE_NGINX) == "c68c68797"
    stored = _defaulted_template(HEAD_TEMPLATE_NGINX)
    assert stored["metadata"]["creationTimestamp"] is None
    assert stored["spec"]["containers"][0]["resources"] == {}
    assert compute_hash(stored) == "c68c68797"


@pytest.mark.parametrize(("template", "expected", "with_collision"), PINNED)
def test_pod_template_hash_did_not_move(template: Obj, expected: str, with_collision: str) -> None:
    stored = _defaulted_template(template)
    assert compute_hash(stored) == expected
    assert compute_hash(stored, 1) == with_collision
    assert compute_hash(hash_view(stored)) == expected


def test_hash_view_copies_only_what_it_changes_and_never_mutates() -> None:
    stored = _defaulted_template(PINNED[0][0])
    before = copy.deepcopy(stored)
    view = hash_view(stored)
    assert stored == before
    assert "creationTimestamp" not in view["metadata"]
    assert "resources" not in view["spec"]["containers"][0]
    assert view["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert view["spec"]["dnsPolicy"] == "ClusterFirst"
    bare = {"spec": {"containers": [{"name": "c"}]}}
    assert hash_view(bare) == bare
    assert hash_view({"metadata": {"creationTimestamp": None}}) == {}


_NAMES = st.text("abcxyz", min_size=1, max_size=3)
_CONTAINERS = st.lists(
    st.fixed_dictionaries(
        {"name": _NAMES, "image": _NAMES},
        optional={"resources": st.just({"limits": {"cpu": "1"}})},
    ),
    min_size=1,
    max_size=3,
)


@given(
    labels=st.dictionaries(_NAMES, _NAMES, max_size=3),
    containers=_CONTAINERS,
    inits=st.lists(st.fixed_dictionaries({"name": _NAMES, "image": _NAMES}), max_size=2),
    ephemeral=st.booleans(),
)
def test_zero_structs_never_move_the_hash(
    labels: Obj, containers: list[Obj], inits: list[Obj], ephemeral: bool
) -> None:
    template: Obj = {"spec": {"containers": containers, "initContainers": inits}}
    if labels:
        template["metadata"] = {"labels": labels}
    if ephemeral:
        claim = {"spec": {"accessModes": ["ReadWriteOnce"]}}
        template["spec"]["volumes"] = [{"name": "v", "ephemeral": {"volumeClaimTemplate": claim}}]
    zeroed = copy.deepcopy(template)
    zeroed.setdefault("metadata", {})["creationTimestamp"] = None
    for c in zeroed["spec"]["containers"] + zeroed["spec"]["initContainers"]:
        c.setdefault("resources", {})
    for v in zeroed["spec"].get("volumes", []):
        claim = v["ephemeral"]["volumeClaimTemplate"]
        claim["metadata"] = {"creationTimestamp": None}
        claim["spec"]["resources"] = {}
    assert compute_hash(zeroed) == compute_hash(template)
    assert compute_hash(zeroed, 7) == compute_hash(template, 7)


# -- 4. containerStatuses[].volumeMounts ---------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "read_only", "supported", "expected"),
    [  # upstream `resolveRecursiveReadOnly` (an error counts as not recursive)
        (None, True, True, False),
        ("Disabled", True, True, False),
        ("IfPossible", True, False, False),
        ("IfPossible", True, True, True),
        ("Enabled", True, True, True),
        ("Enabled", True, False, False),  # error: rro mode requires runtime support
        ("Enabled", False, True, False),  # error: rro mode requires readOnly
        ("Bogus", True, True, False),  # error: unknown rro mode
    ],
)
def test_resolve_recursive_read_only(
    mode: str | None, read_only: bool, supported: bool, expected: bool
) -> None:
    mount: Obj = {"name": "v", "mountPath": "/v", "readOnly": read_only}
    if mode is not None:
        mount["recursiveReadOnly"] = mode
    assert resolve_recursive_read_only(mount, supported) is expected


def test_volume_mount_statuses_in_upstream_field_order() -> None:
    spec = {
        "volumeMounts": [
            {"name": "data", "mountPath": "/data", "subPath": "x"},
            {"name": "token", "readOnly": True, "mountPath": "/var/run/secrets"},
            {
                "name": "cfg",
                "mountPath": "/etc/cfg",
                "readOnly": True,
                "recursiveReadOnly": "IfPossible",
            },
        ]
    }
    statuses = volume_mount_statuses(spec)
    assert statuses == [
        {"name": "data", "mountPath": "/data"},
        {
            "name": "token",
            "mountPath": "/var/run/secrets",
            "readOnly": True,
            "recursiveReadOnly": "Disabled",
        },
        {"name": "cfg", "mountPath": "/etc/cfg", "readOnly": True, "recursiveReadOnly": "Disabled"},
    ]
    assert [list(s) for s in statuses][1] == ["name", "mountPath", "readOnly", "recursiveReadOnly"]
    assert volume_mount_statuses({"name": "c"}) == []


def test_a_running_pod_reports_its_mounts_in_container_status() -> None:
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {
                "containers": [{"name": "nginx", "image": "nginx:1.27"}],
                "initContainers": [{"name": "init", "image": "busybox", "command": ["true"]}],
            },
        }
    )
    c.settle()
    status = c.get("pods", "web")["status"]
    for entry in status["containerStatuses"] + status["initContainerStatuses"]:
        (mount,) = entry["volumeMounts"]  # the service account token admission adds
        assert mount["name"].startswith("kube-api-access-")
        assert mount["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount"
        assert (mount["readOnly"], mount["recursiveReadOnly"]) == (True, "Disabled")
    text = c.kubectl("get pod web -o yaml")
    assert "recursiveReadOnly: Disabled" in text and "resources: {}" in text
    assert "generation:" not in text
