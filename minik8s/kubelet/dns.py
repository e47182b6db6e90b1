"""A pod's DNS configuration, mirroring `pkg/kubelet/network/dns/dns.go` (1.31): `GetPodDNS`
with `getPodDNSType`, `getHostDNSConfig`/`parseResolvConf`, `appendDNSConfig`,
`mergeDNSOptions` and `formDNSConfigFitsLimits` (3 nameservers, 32 search domains, a search line
of at most 2048 characters, no domain over 253). The runtime turns the result into the sandbox's
/etc/resolv.conf (`minik8s.cri.sandbox.resolv_conf`, containerd's `parseDNSOptions`).

The node's resolv.conf (the kubelet's `--resolv-conf`) is text, not a file: every simulated node
has kind's (`HOST_RESOLV_CONF`: the Docker network's gateway, `ndots:0`). `cluster_dns` and
`cluster_domain` are the kubelet's `--cluster-dns`/`--cluster-domain` (kubeadm: 10.96.0.10,
cluster.local).
Left out: IPv6 node addresses, `CheckLimitsForResolvConf`, Windows, the 10 MB read limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from minik8s.cri.api import DNSConfig
from minik8s.cri.sandbox import NODE_RESOLV_CONF

Obj = dict[str, Any]
Recorder = Callable[[Obj, str, str, str], None]  # (object, type, reason, message)
MAX_DNS_NAMESERVERS = 3  # validation.MaxDNSNameservers
MAX_DNS_SEARCH_PATHS = 32  # validation.MaxDNSSearchPaths
MAX_DNS_SEARCH_LIST_CHARS = 2048  # validation.MaxDNSSearchListChars
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DEFAULT_DNS_OPTIONS = ("ndots:5",)
CLUSTER_DNS = ("10.96.0.10",)
CLUSTER_DOMAIN = "cluster.local"
HOST_RESOLV_CONF = NODE_RESOLV_CONF  # --resolv-conf: the node's /etc/resolv.conf
POD_DNS_CLUSTER, POD_DNS_HOST, POD_DNS_NONE = "cluster", "host", "none"


def omit_duplicates(items: Iterable[str]) -> list[str]:
    """The items in order, each once (`omitDuplicates`)."""
    return list(dict.fromkeys(items))


def parse_resolv_conf(text: str) -> tuple[list[str], list[str], list[str]]:
    """`parseResolvConf`: (nameservers, searches, options); nameservers accumulate, the last
    `search`/`options` line wins; ValueError for a `nameserver` line without an address."""
    nameservers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    errors = []
    for line in text.split("\n"):
        fields = line.strip().split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0] == "nameserver":
            if len(fields) >= 2:
                nameservers.append(fields[1])
            else:
                errors.append("nameserver list is empty ")
        elif fields[0] == "search":
            searches = [s.removesuffix(".") for s in fields[1:]]
        elif fields[0] == "options":
            options = fields[1:]
    if errors:
        raise ValueError(", ".join(errors))
    return nameservers, searches, options


@lru_cache(maxsize=16)  # every pod of a node reads the same file
def _parse_host_resolv_conf(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(part) for part in parse_resolv_conf(text))


def get_pod_dns_type(pod: Obj) -> str:
    """`getPodDNSType`: ClusterFirst on the host network falls back to Default; ValueError for
    an unknown policy."""
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy", "ClusterFirst")
    if policy == "None":
        return POD_DNS_NONE
    if policy == "ClusterFirstWithHostNet":
        return POD_DNS_CLUSTER
    if policy == "ClusterFirst":
        return POD_DNS_HOST if spec.get("hostNetwork") else POD_DNS_CLUSTER
    if policy == "Default":
        return POD_DNS_HOST
    raise ValueError(f"invalid DNSPolicy={policy}")


def merge_dns_options(existing: list[str], pod_options: list[Obj] | None) -> list[str]:
    """`mergeDNSOptions`: the pod's `dnsConfig.options` override options of the same name.
    Upstream's order is a Go map's; here it is first appearance."""
    merged: dict[str, str] = {}
    for option in existing:
        name, _, value = option.partition(":")
        merged[name] = value
    for pod_option in pod_options or []:
        merged[pod_option.get("name", "")] = pod_option.get("value") or ""
    return [f"{name}:{value}" if value else name for name, value in merged.items()]


def append_dns_config(config: DNSConfig, pod_config: Obj) -> DNSConfig:
    """`appendDNSConfig`: the pod's nameservers, searches and options after the base ones."""
    return DNSConfig(
        omit_duplicates([*config.servers, *(pod_config.get("nameservers") or [])]),
        omit_duplicates([*config.searches, *(pod_config.get("searches") or [])]),
        merge_dns_options(config.options, pod_config.get("options")),
    )


class Configurer:
    """The kubelet's DNS configurer (`dns.Configurer`): `get_pod_dns(pod)` for each sandbox."""

    def __init__(
        self,
        recorder: Recorder | None = None,
        node_ref: Obj | None = None,
        node_ips: Iterable[str] = (),
        cluster_dns: Iterable[str] = CLUSTER_DNS,
        cluster_domain: str = CLUSTER_DOMAIN,
        resolver_config: str = HOST_RESOLV_CONF,
    ):
        self.recorder = recorder
        self.node_ref = node_ref or {"kind": "Node", "apiVersion": "v1", "metadata": {}}
        self.node_ips = list(node_ips)
        self.cluster_dns = list(cluster_dns)
        self.cluster_domain = cluster_domain
        self.resolver_config = resolver_config  # the --resolv-conf file's text ("": none)

    def __repr__(self) -> str:
        return f"<Configurer cluster_dns={self.cluster_dns} domain={self.cluster_domain!r}>"

    def _event(self, obj: Obj, reason: str, message: str) -> None:
        if self.recorder is not None:
            self.recorder(obj, "Warning", reason, message)

    def get_host_dns_config(self) -> DNSConfig:
        """`getHostDNSConfig`: the node's resolv.conf as a DNSConfig (empty without one)."""
        servers, searches, options = _parse_host_resolv_conf(self.resolver_config)
        return DNSConfig(list(servers), list(searches), list(options))

    def generate_searches_for_dns_cluster_first(
        self, host_search: list[str], pod: Obj
    ) -> list[str]:
        """`<ns>.svc.<domain> svc.<domain> <domain>`, then the host's search domains."""
        if not self.cluster_domain:
            return host_search
        domain, namespace = self.cluster_domain, pod["metadata"].get("namespace", "")
        cluster = [f"{namespace}.svc.{domain}", f"svc.{domain}", domain]
        return omit_duplicates([*cluster, *host_search])

    def get_pod_dns(self, pod: Obj) -> DNSConfig:
        """`GetPodDNS`: the DNSConfig for the pod's sandbox (ValueError: bad host resolv.conf)."""
        config = self.get_host_dns_config()
        try:
            dns_type = get_pod_dns_type(pod)
        except ValueError:
            dns_type = POD_DNS_CLUSTER
        if dns_type == POD_DNS_NONE:
            config = DNSConfig()
        elif dns_type == POD_DNS_CLUSTER and self.cluster_dns:
            searches = self.generate_searches_for_dns_cluster_first(config.searches, pod)
            config = DNSConfig(list(self.cluster_dns), searches, list(DEFAULT_DNS_OPTIONS))
        else:
            if dns_type == POD_DNS_CLUSTER:
                self._missing_cluster_dns(pod)
            if not self.resolver_config:
                servers = ["::1" if ":" in ip else "127.0.0.1" for ip in self.node_ips]
                config = DNSConfig(servers or ["127.0.0.1"], ["."], config.options)
        pod_config = (pod.get("spec") or {}).get("dnsConfig")
        if pod_config is not None:
            config = append_dns_config(config, pod_config)
        return self.form_dns_config_fits_limits(config, pod)

    def _missing_cluster_dns(self, pod: Obj) -> None:
        message = (
            "kubelet does not have ClusterDNS IP configured and cannot create Pod using "
            '"ClusterFirst" policy. Falling back to "Default" policy.'
        )
        meta = pod["metadata"]
        self._event(self.node_ref, "MissingClusterDNS", message)
        pod_name = f"{meta.get('name', '')}_{meta.get('namespace', '')}({meta.get('uid', '')})"
        self._event(pod, "MissingClusterDNS", f'pod: "{pod_name}". {message}')

    def form_dns_config_fits_limits(self, config: DNSConfig, pod: Obj) -> DNSConfig:
        """`formDNSConfigFitsLimits`: nameservers and search domains cut to the limits."""
        servers = self.form_dns_nameservers_fits_limits(config.servers, pod)
        searches = self.form_dns_search_fits_limits(config.searches, pod)
        return DNSConfig(servers, searches, config.options)

    def form_dns_nameservers_fits_limits(self, nameservers: list[str], pod: Obj) -> list[str]:
        """At most 3 nameservers; a `DNSConfigForming` warning when some are dropped."""
        if len(nameservers) <= MAX_DNS_NAMESERVERS:
            return nameservers
        kept = nameservers[:MAX_DNS_NAMESERVERS]
        message = (
            "Nameserver limits were exceeded, some nameservers have been omitted, the applied "
            f"nameserver line is: {' '.join(kept)}"
        )
        self._event(pod, "DNSConfigForming", message)
        return kept

    def form_dns_search_fits_limits(self, searches: list[str], pod: Obj) -> list[str]:
        """At most 32 domains, none over 253 characters, a line of at most 2048; a
        `DNSConfigForming` warning when some are dropped."""
        exceeded = len(searches) > MAX_DNS_SEARCH_PATHS
        kept = searches[:MAX_DNS_SEARCH_PATHS]
        fitting = [s for s in kept if len(s) <= DNS1123_SUBDOMAIN_MAX_LENGTH]
        exceeded = exceeded or len(fitting) < len(kept)
        line_length = len(" ".join(fitting))
        if line_length > MAX_DNS_SEARCH_LIST_CHARS:
            cut = 0
            for search in reversed(fitting):
                line_length -= len(search) + 1
                cut += 1
                if line_length <= MAX_DNS_SEARCH_LIST_CHARS:
                    break
            fitting, exceeded = fitting[: len(fitting) - cut], True
        if exceeded:
            message = (
                "Search Line limits were exceeded, some search paths have been omitted, the "
                f"applied search line is: {' '.join(fitting)}"
            )
            self._event(pod, "DNSConfigForming", message)
        return fitting
