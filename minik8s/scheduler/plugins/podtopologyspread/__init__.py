"""PodTopologySpread, mirroring `pkg/scheduler/framework/plugins/podtopologyspread`."""

from minik8s.scheduler.plugins.podtopologyspread.plugin import NAME, PodTopologySpread, new

__all__ = ["NAME", "PodTopologySpread", "new"]
