# ruff: noqa: E501
"""kube-proxy's iptables rules: upstream's chain names and lines, and packets routed by them."""

import random
from collections import Counter

import pytest

from minik8s.proxy.proxier import sync_proxy_rules
from minik8s.proxy.router import Packet, RouterState, route
from minik8s.proxy.rules import Rule, kernel_probability
from minik8s.proxy.serviceport import (
    Endpoint,
    ServicePort,
    endpoint_chain_name,
    service_port_chain_name,
)

NODE_IP = "192.168.0.2"

# Lines of upstream's TestOverallIPTablesRules (pkg/proxy/iptables/proxier_test.go), for its
# svc2 (NodePort + externalIP + LB IP, externalTrafficPolicy Local, endpoint on another host)
# and svc4 (two endpoints, an external IP), local detector 10.0.0.0/8.
UPSTREAM_NAT = """\
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
"""
UPSTREAM_FILTER = """\
-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
"""


def upstream_services():
    svc2 = ServicePort(
        "ns2", "svc2", "p80", "TCP", "172.30.0.42", 80,
        node_port=3001, external_ips=["192.168.99.22"], load_balancer_ips=["1.2.3.4"],
        external_local=True, health_check_node_port=30000,
        endpoints=[Endpoint("10.180.0.2", 80, node_name="host2")],
    )  # fmt: skip
    svc4 = ServicePort(
        "ns4", "svc4", "p80", "TCP", "172.30.0.44", 80, external_ips=["192.168.99.33"],
        endpoints=[Endpoint("10.180.0.4", 80, node_name="host2"), Endpoint("10.180.0.5", 80)],
    )  # fmt: skip
    return [svc4, svc2]


def kube_lines(text):
    return [
        line
        for line in text.splitlines()
        if line.startswith("-A KUBE-") and "kubernetes forwarding rules" not in line
    ]


def test_chain_names_are_upstreams_hashes():
    assert service_port_chain_name("ns1/svc1:p80", "tcp") == "KUBE-SVC-XPGD46QRK7WJZT7O"
    assert endpoint_chain_name("ns1/svc1:p80", "tcp", "10.180.0.1:80") == (
        "KUBE-SEP-SXIVWICOYRO3J4NJ"
    )


def test_rules_match_upstreams_golden_lines():
    rules = sync_proxy_rules(upstream_services(), "testHostname", "10.0.0.0/8")
    assert kube_lines(rules.iptables_save("nat", kernel=False)) == UPSTREAM_NAT.splitlines()
    assert kube_lines(rules.iptables_save("filter", kernel=False)) == UPSTREAM_FILTER.splitlines()


def three_endpoints(**kwargs):
    eps = [Endpoint(f"10.244.{i}.5", 8080, node_name=f"node-{i}") for i in (1, 2, 3)]
    return ServicePort("default", "web", "http", "TCP", "10.96.0.50", 80, endpoints=eps, **kwargs)


GOLDEN_WEB = """\
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-AFGSLHOD2HFNCBX4 - [0:0]
:KUBE-SEP-HQQLGVWC5OFWA4VC - [0:0]
:KUBE-SEP-OAIGUPJHOE4YU7HS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -s 10.244.1.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SEP-HQQLGVWC5OFWA4VC -s 10.244.3.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-HQQLGVWC5OFWA4VC -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.3.5:8080
-A KUBE-SEP-OAIGUPJHOE4YU7HS -s 10.244.2.5/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-OAIGUPJHOE4YU7HS -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.5:8080
-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-CDGGSHYLG3RE2FKL ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.5:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-OAIGUPJHOE4YU7HS
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.3.5:8080" -j KUBE-SEP-HQQLGVWC5OFWA4VC
COMMIT
"""


def test_iptables_save_golden_for_a_small_service():
    """As `iptables-save -t nat` prints it on a node: the address part first (`-d IP/32`,
    `-p tcp`), comments quoted, MARK as `--set-xmark`, user chains in name order."""
    assert sync_proxy_rules([three_endpoints()], "node-1").iptables_save("nat") == GOLDEN_WEB


def test_iptables_save_lines_as_a_real_node_prints_them():
    """Lines of `iptables-save` on real nodes (iptables 1.8) for the same rules kube-proxy wrote."""
    written_and_saved = [
        (
            '-A KUBE-SVC-X -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.43.0.1 --dport 443 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ',
            '-A KUBE-SVC-X ! -s 10.42.0.0/16 -d 10.43.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ',
        ),
        (
            "-A KUBE-SEP-Y -m comment --comment default/kubernetes:https -m tcp -p tcp -j DNAT --to-destination 10.0.20.5:6443",
            '-A KUBE-SEP-Y -p tcp -m comment --comment "default/kubernetes:https" -m tcp -j DNAT --to-destination 10.0.20.5:6443',
        ),
        (
            "-A KUBE-NODEPORTS -m comment --comment netlab/web-nodeport:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-Z",
            '-A KUBE-NODEPORTS -p tcp -m comment --comment "netlab/web-nodeport:http" -m tcp --dport 30080 -j KUBE-EXT-Z',
        ),
        (
            '-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.1.2:80" -m recent --name KUBE-SEP-Y --rcheck --seconds 10800 --reap -j KUBE-SEP-Y',
            '-A KUBE-SVC-X -m comment --comment "ns/web -> 10.244.1.2:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-Y --mask 255.255.255.255 --rsource -j KUBE-SEP-Y',
        ),
        (
            '-A KUBE-SERVICES -m comment --comment "ns/web has no endpoints" -m tcp -p tcp -d 10.96.0.9 --dport 80 -j REJECT',
            '-A KUBE-SERVICES -d 10.96.0.9/32 -p tcp -m comment --comment "ns/web has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        ),
    ]
    for written, saved in written_and_saved:
        rule = Rule.parse(written)
        assert (rule.render(kernel=False), rule.render()) == (written, saved)


def test_kernel_probability_rounding():
    assert f"{kernel_probability('0.3333333333'):.11f}" == "0.33333333349"
    assert f"{kernel_probability('0.5000000000'):.11f}" == "0.50000000000"


def test_rule_parse_roundtrip():
    line = '-A KUBE-SVC-X -m comment --comment "a b -> c" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-Y'  # noqa: E501
    assert Rule.parse(line).render(kernel=False) == line
    with pytest.raises(ValueError):
        Rule.parse("-D KUBE-SERVICES -j X")


def state(seed=0):
    return RouterState({NODE_IP}, random.Random(seed))


def test_load_balancing_spreads_evenly_over_three_endpoints():
    rules = sync_proxy_rules([three_endpoints()], "node-1")
    st, n = state(), 6000
    hits = Counter()
    for _ in range(n):
        verdict = route(rules, Packet("10.244.1.9", "10.96.0.50", 80), st)
        assert verdict.action == "DNAT"
        hits[verdict.packet.dst] += 1
    assert set(hits) == {"10.244.1.5", "10.244.2.5", "10.244.3.5"}
    for count in hits.values():  # each 1/3: 2000 ± 4 sigma (sigma ~ 36.5)
        assert abs(count - n / 3) < 150


def test_same_seed_same_choices():
    rules = sync_proxy_rules([three_endpoints()], "node-1")
    a, b = state(7), state(7)
    pa = [route(rules, Packet("10.244.1.9", "10.96.0.50", 80), a).packet.dst for _ in range(20)]
    pb = [route(rules, Packet("10.244.1.9", "10.96.0.50", 80), b).packet.dst for _ in range(20)]
    assert pa == pb


def test_no_endpoints_rejects_and_other_ports_pass_untouched():
    sp = ServicePort("default", "empty", "", "TCP", "10.96.0.60", 80)
    rules = sync_proxy_rules([sp], "node-1")
    assert route(rules, Packet("10.244.1.9", "10.96.0.60", 80), state()).action == "REJECT"
    verdict = route(rules, Packet("10.244.1.9", "10.96.0.60", 81), state())
    assert verdict.action == "ACCEPT" and verdict.packet.dst == "10.96.0.60"


def test_hairpin_and_off_cluster_sources_are_masqueraded():
    rules = sync_proxy_rules([three_endpoints()], "node-1")
    pod = route(rules, Packet("10.244.9.9", "10.96.0.50", 80), state())
    assert not pod.packet.masquerade
    outside = route(rules, Packet("192.168.5.5", "10.96.0.50", 80), state())
    assert outside.packet.masquerade


def test_node_port_cluster_policy_reaches_any_endpoint_and_masquerades():
    rules = sync_proxy_rules([three_endpoints(node_port=30080)], "node-1")
    dsts = {
        route(rules, Packet("203.0.113.7", NODE_IP, 30080), state(s)).packet.dst for s in range(30)
    }
    assert dsts == {"10.244.1.5", "10.244.2.5", "10.244.3.5"}
    assert route(rules, Packet("203.0.113.7", NODE_IP, 30080), state()).packet.masquerade


def test_external_traffic_policy_local_keeps_source_and_stays_on_node():
    sp = three_endpoints(node_port=30080, external_local=True, health_check_node_port=31000)
    on_node_2 = sync_proxy_rules([sp], "node-2")
    for seed in range(20):
        verdict = route(on_node_2, Packet("203.0.113.7", NODE_IP, 30080), state(seed))
        assert verdict.packet.dst == "10.244.2.5" and not verdict.packet.masquerade
    empty_node = sync_proxy_rules([sp], "node-9")
    assert route(empty_node, Packet("203.0.113.7", NODE_IP, 30080), state()).action == "DROP"
    # pods still reach the service through the node port via the cluster chain
    assert route(empty_node, Packet("10.244.1.9", NODE_IP, 30080), state()).action == "DNAT"


def test_internal_traffic_policy_local():
    sp = three_endpoints(internal_local=True)
    verdict = route(
        sync_proxy_rules([sp], "node-3"), Packet("10.244.3.9", "10.96.0.50", 80), state()
    )
    assert verdict.packet.dst == "10.244.3.5"
    text = sync_proxy_rules([sp], "node-9").iptables_save("filter")
    assert '"default/web:http has no local endpoints"' in text
    assert (
        route(
            sync_proxy_rules([sp], "node-9"), Packet("10.244.3.9", "10.96.0.50", 80), state()
        ).action
        == "DROP"
    )


def test_session_affinity_client_ip_sticks_until_timeout():
    rules = sync_proxy_rules([three_endpoints(affinity_seconds=10800)], "node-1")
    assert "-m recent --name KUBE-SEP-" in rules.iptables_save(kernel=False)
    assert "-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-" in rules.iptables_save()
    st = state(3)
    first = route(rules, Packet("10.244.1.9", "10.96.0.50", 80), st).packet.dst
    for _ in range(30):
        assert route(rules, Packet("10.244.1.9", "10.96.0.50", 80), st).packet.dst == first
    others = {
        route(rules, Packet(f"10.244.7.{i}", "10.96.0.50", 80), st).packet.dst for i in range(30)
    }
    assert len(others) == 3
    st.now += 10801
    later = {route(rules, Packet("10.244.1.9", "10.96.0.50", 80), st).packet.dst for _ in range(1)}
    assert later  # the old entry was reaped; a fresh choice was made


def test_terminating_endpoints_used_only_when_none_is_ready():
    eps = [
        Endpoint("10.244.1.5", 80, ready=False, serving=True, terminating=True),
        Endpoint("10.244.1.6", 80, ready=True),
    ]
    sp = ServicePort("default", "web", "", "TCP", "10.96.0.50", 80, endpoints=eps)
    assert "10.244.1.5" not in sync_proxy_rules([sp], "n").iptables_save()
    sp.endpoints = eps[:1]
    assert "10.244.1.5:80" in sync_proxy_rules([sp], "n").iptables_save()
