"""Kubelet pod lifecycle against upstream v1.31 (review findings): restart decisions after a
probe kill, termination ordering, readiness while terminating, init-container statuses."""

BUSYBOX = "busybox:1.36"
LIVENESS_404 = {
    "httpGet": {"path": "/healthz", "port": 80},
    "periodSeconds": 5,
    "failureThreshold": 1,
}


def script(text, name="web", image=BUSYBOX):
    return {"name": name, "image": image, "command": ["sh", "-c", text]}


def nginx(name="web", **extra):
    return {"name": name, "image": "nginx:1.27", **extra}


def killing(node, name="web"):
    return [m for r, m in node.events(name) if r == "Killing"]


# -- §17 computePodActions: restart after a liveness kill follows the policy, not the exit code --
def test_on_failure_restarts_a_liveness_killed_container_that_exited_0(node):
    node.pod(restartPolicy="OnFailure", containers=[nginx(livenessProbe=LIVENESS_404)])
    node.loop.run_for(20)  # nginx exits 0 on SIGTERM
    status = node.status()
    assert killing(node)[0] == "Container web failed liveness probe, will be restarted"
    assert status["phase"] == "Running"
    assert node.container()["restartCount"] >= 1


def test_never_kills_without_will_be_restarted(node):
    other = script("sleep 3600", name="other")
    node.pod(restartPolicy="Never", containers=[nginx(livenessProbe=LIVENESS_404), other])
    node.loop.run_for(20)
    assert killing(node) == ["Container web failed liveness probe"]
    assert node.container()["restartCount"] == 0
    assert "terminated" in node.container()["state"]


def test_never_single_container_is_kill_pod(node):
    node.pod(restartPolicy="Never", containers=[nginx(livenessProbe=LIVENESS_404)])
    node.loop.run_for(20)
    assert killing(node) == ["Stopping container web"]
    assert node.status()["phase"] == "Succeeded"


# -- §3/§4 convertToAPIContainerStatuses / UpdatePodStatus ----------------------------------------
def test_regular_containers_wait_as_pod_initializing_and_running_init_is_started(node):
    node.pod(initContainers=[script("sleep 2", name="init1")], containers=[nginx()])
    node.loop.run_for(2.6)  # busybox pulled, init1 running
    init1 = node.status()["initContainerStatuses"][0]
    assert "running" in init1["state"] and init1["started"] is True and init1["ready"] is False
    node.loop.run_for(1.0)  # init1 done at ~2.9 s, nginx still pulling
    status = node.status()
    assert "terminated" in status["initContainerStatuses"][0]["state"]
    assert status["initContainerStatuses"][0]["started"] is False
    assert node.container()["state"] == {"waiting": {"reason": "PodInitializing"}}


# -- §12 SyncTerminatingPod: readiness probing goes on until the containers are stopped ----------
def test_terminating_pod_keeps_its_readiness_until_containers_stop(node):
    web = nginx(
        readinessProbe={"httpGet": {"path": "/", "port": 80}, "periodSeconds": 2},
        lifecycle={"preStop": {"sleep": {"seconds": 10}}},
    )
    node.pod(terminationGracePeriodSeconds=30, containers=[web])
    node.loop.run_for(10)
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(3)
    conds = {c["type"]: c["status"] for c in node.status()["conditions"]}
    assert conds["Ready"] == "True" and conds["ContainersReady"] == "True"
    assert node.container()["ready"] is True
    node.loop.run_for(20)  # preStop over at +10 s, nginx stops: the pod goes
    assert node.client.list("pods", "shop")["items"] == []


# -- §20 termination ordering: sidecars get SIGTERM after the regular containers exited ----------
# (their Killing events come at once, `tests/kubelet/test_sidecar_termination.py`)
def test_deletion_stops_sidecars_after_the_regular_containers_in_reverse_order(node):
    node.pod(
        terminationGracePeriodSeconds=20,
        initContainers=[
            {"name": "proxy", "image": "nginx:1.27", "restartPolicy": "Always"},
            {"name": "log", "image": "nginx:1.27", "restartPolicy": "Always"},
        ],
        containers=[script("sleep 3600", name="app")],  # sh ignores SIGTERM: killed at +20 s
    )
    node.loop.run_for(10)
    started = node.loop.now
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(5)
    inits = {s["name"]: s["state"] for s in node.status()["initContainerStatuses"]}
    assert "running" in inits["proxy"] and "running" in inits["log"]
    assert "running" in node.container("app")["state"]
    node.loop.run_for(30)
    assert node.client.list("pods", "shop")["items"] == []
    items = node.client.list("events", "shop")["items"]
    kills = [(e["firstTimestamp"], e["message"]) for e in items if e["reason"] == "Killing"]
    assert kills == [  # 1.31 `killContainer`: Killing (and preStop) for all at once; the
        ("2025-01-01T00:00:10Z", "Stopping container app"),  # sidecars are stopped in turn
        ("2025-01-01T00:00:10Z", "Stopping container log"),
        ("2025-01-01T00:00:10Z", "Stopping container proxy"),
    ]
    assert started == 10


# -- §11 active_deadline.go ------------------------------------------------------------------------
def test_active_deadline_fails_the_pod_and_stops_its_containers(node):
    node.pod(activeDeadlineSeconds=10, containers=[script("sleep 3600")])
    node.loop.run_for(9)
    assert node.status()["phase"] == "Running"
    node.loop.run_for(40)  # sh ignores SIGTERM: SIGKILL after the 30 s grace
    status = node.status()
    assert status["phase"] == "Failed"
    assert status["reason"] == "DeadlineExceeded"
    assert status["message"] == "Pod was active on the node longer than the specified deadline"
    assert (
        "DeadlineExceeded",
        "Pod was active on the node longer than the specified deadline",
    ) in node.events()
    assert ("Killing", "Stopping container web") in node.events()
    terminated = node.container()["state"]["terminated"]
    assert terminated["exitCode"] == 137 and terminated["finishedAt"] == "2025-01-01T00:00:40Z"
    conds = {c["type"]: c["status"] for c in status["conditions"]}
    assert conds["PodReadyToStartContainers"] == "False" and conds["Ready"] == "False"
    assert node.get()["metadata"].get("deletionTimestamp") is None  # the object stays


# -- §10 SyncTerminatingPod: the last status of a deleted pod has the stopped sandbox ------------
def test_last_status_of_a_deleted_pod_has_its_sandbox_stopped(node):
    written = []
    manager = node.kubelet.workers.status_manager
    original = manager.set_pod_status
    manager.set_pod_status = lambda pod, status: written.append(status) or original(pod, status)
    node.pod()
    node.loop.run_for(5)
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(5)
    assert node.client.list("pods", "shop")["items"] == []
    last = written[-1]
    assert last["phase"] == "Succeeded"
    conds = {c["type"]: c["status"] for c in last["conditions"]}
    assert conds["PodReadyToStartContainers"] == "False"


# -- §13/§21 SyncPod: status first, volumes mounted, then the sandbox ----------------------------
def test_no_sandbox_or_ip_while_a_volume_cannot_mount(node):
    volume = {"name": "cfg", "configMap": {"name": "missing"}}
    node.pod(volumes=[volume])
    node.loop.run_for(20)
    status = node.status()
    assert "podIP" not in status
    conds = {c["type"]: c["status"] for c in status["conditions"]}
    assert conds["PodReadyToStartContainers"] == "False"
    assert (
        "FailedMount",
        'MountVolume.SetUp failed for volume "cfg" : configmap "missing" not found',
    ) in node.events()
    assert node.runtime.list_pod_sandbox() == []


def test_first_status_precedes_the_sandbox(node):
    written = []
    manager = node.kubelet.workers.status_manager
    original = manager.set_pod_status
    manager.set_pod_status = lambda pod, status: written.append(status) or original(pod, status)
    node.pod()
    node.loop.settle()
    distinct = [status for i, status in enumerate(written) if i == 0 or status != written[i - 1]]
    first = distinct[0]
    assert "podIP" not in first
    assert first["conditions"][0] == {"type": "PodReadyToStartContainers", "status": "False"}
    assert first["containerStatuses"][0]["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert distinct[1]["podIP"] == "10.88.0.2"
    assert distinct[1]["conditions"][0] == {"type": "PodReadyToStartContainers", "status": "True"}


# -- §9 termination messages (convertToKubeContainerStatus / getTerminationMessage) ------------
def test_termination_message_from_the_termination_log_file(node):
    """The k8s docs task "Determine the Reason for Pod Failure"."""
    c = script("sleep 10 && echo Sleep expired > /dev/termination-log")
    node.pod(containers=[c])
    node.loop.run_for(13)
    last = node.container()["lastState"]["terminated"]
    assert last["message"] == "Sleep expired\n" and last["exitCode"] == 0


def test_fallback_to_logs_on_error_only_on_failure(node):
    failing = script("echo oops; exit 1", name="bad") | {
        "terminationMessagePolicy": "FallbackToLogsOnError"
    }
    fine = script("echo fine", name="good") | {"terminationMessagePolicy": "FallbackToLogsOnError"}
    numbers = " ".join(str(i) for i in range(1, 101))
    lines = script(f"for i in {numbers}; do echo line $i; done; exit 2", name="long")
    lines["terminationMessagePolicy"] = "FallbackToLogsOnError"
    node.pod(restartPolicy="Never", containers=[failing, fine, lines])
    node.loop.run_for(10)
    assert node.container("bad")["state"]["terminated"]["message"] == "oops\n"
    assert "message" not in node.container("good")["state"]["terminated"]
    message = node.container("long")["state"]["terminated"]["message"]
    assert message.startswith("line 21\n") and message.endswith("line 100\n")  # last 80 lines


# -- §15 GeneratePodHostNameAndDomain / truncatePodHostnameIfNeeded / GetNodenameForKernel -----
def hostname_env(node, name):
    output, code = node.kubelet.exec("shop", name, None, ["sh", "-c", "echo $HOSTNAME"])
    assert code == 0
    return output.strip()


def test_pod_hostnames(node):
    sleeper = [script("sleep 3600")]
    node.pod("hn", hostNetwork=True, containers=sleeper)
    long_name = "a" * 62 + "-b" + "c" * 10
    node.pod(long_name, containers=sleeper)
    node.pod("fq", hostname="h", subdomain="sub", setHostnameAsFQDN=True, containers=sleeper)
    node.pod("plain", hostname="h", subdomain="sub", containers=sleeper)
    node.loop.run_for(5)
    assert hostname_env(node, "hn") == "node-1"
    assert hostname_env(node, long_name) == "a" * 62
    assert hostname_env(node, "fq") == "h.sub.shop.svc.cluster.local"
    assert hostname_env(node, "plain") == "h"


def test_fqdn_too_long_fails_the_sandbox(node):
    node.pod("fq", hostname="h" * 40, subdomain="sub", setHostnameAsFQDN=True)
    node.loop.run_for(3)
    fqdn = "h" * 40 + ".sub.shop.svc.cluster.local"
    assert (
        "FailedCreatePodSandBox",
        "Failed to create pod sandbox: failed to construct FQDN from pod hostname and cluster "
        f"domain, FQDN {fqdn} is too long (64 characters is the max, 67 characters requested)",
    ) in node.events("fq")
    assert node.runtime.list_pod_sandbox() == []
