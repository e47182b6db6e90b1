# ruff: noqa: E501
"""Rows of upstream's `printers_test.go` (TestPrintPod, TestPrintServiceLoadBalancer,
TestPrintIngress) and the helpers behind them: `formatHosts`, `loadBalancerStatusStringer`
and apimachinery's `FormatLabelSelector`."""

from datetime import datetime, timedelta, timezone

import pytest

from minik8s.kubectl.pod_status import pod_row
from minik8s.kubectl.printers import format_label_selector, row_cells

NOW = datetime(2025, 1, 10, tzinfo=timezone.utc)
RUN, WAIT, A = {"running": {}}, {"waiting": {}}, "Always"


def ago(seconds):
    return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def last_terminated(seconds):
    return {"terminated": {"finishedAt": ago(seconds)}}


def pod(spec, status, **meta):
    return {"metadata": {"name": "t", **meta}, "spec": spec, "status": status}


TWO = {"containers": [{}, {}]}
ONE = {"containers": [{}]}
# Containers without names, as upstream's table builds them (`make([]api.Container, 2)`).
PRINT_POD = [
    (
        "test1",
        pod(
            TWO,
            {
                "phase": "podPhase",
                "containerStatuses": [
                    {"ready": True, "restartCount": 3, "state": RUN},
                    {"restartCount": 3},
                ],
            },
        ),
        ["1/2", "podPhase", "6"],
    ),
    (
        "test2",
        pod(
            TWO,
            {
                "phase": "podPhase",
                "containerStatuses": [
                    {"ready": True, "restartCount": 3, "state": RUN},
                    {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3},
                ],
            },
        ),
        ["1/2", "ContainerWaitingReason", "6"],
    ),
    (
        "test3",
        pod(
            TWO,
            {
                "phase": "podPhase",
                "containerStatuses": [
                    {"state": {"waiting": {"reason": "ContainerWaitingReason"}}, "restartCount": 3},
                    {
                        "state": {"terminated": {"reason": "ContainerTerminatedReason"}},
                        "restartCount": 3,
                    },
                ],
            },
        ),
        ["0/2", "ContainerWaitingReason", "6"],
    ),
    (
        "completed and running, not ready",
        pod(
            TWO,
            {
                "phase": "Running",
                "containerStatuses": [
                    {
                        "ready": True,
                        "restartCount": 3,
                        "state": {"terminated": {"reason": "Completed", "exitCode": 0}},
                    },
                    {"ready": True, "restartCount": 3, "state": RUN},
                ],
            },
        ),
        ["1/2", "NotReady", "6"],
    ),
    (
        "completed and running, ready",
        pod(
            TWO,
            {
                "phase": "Running",
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [
                    {
                        "ready": True,
                        "restartCount": 3,
                        "state": {"terminated": {"reason": "Completed", "exitCode": 0}},
                    },
                    {"ready": True, "restartCount": 3, "state": RUN},
                ],
            },
        ),
        ["1/2", "Running", "6"],
    ),
    (
        "test8 init running",
        pod(
            {"initContainers": [{}], "containers": [{}]},
            {
                "phase": "podPhase",
                "initContainerStatuses": [
                    {"restartCount": 3, "state": RUN, "lastState": last_terminated(10)}
                ],
                "containerStatuses": [{"state": WAIT}],
            },
        ),
        ["0/1", "Init:0/1", "3 (10s ago)"],
    ),
    (
        "test9 second init of two",
        pod(
            {"initContainers": [{}, {}], "containers": [{}]},
            {
                "phase": "podPhase",
                "initContainerStatuses": [
                    {"state": {"terminated": {}}},
                    {"restartCount": 3, "state": RUN, "lastState": last_terminated(10)},
                ],
                "containerStatuses": [{"state": WAIT}],
            },
        ),
        ["0/1", "Init:1/2", "3 (10s ago)"],
    ),
    (
        "test10 restarts of both inits",
        pod(
            {"initContainers": [{}, {}], "containers": [{}]},
            {
                "phase": "podPhase",
                "initContainerStatuses": [
                    {
                        "restartCount": 2,
                        "state": {"terminated": {}},
                        "lastState": last_terminated(120),
                    },
                    {"restartCount": 3, "state": RUN, "lastState": last_terminated(10)},
                ],
                "containerStatuses": [{"state": WAIT}],
            },
        ),
        ["0/1", "Init:1/2", "5 (10s ago)"],
    ),
    (
        "test11 init done",
        pod(
            {"initContainers": [{}], "containers": [{}]},
            {
                "phase": "Running",
                "initContainerStatuses": [
                    {
                        "restartCount": 2,
                        "state": {"terminated": {}},
                        "lastState": last_terminated(120),
                    }
                ],
                "containerStatuses": [
                    {"restartCount": 4, "state": RUN, "lastState": last_terminated(20)}
                ],
            },
        ),
        ["0/1", "Running", "4 (20s ago)"],
    ),
    (
        "test15 scheduling gated",
        pod(
            TWO,
            {
                "phase": "podPhase",
                "conditions": [
                    {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
                ],
            },
        ),
        ["0/2", "SchedulingGated", "0"],
    ),
    (
        "succeeded while deleting",
        pod(
            ONE,
            {
                "phase": "Succeeded",
                "containerStatuses": [
                    {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
                ],
            },
            deletionTimestamp=ago(10),
        ),
        ["0/1", "Completed", "0"],
    ),
    (
        "running while deleting",
        pod(
            ONE,
            {"phase": "Running", "containerStatuses": [{"state": RUN}]},
            deletionTimestamp=ago(10),
        ),
        ["0/1", "Terminating", "0"],
    ),
    (
        "pending while deleting",
        pod(ONE, {"phase": "Pending"}, deletionTimestamp=ago(10)),
        ["0/1", "Terminating", "0"],
    ),
    (
        "sidecars not started",
        pod(
            {
                "initContainers": [
                    {"name": "r1", "restartPolicy": A},
                    {"name": "r2", "restartPolicy": A},
                ],
                "containers": [{}],
            },
            {
                "phase": "Pending",
                "conditions": [{"type": "Initialized", "status": "False"}],
                "initContainerStatuses": [
                    {
                        "name": "r1",
                        "restartCount": 3,
                        "state": RUN,
                        "started": False,
                        "lastState": last_terminated(10),
                    },
                    {"name": "r2", "state": WAIT, "started": False},
                ],
                "containerStatuses": [{"state": WAIT}],
            },
        ),
        ["0/3", "Init:0/2", "3 (10s ago)"],
    ),
    (
        "one sidecar started",
        pod(
            {
                "initContainers": [
                    {"name": "r1", "restartPolicy": A},
                    {"name": "r2", "restartPolicy": A},
                ],
                "containers": [{}],
            },
            {
                "phase": "Pending",
                "conditions": [{"type": "Initialized", "status": "False"}],
                "initContainerStatuses": [
                    {
                        "name": "r1",
                        "restartCount": 3,
                        "state": RUN,
                        "started": True,
                        "lastState": last_terminated(10),
                    },
                    {"name": "r2", "state": RUN, "started": False},
                ],
                "containerStatuses": [{"state": WAIT}],
            },
        ),
        ["0/3", "Init:1/2", "3 (10s ago)"],
    ),
    (
        "sidecars started",
        pod(
            {
                "initContainers": [
                    {"name": "r1", "restartPolicy": A},
                    {"name": "r2", "restartPolicy": A},
                ],
                "containers": [{}],
            },
            {
                "phase": "Running",
                "conditions": [{"type": "Initialized", "status": "True"}],
                "initContainerStatuses": [
                    {
                        "name": "r1",
                        "restartCount": 3,
                        "state": RUN,
                        "started": True,
                        "lastState": last_terminated(10),
                    },
                    {"name": "r2", "state": RUN, "started": True},
                ],
                "containerStatuses": [
                    {
                        "ready": True,
                        "restartCount": 4,
                        "state": RUN,
                        "lastState": last_terminated(20),
                    }
                ],
            },
        ),
        ["1/3", "Running", "7 (10s ago)"],
    ),
    (
        "sidecars terminated, pod succeeded",
        pod(
            {
                "initContainers": [
                    {"name": "r1", "restartPolicy": A},
                    {"name": "r2", "restartPolicy": A},
                ],
                "containers": [{}],
            },
            {
                "phase": "Succeeded",
                "conditions": [{"type": "Initialized", "status": "True"}],
                "initContainerStatuses": [
                    {
                        "name": "r1",
                        "restartCount": 3,
                        "state": {"terminated": {"reason": "Error", "exitCode": 137}},
                        "started": False,
                        "lastState": last_terminated(10),
                    },
                    {
                        "name": "r2",
                        "state": {"terminated": {"reason": "Error", "exitCode": 137}},
                        "started": False,
                    },
                ],
                "containerStatuses": [
                    {
                        "restartCount": 4,
                        "state": {"terminated": {"reason": "Completed", "exitCode": 0}},
                        "lastState": last_terminated(20),
                    }
                ],
            },
        ),
        ["0/3", "Completed", "7 (10s ago)"],
    ),
    (
        "unknown status names",
        pod(
            {
                "initContainers": [{"name": "init1"}, {"name": "sidecar1", "restartPolicy": A}],
                "containers": [{"name": "container1"}],
            },
            {
                "phase": "Running",
                "initContainerStatuses": [
                    {"name": "initinvalid"},
                    {"name": "init1"},
                    {"name": "sidecar1"},
                ],
                "containerStatuses": [{"name": "containerinvalid"}, {"name": "container1"}],
            },
        ),
        ["0/2", "Init:0/2", "0"],
    ),
    (
        "two unnamed sidecars count twice",
        pod(
            {"initContainers": [{"restartPolicy": A}, {"restartPolicy": A}], "containers": [{}]},
            {"phase": "Pending"},
        ),
        ["0/3", "Pending", "0"],
    ),
]


@pytest.mark.parametrize(
    ("obj", "cells"), [c[1:] for c in PRINT_POD], ids=[c[0] for c in PRINT_POD]
)
def test_print_pod(obj, cells):
    assert pod_row(obj, NOW)[1:4] == cells


def test_print_pod_wide():
    obj = pod(
        {
            "containers": [{}, {}],
            "nodeName": "test1",
            "readinessGates": [
                {"conditionType": "condition1"},
                {"conditionType": "condition2"},
                {"conditionType": "condition3"},
            ],
        },
        {
            "conditions": [
                {"type": "condition1", "status": "False"},
                {"type": "condition2", "status": "True"},
            ],
            "phase": "podPhase",
            "podIPs": [{"ip": "1.1.1.1"}, {"ip": "2001:db8::"}],
            "containerStatuses": [
                {"ready": True, "restartCount": 3, "state": RUN},
                {"restartCount": 3},
            ],
            "nominatedNodeName": "node1",
        },
    )
    assert pod_row(obj, NOW) == [
        "t",
        "1/2",
        "podPhase",
        "6",
        "<unknown>",
        "1.1.1.1",
        "test1",
        "node1",
        "1/3",
    ]


def service(ingress, selector=None):
    return {
        "metadata": {"name": "service1"},
        "spec": {
            "clusterIPs": ["1.2.3.4"],
            "type": "LoadBalancer",
            "ports": [{"port": 80, "protocol": "TCP"}],
            "selector": selector,
        },
        "status": {"loadBalancer": {"ingress": ingress}},
    }


LOAD_BALANCERS = [
    ("multiple external IPs", [{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"}], "2.3.4.5,3.4.5.6"),
    ("pending", [], "<pending>"),
    # The server prints with Wide: true, so the 16-character clipping never applies.
    (
        "hostname ignored next to an IP",
        [{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"}, {"ip": "5.6.7.8", "hostname": "host5678"}],
        "2.3.4.5,3.4.5.6,5.6.7.8",
    ),
    (
        "sorted",
        [{"ip": "10.0.0.9"}, {"hostname": "b.example.com"}, {"ip": "10.0.0.1"}],
        "10.0.0.1,10.0.0.9,b.example.com",
    ),
    (
        "de-duplicated",
        [{"ip": "10.0.0.9"}, {"ip": "10.0.0.9"}, {"hostname": "10.0.0.9"}],
        "10.0.0.9",
    ),
]


@pytest.mark.parametrize(
    ("ingress", "external"), [c[1:] for c in LOAD_BALANCERS], ids=[c[0] for c in LOAD_BALANCERS]
)
def test_print_service_load_balancer(ingress, external):
    headers, cells = row_cells("Service", service(ingress, {"foo": "bar"}), NOW, wide=True)
    assert headers == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    assert cells == [
        "service1",
        "LoadBalancer",
        "1.2.3.4",
        external,
        "80/TCP",
        "<unknown>",
        "foo=bar",
    ]


def ingress(hosts, lb=()):
    rules = [{"host": h} if h else {"http": {"paths": []}} for h in hosts]
    return {
        "metadata": {"name": "test1"},
        "spec": {"ingressClassName": "foo", "rules": rules},
        "status": {"loadBalancer": {"ingress": list(lb)}},
    }


def test_print_ingress():
    lb = [{"ip": "2.3.4.5", "hostname": "localhost.localdomain"}]
    assert row_cells("Ingress", ingress([], lb), NOW, False)[1] == [
        "test1",
        "foo",
        "*",
        "2.3.4.5",
        "80",
        "<unknown>",
    ]


def test_ingress_address_sorted_and_deduplicated():
    lb = [{"hostname": "lb.example.com"}, {"ip": "10.0.0.2"}, {"ip": "10.0.0.2"}]
    assert row_cells("Ingress", ingress(["a"], lb), NOW, False)[1][3] == "10.0.0.2,lb.example.com"


FORMAT_HOSTS = [
    ("no rules", [], "*"),
    ("rules without hosts", [None, None], "*"),
    ("three hosts", ["a", "b", "c"], "a,b,c"),
    ("four hosts", ["a", "b", "c", "d"], "a,b,c + 1 more..."),
    # formatHosts collects hosts, skipping host-less rules, and says "more" only for rules
    # left after the third host.
    ("host-less rule first", [None, "a", "b", "c"], "a,b,c"),
    ("host-less rule among five", ["a", None, "b", "c", "d"], "a,b,c + 2 more..."),
    ("host-less rule after the third host", ["a", "b", "c", None], "a,b,c + 1 more..."),
]


@pytest.mark.parametrize(
    ("hosts", "text"), [c[1:] for c in FORMAT_HOSTS], ids=[c[0] for c in FORMAT_HOSTS]
)
def test_format_hosts(hosts, text):
    assert row_cells("Ingress", ingress(hosts), NOW, False)[1][2] == text


LABEL_SELECTORS = [
    ("nil", None, "<none>"),
    ("empty", {}, "<none>"),
    ("match labels sorted", {"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2"),
    (
        "labels and expressions sorted together by key",
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "aaa", "operator": "Exists"},
                {"key": "tier", "operator": "In", "values": ["z", "a"]},
            ],
        },
        "aaa,app=web,tier in (a,z)",
    ),
    (
        "not in and does not exist",
        {
            "matchExpressions": [
                {"key": "z", "operator": "DoesNotExist"},
                {"key": "b", "operator": "NotIn", "values": ["x"]},
            ]
        },
        "b notin (x),!z",
    ),
    ("invalid operator", {"matchExpressions": [{"key": "a", "operator": "Near"}]}, "<error>"),
]


@pytest.mark.parametrize(
    ("selector", "text"), [c[1:] for c in LABEL_SELECTORS], ids=[c[0] for c in LABEL_SELECTORS]
)
def test_format_label_selector(selector, text):
    assert format_label_selector(selector) == text


def test_wide_selector_column_is_sorted_by_key():
    deploy = {
        "metadata": {"name": "sel"},
        "spec": {
            "replicas": 0,
            "selector": {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "aaa", "operator": "Exists"}],
            },
            "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}},
        },
    }
    headers, cells = row_cells("Deployment", deploy, NOW, wide=True)
    assert dict(zip(headers, cells, strict=True))["SELECTOR"] == "aaa,app=web"
