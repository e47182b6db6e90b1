"""kube-proxy's iptables mode as a pure function: Services + EndpointSlices → one node's rules.
Mirrors `pkg/proxy/iptables/proxier.go` (`syncProxyRules`, `writeServiceToEndpointRules`;
the service model and chain names are in `serviceport.py`), with the same chain names,
comments, argument order and masquerade marks, so the output reads like `iptables-save` on a
real node.

Left out: `KUBE-FW-` source-range firewalls (LoadBalancer IPs jump straight to `KUBE-EXT-`),
topology hints, conntrack state matches, partial syncs, IPv6, `--masquerade-all`.
"""

from __future__ import annotations

from typing import Any

from minik8s.proxy.rules import Rule, Ruleset, Table
from minik8s.proxy.serviceport import (
    Endpoint,
    ServicePort,
    categorize_endpoints,
    endpoint_chain_name,
    probability,
)

Obj = dict[str, Any]
CLUSTER_CIDR = "10.244.0.0/16"
MARK_MASQ = "0x4000"
MASK = f"{MARK_MASQ}/{MARK_MASQ}"
SERVICES, NODEPORTS, EXTERNAL = "KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-EXTERNAL-SERVICES"
MARK_MASQ_CHAIN, POSTROUTING, FORWARD = "KUBE-MARK-MASQ", "KUBE-POSTROUTING", "KUBE-FORWARD"
NODEPORTS_COMMENT = "kubernetes service nodeports; NOTE: this must be the last rule in this chain"


def sync_proxy_rules(
    services: list[ServicePort], node: str, cluster_cidr: str = CLUSTER_CIDR
) -> Ruleset:
    """All of one node's rules, rebuilt from scratch (a full `syncProxyRules`)."""
    rules = Ruleset()
    nat, filt = rules.table("nat"), rules.table("filter")
    _static_rules(nat, filt)
    for sp in sorted(services, key=lambda s: (str(s), s.proto)):
        _service_rules(nat, filt, sp, node, cluster_cidr)
    nat.add(
        SERVICES,
        f'-m comment --comment "{NODEPORTS_COMMENT}" -m addrtype --dst-type LOCAL -j {NODEPORTS}',
    )
    return rules


# The rules kube-proxy installs once per table (`ensureKubeChains`, the masquerade chains).
STATIC_FILTER = f"""\
-A INPUT -m comment --comment "kubernetes health check service ports" -j {NODEPORTS}
-A INPUT -m comment --comment "kubernetes externally-visible service portals" -j {EXTERNAL}
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j {FORWARD}
-A FORWARD -m comment --comment "kubernetes service portals" -j {SERVICES}
-A FORWARD -m comment --comment "kubernetes externally-visible service portals" -j {EXTERNAL}
-A OUTPUT -m comment --comment "kubernetes service portals" -j {SERVICES}
-A {FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark {MASK} -j ACCEPT
"""
STATIC_NAT = f"""\
-A PREROUTING -m comment --comment "kubernetes service portals" -j {SERVICES}
-A OUTPUT -m comment --comment "kubernetes service portals" -j {SERVICES}
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j {POSTROUTING}
-A {MARK_MASQ_CHAIN} -j MARK --or-mark {MARK_MASQ}
-A {POSTROUTING} -m mark ! --mark {MASK} -j RETURN
-A {POSTROUTING} -j MARK --xor-mark {MARK_MASQ}
-A {POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
"""


def _static_rules(nat: Table, filt: Table) -> None:
    for chain in (NODEPORTS, SERVICES, EXTERNAL, FORWARD):
        filt.ensure_chain(chain)
    for chain in (NODEPORTS, SERVICES, MARK_MASQ_CHAIN, POSTROUTING):
        nat.ensure_chain(chain)
    for table, text in ((filt, STATIC_FILTER), (nat, STATIC_NAT)):
        for line in text.splitlines():
            rule = Rule.parse(line)
            table.append(rule.chain, *rule.args)


def _dest(sp: ServicePort, ip: str, port: int) -> str:
    return f"-m {sp.proto} -p {sp.proto} -d {ip} --dport {port}"


def _service_rules(nat: Table, filt: Table, sp: ServicePort, node: str, cidr: str) -> None:
    """The rules of one service port, in `syncProxyRules`' order."""
    name, proto = str(sp), sp.proto
    cluster_eps, local_eps = categorize_endpoints(sp, node)
    has_endpoints = bool(cluster_eps or local_eps)
    accessible = sp.externally_accessible()
    cluster_chain, local_chain = sp.chain("KUBE-SVC-"), sp.chain("KUBE-SVL-")
    ext_chain = sp.chain("KUBE-EXT-")
    uses_cluster = bool(cluster_eps) and (
        not sp.internal_local or (accessible and not sp.external_local)
    )
    uses_local = bool(local_eps) and (sp.internal_local or (accessible and sp.external_local))
    internal_chain = local_chain if sp.internal_local else cluster_chain
    has_internal = has_endpoints and (bool(local_eps) or not sp.internal_local)
    has_external = has_endpoints and (bool(local_eps) or not sp.external_local)
    if has_endpoints:
        target, comment = "DROP", f"{name} has no local endpoints"
    else:
        target, comment = "REJECT", f"{name} has no endpoints"
    # capture the clusterIP
    cluster_dest = _dest(sp, sp.cluster_ip, sp.port)
    if has_internal:
        nat.add(
            SERVICES, f'-m comment --comment "{name} cluster IP" {cluster_dest} -j {internal_chain}'
        )
    else:
        filt.add(SERVICES, f'-m comment --comment "{comment}" {cluster_dest} -j {target}')
    # capture external IPs and load-balancer IPs
    for kind, ips in (("external IP", sp.external_ips), ("loadbalancer IP", sp.load_balancer_ips)):
        for ip in ips:
            dest = _dest(sp, ip, sp.port)
            if has_endpoints:
                nat.add(SERVICES, f'-m comment --comment "{name} {kind}" {dest} -j {ext_chain}')
            if not has_external:
                filt.add(EXTERNAL, f'-m comment --comment "{comment}" {dest} -j {target}')
    # capture node ports
    if sp.node_port:
        port = f"-m {proto} -p {proto} --dport {sp.node_port}"
        if has_endpoints:
            nat.add(NODEPORTS, f'-m comment --comment "{name}" {port} -j {ext_chain}')
        if not has_external:
            local = "-m addrtype --dst-type LOCAL"
            filt.add(EXTERNAL, f'-m comment --comment "{comment}" {local} {port} -j {target}')
    if sp.health_check_node_port:
        hc = f'"{name} health check node port" -m tcp -p tcp --dport {sp.health_check_node_port}'
        filt.add(NODEPORTS, f"-m comment --comment {hc} -j ACCEPT")
    # internal traffic: masquerade what comes from outside the pod network
    if has_internal:
        masq = f'-m comment --comment "{name} cluster IP" {cluster_dest} ! -s {cidr}'
        nat.add(internal_chain, f"{masq} -j {MARK_MASQ_CHAIN}")
    if has_endpoints and accessible:
        policy_chain = local_chain if sp.external_local else cluster_chain
        _external_chain(nat, sp, ext_chain, cluster_chain, policy_chain, has_external, cidr)
    if uses_cluster:
        _service_to_endpoint_rules(nat, sp, cluster_chain, cluster_eps)
    if uses_local:
        _service_to_endpoint_rules(nat, sp, local_chain, local_eps)
    reachable = (cluster_eps if uses_cluster else []) + (local_eps if uses_local else [])
    for endpoint in sorted({str(e): e for e in reachable}.values(), key=str):
        _endpoint_chain(nat, sp, endpoint)


def _external_chain(
    nat: Table,
    sp: ServicePort,
    chain: str,
    cluster: str,
    policy: str,
    has_external: bool,
    cidr: str,
) -> None:
    """The `KUBE-EXT-` chain: masquerade (Cluster policy) or keep the client's source (Local)."""
    name = str(sp)
    nat.ensure_chain(chain)
    if not sp.external_local:
        masq = f'"masquerade traffic for {name} external destinations"'
        nat.add(chain, f"-m comment --comment {masq} -j {MARK_MASQ_CHAIN}")
    else:
        pods = f'"pod traffic for {name} external destinations"'
        masq = f'"masquerade LOCAL traffic for {name} external destinations"'
        route = f'"route LOCAL traffic for {name} external destinations"'
        local = "-m addrtype --src-type LOCAL"
        nat.add(chain, f"-m comment --comment {pods} -s {cidr} -j {cluster}")
        nat.add(chain, f"-m comment --comment {masq} {local} -j {MARK_MASQ_CHAIN}")
        nat.add(chain, f"-m comment --comment {route} {local} -j {cluster}")
    if has_external:
        nat.add(chain, f"-j {policy}")


def _service_to_endpoint_rules(
    nat: Table, sp: ServicePort, chain: str, endpoints: list[Endpoint]
) -> None:
    """upstream `writeServiceToEndpointRules`: affinity checks, then the random split."""
    name = str(sp)
    nat.ensure_chain(chain)
    if sp.affinity_seconds:
        for ep in endpoints:
            sep = endpoint_chain_name(name, sp.proto, str(ep))
            recent = f"-m recent --name {sep} --rcheck --seconds {sp.affinity_seconds} --reap"
            nat.add(chain, f'-m comment --comment "{name} -> {ep}" {recent} -j {sep}')
    n = len(endpoints)
    for i, ep in enumerate(endpoints):
        sep = endpoint_chain_name(name, sp.proto, str(ep))
        split = (
            f" -m statistic --mode random --probability {probability(n - i)}" if i < n - 1 else ""
        )
        nat.add(chain, f'-m comment --comment "{name} -> {ep}"{split} -j {sep}')


def _endpoint_chain(nat: Table, sp: ServicePort, ep: Endpoint) -> None:
    """A `KUBE-SEP-` chain: masquerade hairpin traffic, remember affinity, DNAT."""
    name, proto = str(sp), sp.proto
    sep = endpoint_chain_name(name, proto, str(ep))
    nat.ensure_chain(sep)
    nat.add(sep, f'-m comment --comment "{name}" -s {ep.ip} -j {MARK_MASQ_CHAIN}')
    recent = f" -m recent --name {sep} --set" if sp.affinity_seconds else ""
    dnat = f"-m {proto} -p {proto} -j DNAT --to-destination {ep}"
    nat.add(sep, f'-m comment --comment "{name}"{recent} {dnat}')
