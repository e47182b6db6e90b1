"""Defaults of Pod and the workload kinds, as upstream's `pkg/apis/{core,apps,batch}/v1/
defaults.go` (and their defaults_test.go facts), plus the Job selector generation of the Job
REST strategy. Property: defaulting is idempotent, and a valid object stays valid."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.defaults import apply_defaults
from minik8s.api.defaults.batch import job_generate_selector
from minik8s.api.defaults.pod import image_tag
from minik8s.api.validation import validate_object

Obj = dict[str, Any]


def container(**extra: Any) -> Obj:
    return {"name": "web", "image": "nginx:1.25", **extra}


def pod(**spec: Any) -> Obj:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [container()], **spec},
    }
    return apply_defaults(obj)


def workload(kind: str, api_version: str = "apps/v1", **spec: Any) -> Obj:
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container()]}}
    body: Obj = {"selector": {"matchLabels": {"app": "web"}}, "template": template, **spec}
    obj = {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": "web", "namespace": "default"},
        "spec": body,
    }
    return apply_defaults(obj)


# --- Pod -----------------------------------------------------------------------------------------


def test_pod_spec_defaults() -> None:
    spec = pod()["spec"]
    assert spec["restartPolicy"] == "Always"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["dnsPolicy"] == "ClusterFirst"
    assert spec["schedulerName"] == "default-scheduler"
    assert spec["securityContext"] == {}
    assert spec["enableServiceLinks"] is True
    assert "serviceAccountName" not in spec  # set by the ServiceAccount admission plugin


def test_container_defaults() -> None:
    (ctr,) = pod()["spec"]["containers"]
    assert ctr["terminationMessagePath"] == "/dev/termination-log"
    assert ctr["terminationMessagePolicy"] == "File"
    assert ctr["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("registry.example.com:5000/team/app", "Always"),
        ("registry.example.com:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    assert (
        pod(containers=[container(image=image)])["spec"]["containers"][0]["imagePullPolicy"]
        == policy
    )


def test_explicit_values_are_kept() -> None:
    spec = pod(
        restartPolicy="Never",
        dnsPolicy="Default",
        terminationGracePeriodSeconds=0,
        enableServiceLinks=False,
        containers=[
            container(imagePullPolicy="Never", terminationMessagePolicy="FallbackToLogsOnError")
        ],
    )["spec"]
    assert (spec["restartPolicy"], spec["dnsPolicy"], spec["terminationGracePeriodSeconds"]) == (
        "Never",
        "Default",
        0,
    )
    assert spec["enableServiceLinks"] is False
    assert spec["containers"][0]["imagePullPolicy"] == "Never"
    assert spec["containers"][0]["terminationMessagePolicy"] == "FallbackToLogsOnError"


def test_port_protocol_and_probe_defaults() -> None:
    ctr = pod(
        containers=[
            container(
                ports=[{"containerPort": 80}],
                livenessProbe={"httpGet": {"port": 80}},
                readinessProbe={"grpc": {"port": 9000}},
                env=[{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
            )
        ]
    )["spec"]["containers"][0]
    assert ctr["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert ctr["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert ctr["readinessProbe"]["grpc"] == {"port": 9000, "service": ""}
    assert ctr["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"


def test_requests_defaulted_from_limits_on_pods_only() -> None:
    resources = {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}
    ctr = pod(containers=[container(resources=copy.deepcopy(resources))])["spec"]["containers"][0]
    assert ctr["resources"]["requests"] == {"cpu": "500m", "memory": "1Gi"}
    template_ctr = workload(
        "Deployment",
        template={
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [container(resources=copy.deepcopy(resources))]},
        },
    )
    assert template_ctr["spec"]["template"]["spec"]["containers"][0]["resources"] == resources
    assert "enableServiceLinks" not in template_ctr["spec"]["template"]["spec"]


def test_host_network_defaults_host_ports() -> None:
    ctr = pod(hostNetwork=True, containers=[container(ports=[{"containerPort": 8080}])])["spec"][
        "containers"
    ][0]
    assert ctr["ports"][0]["hostPort"] == 8080


def test_volume_defaults() -> None:
    volumes = pod(
        volumes=[
            {"name": "empty"},
            {"name": "sec", "secret": {"secretName": "s"}},
            {"name": "cm", "configMap": {"name": "c"}},
            {"name": "host", "hostPath": {"path": "/var"}},
            {
                "name": "down",
                "downwardAPI": {
                    "items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]
                },
            },
            {
                "name": "proj",
                "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]},
            },
        ]
    )["spec"]["volumes"]
    assert volumes[0]["emptyDir"] == {}
    assert volumes[1]["secret"]["defaultMode"] == 420
    assert volumes[2]["configMap"]["defaultMode"] == 420
    assert volumes[3]["hostPath"]["type"] == ""
    assert volumes[4]["downwardAPI"]["defaultMode"] == 420
    assert volumes[4]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"] == "v1"
    assert volumes[5]["projected"]["defaultMode"] == 420
    assert volumes[5]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"] == 3600


def test_image_tag() -> None:
    assert image_tag("busybox") == "latest"
    assert image_tag("localhost:5000/busybox:1.36") == "1.36"


# --- apps ----------------------------------------------------------------------------------------


def test_deployment_defaults() -> None:
    spec = workload("Deployment")["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert spec["revisionHistoryLimit"] == 10
    assert spec["progressDeadlineSeconds"] == 600
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    assert (
        spec["template"]["spec"]["containers"][0]["terminationMessagePath"]
        == "/dev/termination-log"
    )


def test_deployment_recreate_gets_no_rolling_update() -> None:
    assert workload("Deployment", strategy={"type": "Recreate"})["spec"]["strategy"] == {
        "type": "Recreate"
    }


def test_deployment_partial_rolling_update() -> None:
    strategy = workload("Deployment", strategy={"rollingUpdate": {"maxSurge": 0}})["spec"][
        "strategy"
    ]
    assert strategy == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "25%"},
    }


def test_replica_set_defaults() -> None:
    assert workload("ReplicaSet")["spec"]["replicas"] == 1
    assert workload("ReplicaSet", replicas=0)["spec"]["replicas"] == 0


def test_daemon_set_defaults() -> None:
    spec = workload("DaemonSet")["spec"]
    assert spec["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert spec["revisionHistoryLimit"] == 10
    assert "replicas" not in spec
    assert workload("DaemonSet", updateStrategy={"type": "OnDelete"})["spec"]["updateStrategy"] == {
        "type": "OnDelete"
    }


def test_stateful_set_defaults() -> None:
    spec = workload(
        "StatefulSet", volumeClaimTemplates=[{"metadata": {"name": "data"}, "spec": {}}]
    )["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["replicas"] == 1
    assert spec["revisionHistoryLimit"] == 10
    claim = spec["volumeClaimTemplates"][0]
    assert claim["spec"]["volumeMode"] == "Filesystem"
    assert claim["status"] == {"phase": "Pending"}


def test_stateful_set_explicit_rolling_update_type_without_body() -> None:
    # upstream only creates rollingUpdate when it also defaulted the type
    spec = workload("StatefulSet", updateStrategy={"type": "RollingUpdate"})["spec"]
    assert spec["updateStrategy"] == {"type": "RollingUpdate"}


# --- batch ---------------------------------------------------------------------------------------


def job(**spec: Any) -> Obj:
    template = {
        "metadata": {"labels": {"app": "work"}},
        "spec": {"containers": [container()], "restartPolicy": "Never"},
    }
    obj = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default", "uid": "u-1"},
        "spec": {"template": template, **spec},
    }
    return apply_defaults(obj)


def test_job_defaults() -> None:
    obj = job()
    spec = obj["spec"]
    assert (spec["completions"], spec["parallelism"], spec["backoffLimit"]) == (1, 1, 6)
    assert spec["completionMode"] == "NonIndexed"
    assert spec["suspend"] is False
    assert spec["podReplacementPolicy"] == "TerminatingOrFailed"
    assert obj["metadata"]["labels"] == {"app": "work"}  # copied from the template
    assert spec["template"]["spec"]["dnsPolicy"] == "ClusterFirst"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, (1, 1)),
        ({"completions": 5}, (5, 1)),
        ({"parallelism": 3}, (None, 3)),
        ({"completions": 5, "parallelism": 2}, (5, 2)),
    ],
)
def test_job_completions_parallelism(given: Obj, expected: tuple[int | None, int]) -> None:
    spec = job(**given)["spec"]
    assert (spec.get("completions"), spec["parallelism"]) == expected


def test_job_backoff_limit_per_index_and_pod_failure_policy() -> None:
    spec = job(
        backoffLimitPerIndex=1,
        podFailurePolicy={
            "rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]
        },
    )["spec"]
    assert spec["backoffLimit"] == 2**31 - 1
    assert spec["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"] == "True"
    assert spec["podReplacementPolicy"] == "Failed"


def test_job_generate_selector() -> None:
    obj = job_generate_selector(job())
    assert obj["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}}
    assert obj["spec"]["template"]["metadata"]["labels"] == {
        "app": "work",
        "job-name": "pi",
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": "u-1",
        "batch.kubernetes.io/controller-uid": "u-1",
    }
    assert validate_object(obj) == []


def test_unlabelled_job_shows_generated_labels() -> None:
    obj = apply_defaults(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "pi", "namespace": "default", "uid": "u-1"},
            "spec": {"template": {"spec": {"containers": [container()], "restartPolicy": "Never"}}},
        }
    )
    assert "labels" not in obj["metadata"]
    job_generate_selector(obj)
    assert obj["metadata"]["labels"] == {
        "job-name": "pi",
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": "u-1",
        "batch.kubernetes.io/controller-uid": "u-1",
    }


def test_job_manual_selector_is_left_alone() -> None:
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "work"}})
    before = copy.deepcopy(obj)
    assert job_generate_selector(obj) == before


def test_cron_job_defaults() -> None:
    obj = apply_defaults(
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "tick", "namespace": "default"},
            "spec": {
                "schedule": "@hourly",
                "jobTemplate": {"spec": {"template": {"spec": {"containers": [container()]}}}},
            },
        }
    )
    spec = obj["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"]) == ("Allow", False)
    assert (spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == (3, 1)
    job_spec = spec["jobTemplate"]["spec"]
    assert "backoffLimit" not in job_spec  # a JobTemplateSpec is not Job-defaulted upstream
    assert job_spec["template"]["spec"]["restartPolicy"] == "Always"


# --- properties ----------------------------------------------------------------------------------

_containers = st.lists(
    st.fixed_dictionaries(
        {
            "image": st.sampled_from(
                ["nginx", "nginx:1.25", "busybox:latest", "app@sha256:" + "b" * 64]
            )
        },
        optional={
            "imagePullPolicy": st.sampled_from(["Always", "IfNotPresent", "Never"]),
            "ports": st.lists(
                st.fixed_dictionaries(
                    {"containerPort": st.integers(1, 65535)},
                    optional={"protocol": st.sampled_from(["TCP", "UDP"])},
                ),
                max_size=2,
            ),
            "resources": st.fixed_dictionaries(
                {},
                optional={
                    "limits": st.just({"cpu": "2", "memory": "1Gi"}),
                    "requests": st.just({"cpu": "1"}),
                },
            ),
            "livenessProbe": st.fixed_dictionaries(
                {"tcpSocket": st.just({"port": 80})}, optional={"periodSeconds": st.integers(1, 60)}
            ),
            "readinessProbe": st.fixed_dictionaries(
                {"httpGet": st.just({"port": 8080})},
                optional={"successThreshold": st.integers(1, 3)},
            ),
        },
    ),
    min_size=1,
    max_size=3,
)
_pod_specs = st.fixed_dictionaries(
    {"containers": _containers},
    optional={
        "restartPolicy": st.sampled_from(["Always", "OnFailure", "Never"]),
        "dnsPolicy": st.sampled_from(["ClusterFirst", "Default", "ClusterFirstWithHostNet"]),
        "terminationGracePeriodSeconds": st.integers(0, 120),
        "volumes": st.just([{"name": "scratch"}, {"name": "cfg", "configMap": {"name": "c"}}]),
        "hostNetwork": st.booleans(),
        "enableServiceLinks": st.booleans(),
    },
)


def _name_containers(spec: Obj) -> Obj:
    for i, ctr in enumerate(spec["containers"]):
        ctr["name"] = f"c{i}"
    return spec


def _objects(kind: str, spec: Obj) -> Obj:
    spec = _name_containers(spec)
    meta = {"name": "obj", "namespace": "default", "uid": "uid-1"}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
    template = {"metadata": {"labels": {"app": "x"}}, "spec": spec}
    if kind == "Job":
        spec["restartPolicy"] = "Never"
        return job_generate_selector(
            {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "metadata": meta,
                "spec": {"template": template},
            }
        )
    if kind == "CronJob":
        spec["restartPolicy"] = "OnFailure"
        body = {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": template}}}
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": body}
    spec["restartPolicy"] = "Always"
    body = {"selector": {"matchLabels": {"app": "x"}}, "template": template}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": body}


KINDS = ["Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"]


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(KINDS), spec=_pod_specs)
def test_defaulting_is_idempotent_and_keeps_valid_objects_valid(kind: str, spec: Obj) -> None:
    if spec.get("hostNetwork"):
        for ctr in spec["containers"]:
            ctr.pop("ports", None)  # hostNetwork ports must match hostPort; keep the object valid
    once = apply_defaults(_objects(kind, copy.deepcopy(spec)))
    twice = apply_defaults(copy.deepcopy(once))
    assert twice == once
    if validate_object(once) == []:
        assert validate_object(apply_defaults(copy.deepcopy(twice))) == []


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(KINDS), spec=_pod_specs)
def test_generated_valid_objects_are_valid(kind: str, spec: Obj) -> None:
    if spec.get("hostNetwork"):
        for ctr in spec["containers"]:
            ctr.pop("ports", None)
    for ctr in spec["containers"]:  # the generator may pick requests above limits otherwise
        ctr.pop("resources", None)
        ctr.pop("ports", None)  # random host-network-free ports never clash, but keep it simple
    obj = apply_defaults(_objects(kind, spec))
    assert validate_object(obj) == []
