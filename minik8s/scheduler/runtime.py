"""The framework runtime, mirroring `pkg/scheduler/framework/runtime/framework.go`: builds a
profile's plugins from the registry and runs them at each extension point.

It is also the plugins' `Handle`: the client, the node snapshot, the seeded rng, listers.
Left out: parallelism (plugins run one after another), metrics, waiting pods for Permit
(a `Wait` is treated as success), PreBind/PostBind.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from minik8s.scheduler.framework import (
    Code,
    CycleState,
    Status,
    unresolvable,
)
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.score_totals import (
    Normalizer,
    ScoreLists,
    WeightedScores,
    normalizes_by_value,
    weigh_and_total,
)

if TYPE_CHECKING:
    import random

    from minik8s.client.client import Client
    from minik8s.scheduler.cache import Snapshot
    from minik8s.scheduler.framework import ClusterEvent
    from minik8s.scheduler.types import NodeInfo, PodInfo

Obj = dict[str, Any]
PluginFactory = Callable[[dict[str, Any], Any], Any]


class Framework:
    """One profile's plugins, ready to run (upstream `frameworkImpl`)."""

    def __init__(
        self,
        profile: Profile,
        registry: dict[str, PluginFactory],
        *,
        client: Client | None = None,
        snapshot: Snapshot | None = None,
        rng: random.Random | None = None,
        listers: dict[str, Any] | None = None,
        recorder: Any = None,
    ) -> None:
        self.profile = profile
        self.client = client
        self.snapshot = snapshot
        self.rng = rng
        self.listers = listers or {}
        self.recorder = recorder
        # bumped whenever a Service's or a pod controller's selector may have changed (by the
        # scheduler's event handlers); None: nobody tracks it, so plugins must not memoize
        self.selectors_version: int | None = None
        self.plugins: dict[str, Any] = {}
        for name, _weight in profile.plugins:
            if name not in registry:
                raise ValueError(f"plugin {name!r} is not registered")
            self.plugins[name] = registry[name](profile.plugin_config.get(name, {}), self)
        self.queue_sort = self._at("less")[0] if self._at("less") else None
        self.pre_filter_plugins = self._at("pre_filter")
        self.filter_plugins = self._at("filter")
        self.post_filter_plugins = self._at("post_filter")
        self.pre_score_plugins = self._at("pre_score")
        self.score_plugins = self._at("score")
        self.reserve_plugins = self._at("reserve")
        self.permit_plugins = self._at("permit")
        self.bind_plugins = self._at("bind")
        self.weights = {p.name: profile.weight(p.name) for p in self.score_plugins}

    def __repr__(self) -> str:
        return f"Framework({self.profile.scheduler_name} plugins={list(self.plugins)})"

    def _at(self, method: str) -> list[Any]:
        return [
            plugin
            for name, plugin in self.plugins.items()
            if hasattr(plugin, method) and self.profile.enabled_at(method, name)
        ]

    # -- Handle -------------------------------------------------------------------------------
    def namespace_labels(self, namespace: str) -> dict[str, str]:
        """Labels of a namespace from the namespace lister ({} when unknown)."""
        lister = self.listers.get("namespaces")
        if lister is None:
            return {}
        try:
            return lister.get(None, namespace)["metadata"].get("labels") or {}
        except Exception:  # NotFound from the lister
            return {}

    def events_to_register(self) -> dict[str, list[ClusterEvent]]:
        """Each plugin's EnqueueExtensions events (plugins without them: none)."""
        return {
            name: plugin.events_to_register()
            for name, plugin in self.plugins.items()
            if hasattr(plugin, "events_to_register")
        }

    # -- extension points ---------------------------------------------------------------------
    def run_pre_filter_plugins(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        """upstream `RunPreFilterPlugins`: merged node-name result, or the first failure."""
        result: set[str] | None = None
        with_nodes: list[str] = []
        for plugin in self.pre_filter_plugins:
            names, status = plugin.pre_filter(state, pod, nodes)
            if status is not None and status.code == Code.Skip:
                state.skip_filter_plugins.add(plugin.name)
                continue
            if status is not None and status.code != Code.Success:
                return None, Status(status.code, *status.reasons, plugin=plugin.name)
            if names is not None:
                with_nodes.append(plugin.name)
                result = set(names) if result is None else result & names
                if not result:
                    if len(with_nodes) == 1:
                        msg = f"node(s) didn't satisfy plugin {with_nodes[0]}"
                    else:
                        names = " ".join(sorted(with_nodes))
                        msg = f"node(s) didn't satisfy plugin(s) [{names}] simultaneously"
                    return None, unresolvable(msg).with_plugin(plugin.name)
        return result, None

    def active_filters(self, state: CycleState) -> list[tuple[str, Callable[..., Any]]]:
        """The Filter methods that run this cycle (PreFilter may have skipped some)."""
        skip = state.skip_filter_plugins
        return [(p.name, p.filter) for p in self.filter_plugins if p.name not in skip]

    def run_filter_plugins_on_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> list[Status | None]:
        """`run_filter_plugins` for many nodes: plugin by plugin over the nodes still passing.

        Same verdicts as node by node (each node's first rejecting plugin, in profile order);
        plugins with a `filter_nodes` method check a whole batch without a call per node.
        """
        verdicts: list[Status | None] = [None] * len(nodes)
        pending = list(range(len(nodes)))
        skip = state.skip_filter_plugins
        for plugin in self.filter_plugins:
            if plugin.name in skip or not pending:
                continue
            subset = nodes if len(pending) == len(nodes) else [nodes[i] for i in pending]
            batch = getattr(plugin, "filter_nodes", None)
            if batch is not None:
                results = batch(state, pod, subset)
            else:
                filter_fn = plugin.filter
                results = [filter_fn(state, pod, node) for node in subset]
            if not any(results):
                continue
            still = []
            for i, status in zip(pending, results, strict=True):
                if status is None or not status.code:
                    still.append(i)
                else:
                    status.plugin = plugin.name
                    verdicts[i] = status
            pending = still
        return verdicts

    def run_filter_plugins(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        """upstream `RunFilterPlugins`: the first plugin that rejects the node."""
        for name, filter_fn in self.active_filters(state):
            status = filter_fn(state, pod, node)
            if status is not None and status.code != Code.Success:
                status.plugin = name
                return status
        return None

    def run_post_filter_plugins(
        self, state: CycleState, pod: PodInfo, statuses: dict[str, Status]
    ) -> tuple[str | None, Status | None]:
        """upstream `RunPostFilterPlugins`: the first plugin that finds a node, else a message."""
        messages = []
        for plugin in self.post_filter_plugins:
            nominated, status = plugin.post_filter(state, pod, statuses)
            if status.code == Code.Success:
                return nominated, status
            messages.append(status.message())
        if not messages:
            return None, None
        return None, Status(Code.Unschedulable, *messages)

    def run_pre_score_plugins(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> None:
        """upstream `RunPreScorePlugins`: a Skip excludes the plugin's Score this cycle."""
        for plugin in self.pre_score_plugins:
            if not hasattr(plugin, "score"):
                continue
            status = plugin.pre_score(state, pod, nodes)
            if status is not None and status.code == Code.Skip:
                state.skip_score_plugins.add(plugin.name)
            elif status is not None and status.code != Code.Success:
                raise RuntimeError(f"running PreScore plugin {plugin.name!r}: {status.message()}")

    def run_score_plugins(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[ScoreLists, WeightedScores, list[int]]:
        """upstream `RunScorePlugins`: raw scores, normalized×weight scores, and totals
        (normalized, checked, weighted and added up by distinct score: `score_totals.py`)."""
        raw: ScoreLists = {}
        columns: ScoreLists = {}  # what each plugin's weighted scores are read from
        normalizers: dict[str, Normalizer] = {}
        for plugin in self.score_plugins:
            if plugin.name in state.skip_score_plugins:
                continue
            batch = getattr(plugin, "score_nodes", None)
            if batch is not None:
                scores = batch(state, pod, nodes)
            else:
                score = plugin.score
                scores = [score(state, pod, node) for node in nodes]
            raw[plugin.name] = columns[plugin.name] = scores
            if not hasattr(plugin, "normalize_score"):
                continue
            normalize = partial(plugin.normalize_score, state, pod)
            if normalizes_by_value(plugin, state):
                normalizers[plugin.name] = normalize
            else:  # node by node, on a copy (the raw scores are kept)
                columns[plugin.name] = scores = list(scores)
                normalize(scores)
        weighted, totals = weigh_and_total(columns, normalizers, self.weights, len(nodes))
        return raw, weighted, totals

    def run_reserve_plugins_reserve(
        self, state: CycleState, pod: PodInfo, node_name: str
    ) -> Status | None:
        for plugin in self.reserve_plugins:
            status = plugin.reserve(state, pod, node_name)
            if status is not None and status.code != Code.Success:
                return status.with_plugin(plugin.name)
        return None

    def run_reserve_plugins_unreserve(
        self, state: CycleState, pod: PodInfo, node_name: str
    ) -> None:
        for plugin in reversed(self.reserve_plugins):
            plugin.unreserve(state, pod, node_name)

    def run_permit_plugins(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        for plugin in self.permit_plugins:
            status = plugin.permit(state, pod, node_name)
            if status is not None and status.code not in (Code.Success, Code.Wait):
                return status.with_plugin(plugin.name)
        return None

    def run_bind_plugins(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        """upstream `RunBindPlugins`: the first binder that does not Skip decides."""
        for plugin in self.bind_plugins:
            status = plugin.bind(state, pod, node_name)
            if status is not None and status.code == Code.Skip:
                continue
            return None if status is None else status.with_plugin(plugin.name)
        return Status(Code.Error, "no bind plugin bound the pod")
