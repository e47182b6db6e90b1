"""Cluster DNS, mirroring CoreDNS's `kubernetes` plugin as the DNS spec for Kubernetes describes
it (`github.com/kubernetes/dns/blob/master/docs/specification.md`) and the kubelet's pod
`resolv.conf` (`search <ns>.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`).

Answers come from the informer caches: `<svc>.<ns>.svc.<zone>` is the ClusterIP (A), or the
ready endpoint addresses for a headless service; an ExternalName service is a CNAME;
`<hostname>.<svc>.<ns>.svc.<zone>` names one ready endpoint of a service (StatefulSet pods);
`_<port>._<proto>.<svc>.<ns>.svc.<zone>` are SRV records for named ports;
`<a-b-c-d>.<ns>.pod.<zone>` are pod A records in an existing namespace. Anything else is
NXDOMAIN, as is a headless service without ready endpoints (`findServices`/`findPods` in
`plugin/kubernetes/kubernetes.go`: `errNoItems` unless a record was found).

The server has no pods: it answers at the `kube-dns` Service's ClusterIP (`server_ip`), the
nameserver the kubelet writes into ClusterFirst pods' /etc/resolv.conf. `resolve(...,
resolv_conf=text)` is a pod's stub resolver (glibc `res_search`): that file's search list and
`ndots` (1 when absent), and only a nameserver at `server_ip` knows cluster names — a
`dnsPolicy: Default` pod asks the node's resolver and gets NXDOMAIN. `nslookup` prints an answer
as bind's nslookup does (the `dnsutils` image of the DNS debugging guide).
Left out: AAAA, PTR, wildcard queries, TTL aging, the `kube-dns` pods themselves, resolvers
outside the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.client.cache import ensure_index, label_index
from minik8s.kubelet.dns import parse_resolv_conf
from minik8s.proxy.bootstrap import KUBE_DNS_SERVICE_IP

if TYPE_CHECKING:
    from minik8s.client.informer import SharedInformerFactory

Obj = dict[str, Any]
CLUSTER_DOMAIN = "cluster.local"
NDOTS = 5
RES_DEFAULT_NDOTS = 1  # glibc, when resolv.conf has no `options ndots:N`
RES_MAXNDOTS = 15
TTL = 30
SLICE_INDEX = "service-name"


@dataclass(frozen=True)
class Record:
    """One resource record: `name`, `type` (A, CNAME, SRV), `data` (address, target or SRV)."""

    name: str
    type: str
    data: str
    ttl: int = TTL

    def __str__(self) -> str:
        return f"{self.name}.\t{self.ttl}\tIN\t{self.type}\t{self.data}"


@dataclass
class Answer:
    """The outcome of a lookup: `rcode` NOERROR or NXDOMAIN, the records, the names tried."""

    question: str
    rcode: str
    records: list[Record] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)
    server: str = KUBE_DNS_SERVICE_IP

    @property
    def addresses(self) -> list[str]:
        return [r.data for r in self.records if r.type == "A"]

    @property
    def fqdn(self) -> str:
        return self.tried[-1] if self.tried else self.question

    def __repr__(self) -> str:
        return f"<Answer {self.question} {self.rcode} {[str(r.data) for r in self.records]}>"

    def nslookup(self) -> str:
        """The answer as bind's `nslookup NAME` prints it."""
        lines = [f"Server:\t\t{self.server}", f"Address:\t{self.server}#53", ""]
        if self.rcode != "NOERROR" or not self.records:
            why = self.rcode if self.rcode != "NOERROR" else "No answer"
            return "\n".join([*lines, f"** server can't find {self.question}: {why}", ""])
        for record in self.records:
            if record.type == "CNAME":
                lines.append(f"{record.name}\tcanonical name = {record.data}.")
            elif record.type == "A":
                lines += [f"Name:\t{record.name}", f"Address: {record.data}"]
            else:
                lines.append(f"{record.name}\tservice = {record.data}")
        return "\n".join([*lines, ""])


def search_domains(namespace: str, zone: str = CLUSTER_DOMAIN) -> list[str]:
    """The search path the kubelet writes into a pod's resolv.conf (ClusterFirst)."""
    return [f"{namespace}.svc.{zone}", f"svc.{zone}", zone]


class ClusterDNS:
    """The cluster's DNS server (CoreDNS `kubernetes` plugin), reading the shared informers."""

    def __init__(self, informers: SharedInformerFactory, zone: str = CLUSTER_DOMAIN):
        self.informers = informers
        self.zone = zone
        slices = informers.informer_for("endpointslices")
        ensure_index(slices.indexer, SLICE_INDEX, label_index("kubernetes.io/service-name"))
        informers.informer_for("services")
        informers.informer_for("pods")
        informers.informer_for("namespaces")

    def __repr__(self) -> str:
        return f"<ClusterDNS zone={self.zone}>"

    @property
    def server_ip(self) -> str:
        """The address the server answers at: the `kube-dns` Service's ClusterIP."""
        svc = self._service("kube-system", "kube-dns")
        ip = (svc or {}).get("spec", {}).get("clusterIP")
        return ip if ip and ip != "None" else KUBE_DNS_SERVICE_IP

    def resolve(
        self,
        name: str,
        namespace: str = "default",
        qtype: str = "A",
        resolv_conf: str | None = None,
    ) -> Answer:
        """Resolve like a pod's stub resolver: with fewer than `ndots` dots (and no trailing
        dot) the search list first, then the name as given; with more, the other way round.
        Without `resolv_conf`, the one the kubelet writes for a ClusterFirst pod in `namespace`."""
        server, searches, ndots = self.server_ip, search_domains(namespace, self.zone), NDOTS
        if resolv_conf is not None:
            servers, searches, options = parse_resolv_conf(resolv_conf)
            server = servers[0] if servers else "127.0.0.1"
            ndots = _ndots(options)
        absolute = name.endswith(".")
        name = name.rstrip(".").lower()
        searched = [] if absolute else [f"{name}.{d}" for d in searches if d and d != "."]
        candidates = [*searched, name] if name.count(".") < ndots else [name, *searched]
        if server != self.server_ip:  # the node's resolver: no cluster names
            return Answer(name, "NXDOMAIN", [], candidates, server)
        tried = []
        for candidate in candidates:
            tried.append(candidate)
            records = self.query(candidate, qtype)
            if records is not None:
                return Answer(name, "NOERROR", records, tried, server)
        return Answer(name, "NXDOMAIN", [], tried, server)

    def nslookup(self, name: str, resolv_conf: str) -> tuple[str, bool]:
        """What `nslookup NAME` prints in a container with this `resolv.conf`, and whether the
        name was found (its exit code)."""
        answer = self.resolve(name, resolv_conf=resolv_conf)
        return answer.nslookup(), answer.rcode == "NOERROR" and bool(answer.records)

    def query(self, fqdn: str, qtype: str = "A") -> list[Record] | None:
        """Answer one fully qualified name (None: NXDOMAIN)."""
        suffix = f".{self.zone}"
        if not fqdn.endswith(suffix):
            return None
        labels = fqdn[: -len(suffix)].split(".")
        if labels[-1] == "svc" and len(labels) >= 3:
            return self._service_query(fqdn, labels[:-1], qtype)
        if labels[-1] == "pod" and len(labels) == 3:
            return self._pod_query(fqdn, labels[0], labels[1])
        return None

    def _service(self, namespace: str, name: str) -> Obj | None:
        if not namespace or not name:
            return None
        return self.informers.informer_for("services").indexer.get_by_key(f"{namespace}/{name}")

    def _ready_endpoints(self, svc: Obj) -> list[Obj]:
        namespace, name = svc["metadata"].get("namespace"), svc["metadata"]["name"]
        indexer = self.informers.informer_for("endpointslices").indexer
        seen: dict[str, Obj] = {}
        for slice_ in indexer.by_index(SLICE_INDEX, name):
            if slice_["metadata"].get("namespace") != namespace:
                continue
            for ep in slice_.get("endpoints") or []:
                if (ep.get("conditions") or {}).get("ready") is not False and ep.get("addresses"):
                    ports = {q.get("name") or "": q.get("port") for q in slice_.get("ports") or []}
                    seen.setdefault(ep["addresses"][0], dict(ep, ports=ports))
        return [seen[ip] for ip in sorted(seen, key=_ip_key)]

    def _service_query(self, fqdn: str, labels: list[str], qtype: str) -> list[Record] | None:
        """`<svc>.<ns>`, `<hostname>.<svc>.<ns>`, `_<port>._<proto>.<svc>.<ns>`."""
        if len(labels) == 4 and labels[0].startswith("_") and labels[1].startswith("_"):
            return self._srv(fqdn, labels)
        if len(labels) == 3:  # an endpoint query, headless or not (ExternalName has none)
            svc = self._service(labels[2], labels[1])
            if svc is None or (svc.get("spec") or {}).get("type") == "ExternalName":
                return None
            hits = [ep for ep in self._ready_endpoints(svc) if _endpoint_host(ep) == labels[0]]
            return [Record(fqdn, "A", ep["addresses"][0]) for ep in hits] or None
        if len(labels) != 2:
            return None
        svc = self._service(labels[1], labels[0])
        if svc is None:
            return None
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return [Record(fqdn, "CNAME", spec.get("externalName", ""))]
        if spec.get("clusterIP") == "None":
            endpoints = self._ready_endpoints(svc)
            return [Record(fqdn, "A", ep["addresses"][0]) for ep in endpoints] or None
        return [Record(fqdn, "A", spec["clusterIP"])] if spec.get("clusterIP") else []

    def _srv(self, fqdn: str, labels: list[str]) -> list[Record] | None:
        port_name, proto = labels[0][1:], labels[1][1:].upper()
        svc = self._service(labels[3], labels[2])
        if svc is None:
            return None
        spec = svc.get("spec") or {}
        ports = [
            p
            for p in spec.get("ports") or []
            if p.get("name") == port_name and (p.get("protocol") or "TCP") == proto
        ]
        if not ports:
            return None
        base = f"{labels[2]}.{labels[3]}.svc.{self.zone}"
        if spec.get("clusterIP") != "None":
            return [Record(fqdn, "SRV", f"0 100 {p['port']} {base}.") for p in ports]
        endpoints = self._ready_endpoints(svc)
        weight = max(100 // max(len(endpoints), 1), 1)  # CoreDNS: an even split, at least 1
        records = []
        for ep in endpoints:
            number = ep["ports"].get(port_name, ports[0]["port"])
            target = f"{_endpoint_host(ep)}.{base}."
            records.append(Record(fqdn, "SRV", f"0 {weight} {number} {target}"))
        return records or None

    def _pod_query(self, fqdn: str, dashed: str, namespace: str) -> list[Record] | None:
        ip = dashed.replace("-", ".")
        if _ip_key(ip) == (0,) or not self._namespace_exists(namespace):
            return None
        return [Record(fqdn, "A", ip)]

    def _namespace_exists(self, namespace: str) -> bool:
        """CoreDNS `namespaceExposed`: the namespace is in the cache."""
        indexer = self.informers.informer_for("namespaces").indexer
        return indexer.get_by_key(namespace) is not None


def _ndots(options: list[str]) -> int:
    """glibc's `ndots:N` (at most 15; 1 when absent or garbled)."""
    ndots = RES_DEFAULT_NDOTS
    for option in options:
        key, _, value = option.partition(":")
        if key == "ndots" and value.isdigit():
            ndots = min(int(value), RES_MAXNDOTS)
    return ndots


def _endpoint_host(ep: Obj) -> str:
    """An endpoint's DNS label: its hostname, else its address with dashes."""
    return ep.get("hostname") or ep["addresses"][0].replace(".", "-")


def _ip_key(ip: str) -> tuple[int, ...]:
    parts = ip.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        return (0,)
    return tuple(int(p) for p in parts)
