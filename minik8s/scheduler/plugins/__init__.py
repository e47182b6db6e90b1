"""Scheduler plugins, one module each, and the registry that names them
(upstream `pkg/scheduler/framework/plugins/registry.go`).

Adding a plugin: one module with a `NAME`, a class, a `new(args, handle)` factory, plus one
line here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.scheduler.plugins import (
    defaultbinder,
    defaultpreemption,
    interpodaffinity,
    nodeaffinity,
    nodename,
    nodeports,
    nodeunschedulable,
    podtopologyspread,
    queuesort,
    tainttoleration,
    volumebinding,
)
from minik8s.scheduler.plugins.noderesources import balanced_allocation, fit

PluginFactory = Callable[[dict[str, Any], Any], Any]

REGISTRY: dict[str, PluginFactory] = {
    queuesort.NAME: queuesort.new,
    nodeunschedulable.NAME: nodeunschedulable.new,
    nodename.NAME: nodename.new,
    tainttoleration.NAME: tainttoleration.new,
    nodeaffinity.NAME: nodeaffinity.new,
    nodeports.NAME: nodeports.new,
    fit.NAME: fit.new,
    volumebinding.NAME: volumebinding.new,
    podtopologyspread.NAME: podtopologyspread.new,
    interpodaffinity.NAME: interpodaffinity.new,
    defaultpreemption.NAME: defaultpreemption.new,
    balanced_allocation.NAME: balanced_allocation.new,
    defaultbinder.NAME: defaultbinder.new,
}

__all__ = ["REGISTRY"]
