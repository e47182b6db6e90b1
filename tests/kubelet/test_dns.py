"""The kubelet's pod DNS config: upstream `pkg/kubelet/network/dns/dns_test.go` tables
(TestParseResolvConf, TestFormDNSSearchFitsLimits, TestFormDNSNameserversFitsLimits,
TestMergeDNSOptions, TestGetPodDNSType, TestGetPodDNS, TestGetPodDNSCustom) and the resolv.conf
the runtime writes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cri.api import DNSConfig
from minik8s.cri.sandbox import NODE_RESOLV_CONF, resolv_conf
from minik8s.kubelet.dns import (
    MAX_DNS_SEARCH_LIST_CHARS,
    MAX_DNS_SEARCH_PATHS,
    POD_DNS_CLUSTER,
    POD_DNS_HOST,
    POD_DNS_NONE,
    Configurer,
    get_pod_dns_type,
    merge_dns_options,
    parse_resolv_conf,
)

Obj = dict[str, Any]
NODE_REF = {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "testNode", "uid": "testNode"}}


class Events:
    """record.FakeRecorder: "<type> <reason> <message>" strings."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.objects: list[Obj] = []

    def __call__(self, obj: Obj, event_type: str, reason: str, message: str) -> None:
        self.seen.append(f"{event_type} {reason} {message}")
        self.objects.append(obj)


def pod(
    namespace: str = "testNS",
    policy: str | None = None,
    host_network: bool = False,
    dns_config: Obj | None = None,
    name: str = "test_pod",
) -> Obj:
    spec: Obj = {"hostNetwork": host_network}
    if policy is not None:
        spec["dnsPolicy"] = policy
    if dns_config is not None:
        spec["dnsConfig"] = dns_config
    meta = {"name": name, "namespace": namespace, "uid": ""}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


PARSE_CASES = [
    ("", [], [], []),
    (" ", [], [], []),
    ("\n", [], [], []),
    ("\t\n\t", [], [], []),
    ("#comment\n", [], [], []),
    (" #comment\n", [], [], []),
    ("#comment\n#comment", [], [], []),
    ("#comment\nnameserver 1.2.3.4\nsearch", ["1.2.3.4"], [], []),
    ("nameserver 1.2.3.4", ["1.2.3.4"], [], []),
    (" nameserver 1.2.3.4", ["1.2.3.4"], [], []),
    ("\tnameserver 1.2.3.4", ["1.2.3.4"], [], []),
    ("nameserver\t1.2.3.4", ["1.2.3.4"], [], []),
    ("nameserver \t 1.2.3.4", ["1.2.3.4"], [], []),
    ("nameserver 1.2.3.4\nnameserver 5.6.7.8", ["1.2.3.4", "5.6.7.8"], [], []),
    ("nameserver 1.2.3.4 #comment", ["1.2.3.4"], [], []),
    ("search ", [], [], []),
    ("search .", [], [""], []),
    ("search foo", [], ["foo"], []),
    ("search foo bar", [], ["foo", "bar"], []),
    ("search foo. bar", [], ["foo", "bar"], []),
    ("search foo bar bat\n", [], ["foo", "bar", "bat"], []),
    ("search foo\nsearch bar", [], ["bar"], []),
    ("nameserver 1.2.3.4\nsearch foo bar", ["1.2.3.4"], ["foo", "bar"], []),
    ("nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar", ["1.2.3.4", "5.6.7.8"],
     ["bar"], []),
    ("#comment\nnameserver 1.2.3.4\n#comment\nsearch foo\ncomment", ["1.2.3.4"], ["foo"], []),
    ("options ", [], [], []),
    ("options ndots:5 attempts:2", [], [], ["ndots:5", "attempts:2"]),
    ("options ndots:1\noptions ndots:5 attempts:3", [], [], ["ndots:5", "attempts:3"]),
    ("nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar\noptions ndots:5 attempts:4",
     ["1.2.3.4", "5.6.7.8"], ["bar"], ["ndots:5", "attempts:4"]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "nameservers", "searches", "options"), PARSE_CASES)
def test_parse_resolv_conf(data, nameservers, searches, options):
    assert parse_resolv_conf(data) == (nameservers, searches, options)


@pytest.mark.parametrize("data", ["#comment\nnameserver", "#comment\nnameserver\nsearch"])
def test_parse_resolv_conf_empty_nameserver_is_an_error(data):
    with pytest.raises(ValueError, match="nameserver list is empty"):
        parse_resolv_conf(data)


SEARCH_EVENT = (
    "Warning DNSConfigForming Search Line limits were exceeded, some search paths have been "
    "omitted, the applied search line is: "
)
CLUSTER3 = ["testNS.svc.TEST", "svc.TEST", "TEST"]
LONG_SEARCHES = [f"{i}" * 63 + "." + f"{i}" * 63 + "." + f"{i}" * 63 for i in range(10)]


@pytest.mark.parametrize(
    ("host_names", "result"),
    [
        (CLUSTER3, CLUSTER3),
        ([*CLUSTER3, "AAA", "BBB"], [*CLUSTER3, "AAA", "BBB"]),
        ([*CLUSTER3, "AAA", "B" * 256, "BBB"], [*CLUSTER3, "AAA", "BBB"]),  # over 253: dropped
        ([*CLUSTER3, "AAA", "B" * 253, "BBB"], [*CLUSTER3, "AAA", "B" * 253, "BBB"]),
        # 32 domains fit, the 33rd and later are cut
        ([f"d{i}" for i in range(32)], [f"d{i}" for i in range(32)]),
        ([f"d{i}" for i in range(40)], [f"d{i}" for i in range(32)]),
        # 10 domains of 191 characters: 1919 on the line; one more is 2111 > 2048
        (LONG_SEARCHES[:10], LONG_SEARCHES[:10]),
        ([*LONG_SEARCHES, "x" * 191], LONG_SEARCHES[:10]),
        ([*LONG_SEARCHES, "x" * 127, "y"], [*LONG_SEARCHES, "x" * 127]),
    ],
)
def test_form_dns_search_fits_limits(host_names, result):
    events = Events()
    configurer = Configurer(events, NODE_REF, cluster_dns=[], cluster_domain="TEST")
    assert configurer.form_dns_search_fits_limits(list(host_names), pod()) == result
    expected = [] if result == host_names else [SEARCH_EVENT + " ".join(result)]
    assert events.seen == expected
    assert all(obj["kind"] == "Pod" for obj in events.objects)


@given(st.lists(st.text(alphabet="abc.", min_size=1, max_size=300), max_size=40))
def test_form_dns_search_always_fits(searches):
    configurer = Configurer(Events(), NODE_REF)
    applied = configurer.form_dns_search_fits_limits(searches, pod())
    assert len(applied) <= MAX_DNS_SEARCH_PATHS
    assert len(" ".join(applied)) <= MAX_DNS_SEARCH_LIST_CHARS
    assert all(len(s) <= 253 for s in applied)
    it = iter(searches)  # an order-preserving subsequence of the input
    assert all(any(s == t for t in it) for s in applied)


@pytest.mark.parametrize(
    ("nameservers", "expected", "event"),
    [
        (["127.0.0.1"], ["127.0.0.1"], False),
        (["127.0.0.1", "10.0.0.10", "8.8.8.8"], ["127.0.0.1", "10.0.0.10", "8.8.8.8"], False),
        (["127.0.0.1", "10.0.0.10", "8.8.8.8", "1.2.3.4"], ["127.0.0.1", "10.0.0.10", "8.8.8.8"],
         True),
    ],
)  # fmt: skip
def test_form_dns_nameservers_fits_limits(nameservers, expected, event):
    events = Events()
    configurer = Configurer(events, NODE_REF, cluster_dns=[], cluster_domain="TEST")
    assert configurer.form_dns_nameservers_fits_limits(nameservers, pod()) == expected
    message = (
        "Warning DNSConfigForming Nameserver limits were exceeded, some nameservers have been "
        "omitted, the applied nameserver line is: 127.0.0.1 10.0.0.10 8.8.8.8"
    )
    assert events.seen == ([message] if event else [])


@pytest.mark.parametrize(
    ("existing", "pod_options", "expected"),
    [
        (["ndots:5", "debug"], None, ["ndots:5", "debug"]),
        (
            ["ndots:5", "debug"],
            [{"name": "single-request"}, {"name": "attempts", "value": "3"}],
            ["ndots:5", "debug", "single-request", "attempts:3"],
        ),
        (
            ["ndots:5", "debug"],
            [
                {"name": "ndots", "value": "3"},
                {"name": "debug"},
                {"name": "single-request"},
                {"name": "attempts", "value": "3"},
            ],
            ["ndots:3", "debug", "single-request", "attempts:3"],
        ),
    ],
)
def test_merge_dns_options(existing, pod_options, expected):
    assert merge_dns_options(existing, pod_options) == expected  # upstream: as sets


@pytest.mark.parametrize(
    ("policy", "host_network", "expected"),
    [
        ("ClusterFirst", False, POD_DNS_CLUSTER),
        ("ClusterFirstWithHostNet", True, POD_DNS_CLUSTER),
        ("ClusterFirstWithHostNet", False, POD_DNS_CLUSTER),
        ("Default", False, POD_DNS_HOST),
        ("Default", True, POD_DNS_HOST),
        ("ClusterFirst", True, POD_DNS_HOST),  # falls back to Default on the host network
        ("None", False, POD_DNS_NONE),
        (None, False, POD_DNS_CLUSTER),  # the API server's default
    ],
)
def test_get_pod_dns_type(policy, host_network, expected):
    assert get_pod_dns_type(pod(policy=policy, host_network=host_network)) == expected


def test_get_pod_dns_type_rejects_an_invalid_policy():
    with pytest.raises(ValueError, match="invalid DNSPolicy=invalidPolicy"):
        get_pod_dns_type(pod(policy="invalidPolicy"))


def test_get_pod_dns_without_resolv_conf():
    """TestGetPodDNS, first half: --resolv-conf="" makes Default pods use 127.0.0.1 and '.'."""
    configurer = Configurer(Events(), NODE_REF, [], ["203.0.113.1"], "kubernetes.io", "")
    pods = [
        pod("", "ClusterFirstWithHostNet", True, name="pod0"),
        pod("", "ClusterFirst", True, name="pod1"),
        pod("", "ClusterFirst", False, name="pod2"),
        pod("", "Default", True, name="pod3"),
    ]
    configs = [configurer.get_pod_dns(p) for p in pods]
    assert configs[0].servers == ["203.0.113.1"]
    assert configs[0].searches[0] == ".svc.kubernetes.io"
    assert (configs[1].servers, configs[1].searches) == (["127.0.0.1"], ["."])
    assert configs[2].servers == ["203.0.113.1"]
    assert configs[2].searches[0] == ".svc.kubernetes.io"
    assert (configs[3].servers, configs[3].searches) == (["127.0.0.1"], ["."])


def test_get_pod_dns_with_resolv_conf():
    """TestGetPodDNS, second half: the host's search domains follow the cluster's."""
    host = "nameserver 8.8.8.8\nsearch host.domain corp.example\noptions ndots:1\n"
    configurer = Configurer(Events(), NODE_REF, [], ["203.0.113.1"], "kubernetes.io", host)
    first = configurer.get_pod_dns(pod("", "ClusterFirstWithHostNet", True))
    assert first == DNSConfig(
        ["203.0.113.1"],
        [".svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io", "host.domain", "corp.example"],
        ["ndots:5"],
    )
    default = configurer.get_pod_dns(pod("", "Default", True))
    assert default == DNSConfig(["8.8.8.8"], ["host.domain", "corp.example"], ["ndots:1"])


CUSTOM_HOST = "nameserver 8.8.8.8\nsearch host.domain\n"
NS_SVC, SVC, DOMAIN = "testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io"
POD_DNS_CONFIG = {
    "nameservers": ["10.0.0.11"],
    "searches": ["my.domain"],
    "options": [{"name": "ndots", "value": "3"}, {"name": "debug"}],
}


@pytest.mark.parametrize(
    ("host_network", "policy", "dns_config", "expected"),
    [
        (False, "None", None, DNSConfig()),
        (
            False,
            "None",
            {
                "nameservers": ["203.0.113.1"],
                "searches": ["my.domain", "second.domain"],
                "options": [{"name": "ndots", "value": "3"}, {"name": "debug"}],
            },
            DNSConfig(["203.0.113.1"], ["my.domain", "second.domain"], ["ndots:3", "debug"]),
        ),
        (
            False,
            "ClusterFirst",
            POD_DNS_CONFIG,
            DNSConfig(
                ["10.0.0.10", "10.0.0.11"],
                [NS_SVC, SVC, DOMAIN, "host.domain", "my.domain"],
                ["ndots:3", "debug"],
            ),
        ),
        (
            True,
            "ClusterFirstWithHostNet",
            POD_DNS_CONFIG,
            DNSConfig(
                ["10.0.0.10", "10.0.0.11"],
                [NS_SVC, SVC, DOMAIN, "host.domain", "my.domain"],
                ["ndots:3", "debug"],
            ),
        ),
        (
            False,
            "Default",
            POD_DNS_CONFIG,
            DNSConfig(["8.8.8.8", "10.0.0.11"], ["host.domain", "my.domain"], ["ndots:3", "debug"]),
        ),
    ],
)
def test_get_pod_dns_custom(host_network, policy, dns_config, expected):
    """TestGetPodDNSCustom."""
    configurer = Configurer(Events(), NODE_REF, [], ["10.0.0.10"], DOMAIN, CUSTOM_HOST)
    assert configurer.get_pod_dns(pod("testNS", policy, host_network, dns_config)) == expected


def test_missing_cluster_dns_falls_back_to_default_with_events():
    events = Events()
    configurer = Configurer(events, NODE_REF, ["172.18.0.3"], [], "cluster.local", "")
    config = configurer.get_pod_dns(pod("shop", "ClusterFirst", name="web"))
    assert config == DNSConfig(["127.0.0.1"], ["."], [])
    message = (
        "kubelet does not have ClusterDNS IP configured and cannot create Pod using "
        '"ClusterFirst" policy. Falling back to "Default" policy.'
    )
    assert events.seen == [
        f"Warning MissingClusterDNS {message}",
        f'Warning MissingClusterDNS pod: "web_shop()". {message}',
    ]
    assert [o["kind"] for o in events.objects] == ["Node", "Pod"]


def test_too_many_nameservers_from_dns_config_are_cut_with_an_event():
    events = Events()
    extra = {"nameservers": ["1.1.1.1", "8.8.8.8", "9.9.9.9"]}
    config = Configurer(events).get_pod_dns(pod("default", "ClusterFirst", dns_config=extra))
    assert config.servers == ["10.96.0.10", "1.1.1.1", "8.8.8.8"]
    assert events.seen == [
        "Warning DNSConfigForming Nameserver limits were exceeded, some nameservers have been "
        "omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8"
    ]


def test_kubeadm_defaults_give_the_kind_pod_resolv_conf():
    config = Configurer().get_pod_dns(pod("default"))
    assert resolv_conf(config) == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n"
    )
    host = Configurer().get_pod_dns(pod("default", "Default"))
    assert resolv_conf(host) == NODE_RESOLV_CONF == "nameserver 172.18.0.1\noptions ndots:0\n"


def test_resolv_conf_lines_and_the_host_fallback():
    """containerd `parseDNSOptions`: each part only when present; nothing → the host's file."""
    assert resolv_conf(DNSConfig(["1.1.1.1", "8.8.8.8"])) == (
        "nameserver 1.1.1.1\nnameserver 8.8.8.8\n"
    )
    assert resolv_conf(DNSConfig([], ["a", "b"], ["debug"])) == "search a b\noptions debug\n"
    assert resolv_conf(DNSConfig()) == NODE_RESOLV_CONF
    assert resolv_conf(None, host="nameserver 9.9.9.9\n") == "nameserver 9.9.9.9\n"


def test_repr_is_deterministic():
    assert repr(Configurer()) == "<Configurer cluster_dns=['10.96.0.10'] domain='cluster.local'>"
