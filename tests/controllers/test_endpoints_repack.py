"""The Endpoints controller's subsets as upstream packs and orders them: `RepackSubsets` (ports
served by the same addresses share a subset), `LessEndpointAddress` (IPs compared as strings,
then the pod's uid) and `truncateEndpoints` (each subset its share, ready addresses first)."""

from minik8s.controllers.endpoints import truncate
from minik8s.kubectl.printers_network import format_endpoints
from tests.proxy.env import Env


def endpoints(env, name, namespace="default"):
    return env.client.get("endpoints", name, namespace)


def test_addresses_are_ordered_as_strings():
    env = Env()
    env.service("web")
    for name, ip in (("a", "10.244.1.9"), ("b", "10.244.1.10"), ("c", "10.244.1.2")):
        env.pod(name, "web", ip=ip)
    ep = endpoints(env, "web")
    [subset] = ep["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.10", "10.244.1.2", "10.244.1.9"]
    assert format_endpoints(ep) == "10.244.1.10:8080,10.244.1.2:8080,10.244.1.9:8080"


def test_not_ready_addresses_are_ordered_as_strings():
    env = Env()
    env.service("web")
    env.pod("a", "web", ip="10.244.1.9", ready=False)
    env.pod("b", "web", ip="10.244.1.10", ready=False)
    [subset] = endpoints(env, "web")["subsets"]
    assert [a["ip"] for a in subset["notReadyAddresses"]] == ["10.244.1.10", "10.244.1.9"]


def test_ports_served_by_the_same_addresses_share_a_subset():
    """upstream TestPackSubsets "four sets, three ips, three ports, jumbled", through pods."""
    env = Env()
    ports = [
        {"name": "http", "port": 80, "targetPort": "web"},
        {"name": "metrics", "port": 9000, "targetPort": "metrics"},
    ]
    env.service("web", ports=ports)
    env.pod("both", "web", ip="10.244.1.5", ports=(("web", 8080), ("metrics", 9090)))
    env.pod("http-only", "web", ip="10.244.1.6", ports=(("web", 8080),))
    subsets = endpoints(env, "web")["subsets"]
    assert [
        ([a["ip"] for a in s["addresses"]], [p["name"] for p in s["ports"]]) for s in subsets
    ] == [
        (["10.244.1.5", "10.244.1.6"], ["http"]),
        (["10.244.1.5"], ["metrics"]),
    ]


def test_one_address_many_ports_in_one_subset():
    env = Env()
    ports = [
        {"name": "a", "port": 80, "targetPort": 8080},
        {"name": "b", "port": 81, "targetPort": 8081},
    ]
    env.service("web", ports=ports)
    env.pod("p", "web", ip="10.244.1.5")
    [subset] = endpoints(env, "web")["subsets"]
    assert [p["port"] for p in subset["ports"]] == [8080, 8081]


def test_truncation_shares_the_ready_capacity_between_subsets():
    subsets = [
        {"addresses": [{"ip": f"10.0.0.{i}"} for i in range(6)], "ports": [{"port": 1}]},
        {"addresses": [{"ip": f"10.0.1.{i}"} for i in range(2)], "ports": [{"port": 2}]},
    ]
    out, truncated = truncate(subsets, limit=4)
    assert truncated
    assert [len(s["addresses"]) for s in out] == [3, 1]  # ceil(6/8·4), then what is left


def test_truncation_of_not_ready_addresses_keeps_every_ready_one():
    subsets = [
        {
            "addresses": [{"ip": "10.0.0.1"}],
            "notReadyAddresses": [{"ip": f"10.0.0.{i}"} for i in range(10, 13)],
        },
        {
            "addresses": [{"ip": "10.0.1.1"}],
            "notReadyAddresses": [{"ip": f"10.0.1.{i}"} for i in range(10, 13)],
        },
    ]
    out, truncated = truncate(subsets, limit=4)
    assert truncated
    assert [(len(s["addresses"]), len(s["notReadyAddresses"])) for s in out] == [(1, 1), (1, 1)]
    assert truncate(subsets, limit=8) == (subsets, False)


def test_external_name_service_gets_no_endpoints_even_with_a_selector():
    """upstream `syncService` of both controllers: ExternalName services receive no endpoints."""
    env = Env()
    env.service("ext", type="ExternalName", externalName="db.example.com", ports=[])
    env.pod("p", "ext", ip="10.244.1.5")
    assert env.client.list("endpoints")["items"] == []
    assert env.slices("ext") == []
