"""kube-scheduler (`pkg/scheduler`): queue, framework, plugins, cache, and the component."""

from minik8s.scheduler.profile import Profile
from minik8s.scheduler.scheduler import Scheduler

__all__ = ["Profile", "Scheduler"]
