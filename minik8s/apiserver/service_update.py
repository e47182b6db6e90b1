"""What a Service holds, needs, and keeps or drops on update, mirroring
`pkg/registry/core/service/storage/alloc.go` (`needsClusterIP`, `needsNodePort`,
`needsHCNodePort`, `patchAllocatedValues`) and `storage.go` (`normalizeClusterIPs`,
`dropTypeDependentFields`).

A re-applied manifest that omits allocated values keeps them; a type change wipes the values that
no longer apply. Pure functions on Service specs: the allocators themselves are
`service_allocator.py`'s, the orchestration `service_alloc.py`'s.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def needs_cluster_ip(spec: Obj) -> bool:
    """upstream `needsClusterIP`: every type but ExternalName, unless headless."""
    return spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None"


def needs_node_port(spec: Obj) -> bool:
    """upstream `needsNodePort`: NodePort, and LoadBalancer unless it opts out."""
    if spec.get("type") == "NodePort":
        return True
    return spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True)


def needs_hc_node_port(spec: Obj) -> bool:
    """upstream `needsHCNodePort`: a LoadBalancer with `externalTrafficPolicy: Local`."""
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def held_values(spec: Obj) -> tuple[list[str], list[int]]:
    """The ClusterIPs and node ports a stored Service spec holds."""
    ips = [ip for ip in spec.get("clusterIPs") or [] if ip and ip != "None"]
    if not ips and spec.get("clusterIP") not in (None, "", "None"):
        ips = [spec["clusterIP"]]
    ports = sorted(
        {p.get("nodePort") for p in spec.get("ports") or [] if isinstance(p.get("nodePort"), int)}
    )
    if isinstance(spec.get("healthCheckNodePort"), int) and spec["healthCheckNodePort"]:
        ports.append(spec["healthCheckNodePort"])
    return ips, [p for p in ports if p]


def patch_allocated_values(new: Obj, old: Obj) -> None:
    """upstream `patchAllocatedValues`: a re-applied manifest that omits allocated values keeps
    them (clusterIP(s) always, node ports matched by port name when not used by another port)."""
    new_spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    if "ExternalName" not in (old_spec.get("type"), new_spec.get("type")):  # headless too
        if not new_spec.get("clusterIP"):
            new_spec["clusterIP"] = old_spec.get("clusterIP")
        if not new_spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            new_spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if needs_node_port(old_spec) and needs_node_port(new_spec):
        old_used = {p.get("nodePort") for p in old_spec.get("ports") or [] if p.get("nodePort")}
        new_used = {p.get("nodePort") for p in new_spec.get("ports") or [] if p.get("nodePort")}
        used = old_used & new_used
        by_name = {p.get("name", ""): p.get("nodePort") for p in old_spec.get("ports") or []}
        for port in new_spec.get("ports") or []:
            if not port.get("nodePort"):
                value = by_name.get(port.get("name", ""))
                if value and value not in used:
                    port["nodePort"] = value
    if needs_hc_node_port(old_spec) and needs_hc_node_port(new_spec):
        if not new_spec.get("healthCheckNodePort"):
            new_spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort")


def normalize_cluster_ips(new: Obj, old: Obj) -> None:
    """upstream `normalizeClusterIPs` on update: keep `clusterIPs` in step with a `clusterIP`
    an old client changed (or dropped), leaving real conflicts to validation."""
    new_ips, old_ips = new.get("clusterIPs") or [], old.get("clusterIPs") or []
    new_ip, old_ip = new.get("clusterIP") or "", old.get("clusterIP") or ""
    if old_ips and not new_ips and old_ip == new_ip:
        new["clusterIPs"] = new_ips = list(old_ips)
    if old_ip == new_ip or new_ips != old_ips:
        return
    if old_ip and not new_ip:
        new.pop("clusterIPs", None)
    else:
        new["clusterIPs"] = [new_ip]


def _node_ports(spec: Obj) -> list[Any]:
    return [p.get("nodePort") for p in spec.get("ports") or []]


def drop_type_dependent_fields(new: Obj, old: Obj) -> None:
    """upstream `dropTypeDependentFields`: when the type changes, wipe the values that no longer
    apply, but only those the user left unchanged (those changed are validation's business)."""
    if needs_cluster_ip(old) and not needs_cluster_ip(new):
        if new.get("clusterIP") == old.get("clusterIP"):
            new.pop("clusterIP", None)
            new.pop("clusterIPs", None)
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if new.get(field) == old.get(field):
                new.pop(field, None)
    if needs_node_port(old) and not needs_node_port(new):
        if _node_ports(new) == _node_ports(old):
            for port in new.get("ports") or []:
                port.pop("nodePort", None)
    if needs_hc_node_port(old) and not needs_hc_node_port(new):
        if new.get("healthCheckNodePort") == old.get("healthCheckNodePort"):
            new.pop("healthCheckNodePort", None)
    if old.get("type") == "LoadBalancer" and new.get("type") != "LoadBalancer":
        if new.get("allocateLoadBalancerNodePorts") == old.get("allocateLoadBalancerNodePorts"):
            new.pop("allocateLoadBalancerNodePorts", None)
        if new.get("loadBalancerClass") == old.get("loadBalancerClass"):
            new.pop("loadBalancerClass", None)
    if _externally_accessible(old) and not _externally_accessible(new):
        if new.get("externalTrafficPolicy") == old.get("externalTrafficPolicy"):
            new.pop("externalTrafficPolicy", None)


def _externally_accessible(spec: Obj) -> bool:
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )
