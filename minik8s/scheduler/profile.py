"""Scheduler profiles, mirroring `pkg/scheduler/apis/config` (`KubeSchedulerProfile`) and
`apis/config/v1/default_plugins.go` (`getDefaultPlugins`, `mergePluginSet`).

A profile is given in upstream's configuration shape:

    {"schedulerName": "default-scheduler",
     "plugins": {"multiPoint": {"enabled": [{"name": "NodeResourcesFit", "weight": 5}],
                                "disabled": [{"name": "ImageLocality"}]},
                 "score": {"disabled": [{"name": "NodeResourcesBalancedAllocation"}]}},
     "pluginConfig": [{"name": "NodeResourcesFit",
                       "args": {"scoringStrategy": {"type": "MostAllocated"}}}],
     "percentageOfNodesToScore": 0}

The default plugins are upstream's, in upstream's order, minus the plugins minik8s does not
have (SchedulingGates is the queue's PreEnqueue check; the volume limit/zone/restriction
plugins and ImageLocality are left out). Plugin args get upstream's v1 defaulting where a
plugin depends on it (`set_defaults_args`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_SCHEDULER_NAME = "default-scheduler"
DEFAULT_PLUGINS: list[tuple[str, int]] = [
    ("PrioritySort", 0),
    ("NodeUnschedulable", 0),
    ("NodeName", 0),
    ("TaintToleration", 3),
    ("NodeAffinity", 2),
    ("NodePorts", 0),
    ("NodeResourcesFit", 1),
    ("VolumeBinding", 0),
    ("PodTopologySpread", 2),
    ("InterPodAffinity", 2),
    ("DefaultPreemption", 0),
    ("NodeResourcesBalancedAllocation", 1),
    ("DefaultBinder", 0),
]
DEFAULT_RESOURCES = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
DEFAULT_PLUGIN_CONFIG: dict[str, dict[str, Any]] = {
    "NodeResourcesFit": {
        "scoringStrategy": {"type": "LeastAllocated", "resources": DEFAULT_RESOURCES}
    },
    "NodeResourcesBalancedAllocation": {"resources": DEFAULT_RESOURCES},
    "PodTopologySpread": {"defaultingType": "System"},
    "InterPodAffinity": {"hardPodAffinityWeight": 1},
    "DefaultPreemption": {"minCandidateNodesPercentage": 10, "minCandidateNodesAbsolute": 100},
}
EXTENSION_POINT_KEYS = {
    "queueSort": "less", "preFilter": "pre_filter", "filter": "filter",
    "postFilter": "post_filter", "preScore": "pre_score", "score": "score",
    "reserve": "reserve", "permit": "permit", "bind": "bind",
}  # fmt: skip


def _merge_plugin_set(
    defaults: list[tuple[str, int]], custom: dict[str, Any]
) -> list[tuple[str, int]]:
    """upstream `mergePluginSet`: drop disabled defaults, override in place, append the rest."""
    disabled = {p["name"] for p in custom.get("disabled") or []}
    enabled = [(p["name"], int(p.get("weight") or 0)) for p in custom.get("enabled") or []]
    by_name = {name: (i, weight) for i, (name, weight) in enumerate(enabled)}
    replaced: set[int] = set()
    merged: list[tuple[str, int]] = []
    if "*" not in disabled:
        for name, weight in defaults:
            if name in disabled:
                continue
            if name in by_name:
                index, weight = by_name[name]
                replaced.add(index)
            merged.append((name, weight))
    merged.extend(p for i, p in enumerate(enabled) if i not in replaced)
    return merged


def _default_weights(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**res, "weight": res.get("weight") or 1} for res in resources]


def set_defaults_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """upstream v1 defaulting of the NodeResourcesFit and BalancedAllocation args
    (`SetDefaults_NodeResourcesFitArgs`, ...): no resources → cpu and memory; weight 0 → 1."""
    args = dict(args)
    if name == "NodeResourcesFit":
        strategy = dict(args.get("scoringStrategy") or {"type": "LeastAllocated"})
        strategy["resources"] = _default_weights(strategy.get("resources") or DEFAULT_RESOURCES)
        args["scoringStrategy"] = strategy
    elif name == "NodeResourcesBalancedAllocation":
        args["resources"] = _default_weights(args.get("resources") or DEFAULT_RESOURCES)
    return args


@dataclass
class Profile:
    """One scheduler profile: its name, plugins (with score weights) and their args."""

    scheduler_name: str = DEFAULT_SCHEDULER_NAME
    plugins: list[tuple[str, int]] = field(default_factory=lambda: list(DEFAULT_PLUGINS))
    disabled_at: dict[str, set[str]] = field(default_factory=dict)
    enabled_explicitly_at: dict[str, set[str]] = field(default_factory=dict)
    plugin_config: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_PLUGIN_CONFIG.items()}
    )
    percentage_of_nodes_to_score: int | None = None

    def __repr__(self) -> str:
        names = ",".join(f"{n}:{w}" if w else n for n, w in self.plugins)
        return f"Profile({self.scheduler_name} [{names}])"

    @classmethod
    def from_config(cls, config: dict[str, Any] | None) -> Profile:
        """Build a profile from upstream's `KubeSchedulerProfile` shape, merged on defaults."""
        config = config or {}
        plugins_cfg = config.get("plugins") or {}
        plugins = _merge_plugin_set(DEFAULT_PLUGINS, plugins_cfg.get("multiPoint") or {})
        disabled_at: dict[str, set[str]] = {}
        explicit: dict[str, set[str]] = {}
        for key, method in EXTENSION_POINT_KEYS.items():
            point = plugins_cfg.get(key) or {}
            disabled_at[method] = {p["name"] for p in point.get("disabled") or []}
            explicit[method] = {p["name"] for p in point.get("enabled") or []}
            for p in point.get("enabled") or []:
                names = [n for n, _ in plugins]
                weight = int(p.get("weight") or 0)
                if p["name"] in names:
                    i = names.index(p["name"])
                    plugins[i] = (p["name"], weight or plugins[i][1])
                else:
                    plugins.append((p["name"], weight))
        plugin_config = {k: dict(v) for k, v in DEFAULT_PLUGIN_CONFIG.items()}
        for entry in config.get("pluginConfig") or []:
            plugin_config[entry["name"]] = set_defaults_args(entry["name"], entry.get("args") or {})
        return cls(
            config.get("schedulerName") or DEFAULT_SCHEDULER_NAME,
            plugins,
            disabled_at,
            explicit,
            plugin_config,
            config.get("percentageOfNodesToScore"),
        )

    def enabled_at(self, method: str, name: str) -> bool:
        """Whether plugin `name` runs at the extension point implemented by `method`."""
        if name in self.enabled_explicitly_at.get(method, set()):
            return True
        disabled = self.disabled_at.get(method, set())
        return name not in disabled and "*" not in disabled

    def weight(self, name: str) -> int:
        """The score weight (upstream defaults a missing weight to 1)."""
        for plugin, weight in self.plugins:
            if plugin == name:
                return weight or 1
        return 1
