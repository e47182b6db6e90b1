"""The scheduling queue: back-off, parking, moves on cluster events, leftover flush."""

from minik8s.scheduler.framework import NODE, POD, ActionType, ClusterEvent
from minik8s.scheduler.plugins.noderesources.fit import Fit
from minik8s.scheduler.plugins.tainttoleration import TaintToleration
from minik8s.scheduler.queue import PriorityQueue
from minik8s.sim import EventLoop
from tests.scheduler.builders import pod

EVENTS = {
    "NodeResourcesFit": Fit({}).events_to_register(),
    "TaintToleration": TaintToleration().events_to_register(),
}


def new_queue():
    loop = EventLoop(seed=0)
    return loop, PriorityQueue(loop, events_by_plugin=EVENTS)


def fail(queue, qpi, *plugins):
    qpi.unschedulable_plugins = set(plugins)
    queue.add_unschedulable_if_not_present(qpi, queue.scheduling_cycle)


def test_backoff_doubles_from_one_to_ten_seconds():
    loop, queue = new_queue()
    queue.add(pod(name="p"))
    qpi = queue.pop()
    durations = []
    for attempts in range(1, 7):
        qpi.attempts = attempts
        durations.append(queue.backoff_duration(qpi))
    assert durations == [1, 2, 4, 8, 10, 10]


def test_active_queue_orders_by_priority_then_time():
    loop, queue = new_queue()
    queue.add(pod(name="low", priority=0))
    loop.now = 1
    queue.add(pod(name="high", priority=100))
    queue.add(pod(name="low2", priority=0))
    assert [queue.pop().key for _ in range(3)] == ["default/high", "default/low", "default/low2"]
    assert queue.pop() is None


def test_unschedulable_pod_moves_on_a_registered_event_only():
    loop, queue = new_queue()
    queue.add(pod(name="p"))
    qpi = queue.pop()
    fail(queue, qpi, "NodeResourcesFit")
    assert "default/p" in queue.unschedulable
    # NodeResourcesFit does not register node condition changes or pod adds
    queue.move_all_to_active_or_backoff(ClusterEvent(NODE, ActionType.UpdateNodeCondition))
    queue.move_all_to_active_or_backoff(ClusterEvent(POD, ActionType.Add))
    assert "default/p" in queue.unschedulable
    # …but a node add or a deleted pod may free room: back to back-off (1 s not over yet)
    queue.move_all_to_active_or_backoff(ClusterEvent(NODE, ActionType.Add))
    assert "default/p" in queue.backoff
    loop.run(until=0.5)
    assert "default/p" in queue.backoff
    loop.run(until=1.0)
    assert "default/p" in queue.active
    assert queue.pop().attempts == 2


def test_event_after_backoff_goes_straight_to_active():
    loop, queue = new_queue()
    queue.add(pod(name="p"))
    fail(queue, queue.pop(), "TaintToleration")
    loop.run(until=5)
    queue.move_all_to_active_or_backoff(ClusterEvent(NODE, ActionType.UpdateNodeTaint))
    assert "default/p" in queue.active


def test_move_request_during_the_cycle_sends_the_pod_to_backoff():
    loop, queue = new_queue()
    queue.add(pod(name="p"))
    qpi = queue.pop()
    cycle = queue.scheduling_cycle
    queue.move_all_to_active_or_backoff(ClusterEvent(NODE, ActionType.Add))  # while scheduling
    qpi.unschedulable_plugins = {"NodeResourcesFit"}
    queue.add_unschedulable_if_not_present(qpi, cycle)
    assert "default/p" in queue.backoff and not queue.unschedulable


def test_error_without_rejecting_plugin_retries_after_backoff():
    loop, queue = new_queue()
    queue.add(pod(name="p"))
    fail(queue, queue.pop())
    assert "default/p" in queue.backoff


def test_leftover_flush_after_five_minutes():
    loop, queue = new_queue()
    queue.start()
    queue.add(pod(name="p"))
    fail(queue, queue.pop(), "NodeResourcesFit")
    loop.run(until=299)
    assert "default/p" in queue.unschedulable
    loop.run(until=330)  # the 30 s tick after the 5 minutes
    assert "default/p" in queue.active


def test_leftover_flush_needs_strictly_more_than_five_minutes():
    """upstream flushUnschedulablePodsLeftover: `currentTime.Sub(lastScheduleTime) >
    podMaxInUnschedulablePodsDuration`; a pod parked at a 30 s tick is not moved 300 s later."""
    loop, queue = new_queue()
    queue.start()
    loop.run(until=30)  # the first tick
    queue.add(pod(name="p"))
    fail(queue, queue.pop(), "NodeResourcesFit")  # parked at t=30, on the tick
    loop.run(until=330)  # tick at 330: waited exactly 300 s
    assert "default/p" in queue.unschedulable
    loop.run(until=360)
    assert "default/p" in queue.active


def test_scheduling_gates_hold_the_pod_until_removed():
    loop, queue = new_queue()
    gated = pod(name="g", schedulingGates=[{"name": "example.com/wait"}])
    queue.add(gated)
    assert queue.pop() is None and queue.unschedulable["default/g"].gated
    queue.move_all_to_active_or_backoff(ClusterEvent(NODE, ActionType.Add))
    assert "default/g" in queue.unschedulable
    queue.update(gated, pod(name="g"))
    assert queue.pop().key == "default/g"


def test_spec_update_of_a_parked_pod_requeues_it_status_update_does_not():
    loop, queue = new_queue()
    old = pod({"cpu": "2"}, name="p")
    queue.add(old)
    fail(queue, queue.pop(), "NodeResourcesFit")
    queue.update(old, {**old, "status": {"conditions": [{"type": "PodScheduled"}]}})
    assert "default/p" in queue.unschedulable
    queue.update(old, pod({"cpu": "1"}, name="p"))
    assert "default/p" in queue.backoff


def test_delete_removes_everywhere():
    loop, queue = new_queue()
    queue.add(pod(name="p"))
    queue.delete(pod(name="p"))
    assert queue.pop() is None
    assert repr(queue) == "PriorityQueue(activeQ:0; backoffQ:0; unschedulablePods:0)"
