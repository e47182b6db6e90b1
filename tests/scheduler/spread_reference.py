"""A scan-everything reference for PodTopologySpread's PreScore + Score + NormalizeScore (what
upstream computes, with no index or kept counts), shared by the spread tests."""

from __future__ import annotations

import math

from minik8s.scheduler.affinity import RequiredNodeAffinity
from minik8s.scheduler.framework import MAX_NODE_SCORE
from minik8s.scheduler.plugins.helper import go_round
from minik8s.scheduler.plugins.podtopologyspread.common import count_pods_match_selector

HOST = "kubernetes.io/hostname"


def reference_scores(snapshot, plugin, info, nodes, require_all):
    """upstream `PreScore` + `Score` + `NormalizeScore`, scanning every node's pods."""
    constraints = plugin.constraints(info, "ScheduleAnyway")
    ignored, pairs, sizes = set(), {}, [0] * len(constraints)
    for index, n in enumerate(nodes):
        if require_all and not all(c.topology_key in n.labels for c in constraints):
            ignored.add(index)
            continue
        for i, c in enumerate(constraints):
            pair = (c.topology_key, n.labels.get(c.topology_key, ""))
            if c.topology_key != HOST and pair not in pairs:
                pairs[pair] = 0
                sizes[i] += 1
    weights = [
        math.log((len(nodes) - len(ignored) if c.topology_key == HOST else sizes[i]) + 2)
        for i, c in enumerate(constraints)
    ]
    required = RequiredNodeAffinity(info.pod)
    for n in snapshot.node_info_list:
        if require_all and not all(c.topology_key in n.labels for c in constraints):
            continue
        for c in constraints:
            pair = (c.topology_key, n.labels.get(c.topology_key, ""))
            if pair in pairs and c.match_node_inclusion_policies(info, n, required):
                pairs[pair] += count_pods_match_selector(n, c.selector, info.namespace)
    raw = []
    for index, n in enumerate(nodes):
        score = 0.0
        for i, c in enumerate(constraints):
            value = n.labels.get(c.topology_key)
            if index in ignored or value is None:
                continue
            if c.topology_key == HOST:
                count = count_pods_match_selector(n, c.selector, info.namespace)
            else:
                count = pairs[(c.topology_key, value)]
            score += count * weights[i] + (c.max_skew - 1)
        raw.append(0 if index in ignored else go_round(score))
    valid = [s for i, s in enumerate(raw) if i not in ignored]
    low, high = min(valid, default=0), max(valid, default=0)
    normalized = [
        0 if i in ignored else MAX_NODE_SCORE if high == 0 else
        MAX_NODE_SCORE * (high + low - s) // high
        for i, s in enumerate(raw)
    ]  # fmt: skip
    return raw, normalized
