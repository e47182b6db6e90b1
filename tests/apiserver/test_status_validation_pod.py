"""The `/status` validation of Pods: rows ported from upstream `TestValidatePodStatusUpdate`,
`TestPodIPsValidation` and `TestHostIPsValidation` (`pkg/apis/core/validation/
validation_test.go`), then writes through the API server."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.errors import Invalid
from minik8s.api.field import aggregate
from minik8s.api.validation.status_pod import validate_pod_status_update

from .conftest import pod


def make_pod(status=None, restart_policy="Always", node_name="", init=None, claims=None):
    """upstream `podtest.MakePod("foo", ...)`."""
    spec = {"restartPolicy": restart_policy, "containers": [{"name": "ctr", "image": "image"}]}
    if node_name:
        spec["nodeName"] = node_name
    if init:
        spec["initContainers"] = init
    if claims:
        spec["resourceClaims"] = claims
    return {
        "metadata": {"name": "foo", "resourceVersion": "1"},
        "spec": spec,
        "status": status or {},
    }


def running(name):
    return {"name": name, "state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}}}


def waiting(name):
    return {"name": name, "state": {"waiting": {"reason": "PodInitializing"}}}


def terminated(name, exit_code=0):
    return {"name": name, "state": {"terminated": {"exitCode": exit_code, "reason": "Completed"}}}


SIDECAR = [{"name": "restartable-init", "image": "image", "restartPolicy": "Always"}]
INIT = [{"name": "init", "image": "image"}]
TRANSITION = "may not be transitioned to non-terminated state"

# (test, new, old, expected substring of the aggregate error or "" for valid)
ROWS = [
    (
        "removed nominatedNodeName",
        make_pod({"nominatedNodeName": "node1"}, node_name="node1"),
        make_pod(node_name="node1"),
        "",
    ),
    (
        "add valid nominatedNodeName",
        make_pod(node_name="node1"),
        make_pod({"nominatedNodeName": "node1"}, node_name="node1"),
        "",
    ),
    (
        "Add invalid nominatedNodeName",
        make_pod({"nominatedNodeName": "Node1"}, node_name="node1"),
        make_pod(node_name="node1"),
        "nominatedNodeName",
    ),
    (
        "Update nominatedNodeName",
        make_pod({"nominatedNodeName": "node1"}, node_name="node1"),
        make_pod({"nominatedNodeName": "node2"}, node_name="node1"),
        "",
    ),
    (
        "Container statuses pending",
        make_pod(
            {"initContainerStatuses": [waiting("init")], "containerStatuses": [waiting("main")]}
        ),
        make_pod(),
        "",
    ),
    (
        "Container statuses running",
        make_pod(
            {"initContainerStatuses": [terminated("init")], "containerStatuses": [running("nginx")]}
        ),
        make_pod(
            {"initContainerStatuses": [waiting("init")], "containerStatuses": [waiting("main")]}
        ),
        "",
    ),
    (
        "Container statuses add ephemeral container",
        make_pod(
            {
                "containerStatuses": [running("nginx")],
                "ephemeralContainerStatuses": [waiting("debug")],
            }
        ),
        make_pod({"containerStatuses": [running("nginx")]}),
        "",
    ),
    (
        "Container statuses ephemeral container running",
        make_pod(
            {
                "containerStatuses": [running("nginx")],
                "ephemeralContainerStatuses": [running("debug")],
            }
        ),
        make_pod(
            {
                "containerStatuses": [running("nginx")],
                "ephemeralContainerStatuses": [waiting("debug")],
            }
        ),
        "",
    ),
    (
        "Container statuses ephemeral container exited",
        make_pod(
            {
                "containerStatuses": [running("nginx")],
                "ephemeralContainerStatuses": [terminated("debug")],
            }
        ),
        make_pod(
            {
                "containerStatuses": [running("nginx")],
                "ephemeralContainerStatuses": [running("debug")],
            }
        ),
        "",
    ),
    (
        "Container statuses all containers terminated",
        make_pod(
            {
                "initContainerStatuses": [terminated("init")],
                "containerStatuses": [terminated("nginx")],
                "ephemeralContainerStatuses": [terminated("debug")],
            }
        ),
        make_pod(
            {
                "initContainerStatuses": [terminated("init")],
                "containerStatuses": [running("nginx")],
                "ephemeralContainerStatuses": [running("debug")],
            }
        ),
        "",
    ),
    (
        "Non-existent PodResourceClaim",
        make_pod(
            {"resourceClaimStatuses": [{"name": "no-such-claim", "resourceClaimName": "my-claim"}]}
        ),
        make_pod(),
        'status.resourceClaimStatuses[0].name: Invalid value: "no-such-claim": '
        "must match the name of an entry in `spec.resourceClaims`",
    ),
    (
        "Invalid ResourceClaim name",
        make_pod(
            {"resourceClaimStatuses": [{"name": "my-claim", "resourceClaimName": "%$!#"}]},
            claims=[{"name": "my-claim"}],
        ),
        make_pod(claims=[{"name": "my-claim"}]),
        'status.resourceClaimStatuses[0].name: Invalid value: "%$!#": '
        "a lowercase RFC 1123 subdomain must consist of",
    ),
    (
        "Duplicate ResourceClaimStatuses.Name",
        make_pod(
            {
                "resourceClaimStatuses": [
                    {"name": "my-claim", "resourceClaimName": "foo-my-claim-12345"},
                    {"name": "my-other-claim"},
                    {"name": "my-other-claim"},
                ]
            },
            claims=[{"name": "my-claim"}, {"name": "my-other-claim"}],
        ),
        make_pod(claims=[{"name": "my-claim"}]),
        'status.resourceClaimStatuses[2].name: Duplicate value: "my-other-claim"',
    ),
    (
        "ResourceClaimStatuses okay",
        make_pod(
            {
                "resourceClaimStatuses": [
                    {"name": "my-claim", "resourceClaimName": "foo-my-claim-12345"},
                    {"name": "my-other-claim"},
                ]
            },
            claims=[{"name": "my-claim"}, {"name": "my-other-claim"}],
        ),
        make_pod(claims=[{"name": "my-claim"}]),
        "",
    ),
    (
        "init container cannot restart if RestartPolicyNever",
        make_pod(
            {"initContainerStatuses": [running("init")], "containerStatuses": [running("nginx")]},
            init=INIT,
        ),
        make_pod(
            {
                "initContainerStatuses": [terminated("init")],
                "containerStatuses": [running("nginx")],
            },
            restart_policy="Never",
            init=INIT,
        ),
        f"status.initContainerStatuses[0].state: Forbidden: {TRANSITION}",
    ),
    *[
        (
            f"restartable init container can restart if RestartPolicy{policy}",
            make_pod(
                {
                    "initContainerStatuses": [running("restartable-init")],
                    "containerStatuses": [running("nginx")],
                },
                restart_policy=policy,
                init=SIDECAR,
            ),
            make_pod(
                {
                    "initContainerStatuses": [terminated("restartable-init")],
                    "containerStatuses": [running("nginx")],
                },
                restart_policy=policy,
                init=SIDECAR,
            ),
            "",
        )
        for policy in ("Never", "OnFailure", "Always")
    ],
    (
        "qosClass can not be changed",
        make_pod({"qosClass": "Burstable"}),
        make_pod({"qosClass": "Guaranteed"}),
        'status.qosClass: Invalid value: "Burstable": field is immutable',
    ),
    (
        "qosClass no change",
        make_pod({"qosClass": "Burstable"}),
        make_pod({"qosClass": "Burstable"}),
        "",
    ),
    # ValidatePodStatusUpdate's other rules
    (
        "nodeName may not change",
        make_pod(node_name="node2"),
        make_pod(node_name="node1"),
        "status.nodeName: Forbidden: may not be changed directly",
    ),
    (
        "ephemeral containers never restart",
        make_pod({"ephemeralContainerStatuses": [running("debug")]}),
        make_pod({"ephemeralContainerStatuses": [terminated("debug")]}),
        f"status.ephemeralContainerStatuses[0].state: Forbidden: {TRANSITION}",
    ),
    (
        "a failed container of an OnFailure pod may restart",
        make_pod({"containerStatuses": [running("c")]}, restart_policy="OnFailure"),
        make_pod({"containerStatuses": [terminated("c", 1)]}, restart_policy="OnFailure"),
        "",
    ),
    (
        "a succeeded container of an OnFailure pod may not restart",
        make_pod({"containerStatuses": [running("c")]}, restart_policy="OnFailure"),
        make_pod({"containerStatuses": [terminated("c", 0)]}, restart_policy="OnFailure"),
        f"status.containerStatuses[0].state: Forbidden: {TRANSITION}",
    ),
    (
        "custom condition type must be a qualified name (at upstream's metadata path)",
        make_pod(
            {
                "conditions": [
                    {"type": "Ready", "status": "True"},
                    {"type": "bad type!", "status": "True"},
                ]
            }
        ),
        make_pod(),
        'metadata.conditions[1].Type: Invalid value: "bad type!": name part must consist of',
    ),
    (
        "custom condition with a prefix",
        make_pod({"conditions": [{"type": "example.com/Ready", "status": "True"}]}),
        make_pod(),
        "",
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_validate_pod_status_update_upstream_rows(row):
    _, new, old, expected = row
    errs = validate_pod_status_update(new, old)
    if not expected:
        assert errs == []
    else:
        assert errs
        assert expected in aggregate(errs)


ONE_PER_FAMILY = "may specify no more than one IP for each IP family"
IP_DETAIL = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def ips(*values):
    return [{"ip": v} for v in values]


# TestPodIPsValidation: (name, podIPs, expected errors)
POD_IP_ROWS = [
    ("no pod ips", None, []),
    ("empty pod ips list", [], []),
    ("single ip v4", ips("1.1.1.1"), []),
    ("single ip v6", ips("::1"), []),
    ("dual stack v4/v6", ips("1.1.1.1", "::1"), []),
    ("dual stack v6/v4", ips("::1", "1.1.1.1"), []),
    (
        "invalid ip",
        ips("1.1.1.1.1"),
        [f'status.podIPs[0]: Invalid value: "1.1.1.1.1": {IP_DETAIL}'],
    ),
    (
        "dual stack, second invalid",
        ips("::1", "1.1.1.1.1"),
        [
            f'status.podIPs[1]: Invalid value: "1.1.1.1.1": {IP_DETAIL}',
            "status.podIPs: Internal error: failed to check for dual stack with error:"
            "ip <nil> is invalid",
            "status.podIPs: Invalid value: "
            '[]core.PodIP{core.PodIP{IP:"::1"}, core.PodIP{IP:"1.1.1.1.1"}}: ' + ONE_PER_FAMILY,
        ],
    ),
    (
        "multiple v4",
        ips("1.1.1.1", "2.2.2.2"),
        [
            "status.podIPs: Invalid value: "
            '[]core.PodIP{core.PodIP{IP:"1.1.1.1"}, core.PodIP{IP:"2.2.2.2"}}: ' + ONE_PER_FAMILY
        ],
    ),
    (
        "multiple v6",
        ips("::1", "::2"),
        [
            "status.podIPs: Invalid value: "
            '[]core.PodIP{core.PodIP{IP:"::1"}, core.PodIP{IP:"::2"}}: ' + ONE_PER_FAMILY
        ],
    ),
    (
        "too many",
        ips("1.1.1.1", "::1", "2.2.2.2"),
        [
            'status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"1.1.1.1"}, '
            'core.PodIP{IP:"::1"}, core.PodIP{IP:"2.2.2.2"}}: ' + ONE_PER_FAMILY
        ],
    ),
    (
        "duplicates",
        ips("1.1.1.1", "1.1.1.1"),
        [
            "status.podIPs: Invalid value: "
            '[]core.PodIP{core.PodIP{IP:"1.1.1.1"}, core.PodIP{IP:"1.1.1.1"}}: ' + ONE_PER_FAMILY,
            'status.podIPs[1]: Duplicate value: core.PodIP{IP:"1.1.1.1"}',
        ],
    ),
]


@pytest.mark.parametrize("row", POD_IP_ROWS, ids=[r[0] for r in POD_IP_ROWS])
def test_pod_ips_validation(row):
    _, pod_ips, expected = row
    status = {} if pod_ips is None else {"podIPs": pod_ips}
    assert [str(e) for e in validate_pod_status_update(make_pod(status), make_pod())] == expected


# TestHostIPsValidation: (name, hostIP, hostIPs, expected errors)
HOST_IP_ROWS = [
    ("no host ips", "", None, []),
    ("single ip v4", "1.1.1.1", ips("1.1.1.1"), []),
    ("single ip v6", "::1", ips("::1"), []),
    ("dual stack", "1.1.1.1", ips("1.1.1.1", "::1"), []),
    (
        "hostIP differs from hostIPs[0]",
        "1.1.1.1",
        ips("2.2.2.2"),
        ['status.hostIPs[0].ip: Invalid value: "2.2.2.2": must be equal to `hostIP`'],
    ),
    (
        "invalid ip",
        "1.1.1.1.1",
        ips("1.1.1.1.1"),
        [f'status.hostIPs[0]: Invalid value: "1.1.1.1.1": {IP_DETAIL}'],
    ),
    (
        "duplicates, then one per family",
        "1.1.1.1",
        ips("1.1.1.1", "1.1.1.1"),
        [
            'status.hostIPs[1]: Duplicate value: core.HostIP{IP:"1.1.1.1"}',
            "status.hostIPs: Invalid value: "
            '[]core.HostIP{core.HostIP{IP:"1.1.1.1"}, core.HostIP{IP:"1.1.1.1"}}: '
            + ONE_PER_FAMILY,
        ],
    ),
]


@pytest.mark.parametrize("row", HOST_IP_ROWS, ids=[r[0] for r in HOST_IP_ROWS])
def test_host_ips_validation(row):
    _, host_ip, host_ips, expected = row
    status = {"hostIP": host_ip} if host_ip else {}
    if host_ips is not None:
        status["hostIPs"] = host_ips
    assert [str(e) for e in validate_pod_status_update(make_pod(status), make_pod())] == expected


def test_invalid_pod_ips_through_the_server_store_nothing(env):
    s = env.server
    s.create("pods", pod("x"))
    current = s.get("pods", "x", "shop")
    current["status"]["podIPs"] = ips("10.0.0.1", "10.0.0.2")
    with pytest.raises(Invalid) as err:
        s.update("pods", current, subresource="status")
    assert err.value.message == (
        'Pod "x" is invalid: status.podIPs: Invalid value: '
        '[]core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.2"}}: ' + ONE_PER_FAMILY
    )
    assert "podIPs" not in s.get("pods", "x", "shop")["status"]


def test_qos_class_is_backfilled_then_immutable_through_the_server(env):
    s = env.server
    s.create("pods", pod("x"))
    current = s.get("pods", "x", "shop")
    qos = current["status"]["qosClass"]
    del current["status"]["qosClass"]
    assert s.update("pods", current, subresource="status")["status"]["qosClass"] == qos
    current = s.get("pods", "x", "shop")
    current["status"]["qosClass"] = "Guaranteed" if qos != "Guaranteed" else "BestEffort"
    with pytest.raises(Invalid) as err:
        s.update("pods", current, subresource="status")
    assert "status.qosClass: Invalid value:" in err.value.message
    assert err.value.message.endswith(": field is immutable")


@given(st.lists(st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)), min_size=1, max_size=3))
def test_pod_ips_valid_iff_at_most_one_per_family(addresses):
    """Valid IPs pass exactly when no family repeats (so at most two, and no duplicates)."""
    entries = ips(*[str(a) for a in addresses])
    errs = validate_pod_status_update(make_pod({"podIPs": entries}), make_pod())
    # (an IPv4-mapped IPv6 address counts as IPv4, as Go's To4 makes it)
    families = [4 if a.version == 4 or a.ipv4_mapped else 6 for a in addresses]
    assert (errs == []) == (len(set(families)) == len(families))
