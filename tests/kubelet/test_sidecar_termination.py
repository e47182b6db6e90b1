"""Sidecar termination ordering (1.31 `kuberuntime_termination_order.go` + `killContainer`):
every container gets its Killing event and preStop hook at once; a sidecar is stopped after the
regular containers and the later sidecars have terminated, or when its grace period runs out."""

import pytest

from minik8s.kubelet.termination_order import new_termination_ordering

ALWAYS = "Always"


def pod(sidecars, mains=("main",)):
    return {
        "spec": {
            "initContainers": [{"name": n, "restartPolicy": ALWAYS} for n in sidecars],
            "containers": [{"name": n} for n in mains],
        }
    }


def simulate(spec, grace, exit_after):
    """upstream's tests drive goroutines in real time: each container waits for its turn
    (`waitForTurn(name, grace)`), then takes `exit_after` seconds to exit. Whole seconds
    waited, per container, as `int64(to.waitForTurn(...))`."""
    names = [c["name"] for c in spec["spec"]["initContainers"] + spec["spec"]["containers"]]
    ordering = new_termination_ordering(spec, names)
    waits = {n for n in names if ordering.wait(n, n, 0.0, grace)}
    delays = {n: 0 for n in names if n not in waits}
    exits = {n: exit_after for n in delays}
    now = 0.0
    while len(delays) < len(names):
        now += 0.25
        ordering.terminated |= {n for n, t in exits.items() if t <= now}
        for name in [n for n in ordering.waiting if ordering.due(n, now)]:
            ordering.waiting.pop(name)
            delays[name], exits[name] = int(now), now + exit_after
    return delays


def test_sidecar_stop_after_main():
    """`TestTerminationOrderingSidecarStopAfterMain`."""
    delays = simulate(pod(["init"]), 30, 1)
    assert delays == {"init": 1, "main": 0}


def test_sidecars_in_reverse_order():
    """`TestTerminationOrderingSidecarsInReverseOrder` (each exits 1.25 s after its turn)."""
    delays = simulate(pod(["sc1", "sc2", "sc3"]), 30, 1.25)
    assert delays == {"sc1": 3, "sc2": 2, "sc3": 1, "main": 0}


def test_obeys_grace():
    """`TestTerminationOrderingObeysGrace`: a 2 s grace period cuts the waits short."""
    delays = simulate(pod(["sc1", "sc2", "sc3"]), 2, 1)
    assert delays == {"sc1": 2, "sc2": 2, "sc3": 1, "main": 0}


def test_prereqs_and_not_running_containers():
    spec = pod(["a", "b"], mains=("m1", "m2"))
    spec["spec"]["initContainers"].insert(1, {"name": "setup"})  # a regular init container
    ordering = new_termination_ordering(spec, ["a", "b", "m1"])
    assert ordering.prereqs == {"b": ["m1", "m2"], "a": ["m1", "m2", "b"]}
    assert ordering.terminated == {"m2", "setup"}
    assert not ordering.wait("m1", "id", 0.0, 30)  # nothing to wait for
    assert not ordering.wait("b", "id", 0.0, 0)  # no time left to wait


# -- through the kubelet ---------------------------------------------------------------------------
def script(text, name):
    return {"name": name, "image": "busybox:1.36", "command": ["sh", "-c", text]}


@pytest.fixture
def stops(node):
    """(time, container name, timeout) of every StopContainer call."""
    seen = []
    original = node.runtime.stop_container

    def spy(container_id, timeout):
        names = {
            r.current: r.name
            for s in node.kubelet.workers.states.values()
            for r in s.records.values()
        }
        seen.append((node.loop.now, names.get(container_id, "?"), timeout))
        return original(container_id, timeout)

    node.runtime.stop_container = spy
    return seen


def kills(node):
    items = node.client.list("events", "shop")["items"]
    return [(e["firstTimestamp"][-3:-1], e["message"]) for e in items if e["reason"] == "Killing"]


def test_deletion_kills_all_at_once_and_stops_sidecars_in_turn(node, stops):
    node.pod(
        terminationGracePeriodSeconds=20,
        initContainers=[
            {"name": "proxy", "image": "nginx:1.27", "restartPolicy": ALWAYS},
            {
                "name": "log",
                "image": "nginx:1.27",
                "restartPolicy": ALWAYS,
                "lifecycle": {"preStop": {"sleep": {"seconds": 3}}},
            },
        ],
        containers=[{"name": "app", "image": "nginx:1.27"}],  # nginx stops on SIGTERM
    )
    node.loop.run_for(10)
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(30)
    assert node.client.list("pods", "shop")["items"] == []
    assert kills(node) == [
        ("10", "Stopping container app"),
        ("10", "Stopping container log"),
        ("10", "Stopping container proxy"),
    ]
    # app at once; log after its 3 s preStop (app gone by then) with 20 - 3 s left; proxy
    # once log has exited (nginx exits on SIGTERM at once), with 20 s less the 3 s it waited
    assert stops == [(10, "app", 20), (13, "log", 17), (13, "proxy", 17)]


def test_sidecars_stop_in_reverse_order_when_the_regular_containers_are_done(node, stops):
    node.pod(
        restartPolicy="Never",
        terminationGracePeriodSeconds=30,
        initContainers=[
            {"name": "first", "image": "nginx:1.27", "restartPolicy": ALWAYS},
            {"name": "second", "image": "nginx:1.27", "restartPolicy": ALWAYS},
        ],
        containers=[script("sleep 5", "job")],
    )
    node.loop.run_for(60)
    assert node.status()["phase"] == "Succeeded"
    (t1, m1), (t2, m2) = kills(node)
    assert t1 == t2 and (m1, m2) == ("Stopping container second", "Stopping container first")
    assert [(name, timeout) for _, name, timeout in stops] == [("second", 30), ("first", 30)]
    finished = node.container("job")["state"]["terminated"]["finishedAt"]
    assert stops[0][0] == stops[1][0]  # nginx exits on SIGTERM at once: first's turn comes
    assert int(stops[0][0]) == node.loop.parse_timestamp(finished)  # as the job ends


def test_a_sidecar_waits_at_most_its_grace_period(node, stops):
    node.pod(
        terminationGracePeriodSeconds=20,
        initContainers=[{"name": "proxy", "image": "nginx:1.27", "restartPolicy": ALWAYS}],
        containers=[script("sleep 3600", "app")],  # sh ignores SIGTERM: killed at +20 s
    )
    node.loop.run_for(10)
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(40)
    assert stops == [(10, "app", 20), (30, "proxy", 2)]  # waited it all: the 2 s minimum
