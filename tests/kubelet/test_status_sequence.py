"""The statuses a pod shows over time, as upstream's kubelet writes them: `SyncPod` writes the
status as it begins (`generateAPIPodStatus` from the runtime's state, with the `reasonCache`
holding why the last sync's container starts failed), the runtime's events (PLEG) bring the
next sync, and a failed sync — CrashLoopBackOff and ImagePullBackOff included, since
`SyncPod` returns their error (kubernetes#123602) — is retried after the pod worker's 10 s
back-off (`completeWork`). So a crash shows `Error` first, and the back-off reasons show one
retry later, as on a real cluster (`kubectl get pods -w`)."""

from minik8s.kubectl.pod_status import pod_status


def record(node):
    """Every status the kubelet writes, as (time, READY, STATUS, RESTARTS)."""
    rows = []
    manager = node.kubelet.workers.status_manager
    write = manager.set_pod_status

    def logged(pod, status):
        wrote = write(pod, status)
        if wrote:
            ready, total, reason, restarts, _ = pod_status(dict(pod, status=status))
            rows.append((round(node.loop.now, 2), f"{ready}/{total}", reason, restarts))
        return wrote

    manager.set_pod_status = logged
    return rows


def crash(seconds=2):
    command = ["sh", "-c", f"sleep {seconds}; exit 1"]
    return {"name": "web", "image": "busybox:1.36", "command": command}


def test_a_crash_shows_error_then_crash_loop_back_off(node):
    rows = record(node)
    node.pod(containers=[crash()])
    node.loop.run_for(40)
    assert rows == [
        (0.0, "0/1", "ContainerCreating", 0),
        (1.04, "1/1", "Running", 0),  # pulled (1.04 s) and started
        (3.04, "0/1", "Error", 0),  # the sync the exit brought: no back-off yet, restarted
        (3.04, "1/1", "Running", 1),
        (5.04, "0/1", "Error", 1),  # this sync ran into the 10 s back-off ...
        (15.04, "0/1", "CrashLoopBackOff", 1),  # ... its retry shows it, and restarts
        (15.04, "1/1", "Running", 2),
        (17.04, "0/1", "Error", 2),
        (27.04, "0/1", "CrashLoopBackOff", 2),  # 20 s back-off: one more retry
        (37.04, "1/1", "Running", 3),
        (39.04, "0/1", "Error", 3),
    ]


def test_every_sync_in_back_off_records_the_back_off_event(node):
    node.pod(containers=[crash()])
    node.loop.run_for(40)
    events = node.client.list("events", "shop")["items"]
    backoff = [e for e in events if e["reason"] == "BackOff"]
    assert len(backoff) == 1  # one Event, counted (the recorder's aggregation)
    assert backoff[0]["count"] == 4  # the syncs at 5.04, 17.04, 27.04 and 39.04 s
    assert backoff[0]["message"].startswith("Back-off restarting failed container web in pod web_")
    waiting = node.container()
    assert "terminated" in waiting["state"]  # 39.04 s: Error until the retry at 49.04 s
    node.loop.run_for(10)
    waiting = node.container()["state"]["waiting"]
    assert waiting["reason"] == "CrashLoopBackOff"
    assert waiting["message"].startswith("back-off 40s restarting failed container=web pod=web_")


def test_an_image_that_does_not_exist_alternates_err_image_pull_and_back_off(node):
    rows = record(node)
    node.pod(containers=[{"name": "web", "image": "doesnotexist/image:1"}])
    node.loop.run_for(60)
    assert [r[0] for r in rows] == [0.0, 2.0, 12.0, 24.0, 34.0, 46.0, 56.0]
    assert [r[2] for r in rows] == [
        "ContainerCreating",
        "ErrImagePull",  # the pull (2 s) failed; the sync the sandbox's start brought ran
        "ImagePullBackOff",  # into the 10 s back-off, which its retry writes; that retry
        "ErrImagePull",  # pulled again (12-14 s), the next (24 s) hit the 20 s back-off ...
        "ImagePullBackOff",
        "ErrImagePull",
        "ImagePullBackOff",
    ]
    pulls = [e for e in node.client.list("events", "shop")["items"] if e["reason"] == "Pulling"]
    assert pulls[0]["count"] == 3  # at 0, 12 and 34 s (back-off 10, 20, then 40 s)


def test_a_missing_config_map_is_retried_every_ten_seconds(node):
    env = [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k"}}}]
    rows = record(node)
    web = {"name": "web", "image": "busybox:1.36", "command": ["sleep", "3600"], "env": env}
    node.pod(containers=[web])
    node.loop.run_for(31)
    assert rows == [
        (0.0, "0/1", "ContainerCreating", 0),
        (1.04, "0/1", "CreateContainerConfigError", 0),
    ]
    failed = [e for e in node.client.list("events", "shop")["items"] if e["reason"] == "Failed"]
    assert [(e["message"], e["count"]) for e in failed] == [
        ('Error: configmap "nope" not found', 4)  # 1.04 s twice (the sandbox's sync), 11, 21
    ]
    node.client.create(
        "configmaps", {"metadata": {"name": "nope", "namespace": "shop"}, "data": {"k": "v"}}
    )
    node.loop.run_for(1)  # the retry at 31.04 s finds it
    assert list(node.container()["state"]) == ["running"]


def test_a_liveness_kill_measures_the_back_off_from_the_instance_before(node):
    """The sync that kills a container goes on to start it with the status it began with
    (`doBackOff` reads that snapshot): the killed instance still ran then, so the back-off is
    measured from the exit of the one before, and the first kills restart at once."""
    probe = {"httpGet": {"path": "/nope", "port": 80}, "periodSeconds": 5}
    rows = record(node)
    node.pod(containers=[{"name": "web", "image": "nginx:1.27", "livenessProbe": probe}])
    node.loop.run_for(45)
    assert rows == [
        (0.0, "0/1", "ContainerCreating", 0),
        (2.44, "1/1", "Running", 0),
        (12.44, "1/1", "Running", 1),  # 3 failures: killed and started again at once
        (22.44, "1/1", "Running", 2),  # 10 s after the last exit: not in its 10 s back-off
        (32.44, "1/1", "Running", 3),
        (42.44, "0/1", "CrashLoopBackOff", 3),  # 10 s is inside the 20 s back-off
    ]
    killing = [e for e in node.client.list("events", "shop")["items"] if e["reason"] == "Killing"]
    assert killing[0]["message"] == "Container web failed liveness probe, will be restarted"


def test_a_probe_s_termination_grace_period_replaces_the_pod_s(node):
    """`setTerminationGracePeriod`: a container killed for its liveness probe gets the probe's
    `terminationGracePeriodSeconds`, not the pod's 30 s, before SIGKILL."""
    probe = {"exec": {"command": ["false"]}, "periodSeconds": 5, "terminationGracePeriodSeconds": 3}
    command = ["sh", "-c", "trap '' TERM; sleep 3600"]
    web = {"name": "web", "image": "busybox:1.36", "command": command, "livenessProbe": probe}
    node.pod(containers=[web])
    node.loop.run_for(20)
    last = node.container()["lastState"]["terminated"]
    assert last["exitCode"] == 137  # SIGKILL: it ignored SIGTERM
    started, finished = (node.loop.parse_timestamp(last[k]) for k in ("startedAt", "finishedAt"))
    assert (started, finished) == (1, 14)  # killed at 11.04 s (3 failures), SIGKILL 3 s later


def test_a_container_in_back_off_does_not_hold_the_next_one(node):
    """`SyncPod` tries every container to start: one in CrashLoopBackOff fails its start
    (`ErrCrashLoopBackOff`), the next is restarted all the same."""
    starts = {"a": [], "b": []}
    start = node.runtime.start_container

    def logged(container_id):
        start(container_id)
        name = node.runtime.container_status(container_id).metadata.name
        starts[name].append(round(node.loop.now, 2))

    node.runtime.start_container = logged
    node.pod(
        containers=[
            {"name": "a", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]},
            {"name": "b", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 5; exit 1"]},
        ]
    )
    node.loop.run_for(40)
    assert starts["a"] == [1.04, 1.04, 11.04, 36.04]  # 20 s back-off, met by the retry at 36
    assert starts["b"] == [1.04, 6.04, 21.04]  # its first restart at once, while a backs off
