"""The Endpoints controller: readiness gating, named targetPorts per pod, headless, cleanup."""

from minik8s.controllers.endpoints import desired_subsets, truncate
from tests.proxy.env import Env


def endpoints(env, name, namespace="default"):
    return env.client.get("endpoints", name, namespace)


def test_ready_and_not_ready_addresses_follow_pod_readiness():
    env = Env()
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    env.pod("web-b", "web", ip="10.244.2.6", node="node-2", ready=False)
    env.pod("other", "db", ip="10.244.1.7")
    ep = endpoints(env, "web")
    [subset] = ep["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.5"]
    assert [a["ip"] for a in subset["notReadyAddresses"]] == ["10.244.2.6"]
    assert subset["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    address = subset["addresses"][0]
    assert address["nodeName"] == "node-1"
    assert address["targetRef"]["kind"] == "Pod" and address["targetRef"]["name"] == "web-a"
    env.set_status("web-b", ready=True)
    [subset] = endpoints(env, "web")["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.5", "10.244.2.6"]
    assert "notReadyAddresses" not in subset


def test_publish_not_ready_addresses_lists_every_pod_as_ready():
    env = Env()
    env.service("db", publishNotReadyAddresses=True, clusterIP="None")
    env.pod("db-0", "db", ready=False, ip="10.244.1.20")
    [subset] = endpoints(env, "db")["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.20"]


def test_pod_without_ip_or_finished_is_left_out():
    env = Env()
    env.service("web")
    env.pod("web-a", "web", ip="10.244.1.5")
    env.client.create(
        "pods",
        {
            "metadata": {"name": "pending", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        },
    )
    env.pod("done", "web", ip="10.244.1.9")
    env.set_status("done", phase="Succeeded", ready=False)
    env.settle()
    [subset] = endpoints(env, "web")["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.5"]
    assert "notReadyAddresses" not in subset


def test_named_target_port_resolves_per_pod_into_separate_subsets():
    env = Env()
    env.service("web", ports=[{"name": "http", "port": 80, "targetPort": "web"}])
    env.pod("v1", "web", ip="10.244.1.5", ports=(("web", 8080),))
    env.pod("v2", "web", ip="10.244.1.6", ports=(("web", 9090),))
    env.pod("nope", "web", ip="10.244.1.7", ports=(("other", 7070),))
    subsets = endpoints(env, "web")["subsets"]
    assert [(s["addresses"][0]["ip"], s["ports"][0]["port"]) for s in subsets] == [
        ("10.244.1.5", 8080),
        ("10.244.1.6", 9090),
    ]


def test_headless_without_ports_lists_addresses_with_hostnames():
    env = Env()
    env.service("db", ports=[], clusterIP="None")
    env.pod("db-0", "db", ip="10.244.1.30", hostname="db-0", subdomain="db")
    ep = endpoints(env, "db")
    assert ep["metadata"]["labels"] == {"service.kubernetes.io/headless": ""}
    assert ep["subsets"] == [
        {
            "addresses": [
                {
                    "ip": "10.244.1.30",
                    "hostname": "db-0",
                    "nodeName": "node-1",
                    "targetRef": ep["subsets"][0]["addresses"][0]["targetRef"],
                }
            ]
        }
    ]


def test_no_pods_gives_empty_endpoints_and_delete_removes_them():
    env = Env()
    env.service("web")
    assert endpoints(env, "web").get("subsets") in (None, [])
    env.client.delete("services", "web")
    env.settle()
    assert env.client.list("endpoints")["items"] == []


def test_selectorless_service_is_left_alone():
    env = Env()
    env.service("ext", selector={})
    assert env.client.list("endpoints")["items"] == []


def test_label_change_moves_pod_between_services():
    env = Env()
    env.service("a")
    env.service("b")
    env.pod("p", "a", ip="10.244.1.5")
    pod = env.client.get("pods", "p")
    pod["metadata"]["labels"] = {"app": "b"}
    env.client.update("pods", pod)
    env.settle()
    assert endpoints(env, "a").get("subsets") in (None, [])
    assert endpoints(env, "b")["subsets"][0]["addresses"][0]["ip"] == "10.244.1.5"


def test_truncation_keeps_ready_first():
    subsets = [
        {"addresses": [{"ip": f"10.0.0.{i}"} for i in range(3)]},
        {"notReadyAddresses": [{"ip": "10.0.1.1"}]},
    ]
    out, truncated = truncate(subsets, limit=2)
    assert truncated and out == [{"addresses": [{"ip": "10.0.0.0"}, {"ip": "10.0.0.1"}]}]


def test_desired_subsets_is_pure():
    svc = {"metadata": {"name": "s", "namespace": "d"}, "spec": {"ports": [{"port": 80}]}}
    pod = {
        "metadata": {"name": "p", "namespace": "d"},
        "spec": {},
        "status": {"podIP": "1.2.3.4", "conditions": [{"type": "Ready", "status": "True"}]},
    }
    [subset] = desired_subsets(svc, [pod])
    assert subset["ports"] == [{"port": 80, "protocol": "TCP"}]
