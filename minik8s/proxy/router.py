"""Netfilter in miniature: a packet walks a node's rule tables the way the kernel walks them.
Mirrors the hook order of `net/netfilter` for a routed packet (nat PREROUTING → filter FORWARD
or INPUT → nat POSTROUTING; locally sent: nat OUTPUT → filter OUTPUT → nat POSTROUTING) and the
semantics of the matches kube-proxy uses (`tcp`, `addrtype`, `statistic`, `recent`, `mark`,
`comment`) and of its targets (jump, `RETURN`, `MARK`, `DNAT`, `MASQUERADE`, `ACCEPT`,
`DROP`, `REJECT`).

This is also how upstream tests kube-proxy (`pkg/proxy/iptables/proxier_test.go`
`runPacketFlowTests` traces packets through the generated rules). Randomness (`statistic`)
comes from the caller's seeded rng; `recent` lists live in `RouterState` on the virtual clock.
Left out: conntrack (every packet is NEW), reply traffic, fragments, other matches.
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass, field

from minik8s.proxy.rules import Rule, Ruleset, kernel_probability

TERMINAL = ("ACCEPT", "DROP", "REJECT", "DNAT", "MASQUERADE")


@dataclass
class Packet:
    """One connection's first packet."""

    src: str
    dst: str
    dport: int
    proto: str = "tcp"
    mark: int = 0
    masquerade: bool = False


@dataclass
class RouterState:
    """Per-node state the matches need: local addresses, the rng, `recent` lists, the clock."""

    local_addresses: set[str]
    rng: random.Random
    now: float = 0.0
    recent: dict[str, dict[str, float]] = field(default_factory=dict)

    def __repr__(self) -> str:
        local = ",".join(sorted(self.local_addresses))
        return f"<RouterState local={local or '-'} t={self.now:g} recent={len(self.recent)}>"


@dataclass
class Verdict:
    """What happened to the packet, and every rule whose matches held, in order."""

    action: str
    packet: Packet
    matched: list[tuple[str, Rule]] = field(default_factory=list)

    def __repr__(self) -> str:
        p = self.packet
        return f"<Verdict {self.action} -> {p.dst}:{p.dport} rules={len(self.matched)}>"


def _in(ip: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False


def rule_matches(rule: Rule, packet: Packet, state: RouterState) -> bool:
    """Evaluate the rule's matches left to right (a `!` negates the next one)."""
    args, i, negate = rule.args, 0, False
    while i < len(args):
        token = args[i]
        if token == "-j":
            return True
        if token == "!":
            negate, i = True, i + 1
            continue
        result, i = _one_match(args, i, packet, state)
        if result is not None:
            if result == negate:
                return False
            negate = False
    return True


def _one_match(
    args: tuple[str, ...], i: int, p: Packet, state: RouterState
) -> tuple[bool | None, int]:
    """(outcome or None for a no-op token, index of the next token)."""
    token, value = args[i], args[i + 1] if i + 1 < len(args) else ""
    if token in ("-m", "--comment", "--mode"):
        return None, i + 2
    if token == "-p":
        return p.proto == value, i + 2
    if token == "-d":
        return _in(p.dst, value), i + 2
    if token == "-s":
        return _in(p.src, value), i + 2
    if token == "--dport":
        return p.dport == int(value), i + 2
    if token == "--dst-type":
        return (p.dst in state.local_addresses) == (value == "LOCAL"), i + 2
    if token == "--src-type":
        return (p.src in state.local_addresses) == (value == "LOCAL"), i + 2
    if token == "--probability":
        return state.rng.random() < kernel_probability(value), i + 2
    if token == "--mark":
        mark, _, mask = value.partition("/")
        return p.mark & int(mask or "0xffffffff", 16) == int(mark, 16), i + 2
    if token == "--name":
        return _recent(args, i, p, state)
    raise ValueError(f"unsupported match {token!r}")


def _recent(args: tuple[str, ...], i: int, p: Packet, state: RouterState) -> tuple[bool, int]:
    """`-m recent --name N (--set | --rcheck --seconds S [--reap])`."""
    seen = state.recent.setdefault(args[i + 1], {})
    i += 2
    if args[i] == "--set":
        seen[p.src] = state.now
        return True, i + 1
    seconds = float(args[i + 2]) if args[i + 1] == "--seconds" else float("inf")
    i += 3 if args[i + 1] == "--seconds" else 1
    if i < len(args) and args[i] == "--reap":
        i += 1
        for src in [s for s, t in seen.items() if state.now - t > seconds]:
            del seen[src]
    last = seen.get(p.src)
    return last is not None and state.now - last <= seconds, i


def _apply_target(rule: Rule, packet: Packet) -> str:
    """Apply a non-jump target; returns its action."""
    target = rule.target
    if target == "MARK":
        or_mark, xor_mark = rule.option("--or-mark"), rule.option("--xor-mark")
        if or_mark:
            packet.mark |= int(or_mark, 16)
        if xor_mark:
            packet.mark ^= int(xor_mark, 16)
    elif target == "DNAT":
        ip, _, port = (rule.option("--to-destination") or "").partition(":")
        packet.dst = ip
        packet.dport = int(port) if port else packet.dport
    elif target == "MASQUERADE":
        packet.masquerade = True
    return target


def walk(
    ruleset: Ruleset, table: str, chain: str, packet: Packet, state: RouterState, verdict: Verdict
) -> str:
    """Traverse `chain`; returns a terminal action, "RETURN", or "" when the chain ran out."""
    for rule in ruleset.rules(table, chain):
        if not rule_matches(rule, packet, state):
            continue
        verdict.matched.append((table, rule))
        target = rule.target
        if not target:
            continue
        if target in ruleset.table(table).chains:
            result = walk(ruleset, table, target, packet, state, verdict)
            if result in TERMINAL:
                return result
            continue
        if target == "RETURN":
            return "RETURN"
        action = _apply_target(rule, packet)
        if action in TERMINAL:
            return action
    return ""


def route(
    ruleset: Ruleset, packet: Packet, state: RouterState, *, local_origin: bool = False
) -> Verdict:
    """Send `packet` through one node's hooks; `local_origin` for a process on the host."""
    verdict = Verdict("ACCEPT", packet)
    original_dst = packet.dst
    first = "OUTPUT" if local_origin else "PREROUTING"
    walk(ruleset, "nat", first, packet, state, verdict)
    if local_origin:
        chain = "OUTPUT"
    else:
        chain = "INPUT" if packet.dst in state.local_addresses else "FORWARD"
    action = walk(ruleset, "filter", chain, packet, state, verdict)
    if action in ("DROP", "REJECT"):
        verdict.action = action
        return verdict
    walk(ruleset, "nat", "POSTROUTING", packet, state, verdict)
    verdict.action = "DNAT" if packet.dst != original_dst else "ACCEPT"
    return verdict
