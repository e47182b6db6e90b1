"""minik8s.widgets: ipywidgets building blocks for the course notebooks.

Each is a class whose logic is plain methods (tested headless) and whose `.widget` is what a
notebook displays (the object itself displays too):

- `ClusterDashboard(cluster)`: live object graph; scale, add/fail/recover nodes, advance time;
- `Stepper(cluster)`: one event-loop step at a time, with the trace lines each produced;
- `SchedulerExplorer(cluster)`: pick a pod, see the scheduler's decision table;
- `RequestTracer(cluster)`: send a URL, see DNS → VIP → kube-proxy rule → pod.
"""

from minik8s.widgets.dashboard import ClusterDashboard
from minik8s.widgets.explorers import RequestTracer, SchedulerExplorer, find_decision
from minik8s.widgets.stepper import Step, Stepper

__all__ = [
    "ClusterDashboard",
    "RequestTracer",
    "SchedulerExplorer",
    "Step",
    "Stepper",
    "find_decision",
]
