"""Upstream v1.31 `TestValidateContainers` tables (`pkg/apis/core/validation/validation_test.go`),
ported row by row: the (type, field) list must equal upstream's, in order, as its `cmp.Diff`
(which ignores BadValue and Detail) checks. Rows left out: "privilege disabled" (minik8s does not
model the apiserver's --allow-privileged capability) and the resizePolicy rows (in-place resize
is not modelled)."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.field import OMIT, Path
from minik8s.api.validation.pod_containers import (
    validate_container_ports,
    validate_containers,
    validate_init_containers,
    validate_volume_mounts,
)

Obj = dict[str, Any]
GRACE = 30  # upstream's defaultGracePeriod


def ctr(name: str = "abc", **extra: Any) -> Obj:
    base = {"name": name, "image": "image", "imagePullPolicy": "IfNotPresent"}
    return {**base, "terminationMessagePolicy": "File", **extra}


def found(containers: list[Obj]) -> list[tuple[str, str]]:
    errs = validate_containers(containers, {}, Path("containers"), GRACE)
    return [(e.type, e.field) for e in errs]


def resources(cpu: str = "", memory: str = "") -> Obj:
    """upstream's `getResources`: only the non-empty quantities."""
    return {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}


TCP80 = {"tcpSocket": {"port": 80}}
NEGATIVE = {
    "initialDelaySeconds": -1,
    "timeoutSeconds": -1,
    "periodSeconds": -1,
    "successThreshold": -1,
    "failureThreshold": -1,
    "terminationGracePeriodSeconds": -1,
}
TIMINGS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold")


def test_success_case() -> None:
    containers = [
        ctr("abc"),
        ctr("def", image=" "),  # backwards compatibility: templates may hold " "
        ctr("ghi", image=" some  "),
        ctr("123"),
        ctr("abc-123"),
        ctr("life-123", lifecycle={"preStop": {"exec": {"command": ["ls", "-l"]}}}),
        ctr(
            "resources-test",
            resources={"limits": {"cpu": "10", "memory": "10G", "my.org/resource": "10"}},
        ),
        ctr(
            "resources-test-with-request-and-limit",
            resources={
                "requests": {"cpu": "10", "memory": "10G"},
                "limits": {"cpu": "10", "memory": "10G"},
            },
        ),
        ctr(
            "resources-request-limit-simple",
            resources={"requests": {"cpu": "8"}, "limits": {"cpu": "10"}},
        ),
        ctr(
            "resources-request-limit-edge",
            resources={
                "requests": {"cpu": "10", "memory": "10G", "my.org/resource": "10"},
                "limits": {"cpu": "10", "memory": "10G", "my.org/resource": "10"},
            },
        ),
        ctr(
            "resources-request-limit-partials",
            resources={
                "requests": {"cpu": "9.5", "memory": "10G"},
                "limits": {"cpu": "10", "my.org/resource": "10"},
            },
        ),
        ctr("resources-request", resources={"requests": {"cpu": "9.5", "memory": "10G"}}),
        ctr(
            "same-host-port-different-protocol",
            ports=[
                {"containerPort": 80, "hostPort": 80, "protocol": "TCP"},
                {"containerPort": 80, "hostPort": 80, "protocol": "UDP"},
            ],
        ),
        ctr(
            "fallback-to-logs-termination-message", terminationMessagePolicy="FallbackToLogsOnError"
        ),
        ctr("file-termination-message"),
        ctr("env-from-source", envFrom=[{"configMapRef": {"name": "test"}}]),
        ctr("live-123", livenessProbe={**TCP80, "successThreshold": 1}),
        ctr("startup-123", startupProbe={**TCP80, "successThreshold": 1}),
    ]
    assert found(containers) == []


ERROR_CASES: list[tuple[str, list[Obj], list[tuple[str, str]]]] = [
    ("zero-length name", [ctr("")], [("Required value", "containers[0].name")]),
    ("zero-length-image", [ctr(image="")], [("Required value", "containers[0].image")]),
    ("name > 63 characters", [ctr("a" * 64)], [("Invalid value", "containers[0].name")]),
    ("name not a DNS label", [ctr("a.b.c")], [("Invalid value", "containers[0].name")]),
    ("name not unique", [ctr(), ctr()], [("Duplicate value", "containers[1].name")]),
    (
        "host port not unique",
        [
            ctr("abc", ports=[{"containerPort": 80, "hostPort": 80, "protocol": "TCP"}]),
            ctr("def", ports=[{"containerPort": 81, "hostPort": 80, "protocol": "TCP"}]),
        ],
        [("Duplicate value", "containers[1].ports[0].hostPort")],
    ),
    (
        "invalid env var name",
        [ctr(env=[{"name": "ev!1"}])],
        [("Invalid value", "containers[0].env[0].name")],
    ),
    (
        "unknown volume name",
        [ctr(volumeMounts=[{"name": "anything", "mountPath": "/foo"}])],
        [("Not found", "containers[0].volumeMounts[0].name")],
    ),
    (
        "invalid lifecycle, no exec command.",
        [ctr("life-123", lifecycle={"preStop": {"exec": {}}})],
        [("Required value", "containers[0].lifecycle.preStop.exec.command")],
    ),
    (
        "invalid lifecycle, no http path.",
        [ctr("life-123", lifecycle={"preStop": {"httpGet": {"port": 80, "scheme": "HTTP"}}})],
        [("Required value", "containers[0].lifecycle.preStop.httpGet.path")],
    ),
    (
        "invalid lifecycle, no http port.",
        [ctr("life-123", lifecycle={"preStop": {"httpGet": {"path": "/", "scheme": "HTTP"}}})],
        [("Invalid value", "containers[0].lifecycle.preStop.httpGet.port")],
    ),
    (
        "invalid lifecycle, no http scheme.",
        [ctr("life-123", lifecycle={"preStop": {"httpGet": {"path": "/", "port": 80}}})],
        [("Unsupported value", "containers[0].lifecycle.preStop.httpGet.scheme")],
    ),
    (
        "invalid lifecycle, no tcp socket port.",
        [ctr("life-123", lifecycle={"preStop": {"tcpSocket": {}}})],
        [("Invalid value", "containers[0].lifecycle.preStop.tcpSocket.port")],
    ),
    (
        "invalid lifecycle, zero tcp socket port.",
        [ctr("life-123", lifecycle={"preStop": {"tcpSocket": {"port": 0}}})],
        [("Invalid value", "containers[0].lifecycle.preStop.tcpSocket.port")],
    ),
    (
        "invalid lifecycle, no action.",
        [ctr("life-123", lifecycle={"preStop": {}})],
        [("Required value", "containers[0].lifecycle.preStop")],
    ),
    (
        "invalid readiness probe, terminationGracePeriodSeconds set.",
        [ctr("life-123", readinessProbe={**TCP80, "terminationGracePeriodSeconds": 10})],
        [("Invalid value", "containers[0].readinessProbe.terminationGracePeriodSeconds")],
    ),
    (
        "invalid liveness probe, no tcp socket port.",
        [ctr("live-123", livenessProbe={"tcpSocket": {}, "successThreshold": 1})],
        [("Invalid value", "containers[0].livenessProbe.tcpSocket.port")],
    ),
    (
        "invalid liveness probe, no action.",
        [ctr("live-123", livenessProbe={"successThreshold": 1})],
        [("Required value", "containers[0].livenessProbe")],
    ),
    (
        "invalid liveness probe, successThreshold != 1",
        [ctr("live-123", livenessProbe={**TCP80, "successThreshold": 2})],
        [("Invalid value", "containers[0].livenessProbe.successThreshold")],
    ),
    (
        "invalid startup probe, successThreshold != 1",
        [ctr("startup-123", startupProbe={**TCP80, "successThreshold": 2})],
        [("Invalid value", "containers[0].startupProbe.successThreshold")],
    ),
    *(
        (
            f"invalid {kind} probe, negative numbers",
            [ctr("live-123", **{f"{kind}Probe": {**TCP80, **NEGATIVE}})],
            [("Invalid value", f"containers[0].{kind}Probe.{key}") for key in TIMINGS]
            + [
                ("Invalid value", f"containers[0].{kind}Probe.failureThreshold"),
                ("Invalid value", f"containers[0].{kind}Probe.terminationGracePeriodSeconds"),
                (
                    ("Invalid value", f"containers[0].{kind}Probe.terminationGracePeriodSeconds")
                    if kind == "readiness"
                    else ("Invalid value", f"containers[0].{kind}Probe.successThreshold")
                ),
            ],
        )
        for kind in ("liveness", "readiness", "startup")
    ),
    (
        "invalid message termination policy",
        [ctr("life-123", terminationMessagePolicy="Unknown")],
        [("Unsupported value", "containers[0].terminationMessagePolicy")],
    ),
    (
        "empty message termination policy",
        [ctr("life-123", terminationMessagePolicy="")],
        [("Required value", "containers[0].terminationMessagePolicy")],
    ),
    (
        "invalid compute resource",
        [ctr("abc-123", resources={"limits": {"disk": "10G"}})],
        [
            ("Invalid value", "containers[0].resources.limits[disk]"),
            ("Invalid value", "containers[0].resources.limits[disk]"),
        ],
    ),
    (
        "Resource CPU invalid",
        [ctr("abc-123", resources={"limits": resources("-10", "0")})],
        [("Invalid value", "containers[0].resources.limits[cpu]")],
    ),
    (
        "Resource Requests CPU invalid",
        [ctr("abc-123", resources={"requests": resources("-10", "0")})],
        [("Invalid value", "containers[0].resources.requests[cpu]")],
    ),
    (
        "Resource Memory invalid",
        [ctr("abc-123", resources={"limits": resources("0", "-10")})],
        [("Invalid value", "containers[0].resources.limits[memory]")],
    ),
    (
        "Request limit simple invalid",
        [
            ctr(
                "abc-123",
                resources={"limits": resources("5", "3"), "requests": resources("6", "3")},
            )
        ],
        [("Invalid value", "containers[0].resources.requests")],
    ),
    (
        "Invalid storage limit request",
        [ctr("abc-123", resources={"limits": {"attachable-volumes-aws-ebs": "10"}})],
        [
            ("Invalid value", "containers[0].resources.limits[attachable-volumes-aws-ebs]"),
            ("Invalid value", "containers[0].resources.limits[attachable-volumes-aws-ebs]"),
        ],
    ),
    (
        "Memory request limit multiple invalid",
        [
            ctr(
                "abc-123",
                resources={"limits": resources("5", "3"), "requests": resources("5", "4")},
            )
        ],
        [("Invalid value", "containers[0].resources.requests")],
    ),
    (
        "Invalid env from",
        [ctr("env-from-source", envFrom=[{"configMapRef": {"name": "$%^&*#"}}])],
        [("Invalid value", "containers[0].envFrom[0].configMapRef.name")],
    ),
    *(
        (
            f"Forbidden RestartPolicy: {policy or 'empty'}",
            [ctr("foo", restartPolicy=policy)],
            [("Forbidden", "containers[0].restartPolicy")],
        )
        for policy in ("Always", "OnFailure", "Never", "invalid", "")
    ),
]


@pytest.mark.parametrize(
    ("containers", "expected"), [pytest.param(c, e, id=n) for n, c, e in ERROR_CASES]
)
def test_error_cases(containers: list[Obj], expected: list[tuple[str, str]]) -> None:
    assert found(containers) == expected


def test_sleep_action_bounded_by_grace_period() -> None:
    """upstream `validateSleepAction` (v1.31): 0 < seconds <= terminationGracePeriodSeconds."""
    for seconds in (0, 31):
        (error,) = validate_containers(
            [ctr(lifecycle={"preStop": {"sleep": {"seconds": seconds}}})], {}, Path("c"), GRACE
        )
        assert str(error) == (
            f"c[0].lifecycle.preStop.sleep: Invalid value: {seconds}: must be greater than 0 and "
            "less than terminationGracePeriodSeconds (30)"
        )
    ok = ctr(lifecycle={"preStop": {"sleep": {"seconds": 30}}})
    assert validate_containers([ok], {}, Path("c"), GRACE) == []


def test_lifecycle_errors_come_before_probe_errors() -> None:
    """upstream validates lifecycle, then liveness, readiness and startup probes."""
    container = ctr(
        lifecycle={"preStop": {}},
        startupProbe={**TCP80, "successThreshold": 2},
        readinessProbe={"successThreshold": 1},
        livenessProbe={**TCP80, "successThreshold": 2},
    )
    assert found([container]) == [
        ("Required value", "containers[0].lifecycle.preStop"),
        ("Invalid value", "containers[0].livenessProbe.successThreshold"),
        ("Required value", "containers[0].readinessProbe"),
        ("Invalid value", "containers[0].startupProbe.successThreshold"),
    ]


def test_init_container_restart_policy_error_precedes_duplicate_name() -> None:
    """upstream `validateInitContainers` checks restartPolicy before the name clash."""
    errs = validate_init_containers(
        [ctr("app", restartPolicy="OnFailure")], [ctr("app")], {}, Path("initContainers"), GRACE
    )
    assert [(e.type, e.field) for e in errs] == [
        ("Unsupported value", "initContainers[0].restartPolicy"),
        ("Duplicate value", "initContainers[0].name"),
    ]


# --- TestValidateInitContainers (BadValue compared too, as upstream's cmp.Diff does) ------------

APP = [ctr("app", image="nginx")]
SIDECAR = {"restartPolicy": "Always"}
INIT_ERRORS: list[tuple[str, list[Obj], list[tuple[str, str, Any]]]] = [
    ("empty name", [ctr("")], [("Required value", "initContainers[0].name", None)]),
    (
        "name collision with regular container",
        [ctr("app")],
        [("Duplicate value", "initContainers[0].name", "app")],
    ),
    (
        "invalid termination message policy",
        [ctr("init", terminationMessagePolicy="Unknown")],
        [("Unsupported value", "initContainers[0].terminationMessagePolicy", "Unknown")],
    ),
    (
        "duplicate names",
        [ctr("init"), ctr("init")],
        [("Duplicate value", "initContainers[1].name", "init")],
    ),
    (
        "duplicate ports",
        [
            ctr(
                "abc",
                ports=[
                    {"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"},
                    {"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"},
                ],
            )
        ],
        [("Duplicate value", "initContainers[0].ports[1].hostPort", "TCP//8080")],
    ),
    (
        "uses disallowed field: Lifecycle",
        [ctr("debug", lifecycle={"preStop": {"exec": {"command": ["ls", "-l"]}}})],
        [("Forbidden", "initContainers[0].lifecycle", None)],
    ),
    (
        "uses disallowed field: LivenessProbe",
        [ctr("debug", livenessProbe={**TCP80, "successThreshold": 1})],
        [("Forbidden", "initContainers[0].livenessProbe", None)],
    ),
    (
        "uses disallowed field: ReadinessProbe",
        [ctr("debug", readinessProbe=TCP80)],
        [("Forbidden", "initContainers[0].readinessProbe", None)],
    ),
    (
        "Container uses disallowed field: StartupProbe",
        [ctr("debug", startupProbe={**TCP80, "successThreshold": 1})],
        [("Forbidden", "initContainers[0].startupProbe", None)],
    ),
    (
        "Disallowed field with other errors should only return a single Forbidden",
        [ctr("debug", startupProbe={**TCP80, **NEGATIVE})],
        [("Forbidden", "initContainers[0].startupProbe", None)],
    ),
    *(
        (
            f"Not supported RestartPolicy: {policy or 'empty'}",
            [ctr("init", restartPolicy=policy)],
            [("Unsupported value", "initContainers[0].restartPolicy", policy)],
        )
        for policy in ("OnFailure", "Never", "invalid", "")
    ),
    (
        "invalid startup probe in restartable container, successThreshold != 1",
        [ctr("restartable-init", **SIDECAR, startupProbe={**TCP80, "successThreshold": 2})],
        [("Invalid value", "initContainers[0].startupProbe.successThreshold", 2)],
    ),
    (
        "invalid readiness probe, terminationGracePeriodSeconds set.",
        [ctr("life-123", **SIDECAR, readinessProbe={**TCP80, "terminationGracePeriodSeconds": 10})],
        [("Invalid value", "initContainers[0].readinessProbe.terminationGracePeriodSeconds", 10)],
    ),
    (
        "invalid liveness probe, successThreshold != 1",
        [ctr("live-123", **SIDECAR, livenessProbe={**TCP80, "successThreshold": 2})],
        [("Invalid value", "initContainers[0].livenessProbe.successThreshold", 2)],
    ),
    (
        "invalid lifecycle, no exec command.",
        [ctr("life-123", **SIDECAR, lifecycle={"preStop": {"exec": {}}})],
        [("Required value", "initContainers[0].lifecycle.preStop.exec.command", None)],
    ),
    (
        "invalid lifecycle, no http path.",
        [
            ctr(
                "life-123",
                **SIDECAR,
                lifecycle={"preStop": {"httpGet": {"port": 80, "scheme": "HTTP"}}},
            )
        ],
        [("Required value", "initContainers[0].lifecycle.preStop.httpGet.path", None)],
    ),
    (
        "invalid lifecycle, no http port.",
        [
            ctr(
                "life-123",
                **SIDECAR,
                lifecycle={"preStop": {"httpGet": {"path": "/", "scheme": "HTTP"}}},
            )
        ],
        [("Invalid value", "initContainers[0].lifecycle.preStop.httpGet.port", 0)],
    ),
    (
        "invalid lifecycle, no http scheme.",
        [ctr("life-123", **SIDECAR, lifecycle={"preStop": {"httpGet": {"path": "/", "port": 80}}})],
        [("Unsupported value", "initContainers[0].lifecycle.preStop.httpGet.scheme", "")],
    ),
    (
        "invalid lifecycle, no tcp socket port.",
        [ctr("life-123", **SIDECAR, lifecycle={"preStop": {"tcpSocket": {}}})],
        [("Invalid value", "initContainers[0].lifecycle.preStop.tcpSocket.port", 0)],
    ),
    (
        "invalid lifecycle, zero tcp socket port.",
        [ctr("life-123", **SIDECAR, lifecycle={"preStop": {"tcpSocket": {"port": 0}}})],
        [("Invalid value", "initContainers[0].lifecycle.preStop.tcpSocket.port", 0)],
    ),
    (
        "invalid lifecycle, no action.",
        [ctr("life-123", **SIDECAR, lifecycle={"preStop": {}})],
        [("Required value", "initContainers[0].lifecycle.preStop", None)],
    ),
]


def test_init_success_case() -> None:
    init = [
        ctr(
            f"container-{i}-same-host-port-different-protocol",
            ports=[
                {"containerPort": 80, "hostPort": 80, "protocol": "TCP"},
                {"containerPort": 80, "hostPort": 80, "protocol": "UDP"},
            ],
        )
        for i in (1, 2)
    ] + [
        ctr(
            "container-3-restart-always-with-lifecycle-hook-and-probes",
            **SIDECAR,
            lifecycle={
                "postStart": {"exec": {"command": ["echo", "post start"]}},
                "preStop": {"exec": {"command": ["echo", "pre stop"]}},
            },
            livenessProbe={**TCP80, "successThreshold": 1},
            readinessProbe=TCP80,
            startupProbe={**TCP80, "successThreshold": 1},
        )
    ]
    assert validate_init_containers(init, APP, {}, Path("field"), GRACE) == []


@pytest.mark.parametrize(
    ("init", "expected"), [pytest.param(c, e, id=n) for n, c, e in INIT_ERRORS]
)
def test_init_error_cases(init: list[Obj], expected: list[tuple[str, str, Any]]) -> None:
    errs = validate_init_containers(init, APP, {}, Path("initContainers"), GRACE)
    got = [(e.type, e.field, None if e.bad_value is OMIT else e.bad_value) for e in errs]
    assert got == expected


# --- TestValidatePorts (type, field substring and detail substring of every error) -------------


def test_ports_success_case() -> None:
    ports = [
        {"name": "abc", "containerPort": 80, "hostPort": 80, "protocol": "TCP"},
        {"name": "easy", "containerPort": 82, "protocol": "TCP"},
        {"name": "as", "containerPort": 83, "protocol": "UDP"},
        {"name": "do-re-me", "containerPort": 84, "protocol": "SCTP"},
        {"containerPort": 85, "protocol": "TCP"},
    ]
    assert validate_container_ports(ports, Path("field")) == []


PORT_ERRORS: list[tuple[str, list[Obj], str, str, str]] = [
    (
        "name > 15 characters",
        [{"name": "a" * 16, "containerPort": 80, "protocol": "TCP"}],
        "Invalid value",
        "name",
        "15",
    ),
    (
        "name contains invalid characters",
        [{"name": "a.b.c", "containerPort": 80, "protocol": "TCP"}],
        "Invalid value",
        "name",
        "alpha-numeric",
    ),
    (
        "name is a number",
        [{"name": "80", "containerPort": 80, "protocol": "TCP"}],
        "Invalid value",
        "name",
        "at least one letter",
    ),
    (
        "name not unique",
        [
            {"name": "abc", "containerPort": 80, "protocol": "TCP"},
            {"name": "abc", "containerPort": 81, "protocol": "TCP"},
        ],
        "Duplicate value",
        "[1].name",
        "",
    ),
    (
        "zero container port",
        [{"containerPort": 0, "protocol": "TCP"}],
        "Required value",
        "containerPort",
        "",
    ),
    (
        "invalid container port",
        [{"containerPort": 65536, "protocol": "TCP"}],
        "Invalid value",
        "containerPort",
        "between",
    ),
    (
        "invalid host port",
        [{"containerPort": 80, "hostPort": 65536, "protocol": "TCP"}],
        "Invalid value",
        "hostPort",
        "between",
    ),
    (
        "invalid protocol case",
        [{"containerPort": 80, "protocol": "tcp"}],
        "Unsupported value",
        "protocol",
        'supported values: "SCTP", "TCP", "UDP"',
    ),
    (
        "invalid protocol",
        [{"containerPort": 80, "protocol": "ICMP"}],
        "Unsupported value",
        "protocol",
        'supported values: "SCTP", "TCP", "UDP"',
    ),
    ("protocol required", [{"name": "abc", "containerPort": 80}], "Required value", "protocol", ""),
]


@pytest.mark.parametrize(
    ("ports", "etype", "fld", "detail"),
    [pytest.param(p, t, f, d, id=n) for n, p, t, f, d in PORT_ERRORS],
)
def test_ports_error_cases(ports: list[Obj], etype: str, fld: str, detail: str) -> None:
    errs = validate_container_ports(ports, Path("field"))
    assert errs, "expected failure"
    for error in errs:
        assert (error.type, fld in error.field, detail in error.detail) == (etype, True, True)


# --- TestValidateVolumeMounts / TestValidateMountPropagation ------------------------------------

VOLUMES = {
    name: {"name": name, "persistentVolumeClaim": {"claimName": "c"}}
    for name in ("abc", "abc-123", "123", "ephemeral", "foo")
}


def test_volume_mounts_success_case() -> None:
    mounts = [
        {"name": "abc", "mountPath": "/foo"},
        {"name": "123", "mountPath": "/bar"},
        {"name": "abc-123", "mountPath": "/baz"},
        {"name": "abc-123", "mountPath": "/baa", "subPath": ""},
        {"name": "abc-123", "mountPath": "/bab", "subPath": "baz"},
        {"name": "abc-123", "mountPath": "d:", "subPath": ""},
        {"name": "abc-123", "mountPath": "F:", "subPath": ""},
        {"name": "abc-123", "mountPath": "G:\\mount", "subPath": ""},
        {"name": "abc-123", "mountPath": "/bac", "subPath": ".baz"},
        {"name": "abc-123", "mountPath": "/bad", "subPath": "..baz"},
        {"name": "ephemeral", "mountPath": "/foobar"},
        {"name": "123", "mountPath": "/rro-nil", "readOnly": True},
        {
            "name": "123",
            "mountPath": "/rro-disabled",
            "readOnly": True,
            "recursiveReadOnly": "Disabled",
        },
        {"name": "123", "mountPath": "/rro-disabled-2", "recursiveReadOnly": "Disabled"},
        {
            "name": "123",
            "mountPath": "/rro-ifpossible",
            "readOnly": True,
            "recursiveReadOnly": "IfPossible",
        },
        {
            "name": "123",
            "mountPath": "/rro-enabled",
            "readOnly": True,
            "recursiveReadOnly": "Enabled",
        },
        {
            "name": "123",
            "mountPath": "/rro-enabled-2",
            "readOnly": True,
            "recursiveReadOnly": "Enabled",
            "mountPropagation": "None",
        },
    ]
    assert validate_volume_mounts(mounts, VOLUMES, Path("field"), ctr()) == []


# Rows about volumeDevices and image volumes are left out (neither is modelled).
MOUNT_ERRORS: list[tuple[str, list[Obj]]] = [
    ("empty name", [{"name": "", "mountPath": "/foo"}]),
    ("empty mountpath", [{"name": "abc", "mountPath": ""}]),
    (
        "mountpath collision",
        [{"name": "abc", "mountPath": "/path/a"}, {"name": "123", "mountPath": "/path/a"}],
    ),
    ("absolute subpath", [{"name": "abc", "mountPath": "/bar", "subPath": "/baz"}]),
    ("subpath in ..", [{"name": "abc", "mountPath": "/bar", "subPath": "../baz"}]),
    ("subpath contains ..", [{"name": "abc", "mountPath": "/bar", "subPath": "baz/../bat"}]),
    ("subpath ends in ..", [{"name": "abc", "mountPath": "/bar", "subPath": "./.."}]),
    (
        "Bidirectional propagation in an unprivileged container",
        [{"name": "abc", "mountPath": "/bar", "mountPropagation": "Bidirectional"}],
    ),
    (
        "rro but not ro",
        [{"name": "123", "mountPath": "/rro-bad1", "recursiveReadOnly": "Enabled"}],
    ),
    (
        "rro with incompatible propagation",
        [
            {
                "name": "123",
                "mountPath": "/rro-bad2",
                "readOnly": True,
                "recursiveReadOnly": "Enabled",
                "mountPropagation": "HostToContainer",
            }
        ],
    ),
    (
        "rro-if-possible but not ro",
        [{"name": "123", "mountPath": "/rro-bad1", "recursiveReadOnly": "IfPossible"}],
    ),
]


@pytest.mark.parametrize("mounts", [pytest.param(m, id=n) for n, m in MOUNT_ERRORS])
def test_volume_mounts_error_cases(mounts: list[Obj]) -> None:
    assert validate_volume_mounts(mounts, VOLUMES, Path("field"), ctr()) != []


PRIVILEGED = ctr(securityContext={"privileged": True})
UNPRIVILEGED = ctr(securityContext={"privileged": False})
PROPAGATION_CASES: list[tuple[str | None, Obj | None, bool]] = [
    (None, ctr(), False),
    ("HostToContainer", ctr(), False),
    ("None", ctr(), False),
    ("Bidirectional", ctr(), True),
    (None, UNPRIVILEGED, False),
    ("HostToContainer", UNPRIVILEGED, False),
    ("Bidirectional", UNPRIVILEGED, True),
    (None, PRIVILEGED, False),
    ("HostToContainer", PRIVILEGED, False),
    ("Bidirectional", PRIVILEGED, False),
    ("invalid", PRIVILEGED, True),
    ("Bidirectional", None, False),
]


@pytest.mark.parametrize(("propagation", "container", "expect_error"), PROPAGATION_CASES)
def test_mount_propagation(
    propagation: str | None, container: Obj | None, expect_error: bool
) -> None:
    mount: Obj = {"name": "foo", "mountPath": "/foo"}
    if propagation is not None:
        mount["mountPropagation"] = propagation
    errs = validate_volume_mounts([mount], VOLUMES, Path("field"), container)
    assert bool(errs) is expect_error


def test_mount_propagation_messages() -> None:
    mounts = [{"name": "foo", "mountPath": "/foo", "mountPropagation": "invalid"}]
    (unsupported,) = validate_volume_mounts(mounts, VOLUMES, Path("field"), PRIVILEGED)
    assert str(unsupported) == (
        'field.mountPropagation: Unsupported value: "invalid": supported values: '
        '"Bidirectional", "HostToContainer", "None"'
    )
    mounts = [{"name": "foo", "mountPath": "/foo", "mountPropagation": "Bidirectional"}]
    (error,) = validate_volume_mounts(mounts, VOLUMES, Path("field"), ctr())
    assert str(error) == (
        "field.mountPropagation: Forbidden: Bidirectional mount propagation is available only to "
        "privileged containers"
    )
