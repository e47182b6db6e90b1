# ruff: noqa: E501
"""Scenario tests: every Service type, end to end through DNS, kube-proxy rules and pods."""

from collections import Counter

import pytest

from minik8s.proxy.request import request
from tests.proxy.env import NetEnv


@pytest.fixture
def env():
    return NetEnv()


def web(env, replicas=3, namespace="shop", **spec):
    svc = env.service("web", namespace, **spec)
    for i in range(replicas):
        env.pod(f"web-{i}", "web", namespace, node=f"node-{i % 3 + 1}")
    return svc


def test_kubernetes_service_is_bootstrapped_at_the_first_address(env):
    svc = env.client.get("services", "kubernetes", "default")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert "default/kubernetes:https cluster IP" in env.net.iptables_save("node-1")
    assert "--to-destination 172.18.0.2:6443" in env.net.iptables_save("node-1")


def test_cluster_ip_request_travels_dns_rules_and_pod_network(env):
    svc = web(env)
    env.pod("client", "client", "shop", node="node-1", ports=())
    r = env.request("http://web/hello", from_pod="shop/client")
    assert r.status == 200 and r.pod.startswith("web-")
    assert r.body == f"{r.pod} GET /hello"
    ip = svc["spec"]["clusterIP"]
    dns, rules, network = r.hops
    assert dns == {
        "from": "pod client",
        "to": f"{ip}:80",
        "via": "DNS",
        "detail": f"web.shop.svc.cluster.local A {ip}",
    }
    assert rules["via"] == "kube-proxy node-1"
    assert (
        rules["detail"].startswith("KUBE-SERVICES → KUBE-SVC-") and "KUBE-SEP-" in rules["detail"]
    )
    assert rules["detail"].endswith("DNAT")
    assert network["to"] == f"pod {r.pod}" and network["via"] == "pod network"


def test_full_name_and_namespace_search(env):
    web(env)
    env.pod("client", "client", "default", node="node-2", ports=())
    assert env.request("http://web.shop/", from_pod="client").status == 200
    assert env.request("http://web.shop.svc.cluster.local/", from_pod="client").status == 200
    r = env.request("http://web/", from_pod="client")  # default/web does not exist
    assert r.status == 502 and "Could not resolve host: web" in r.error


def test_request_from_outside_a_pod_uses_cluster_dns(env):
    web(env)
    r = request(env.net, "http://web.shop.svc.cluster.local/")
    assert r.status == 200


def test_load_balancing_spread_over_ready_endpoints(env):
    web(env, replicas=3)
    env.pod("client", "client", "shop", node="node-1", ports=())
    counts = Counter(env.request("http://web/", from_pod="shop/client").pod for _ in range(900))
    assert set(counts) == {"web-0", "web-1", "web-2"}
    assert all(abs(n - 300) < 75 for n in counts.values())  # 1/3 each, ~4.5 sigma


def test_readiness_gates_traffic(env):
    web(env, replicas=2)
    env.pod("client", "client", "shop", node="node-1", ports=())
    env.set_status("web-1", "shop", ready=False)
    pods = {env.request("http://web/", from_pod="shop/client").pod for _ in range(40)}
    assert pods == {"web-0"}
    env.set_status("web-0", "shop", ready=False)
    r = env.request("http://web/", from_pod="shop/client")
    assert r.status == 503 and "Connection refused" in r.error
    assert r.hops[-1]["detail"].endswith("REJECT")


def test_named_target_port(env):
    env.service("api", "shop", ports=[{"name": "http", "port": 80, "targetPort": "web"}])
    env.pod("api-0", "api", "shop", ports=(("web", 9090),))
    r = env.request("http://api.shop/")
    assert r.status == 200 and env.backend.calls[-1][1] == 9090


def test_multiple_ports(env):
    env.service(
        "multi",
        "shop",
        ports=[
            {"name": "http", "port": 80, "targetPort": 8080},
            {"name": "admin", "port": 9000, "targetPort": 9001},
        ],
    )
    env.pod("multi-0", "multi", "shop", ports=(("http", 8080), ("admin", 9001)))
    assert env.request("http://multi.shop:9000/").status == 200
    assert env.backend.calls[-1][1] == 9001
    assert env.request("http://multi.shop:8081/").status == 504  # no such service port


def test_node_port(env):
    svc = web(env, type="NodePort")
    node_port = svc["spec"]["ports"][0]["nodePort"]
    r = env.request(f"http://172.18.0.4:{node_port}/")  # node-2's address
    assert r.status == 200
    assert r.hops[1]["via"] == "kube-proxy node-2"
    assert "KUBE-NODEPORTS → KUBE-EXT-" in r.hops[1]["detail"]
    assert "masquerade" in r.hops[1]["detail"]


def test_node_port_external_traffic_policy_local(env):
    svc = env.service("local", "shop", type="NodePort", externalTrafficPolicy="Local")
    env.pod("local-0", "local", "shop", node="node-3")
    port = svc["spec"]["ports"][0]["nodePort"]
    ok = env.request(f"http://172.18.0.5:{port}/")  # node-3 holds the endpoint
    assert ok.status == 200 and ok.pod == "local-0"
    assert "masquerade" not in ok.hops[1]["detail"]
    dropped = env.request(f"http://172.18.0.3:{port}/")  # node-1 has none: DROP
    assert dropped.status == 504


def test_load_balancer_gets_a_pool_address(env):
    web(env, type="LoadBalancer")
    svc = env.client.get("services", "web", "shop")
    [ingress] = svc["status"]["loadBalancer"]["ingress"]
    assert ingress["ip"] == "172.18.255.201"  # .200 belongs to the ingress controller
    r = env.request(f"http://{ingress['ip']}/")
    assert r.status == 200
    assert "loadbalancer IP" in env.net.iptables_save("node-1")
    env.service("second", "shop", type="LoadBalancer")
    second = env.client.get("services", "second", "shop")
    assert second["status"]["loadBalancer"]["ingress"][0]["ip"] == "172.18.255.202"


def test_external_name_is_a_cname(env):
    env.service(
        "db", "shop", ports=[], type="ExternalName", externalName="db.example.org", selector={}
    )
    answer = env.net.dns.resolve("db", "shop")
    assert [(r.type, r.data) for r in answer.records] == [("CNAME", "db.example.org")]
    r = env.request("http://db.shop/")
    assert (
        r.status == 502 and r.hops[0]["detail"] == "db.shop.svc.cluster.local CNAME db.example.org"
    )


def test_headless_service_resolves_to_pods_and_connects_directly(env):
    env.service("db", "shop", clusterIP="None", ports=[{"name": "http", "port": 8080}])
    ips = [env.pod(f"db-{i}", "db", "shop", hostname=f"db-{i}", subdomain="db") for i in range(2)]
    answer = env.net.dns.resolve("db.shop.svc.cluster.local")
    assert sorted(answer.addresses) == sorted(ips)
    assert env.net.dns.resolve("db-1.db.shop.svc.cluster.local").addresses == [ips[1]]
    r = env.request("http://db.shop:8080/")
    assert r.status == 200 and r.pod == "db-0"
    assert [h["via"] for h in r.hops] == ["DNS", "pod network"]  # no VIP, no DNAT
    assert "shop/db" not in env.net.iptables_save("node-1")


def test_session_affinity_client_ip(env):
    web(env, sessionAffinity="ClientIP")
    env.pod("client", "client", "shop", node="node-1", ports=())
    pods = {env.request("http://web/", from_pod="shop/client").pod for _ in range(20)}
    assert len(pods) == 1


def test_pod_without_listener_gives_502(env):
    web(env, replicas=1)
    env.backend.down.add(env.client.get("pods", "web-0", "shop")["status"]["podIP"])
    r = env.request("http://web.shop/")
    assert r.status == 502 and r.pod == "web-0"


def test_rules_follow_endpoint_changes(env):
    web(env, replicas=1)
    before = env.net.iptables_save("node-1")
    env.pod("web-9", "web", "shop", node="node-2")
    after = env.net.iptables_save("node-1")
    assert (
        before != after
        and after.count("-j DNAT --to-destination 10.244.")
        == before.count("-j DNAT --to-destination 10.244.") + 1
    )


def test_deleted_service_leaves_no_rules_and_releases_ip(env):
    svc = web(env)
    env.client.delete("services", "web", "shop")
    env.settle()
    assert "shop/web" not in env.net.iptables_save("node-2")
    again = env.service("web2", "shop", clusterIP=svc["spec"]["clusterIP"])
    assert again["spec"]["clusterIP"] == svc["spec"]["clusterIP"]


@pytest.mark.parametrize(
    ("ports", "message"),
    [
        (
            [{"name": "a", "port": 70000}],
            "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        ),
        (
            [{"name": "a", "port": 80}, {"name": "a", "port": 81}],
            'spec.ports[1].name: Duplicate value: "a"',
        ),
        ([{"name": "a", "port": 80, "targetPort": "Bad_Name"}], "spec.ports[0].targetPort"),
    ],
)
def test_bad_service_input_is_rejected_in_upstreams_words(env, ports, message):
    from minik8s.api.errors import Invalid

    with pytest.raises(Invalid) as err:
        env.service("bad", "shop", ports=ports)
    assert message in str(err.value)


def test_hops_draw_as_a_request_path(env):
    from minik8s.viz.request import request_path

    web(env, replicas=1)
    env.pod("client", "client", "shop", node="node-2", ports=())
    r = env.request("http://web/", from_pod="shop/client")
    diagram = request_path(r)
    assert diagram.nodes == 4 and diagram.edges == 3
    assert "pod web-0" in diagram.source and "kube-proxy node-2" in diagram.source
