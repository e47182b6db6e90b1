"""Pod validation: representative cases of upstream `pkg/apis/core/validation/validation_test.go`
(TestValidateContainers, TestValidateInitContainers, TestValidatePodSpec, TestValidatePodCreate,
TestValidatePodUpdate): the error type and field path must match upstream's."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.field import Path
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.api.validation.pod import validate_pod_spec

Obj = dict[str, Any]


def ctr(name: str = "ctr", **extra: Any) -> Obj:
    """A valid defaulted container, like upstream's test fixtures."""
    base = {
        "name": name,
        "image": "image",
        "imagePullPolicy": "IfNotPresent",
        "terminationMessagePolicy": "File",
    }
    return {**base, **extra}


def pod_spec(**extra: Any) -> Obj:
    base = {
        "containers": [ctr()],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
        "terminationGracePeriodSeconds": 30,
    }
    return {**base, **extra}


def errors(spec: Obj) -> set[tuple[str, str]]:
    return {(e.type, e.field) for e in validate_pod_spec(spec, Path("spec"))}


def pod(**spec: Any) -> Obj:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}], **spec},
    }
    return apply_defaults(obj)


# --- containers (TestValidateContainers) ---------------------------------------------------------

CONTAINER_ERRORS = [
    ("zero-length name", [ctr("")], ("Required value", "spec.containers[0].name")),
    ("name > 63 characters", [ctr("a" * 64)], ("Invalid value", "spec.containers[0].name")),
    ("name not a DNS label", [ctr("a.b.c")], ("Invalid value", "spec.containers[0].name")),
    ("name not unique", [ctr("abc"), ctr("abc")], ("Duplicate value", "spec.containers[1].name")),
    ("zero-length image", [ctr(image="")], ("Required value", "spec.containers[0].image")),
    (
        "host port not unique",
        [
            ctr("abc", ports=[{"containerPort": 80, "hostPort": 80, "protocol": "TCP"}]),
            ctr("def", ports=[{"containerPort": 81, "hostPort": 80, "protocol": "TCP"}]),
        ],
        ("Duplicate value", "spec.containers[1].ports[0].hostPort"),
    ),
    (
        "invalid env var name",
        [ctr(env=[{"name": "a=b", "value": "valueA"}])],
        ("Invalid value", "spec.containers[0].env[0].name"),
    ),
    (
        "unknown volume name",
        [ctr(volumeMounts=[{"name": "anything", "mountPath": "/foo"}])],
        ("Not found", "spec.containers[0].volumeMounts[0].name"),
    ),
    (
        "invalid lifecycle, no exec command",
        [ctr(lifecycle={"preStop": {"exec": {}}})],
        ("Required value", "spec.containers[0].lifecycle.preStop.exec.command"),
    ),
    (
        "invalid lifecycle, no http path",
        [ctr(lifecycle={"preStop": {"httpGet": {"port": 80, "scheme": "HTTP"}}})],
        ("Required value", "spec.containers[0].lifecycle.preStop.httpGet.path"),
    ),
    (
        "invalid lifecycle, no action",
        [ctr(lifecycle={"preStop": {}})],
        ("Required value", "spec.containers[0].lifecycle.preStop"),
    ),
    (
        "invalid readiness probe, terminationGracePeriodSeconds set",
        [
            ctr(
                readinessProbe={
                    "tcpSocket": {"port": 80},
                    "successThreshold": 1,
                    "terminationGracePeriodSeconds": 10,
                }
            )
        ],
        ("Invalid value", "spec.containers[0].readinessProbe.terminationGracePeriodSeconds"),
    ),
    (
        "invalid liveness probe, no tcp socket port",
        [ctr(livenessProbe={"tcpSocket": {"port": 0}, "successThreshold": 1})],
        ("Invalid value", "spec.containers[0].livenessProbe.tcpSocket.port"),
    ),
    (
        "invalid liveness probe, no action",
        [ctr(livenessProbe={"successThreshold": 1})],
        ("Required value", "spec.containers[0].livenessProbe"),
    ),
    (
        "invalid liveness probe, successThreshold != 1",
        [ctr(livenessProbe={"tcpSocket": {"port": 80}, "successThreshold": 2})],
        ("Invalid value", "spec.containers[0].livenessProbe.successThreshold"),
    ),
    (
        "invalid startup probe, successThreshold != 1",
        [ctr(startupProbe={"tcpSocket": {"port": 80}, "successThreshold": 2})],
        ("Invalid value", "spec.containers[0].startupProbe.successThreshold"),
    ),
    (
        "invalid liveness probe, negative numbers",
        [
            ctr(
                livenessProbe={
                    "tcpSocket": {"port": 80},
                    "successThreshold": 1,
                    "periodSeconds": -1,
                }
            )
        ],
        ("Invalid value", "spec.containers[0].livenessProbe.periodSeconds"),
    ),
    (
        "invalid message termination policy",
        [ctr(terminationMessagePolicy="Unknown")],
        ("Unsupported value", "spec.containers[0].terminationMessagePolicy"),
    ),
    (
        "empty message termination policy",
        [ctr(terminationMessagePolicy="")],
        ("Required value", "spec.containers[0].terminationMessagePolicy"),
    ),
    (
        "invalid image pull policy",
        [ctr(imagePullPolicy="BadPolicy")],
        ("Unsupported value", "spec.containers[0].imagePullPolicy"),
    ),
    (
        "invalid compute resource",
        [ctr(resources={"limits": {"disk": "10G"}})],
        ("Invalid value", "spec.containers[0].resources.limits[disk]"),
    ),
    (
        "Resource CPU invalid",
        [ctr(resources={"limits": {"cpu": "-10"}})],
        ("Invalid value", "spec.containers[0].resources.limits[cpu]"),
    ),
    (
        "Resource Requests CPU invalid",
        [ctr(resources={"requests": {"cpu": "-10"}})],
        ("Invalid value", "spec.containers[0].resources.requests[cpu]"),
    ),
    (
        "Resource Memory invalid",
        [ctr(resources={"limits": {"memory": "-10"}})],
        ("Invalid value", "spec.containers[0].resources.limits[memory]"),
    ),
    (
        "Request limit simple invalid",
        [ctr(resources={"limits": {"cpu": "5"}, "requests": {"cpu": "6"}})],
        ("Invalid value", "spec.containers[0].resources.requests"),
    ),
    (
        "Invalid storage limit request",
        [ctr(resources={"limits": {"attachable-volumes-aws-ebs": "10"}})],
        ("Invalid value", "spec.containers[0].resources.limits[attachable-volumes-aws-ebs]"),
    ),
    (
        "extended resource requested without a limit",
        [ctr(resources={"requests": {"example.com/a": "2"}})],
        ("Required value", "spec.containers[0].resources.limits"),
    ),
    (
        "extended resource request != limit",
        [ctr(resources={"requests": {"example.com/a": "2"}, "limits": {"example.com/a": "3"}})],
        ("Invalid value", "spec.containers[0].resources.requests"),
    ),
    (
        "extended resource fractional",
        [
            ctr(
                resources={
                    "requests": {"example.com/a": "500m"},
                    "limits": {"example.com/a": "500m"},
                }
            )
        ],
        ("Invalid value", "spec.containers[0].resources.requests[example.com/a]"),
    ),
    (
        "invalid port name",
        [ctr(ports=[{"name": "-port", "containerPort": 80, "protocol": "TCP"}])],
        ("Invalid value", "spec.containers[0].ports[0].name"),
    ),
    (
        "invalid container port",
        [ctr(ports=[{"containerPort": 65536, "protocol": "TCP"}])],
        ("Invalid value", "spec.containers[0].ports[0].containerPort"),
    ),
    (
        "missing container port",
        [ctr(ports=[{"containerPort": 0, "protocol": "TCP"}])],
        ("Required value", "spec.containers[0].ports[0].containerPort"),
    ),
    (
        "invalid protocol",
        [ctr(ports=[{"containerPort": 80, "protocol": "BAD"}])],
        ("Unsupported value", "spec.containers[0].ports[0].protocol"),
    ),
    (
        "duplicate port name",
        [
            ctr(
                ports=[
                    {"name": "http", "containerPort": 80, "protocol": "TCP"},
                    {"name": "http", "containerPort": 81, "protocol": "TCP"},
                ]
            )
        ],
        ("Duplicate value", "spec.containers[0].ports[1].name"),
    ),
    (
        "env valueFrom with two sources",
        [
            ctr(
                env=[
                    {
                        "name": "abc",
                        "valueFrom": {
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"},
                            "secretKeyRef": {"name": "a-secret", "key": "a-key"},
                        },
                    }
                ]
            )
        ],
        ("Invalid value", "spec.containers[0].env[0].valueFrom"),
    ),
    (
        "env valueFrom with value",
        [
            ctr(
                env=[
                    {
                        "name": "abc",
                        "value": "foo",
                        "valueFrom": {
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}
                        },
                    }
                ]
            )
        ],
        ("Invalid value", "spec.containers[0].env[0].valueFrom"),
    ),
    (
        "env unsupported fieldPath",
        [
            ctr(
                env=[
                    {
                        "name": "abc",
                        "valueFrom": {
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "status.phase"}
                        },
                    }
                ]
            )
        ],
        ("Unsupported value", "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"),
    ),
    (
        "env missing configMapKeyRef key",
        [ctr(env=[{"name": "abc", "valueFrom": {"configMapKeyRef": {"name": "cm"}}}])],
        ("Required value", "spec.containers[0].env[0].valueFrom.configMapKeyRef.key"),
    ),
    (
        "envFrom without a source",
        [ctr(envFrom=[{"prefix": "pre_"}])],
        ("Invalid value", "spec.containers[0].envFrom"),
    ),
    (
        "envFrom with invalid prefix",
        [ctr(envFrom=[{"prefix": "a=b", "configMapRef": {"name": "cm"}}])],
        ("Invalid value", "spec.containers[0].envFrom[0].prefix"),
    ),
    (
        "restartPolicy on a regular container",
        [ctr(restartPolicy="Always")],
        ("Forbidden", "spec.containers[0].restartPolicy"),
    ),
]


@pytest.mark.parametrize(
    ("containers", "expected"),
    [pytest.param(c, e, id=name) for name, c, e in CONTAINER_ERRORS],
)
def test_container_errors(containers: list[Obj], expected: tuple[str, str]) -> None:
    assert expected in errors(pod_spec(containers=containers))


def test_request_limit_message_is_upstreams() -> None:
    spec = pod_spec(containers=[ctr(resources={"limits": {"cpu": "1"}, "requests": {"cpu": "2"}})])
    messages = [str(e) for e in validate_pod_spec(spec, Path("spec"))]
    assert messages == [
        'spec.containers[0].resources.requests: Invalid value: "2": '
        "must be less than or equal to cpu limit of 1"
    ]


def test_duplicate_container_message() -> None:
    spec = pod_spec(containers=[ctr("web"), ctr("web")])
    assert [str(e) for e in validate_pod_spec(spec, Path("spec"))] == [
        'spec.containers[1].name: Duplicate value: "web"'
    ]


def test_volume_mount_rules() -> None:
    spec = pod_spec(
        volumes=[{"name": "vol", "emptyDir": {}}],
        containers=[
            ctr(
                volumeMounts=[
                    {"name": "vol", "mountPath": "/a"},
                    {"name": "vol", "mountPath": "/a"},
                    {"name": "vol", "mountPath": ""},
                    {"name": "vol", "mountPath": "/b", "subPath": "/abs"},
                    {"name": "vol", "mountPath": "/c", "subPath": "../up"},
                ]
            )
        ],
    )
    assert errors(spec) == {
        ("Invalid value", "spec.containers[0].volumeMounts[1].mountPath"),
        ("Required value", "spec.containers[0].volumeMounts[2].mountPath"),
        ("Invalid value", "spec.containers[0].volumeMounts.subPath"),  # sic: upstream's path
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("my.env-name", set()),
        ("MY_ENV.NAME", set()),
        ("1ABC", {("Invalid value", "spec.containers[0].env[0].name")}),
        ("with space", {("Invalid value", "spec.containers[0].env[0].name")}),
        ("ünïcode", {("Invalid value", "spec.containers[0].env[0].name")}),
        ("..x", {("Invalid value", "spec.containers[0].env[0].name")}),
        ("", {("Required value", "spec.containers[0].env[0].name")}),
    ],
)
def test_env_var_names_are_strict_in_v1_31(name: str, expected: set[tuple[str, str]]) -> None:
    """RelaxedEnvironmentVariableValidation is alpha (off) in v1.31: `IsEnvVarName` applies."""
    spec = pod_spec(containers=[ctr(env=[{"name": name, "value": "v"}])])
    assert errors(spec) == expected


def test_valid_containers() -> None:
    containers = [
        ctr("abc"),
        ctr("123"),
        ctr("abc-123"),
        ctr(
            "life-123",
            lifecycle={"preStop": {"exec": {"command": ["ls", "-l"]}}},
            livenessProbe={
                "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                "successThreshold": 1,
            },
            readinessProbe={"tcpSocket": {"port": "http"}, "successThreshold": 3},
            startupProbe={"grpc": {"port": 9000}, "successThreshold": 1},
            ports=[{"name": "http", "containerPort": 80, "protocol": "TCP"}],
            env=[
                {"name": "ABC", "value": "value"},
                {
                    "name": "a.b-c",
                    "valueFrom": {
                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels['x']"}
                    },
                },
                {"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
            ],
            envFrom=[
                {"configMapRef": {"name": "cm"}},
                {"prefix": "P_", "secretRef": {"name": "s"}},
            ],
            resources={
                "limits": {"cpu": "10", "memory": "1Gi", "example.com/gpu": "2"},
                "requests": {"cpu": "1", "memory": "512Mi", "example.com/gpu": "2"},
            },
        ),
    ]
    assert errors(pod_spec(containers=containers)) == set()


# --- init containers -----------------------------------------------------------------------------


def test_init_container_name_clashes_with_container() -> None:
    spec = pod_spec(initContainers=[ctr("ctr")])
    assert errors(spec) == {("Duplicate value", "spec.initContainers[0].name")}


@pytest.mark.parametrize("probe", ["livenessProbe", "readinessProbe", "startupProbe"])
def test_init_container_probes_forbidden(probe: str) -> None:
    handler = {"tcpSocket": {"port": 80}, "successThreshold": 1}
    spec = pod_spec(initContainers=[ctr("init", **{probe: handler})])
    assert ("Forbidden", f"spec.initContainers[0].{probe}") in errors(spec)


def test_sidecar_init_container_may_have_probes() -> None:
    probe = {"tcpSocket": {"port": 80}, "successThreshold": 1}
    spec = pod_spec(initContainers=[ctr("side", restartPolicy="Always", livenessProbe=probe)])
    assert errors(spec) == set()
    bad = pod_spec(initContainers=[ctr("side", restartPolicy="OnFailure")])
    assert errors(bad) == {("Unsupported value", "spec.initContainers[0].restartPolicy")}


# --- pod spec (TestValidatePodSpec) -------------------------------------------------------------

POD_SPEC_ERRORS = [
    ("no containers", {"containers": []}, ("Required value", "spec.containers")),
    ("bad DNS policy", {"dnsPolicy": "invalid"}, ("Unsupported value", "spec.dnsPolicy")),
    (
        "bad restart policy",
        {"restartPolicy": "UnknowPolicy"},
        ("Unsupported value", "spec.restartPolicy"),
    ),
    ("empty restart policy", {"restartPolicy": ""}, ("Required value", "spec.restartPolicy")),
    (
        "bad service account name",
        {"serviceAccountName": "invalidName"},
        ("Invalid value", "spec.serviceAccountName"),
    ),
    ("bad nodeName", {"nodeName": "BAD!"}, ("Invalid value", "spec.nodeName")),
    (
        "bad activeDeadlineSeconds",
        {"activeDeadlineSeconds": 0},
        ("Invalid value", "spec.activeDeadlineSeconds"),
    ),
    (
        "bad hostname",
        {"hostname": "Bad_Host"},
        ("Invalid value", "spec.hostname"),
    ),
    ("bad subdomain", {"subdomain": "a.b"}, ("Invalid value", "spec.subdomain")),
    (
        "bad nodeSelector key",
        {"nodeSelector": {"bad key": "v"}},
        ("Invalid value", "spec.nodeSelector"),
    ),
    (
        "with hostNetwork hostPort not equal to containerPort",
        {
            "hostNetwork": True,
            "containers": [
                ctr(ports=[{"containerPort": 8000, "hostPort": 9000, "protocol": "TCP"}])
            ],
        },
        ("Invalid value", "spec.containers[0].ports[0].containerPort"),
    ),
    (
        "bad runAsUser",
        {"securityContext": {"runAsUser": -1}},
        ("Invalid value", "spec.securityContext.runAsUser"),
    ),
    (
        "bad fsGroup",
        {"securityContext": {"fsGroup": -1}},
        ("Invalid value", "spec.securityContext.fsGroup"),
    ),
    (
        "bad supplementalGroups",
        {"securityContext": {"supplementalGroups": [-1]}},
        ("Invalid value", "spec.securityContext.supplementalGroups[0]"),
    ),
    (
        "shareProcessNamespace with hostPID",
        {"hostPID": True, "securityContext": {"shareProcessNamespace": True}},
        ("Invalid value", "spec.securityContext.shareProcessNamespace"),
    ),
    (
        "missing terminationGracePeriodSeconds",
        {"terminationGracePeriodSeconds": None},
        ("Required value", "spec.terminationGracePeriodSeconds"),
    ),
    (
        "dnsPolicy None without dnsConfig",
        {"dnsPolicy": "None"},
        ("Required value", "spec.dnsConfig"),
    ),
    (
        "too many nameservers",
        {"dnsConfig": {"nameservers": ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]}},
        ("Invalid value", "spec.dnsConfig.nameservers"),
    ),
    (
        "volume with no source",
        {"volumes": [{"name": "vol"}]},
        ("Required value", "spec.volumes[0]"),
    ),
    (
        "volume with two sources",
        {"volumes": [{"name": "vol", "emptyDir": {}, "hostPath": {"path": "/x"}}]},
        ("Forbidden", "spec.volumes[0].emptyDir"),
    ),
    (
        "volume bad name",
        {"volumes": [{"name": "Bad", "emptyDir": {}}]},
        ("Invalid value", "spec.volumes[0].name"),
    ),
    (
        "volume duplicate name",
        {"volumes": [{"name": "v", "emptyDir": {}}, {"name": "v", "emptyDir": {}}]},
        ("Duplicate value", "spec.volumes[1].name"),
    ),
    (
        "secret volume without name",
        {"volumes": [{"name": "v", "secret": {}}]},
        ("Required value", "spec.volumes[0].secret.secretName"),
    ),
    (
        "secret volume bad mode",
        {"volumes": [{"name": "v", "secret": {"secretName": "s", "defaultMode": 0o1000}}]},
        ("Invalid value", "spec.volumes[0].secret.defaultMode"),
    ),
    (
        "pvc volume without claimName",
        {"volumes": [{"name": "v", "persistentVolumeClaim": {}}]},
        ("Required value", "spec.volumes[0].persistentVolumeClaim.claimName"),
    ),
    (
        "hostPath with ..",
        {"volumes": [{"name": "v", "hostPath": {"path": "/a/../b", "type": ""}}]},
        ("Invalid value", "spec.volumes[0].hostPath.path"),
    ),
    (
        "toleration: empty key with Equal",
        {"tolerations": [{"operator": "Equal", "value": "bar", "effect": "NoSchedule"}]},
        ("Invalid value", "spec.tolerations[0].operator"),
    ),
    (
        "toleration: Exists with value",
        {"tolerations": [{"key": "foo", "operator": "Exists", "value": "bar"}]},
        ("Invalid value", "spec.tolerations[0].operator"),
    ),
    (
        "toleration: tolerationSeconds without NoExecute",
        {
            "tolerations": [
                {
                    "key": "foo",
                    "operator": "Exists",
                    "effect": "NoSchedule",
                    "tolerationSeconds": 20,
                }
            ]
        },
        ("Invalid value", "spec.tolerations[0].effect"),
    ),
    (
        "toleration: bad effect",
        {"tolerations": [{"key": "foo", "operator": "Exists", "effect": "Sometimes"}]},
        ("Unsupported value", "spec.tolerations[0].effect"),
    ),
    (
        "toleration: bad operator",
        {"tolerations": [{"key": "foo", "operator": "In"}]},
        ("Unsupported value", "spec.tolerations[0].operator"),
    ),
    (
        "node affinity: no terms",
        {
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}
                }
            }
        },
        (
            "Required value",
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
        ),
    ),
    (
        "node affinity: In without values",
        {
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {"matchExpressions": [{"key": "k", "operator": "In"}]}
                        ]
                    }
                }
            }
        },
        (
            "Required value",
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            ".nodeSelectorTerms[0].matchExpressions[0].values",
        ),
    ),
    (
        "node affinity: bad weight",
        {
            "affinity": {
                "nodeAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 199,
                            "preference": {
                                "matchExpressions": [{"key": "k", "operator": "Exists"}]
                            },
                        }
                    ]
                }
            }
        },
        (
            "Invalid value",
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
        ),
    ),
    (
        "pod affinity: empty topologyKey",
        {
            "affinity": {
                "podAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"labelSelector": {"matchLabels": {"a": "b"}}, "topologyKey": ""}
                    ]
                }
            }
        },
        (
            "Required value",
            "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey",
        ),
    ),
]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [pytest.param(extra, e, id=name) for name, extra, e in POD_SPEC_ERRORS],
)
def test_pod_spec_errors(extra: Obj, expected: tuple[str, str]) -> None:
    assert expected in errors(pod_spec(**extra))


def test_upstream_bad_fs_group_max_int32_plus_one() -> None:
    spec = pod_spec(securityContext={"fsGroup": 2147483648})
    assert ("Invalid value", "spec.securityContext.fsGroup") in errors(spec)


def test_valid_pod_spec_with_everything() -> None:
    spec = pod_spec(
        volumes=[
            {"name": "cfg", "configMap": {"name": "cm", "defaultMode": 0o644}},
            {"name": "sec", "secret": {"secretName": "s"}},
            {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
        ],
        containers=[ctr(volumeMounts=[{"name": "cfg", "mountPath": "/etc/cfg"}])],
        tolerations=[
            {"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"},
            {"operator": "Exists"},
            {"key": "t", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30},
        ],
        affinity={
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
                    ]
                }
            },
            "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 100,
                        "podAffinityTerm": {
                            "labelSelector": {"matchLabels": {"app": "web"}},
                            "topologyKey": "kubernetes.io/hostname",
                        },
                    }
                ]
            },
        },
        nodeSelector={"disktype": "ssd"},
        securityContext={"runAsUser": 1000, "fsGroup": 2000, "supplementalGroups": [3000]},
        activeDeadlineSeconds=30,
        hostname="web-0",
        subdomain="web",
        serviceAccountName="builder",
    )
    assert errors(spec) == set()


# --- pod create and update -----------------------------------------------------------------------


def test_defaulted_pod_is_valid() -> None:
    assert validate_object(pod()) == []


def test_pod_metadata_is_validated() -> None:
    obj = pod()
    obj["metadata"]["name"] = "Bad_Name"
    assert [(e.type, e.field) for e in validate_object(obj)] == [("Invalid value", "metadata.name")]


def test_pod_image_whitespace() -> None:
    obj = pod()
    obj["spec"]["containers"][0]["image"] = " nginx "
    assert ("Invalid value", "spec.containers[0].image") in {
        (e.type, e.field) for e in validate_object(obj)
    }


def test_projected_token_needs_service_account() -> None:
    obj = pod(
        volumes=[
            {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}
        ]
    )
    fields = {(e.type, e.field) for e in validate_object(obj)}
    assert ("Forbidden", "spec.volumes[0].projected.sources[0].serviceAccountToken") in fields


def _updated(old: Obj, mutate: Any) -> Obj:
    new = copy.deepcopy(old)
    new["metadata"]["resourceVersion"] = "2"
    mutate(new["spec"])
    return new


def _stored(**spec: Any) -> Obj:
    obj = pod(**spec)
    obj["metadata"]["resourceVersion"] = "1"
    return obj


def _update_errors(old: Obj, mutate: Any) -> set[tuple[str, str]]:
    return {(e.type, e.field) for e in validate_object_update(_updated(old, mutate), old)}


def test_pod_update_image_change_is_allowed() -> None:
    assert (
        _update_errors(_stored(), lambda s: s["containers"][0].update(image="nginx:1.26")) == set()
    )


def test_pod_update_image_to_empty() -> None:
    errs = _update_errors(_stored(), lambda s: s["containers"][0].update(image=""))
    assert ("Required value", "spec.containers[0].image") in errs


def test_pod_update_port_change_is_forbidden_with_upstream_message() -> None:
    old = _stored()
    new = _updated(
        old, lambda s: s["containers"][0].update(ports=[{"containerPort": 80, "protocol": "TCP"}])
    )
    (error,) = validate_object_update(new, old)
    assert (error.type, error.field) == ("Forbidden", "spec")
    assert str(error).startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
        "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
        "set to 1 if it was previously negative)\n"
    )


def test_pod_update_container_added() -> None:
    errs = _update_errors(_stored(), lambda s: s["containers"].append(ctr("two")))
    assert errs == {("Forbidden", "spec.containers")}


@pytest.mark.parametrize(
    ("old_value", "new_value", "ok"),
    [(None, 30, True), (30, 10, True), (30, 40, False), (30, None, False), (None, -1, False)],
)
def test_pod_update_active_deadline(old_value: int | None, new_value: int | None, ok: bool) -> None:
    old = _stored(**({"activeDeadlineSeconds": old_value} if old_value is not None else {}))

    def mutate(spec: Obj) -> None:
        spec.pop("activeDeadlineSeconds", None)
        if new_value is not None:
            spec["activeDeadlineSeconds"] = new_value

    errs = _update_errors(old, mutate)
    assert (("Invalid value", "spec.activeDeadlineSeconds") in errs) is not ok
    if ok:
        assert errs == set()


def test_pod_update_tolerations_only_additions() -> None:
    tol = {"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}
    old = _stored(tolerations=[tol])
    added = _update_errors(
        old, lambda s: s["tolerations"].append({"key": "j", "operator": "Exists"})
    )
    assert added == set()
    seconds = _update_errors(old, lambda s: s["tolerations"][0].update(tolerationSeconds=5))
    assert seconds == set()
    removed = _update_errors(old, lambda s: s.update(tolerations=[]))
    assert ("Forbidden", "spec.tolerations") in removed


def test_pod_update_node_name_change_forbidden() -> None:
    old = _stored(nodeName="node-a")
    assert _update_errors(old, lambda s: s.update(nodeName="node-b")) == {("Forbidden", "spec")}


def test_pod_update_scheduling_gates_only_deletions() -> None:
    old = _stored(schedulingGates=[{"name": "a"}])
    assert _update_errors(old, lambda s: s.update(schedulingGates=[])) == set()
    errs = _update_errors(old, lambda s: s["schedulingGates"].append({"name": "b"}))
    assert ("Forbidden", "spec.schedulingGates[1].name") in errs


def test_pod_update_skips_create_only_rules() -> None:
    # upstream ValidatePodCreate forbids ephemeralContainers ("cannot be set on create") and a
    # nodeName with schedulingGates; ValidatePodUpdate does not (the subresource adds the
    # former), so a pod that has them keeps accepting ordinary updates.
    debug = {
        "name": "debug",
        "image": "busybox",
        "imagePullPolicy": "IfNotPresent",
        "terminationMessagePolicy": "File",
    }
    old = _stored(ephemeralContainers=[debug])
    assert ("Forbidden", "spec.ephemeralContainers") in {
        (e.type, e.field) for e in validate_object(old)
    }
    assert _update_errors(old, lambda s: s["containers"][0].update(image="nginx:1.26")) == set()


def test_pod_update_still_validates_metadata_and_spec() -> None:
    old = _stored()
    new = _updated(old, lambda s: s["containers"][0].update(image=" nginx:1.26"))
    new["metadata"]["labels"] = {"bad key!": "v"}
    assert {(e.type, e.field) for e in validate_object_update(new, old)} == {
        ("Invalid value", "spec.containers[0].image"),
        ("Invalid value", "metadata.labels"),
    }
