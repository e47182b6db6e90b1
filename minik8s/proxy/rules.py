"""A tiny iptables: tables of chains of rules, written the way kube-proxy writes them and printed
as `iptables-save` prints them. Mirrors `pkg/util/iptables` (`MakeChainLine`, the restore
format); `iptables_save.py` has the kernel's view of a rule (`-d 10.96.0.10/32 -p tcp -m comment
--comment "…" -m tcp --dport 53 -j …`, a probability as the 32-bit fraction `xt_statistic`
keeps: kube-proxy writes `0.3333333333`, `iptables-save` shows `0.33333333349`), and prints a
table's user chains in name order, as libiptc keeps them. The form kube-proxy wrote
(`kernel=False`) lists `KUBE-NODEPORTS` and `KUBE-SERVICES` first, as upstream's tests do.

A rule keeps its arguments as tokens (`-m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-…`);
`minik8s.proxy.router` evaluates those tokens against packets, so what is printed is what
routes. Left out: counters, `-I`, the mangle/raw tables, IPv6.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from minik8s.proxy.iptables_save import kernel_probability, save_rule

__all__ = ["Rule", "Ruleset", "Table", "kernel_probability"]

BUILTIN_CHAINS = {
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
}
FIRST_CHAINS = ("KUBE-NODEPORTS", "KUBE-SERVICES")  # upstream's test ordering puts these first


def _quote(token: str) -> str:
    if token and all(c.isalnum() or c in "-_./:,!=+@%" for c in token):
        return token
    return '"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Rule:
    """One `-A CHAIN args…` line; `args` are unquoted tokens (a comment is one token)."""

    chain: str
    args: tuple[str, ...]

    @classmethod
    def parse(cls, line: str) -> Rule:
        """Read a restore line such as `-A KUBE-SERVICES -m comment --comment "x y" -j X`."""
        tokens = shlex.split(line)
        if len(tokens) < 2 or tokens[0] != "-A":
            raise ValueError(f'rule does not start with "-A CHAIN": {line!r}')
        return cls(tokens[1], tuple(tokens[2:]))

    def option(self, name: str) -> str | None:
        """The value after option `name` (`--dport`, `-j`...), or None."""
        args = self.args
        for i, token in enumerate(args[:-1]):
            if token == name:
                return args[i + 1]
        return None

    @property
    def target(self) -> str:
        return self.option("-j") or ""

    @property
    def comment(self) -> str:
        return self.option("--comment") or ""

    def render(self, kernel: bool = True) -> str:
        """The line as `iptables-save` prints it (`kernel=False`: as kube-proxy wrote it)."""
        if kernel:
            return save_rule(self.chain, self.args)
        out = ["-A", self.chain]
        for i, token in enumerate(self.args):
            previous = self.args[i - 1] if i else ""
            out.append(_quote(token) if previous == "--comment" else token)
        return " ".join(out)

    def __str__(self) -> str:
        return self.render()


@dataclass
class Table:
    """One table (`filter`, `nat`): chains in creation order, each a list of rules."""

    name: str
    chains: dict[str, list[Rule]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for chain in BUILTIN_CHAINS.get(self.name, ()):
            self.chains.setdefault(chain, [])

    def __repr__(self) -> str:
        rules = sum(len(r) for r in self.chains.values())
        return f"<Table {self.name} chains={len(self.chains)} rules={rules}>"

    def ensure_chain(self, chain: str) -> None:
        self.chains.setdefault(chain, [])

    def append(self, chain: str, *args: str) -> Rule:
        """`iptables -t <table> -A chain args…` (the chain is created if needed)."""
        rule = Rule(chain, tuple(args))
        self.chains.setdefault(chain, []).append(rule)
        return rule

    def add(self, chain: str, args: str) -> Rule:
        """`append` with the arguments written as in a restore file (quotes group words)."""
        return self.append(chain, *shlex.split(args))

    def ordered_chains(self, kernel: bool = True) -> list[str]:
        """Built-in chains, then the others by name (`kernel=False`: `KUBE-NODEPORTS` and
        `KUBE-SERVICES` before the others, as upstream's tests order them)."""
        builtins = [c for c in BUILTIN_CHAINS.get(self.name, ()) if c in self.chains]
        first = [] if kernel else [c for c in FIRST_CHAINS if c in self.chains]
        rest = sorted(c for c in self.chains if c not in builtins and c not in first)
        return builtins + first + rest

    def save(self, kernel: bool = True) -> list[str]:
        lines = [f"*{self.name}"]
        builtins = BUILTIN_CHAINS.get(self.name, ())
        chains = self.ordered_chains(kernel)
        for chain in chains:
            policy = "ACCEPT" if chain in builtins else "-"
            lines.append(f":{chain} {policy} [0:0]")
        for chain in chains:
            lines.extend(rule.render(kernel) for rule in self.chains[chain])
        lines.append("COMMIT")
        return lines


class Ruleset:
    """The tables of one node (what `iptables-save` dumps)."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {name: Table(name) for name in ("filter", "nat")}

    def __repr__(self) -> str:
        return f"<Ruleset {' '.join(repr(t) for t in self.tables.values())}>"

    def table(self, name: str) -> Table:
        return self.tables[name]

    def iptables_save(self, table: str | None = None, *, kernel: bool = True) -> str:
        """The `iptables-save` text (one table with `table`, else filter then nat);
        `kernel=False` prints probabilities as kube-proxy writes them (`iptables-restore` input)."""
        names = [table] if table else list(self.tables)
        lines: list[str] = []
        for name in names:
            lines.extend(self.tables[name].save(kernel))
        return "\n".join(lines) + "\n"

    def rules(self, table: str, chain: str) -> list[Rule]:
        return self.tables[table].chains.get(chain, [])

    def __str__(self) -> str:
        return self.iptables_save()
