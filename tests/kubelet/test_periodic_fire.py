"""A ticker firing: members re-armed in order, joins and cancels during a fire keep the order
their own timers would have had."""

from minik8s.kubelet.periodic import ticker
from minik8s.sim.loop import EventLoop


def test_a_member_joining_during_a_fire_runs_between_its_neighbours_next_time():
    loop = EventLoop(seed=0)
    ran: list[str] = []
    tick = ticker(loop, 10.0)

    def b() -> None:
        ran.append("b")
        if "x" not in ran and ran.count("b") == 1:
            tick.every(lambda: ran.append("x"), "x")  # due at 20, after b's re-arm, before c's

    for name, fn in (("a", lambda: ran.append("a")), ("b", b), ("c", lambda: ran.append("c"))):
        tick.every(fn, name)
    loop.run(until=20)
    assert ran == ["a", "b", "c", "a", "b", "x", "c"]
    assert loop.pending() == 1  # still one timer for the whole bucket


def test_a_member_cancelled_during_a_fire_does_not_run_and_is_not_re_armed():
    loop = EventLoop(seed=0)
    ran: list[str] = []
    tick = ticker(loop, 10.0)
    members = []
    members.append(tick.every(lambda: (ran.append("a"), members[1].cancel()), "a"))
    members.append(tick.every(lambda: ran.append("b"), "b"))
    loop.run(until=30)
    assert ran == ["a", "a", "a"]
    assert repr(tick) == "<Ticker kubelet heartbeats every 10s members=1>"


def test_a_bucket_whose_members_are_all_cancelled_arms_no_timer():
    loop = EventLoop(seed=0)
    tick = ticker(loop, 10.0)
    member = tick.every(lambda: None, "a")
    member.cancel()
    loop.run(until=10)
    assert loop.pending() == 0
    assert tick.buckets == {}
