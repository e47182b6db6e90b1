"""How `iptables-save` prints a rule the kernel holds, mirroring iptables' `print_rule4`
(`iptables/iptables-save` via `iptables.c`/`nft-ipv4.c`) and the extensions' `save` functions
(`libxt_comment`, `libxt_tcp`, `libxt_statistic`, `libxt_recent`, `libxt_addrtype`, `libxt_mark`,
`libxt_MARK`, `libipt_REJECT`).

kube-proxy writes `-m comment --comment "x" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j X`;
`iptables-save` prints the address part first (`-s`, `-d` with their prefix length, `-i`, `-o`,
`-p`), then each match in load order as its module saves it (comments always quoted, a
probability as the kernel's 32-bit fraction), then the target with its canonical options
(`MARK --or-mark 0x4000` → `--set-xmark 0x4000/0x4000`, REJECT's default
`--reject-with icmp-port-unreachable`). MASQUERADE carries `--random-fully`: kube-proxy adds it
when the node's iptables supports it, as a kind node's does (upstream's test fake does not, so
the written form leaves it out).
Left out: counters, IPv6, fragments, extensions kube-proxy's iptables mode does not use.
"""

from __future__ import annotations

from collections.abc import Sequence

BASIC = ("-s", "-d", "-i", "-o", "-p")
ADDRESS = ("-s", "-d")
Option = tuple[bool, str, list[str]]  # (negated, name, values)


def kernel_probability(text: str) -> float:
    """The probability the kernel really uses: `lround(p * 2**31) / 2**31` (`xt_statistic`)."""
    return round(float(text) * 0x80000000) / 0x80000000


def quote(text: str) -> str:
    """`xtables_save_string`: a double-quoted string, `"` and `\\` escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _parse(
    args: Sequence[str],
) -> tuple[dict[str, Option], list[tuple[str, list[Option]]], list[str]]:
    """Split kube-proxy's tokens into the address part, the matches with their options, and
    the target with its options."""
    basic: dict[str, Option] = {}
    matches: list[tuple[str, list[Option]]] = []
    negated, i = False, 0
    while i < len(args):
        token = args[i]
        if token == "!":
            negated, i = True, i + 1
            continue
        if token in BASIC:
            basic[token] = (negated, token, [args[i + 1]])
            i += 2
        elif token == "-m":
            matches.append((args[i + 1], []))
            i += 2
        elif token in ("-j", "-g"):
            return basic, matches, list(args[i:])
        else:
            j = i + 1
            while j < len(args) and not args[j].startswith("-") and args[j] != "!":
                j += 1
            if matches:
                matches[-1][1].append((negated, token, list(args[i + 1 : j])))
            i = j
        negated = False
    return basic, matches, []


def _option(option: Option) -> list[str]:
    negated, name, values = option
    return (["!"] if negated else []) + [name, *values]


def _save_match(module: str, options: list[Option]) -> list[str]:
    """One match as its extension's `save` prints it."""
    by_name = {name: option for option in options for name in [option[1]]}
    if module == "comment":
        return ["-m", "comment", "--comment", quote(by_name["--comment"][2][0])]
    if module == "statistic" and "--probability" in by_name:
        probability = f"{kernel_probability(by_name['--probability'][2][0]):.11f}"
        return ["-m", "statistic", "--mode", "random", "--probability", probability]
    if module == "recent":
        return ["-m", "recent", *_save_recent(by_name)]
    if module == "addrtype":
        order = [by_name[n] for n in ("--src-type", "--dst-type") if n in by_name]
        return ["-m", "addrtype", *[t for option in order for t in _option(option)]]
    return ["-m", module, *[t for option in options for t in _option(option)]]


def _save_recent(by_name: dict[str, Option]) -> list[str]:
    """`recent_save`: the command, --seconds, --reap, --hitcount, --rttl, --name, --mask,
    the side."""
    out: list[str] = [n for n in ("--set", "--rcheck", "--update", "--remove") if n in by_name]
    for flag in ("--seconds", "--reap", "--hitcount", "--rttl"):
        if flag in by_name:
            out += [flag, *by_name[flag][2][:1]]  # --seconds N, --reap, --hitcount N, --rttl
    name = by_name["--name"][2][0] if "--name" in by_name else "DEFAULT"
    side = "--rdest" if "--rdest" in by_name else "--rsource"
    return [*out, "--name", name, "--mask", "255.255.255.255", side]


def _save_target(target: list[str]) -> list[str]:
    """`-j TARGET` with the target's canonical options."""
    if len(target) < 2:
        return target
    name, options = target[1], target[2:]
    if name == "MARK" and len(options) == 2:
        mark = options[1]
        masks = {"--or-mark": f"{mark}/{mark}", "--xor-mark": f"{mark}/0x0"}
        masks["--set-mark"] = mark if "/" in mark else f"{mark}/0xffffffff"
        if options[0] in masks:
            return [target[0], name, "--set-xmark", masks[options[0]]]
    if name == "MASQUERADE" and "--random-fully" not in options:
        return [*target, "--random-fully"]
    if name == "REJECT" and "--reject-with" not in options:
        return [*target, "--reject-with", "icmp-port-unreachable"]
    return target


def save_rule(chain: str, args: Sequence[str]) -> str:
    """The line `iptables-save` prints for the rule kube-proxy wrote as `-A chain args`."""
    basic, matches, target = _parse(args)
    out = ["-A", chain]
    for flag in BASIC:
        if flag in basic:
            negated, _, (value,) = basic[flag]
            if flag in ADDRESS and "/" not in value:
                value += "/32"
            out += (["!"] if negated else []) + [flag, value]
    for module, options in matches:
        out += _save_match(module, options)
    return " ".join(out + _save_target(target))
