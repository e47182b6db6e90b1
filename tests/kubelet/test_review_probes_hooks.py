"""Lifecycle hooks against upstream `kuberuntime_container.go` (`startContainer` step 4,
`executePreStopHook`): fixed event messages, and a postStart hook that takes its time."""

from minik8s.kubelet import lifecycle

BUSYBOX = "busybox:1.36"


def script(text, name="web"):
    return {"name": name, "image": BUSYBOX, "command": ["sh", "-c", text]}


def reasons(node):
    return [r for r, _ in node.events()]


def test_failed_hooks_record_fixed_messages_not_the_handler_output(node):
    """ "do not record the message in the event so that secrets won't leak from the server"."""
    c = script("sleep 3600")
    c["lifecycle"] = {
        "postStart": {"exec": {"command": ["sh", "-c", "echo s3cret; exit 3"]}},
        "preStop": {"exec": {"command": ["sh", "-c", "echo s3cret; exit 4"]}},
    }
    node.pod(containers=[c], terminationGracePeriodSeconds=5)  # the kill runs preStop too
    node.loop.run_for(3)
    events = node.events()
    assert ("FailedPostStartHook", "PostStartHook failed") in events
    assert ("Killing", "FailedPostStartHook") in events
    assert ("FailedPreStopHook", "PreStopHook failed") in events
    assert "s3cret" not in str(events)


def test_post_start_hook_returns_its_duration(node, monkeypatch):
    """The hook runs inside `startContainer`, so the sync waits for it: `post_start` says how
    long (a `sleep` action its seconds, an exec hook what its command slept)."""
    seen = []
    original = lifecycle.post_start

    def spy(w, state, spec, container_id):
        seen.append((spec["name"], original(w, state, spec, container_id)))
        return seen[-1][1]

    monkeypatch.setattr(lifecycle, "post_start", spy)
    first = script("sleep 3600", name="first")
    first["lifecycle"] = {"postStart": {"sleep": {"seconds": 10}}}
    second = script("sleep 3600", name="second")
    second["lifecycle"] = {"postStart": {"exec": {"command": ["sh", "-c", "sleep 2"]}}}
    third = script("sleep 3600", name="third")
    node.pod(containers=[first, second, third])
    node.loop.run_for(20)
    assert seen[:3] == [("first", 10.0), ("second", 2.0), ("third", 0.0)]


def test_a_failing_post_start_hook_fails_when_it_ends(node):
    """The handler's error is known once it returns: event and kill after its sleep."""
    c = script("sleep 3600")
    c["lifecycle"] = {"postStart": {"exec": {"command": ["sh", "-c", "sleep 4; exit 3"]}}}
    node.pod(containers=[c], terminationGracePeriodSeconds=0)
    node.loop.run_for(3)  # pulled at ~1 s, started; the hook runs until ~5 s
    assert "FailedPostStartHook" not in reasons(node)
    assert "Started" in reasons(node)  # started, but the sync holding it wrote no status yet
    assert node.container()["state"] == {"waiting": {"reason": "ContainerCreating"}}
    node.loop.run_for(3)
    assert ("FailedPostStartHook", "PostStartHook failed") in node.events()
    assert ("Killing", "FailedPostStartHook") in node.events()
