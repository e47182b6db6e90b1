"""A postStart hook holds the sync that started its container (upstream `startContainer` runs
the handler synchronously inside `SyncPod`): the next containers start after it, the status
shows the container once the hook is done, and a failed hook's container is killed before the
sync goes on."""

BUSYBOX = "busybox:1.36"


def script(text, name):
    return {"name": name, "image": BUSYBOX, "command": ["sh", "-c", text]}


def started_at(node, pod="web"):
    """Container name → seconds after the first Started event it started."""
    items = node.client.list("events", "shop")["items"]
    times = {
        e["involvedObject"]["fieldPath"].split("{")[1].rstrip("}"): node.loop.parse_timestamp(
            e["firstTimestamp"]
        )
        for e in items
        if e["involvedObject"]["name"] == pod and e["reason"] == "Started"
    }
    first = min(times.values())
    return {name: t - first for name, t in times.items()}


def test_later_containers_wait_for_the_hook(node):
    first = script("sleep 3600", "first")
    first["lifecycle"] = {"postStart": {"sleep": {"seconds": 10}}}
    second = script("sleep 3600", "second")
    second["lifecycle"] = {"postStart": {"exec": {"command": ["sh", "-c", "sleep 2"]}}}
    third = script("sleep 3600", "third")
    node.pod(containers=[first, second, third])
    node.loop.run_for(30)
    assert started_at(node) == {"first": 0, "second": 10, "third": 12}


def test_status_shows_the_containers_once_the_holding_sync_ends(node):
    first = script("sleep 3600", "first")
    first["lifecycle"] = {"postStart": {"sleep": {"seconds": 10}}}
    node.pod(containers=[first, script("sleep 3600", "second")])
    node.loop.run_for(5)  # pulled, first started, its hook runs
    states = {s["name"]: s["state"] for s in node.status()["containerStatuses"]}
    assert states == {
        "first": {"waiting": {"reason": "ContainerCreating"}},
        "second": {"waiting": {"reason": "ContainerCreating"}},
    }
    assert node.status()["phase"] == "Pending"
    node.loop.run_for(10)
    assert node.status()["phase"] == "Running"
    assert all("running" in s["state"] for s in node.status()["containerStatuses"])


def test_a_sidecars_hook_holds_the_next_init_container(node):
    sidecar = script("sleep 3600", "proxy")
    sidecar["restartPolicy"] = "Always"
    sidecar["lifecycle"] = {"postStart": {"sleep": {"seconds": 7}}}
    init = script("exit 0", "setup")
    node.pod(initContainers=[sidecar, init], containers=[script("sleep 3600", "web")])
    node.loop.run_for(30)
    times = started_at(node)
    assert times["proxy"] == 0
    assert times["setup"] == 7
    assert times["web"] == 7  # the init container exits at once


def test_a_failed_hook_kills_its_container_before_the_next_starts(node):
    bad = script("sleep 3600", "bad")
    bad["lifecycle"] = {"postStart": {"exec": {"command": ["sh", "-c", "sleep 3; exit 1"]}}}
    node.pod(
        containers=[bad, script("sleep 3600", "next")],
        restartPolicy="Never",
        terminationGracePeriodSeconds=5,
    )
    node.loop.run_for(40)
    events = [
        (e["reason"], e["involvedObject"].get("fieldPath", ""))
        for e in node.client.list("events", "shop")["items"]
        if e["involvedObject"]["name"] == "web"
    ]
    i = events.index(("FailedPostStartHook", "spec.containers{bad}"))
    assert events[i + 1] == ("Killing", "spec.containers{bad}")
    assert ("Started", "spec.containers{next}") in events[i + 1 :]
    times = started_at(node)
    assert times["next"] == 3 + 5  # the hook, then the kill (sh ignores SIGTERM: grace 5 s)
    bad_state = node.container("bad")["state"]
    assert "terminated" in bad_state


def test_deletion_does_not_wait_for_the_hook(node):
    first = script("sleep 3600", "first")
    first["lifecycle"] = {"postStart": {"exec": {"command": ["sh", "-c", "sleep 100"]}}}
    node.pod(containers=[first], terminationGracePeriodSeconds=3)
    node.loop.run_for(5)
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(10)
    assert node.client.list("pods", "shop")["items"] == []


def test_probes_wait_for_the_hook(node):
    """The prober finds the container in the status manager's cache only once the sync that
    started it has ended (`worker.doProbe`: no status, no probe)."""
    first = script("sleep 3600", "first")
    first["lifecycle"] = {"postStart": {"sleep": {"seconds": 10}}}
    first["readinessProbe"] = {"exec": {"command": ["cat", "/missing"]}, "periodSeconds": 1}
    node.pod(containers=[first])
    node.loop.run_for(9)
    assert [r for r, _ in node.events() if r == "Unhealthy"] == []
    node.loop.run_for(5)
    assert (
        "Unhealthy",
        "Readiness probe failed: cat: can't open '/missing': No such file or directory\n",
    ) in node.events()
