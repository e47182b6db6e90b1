"""kube-proxy as a component: one per node, lazy coalesced syncs, rules follow the API."""

from tests.proxy.env import NetEnv


def test_one_proxy_per_node_with_its_address():
    env = NetEnv(nodes=2)
    assert sorted(env.net.proxies) == ["node-1", "node-2"]
    assert env.net.proxy_for("node-2").node_ip == "172.18.0.4"
    assert repr(env.net.proxy_for("node-1")).startswith("<KubeProxy node-1 ")


def test_changes_coalesce_into_one_sync():
    env = NetEnv(nodes=1)
    proxy = env.net.proxy_for("node-1")
    proxy.iptables_save()
    before = proxy.syncs
    env.service("a", "shop")
    env.service("b", "shop")
    env.pod("a-0", "a", "shop")
    text = proxy.iptables_save()
    proxy.iptables_save()
    assert proxy.syncs == before + 1
    assert "shop/a:http cluster IP" in text and "shop/b:http has no endpoints" in text


def test_node_delete_stops_its_proxy():
    env = NetEnv(nodes=2)
    proxy = env.net.proxy_for("node-2")
    env.client.delete("nodes", "node-2")
    env.settle()
    assert "node-2" not in env.net.proxies
    syncs = proxy.syncs
    env.service("late", "shop")
    assert proxy.syncs == syncs


def test_proxies_share_one_change_tracker_and_build_service_ports_once():
    from minik8s.proxy.kubeproxy import KubeProxy

    env = NetEnv(nodes=3)
    proxies = [env.net.proxy_for(f"node-{i}") for i in (1, 2, 3)]
    assert all(p.changes is env.net.changes for p in proxies)
    env.service("a", "shop", externalTrafficPolicy="Local", type="NodePort")
    env.pod("a-0", "a", "shop", node="node-2")
    builds = []
    original = env.net.changes._build
    env.net.changes._build = lambda: builds.append(1) or original()
    texts = [p.iptables_save() for p in proxies]
    assert len(builds) == 1
    assert not any(p.stale for p in proxies)
    alone = KubeProxy(env.informers, "node-2")  # its own tracker: the same rules
    assert alone.iptables_save() == texts[1]
    assert texts[1] != texts[0]  # node-2 holds the local endpoint
    env.service("b", "shop")
    assert all(p.stale for p in proxies) and alone.stale
    alone.stop()
    assert len(alone.changes._handlers) == 0
