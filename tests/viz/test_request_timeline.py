"""The request path and the events timeline."""

from __future__ import annotations

import html
from types import SimpleNamespace

from minik8s.viz import request_path, timeline

HOPS = [
    {
        "from": "client",
        "to": "cluster DNS",
        "via": "DNS",
        "detail": "web.shop.svc.cluster.local → 10.96.0.20",
    },
    {"from": "client", "to": "Service VIP 10.96.0.20:80", "via": "TCP", "detail": ""},
    {
        "from": "",
        "to": "node-1 rules",
        "via": "KUBE-SERVICES → KUBE-SVC-ABC",
        "detail": "probability 0.5",
    },
    {"from": "", "to": "pod web-1 10.244.1.3:80", "via": "KUBE-SEP-XYZ DNAT", "detail": ""},
]


def test_request_path_draws_hops_left_to_right():
    diagram = request_path(HOPS)
    source = diagram.source
    assert "rankdir=LR" in source
    assert [line.strip().split(" [")[0] for line in source.splitlines() if "->" in line] == [
        "p0 -> p1",
        "p1 -> p2",
        "p2 -> p3",
        "p3 -> p4",
    ]
    svg = html.unescape(diagram.svg())
    for text in (
        "client",
        "cluster DNS",
        "KUBE-SVC-ABC",
        "probability 0.5",
        "pod web-1 10.244.1.3:80",
    ):
        assert text in svg
    assert repr(diagram) == "<Diagram request_path: 5 nodes, 4 edges>"
    assert diagram.svg() == request_path(HOPS).svg()


def test_request_path_from_a_result_object_with_attribute_hops():
    hops = [SimpleNamespace(source="client", to="pod a", via="direct", detail="")]
    result = SimpleNamespace(url="http://a/", status=200, pod="a", hops=hops)
    svg = html.unescape(request_path(result).svg())
    assert "http://a/ → 200 (answered by a)" in svg and "pod a" in svg


def test_request_path_without_hops():
    assert "no hops recorded" in request_path([]).source


EVENTS = [
    {"type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container",
     "involvedObject": {"kind": "Pod", "name": "web-2"}, "source": {"component": "kubelet"},
     "count": 3, "lastTimestamp": "2025-01-01T00:00:05Z"},
    {"type": "Normal", "reason": "Scheduled",
     "message": "Successfully assigned shop/web-1 to node-1",
     "involvedObject": {"kind": "Pod", "name": "web-1"},
     "source": {"component": "default-scheduler"}, "lastTimestamp": "2025-01-01T00:00:01Z"},
    {"type": "Normal", "reason": "Pulled", "message": "image present",
     "involvedObject": {"kind": "Pod", "name": "web-1"}, "reportingController": "kubelet",
     "eventTime": "2025-01-01T00:00:01Z"},
]  # fmt: skip


def test_timeline_orders_events_and_groups_instants():
    diagram = timeline(EVENTS)
    source = diagram.source
    assert source.index("Scheduled") < source.index("Pulled") < source.index("BackOff")
    assert "e0_1" in source and "e1_0" in source and "e1_1" not in source  # two rows
    svg = html.unescape(diagram.svg())
    for text in ("00:00:01", "00:00:05", "from kubelet ×3", "Scheduled · Pod/web-1", "事件"):
        assert text in svg
    assert "#fff3cd" in source  # the Warning stands out
    assert diagram.svg() == timeline(list(EVENTS)).svg()


def test_timeline_limit_and_trace_lines():
    lines = [f"[{t:8.3f}s] apiserver                create pods/x{t}" for t in range(5)]
    diagram = timeline(lines, limit=3, title="trace")
    source = diagram.source
    assert "2 earlier" in source and "t=4s" in source and "t=1s" not in source
    assert "create pods/x4" in source
    assert "no events" in timeline([]).source
