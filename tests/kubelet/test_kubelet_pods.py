"""Scenario tests: one kubelet on the simulated runtime against a real API server."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.cri.api import ImageSpec
from minik8s.cri.simulated_images import SANDBOX_IMAGE
from tests.kubelet.conftest import Node

BUSYBOX = "busybox:1.36"  # a tag, so IfNotPresent: restarts do not pull again


def script(text, name="web", image=BUSYBOX):
    return {"name": name, "image": image, "command": ["sh", "-c", text]}


def test_pod_runs_with_events_in_order_and_status(node):
    node.pod()
    node.loop.settle()
    reasons = [r for r, _ in node.events()]
    assert reasons == ["Pulling", "Pulled", "Created", "Started"]
    assert node.events()[1][1] == (
        'Successfully pulled image "nginx:1.27" in 2.44s (2.44s including waiting). '
        "Image size: 72000000 bytes."
    )
    status = node.status()
    assert status["phase"] == "Running"
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    assert all(c["status"] == "True" for c in status["conditions"])
    web = status["containerStatuses"][0]
    assert web["state"] == {"running": {"startedAt": "2025-01-01T00:00:02Z"}}
    assert web["ready"] and web["started"] and web["restartCount"] == 0
    assert web["containerID"].startswith("sim://")
    assert web["image"] == "docker.io/library/nginx:1.27"
    assert web["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert status["podIP"] == "10.88.0.2" and status["podIPs"] == [{"ip": "10.88.0.2"}]
    assert status["hostIP"] == node.kubelet.node_ip
    assert status["startTime"] == "2025-01-01T00:00:00Z"


def test_pending_while_pulling_shows_container_creating(node):
    node.pod()
    node.loop.run_for(1)
    status = node.status()
    assert status["phase"] == "Pending"
    assert status["containerStatuses"][0]["state"] == {"waiting": {"reason": "ContainerCreating"}}
    ready = {c["type"]: c for c in status["conditions"]}["Ready"]
    assert ready["reason"] == "ContainersNotReady"
    assert ready["message"] == "containers with unready status: [web]"


def test_status_is_written_only_when_it_changes(node):
    node.pod()
    node.loop.settle()
    rv = node.get()["metadata"]["resourceVersion"]
    node.loop.run_for(120)
    assert node.get()["metadata"]["resourceVersion"] == rv


def test_crash_loop_back_off_status_and_events(node):
    node.pod(containers=[script("echo crash; exit 1")])
    node.loop.run_for(1300)
    c = node.container()
    assert c["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    uid = node.get()["metadata"]["uid"]
    assert c["state"]["waiting"]["message"] == (
        f"back-off 5m0s restarting failed container=web pod=web_shop({uid})"
    )
    assert c["lastState"]["terminated"]["exitCode"] == 1
    assert c["lastState"]["terminated"]["reason"] == "Error"
    assert node.status()["phase"] == "Running"
    assert ("BackOff", f"Back-off restarting failed container web in pod web_shop({uid})") in (
        node.events()
    )


def exact_restart_times(node):
    """Virtual times at which each new container started."""
    times, seen = [], set()
    original = node.runtime.start_container

    def spy(container_id):
        times.append(node.loop.now)
        return original(container_id)

    node.runtime.start_container = spy
    return times, seen


def test_back_off_times_are_exact():
    node = Node()
    times, _ = exact_restart_times(node)
    node.pod(containers=[script("exit 1")])
    node.loop.run_for(700)
    pull = 1.044
    assert [round(t - pull, 3) for t in times] == [0, 0, 10, 30, 70, 150, 310, 610]


def test_back_off_resets_after_ten_minutes_of_running():
    node = Node()
    times, _ = exact_restart_times(node)
    node.pod(containers=[script("sleep 700; exit 1")])
    node.loop.run_for(3000)
    pull = 1.044
    gaps = [round(b - a, 3) for a, b in zip(times, times[1:], strict=False)]
    # each run lasts 700 s > 2 × 5 min, so every crash restarts at once (back-off reset)
    assert gaps[:3] == [700, 700, 700]
    assert times[0] == pytest.approx(pull)


def test_restart_policy_never_exit_1_fails(node):
    node.pod(restartPolicy="Never", containers=[script("echo bye; exit 1")])
    node.loop.settle()
    status = node.status()
    assert status["phase"] == "Failed"
    term = status["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == 1 and term["reason"] == "Error"
    ready = {c["type"]: c for c in status["conditions"]}
    assert ready["Ready"]["status"] == "False" and ready["Ready"]["reason"] == "PodFailed"
    assert ready["PodReadyToStartContainers"]["status"] == "False"
    assert node.kubelet.logs("shop", "web") == "bye\n"


def test_restart_policy_never_exit_0_succeeds(node):
    node.pod(restartPolicy="Never", containers=[script("sleep 5; echo done")])
    node.loop.run_for(10)
    status = node.status()
    assert status["phase"] == "Succeeded"
    term = status["containerStatuses"][0]["state"]["terminated"]
    assert term["reason"] == "Completed" and term["exitCode"] == 0
    assert term["finishedAt"] == "2025-01-01T00:00:06Z"
    conds = {c["type"]: c for c in status["conditions"]}
    assert conds["Initialized"]["reason"] == "PodCompleted"
    assert conds["Ready"]["reason"] == "PodCompleted"


def test_on_failure_restarts_until_success(node):
    job = script("if [ -f /data/ok ]; then echo second; exit 0; fi; touch /data/ok; exit 2")
    job["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    node.pod(
        restartPolicy="OnFailure", containers=[job], volumes=[{"name": "data", "emptyDir": {}}]
    )
    node.loop.settle()  # the emptyDir outlives the first container, so the retry succeeds
    status = node.status()
    assert status["phase"] == "Succeeded"
    web = status["containerStatuses"][0]
    assert web["restartCount"] == 1
    assert web["state"]["terminated"]["reason"] == "Completed"
    assert web["lastState"]["terminated"]["exitCode"] == 2
    assert node.kubelet.logs("shop", "web") == "second\n"


def test_graceful_deletion_kills_then_deletes(node):
    node.pod(containers=[script("sleep 3600")], terminationGracePeriodSeconds=20)
    node.loop.settle()
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(5)
    pod = node.get()
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 20
    assert ("Killing", "Stopping container web") in node.events()
    node.loop.run_for(16)  # sh ignores SIGTERM: SIGKILL after 20 s, then delete with grace 0
    assert not node.client.list("pods", "shop")["items"]
    assert node.runtime.containers == {}


def test_graceful_deletion_of_a_web_server_is_quick(node):
    node.pod()
    node.loop.settle()
    node.client.delete("pods", "web", "shop")
    node.loop.settle()
    assert not node.client.list("pods", "shop")["items"]
    assert node.loop.now < 5


def test_missing_configmap_then_it_appears(node):
    c = script("env; sleep 3600")
    c["envFrom"] = [{"configMapRef": {"name": "settings"}}]
    c["env"] = [{"name": "GREETING", "value": "hello $(COLOR)"}]
    node.pod(containers=[c])
    node.loop.settle()
    web = node.container()
    assert web["state"]["waiting"] == {
        "reason": "CreateContainerConfigError",
        "message": 'configmap "settings" not found',
    }
    assert ("Failed", 'Error: configmap "settings" not found') in node.events()
    assert node.status()["phase"] == "Pending"
    node.client.create(
        "configmaps",
        {"metadata": {"name": "settings", "namespace": "shop"}, "data": {"COLOR": "blue"}},
    )
    node.loop.run_for(11)
    assert "running" in node.container()["state"]
    assert node.status()["phase"] == "Running"
    logs = node.kubelet.logs("shop", "web")
    assert "COLOR=blue\n" in logs and "GREETING=hello blue\n" in logs


def test_exec_sees_env_and_mounted_files(node):
    node.client.create(
        "configmaps",
        {"metadata": {"name": "site", "namespace": "shop"}, "data": {"index.html": "hi from cm\n"}},
    )
    node.client.create(
        "secrets",
        {"metadata": {"name": "creds", "namespace": "shop"}, "data": {"password": "czNjcjN0"}},
    )
    web = {
        "name": "web",
        "image": "nginx:1.27",
        "env": [
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {
                "name": "PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}},
            },
        ],
        "volumeMounts": [{"name": "site", "mountPath": "/usr/share/nginx/html"}],
    }
    node.pod(containers=[web], volumes=[{"name": "site", "configMap": {"name": "site"}}])
    node.loop.settle()
    out, code = node.kubelet.exec("shop", "web", "web", ["cat", "/usr/share/nginx/html/index.html"])
    assert (out, code) == ("hi from cm\n", 0)
    out, code = node.kubelet.exec("shop", "web", None, ["sh", "-c", "echo $POD_NAME $PASSWORD"])
    assert (out, code) == ("web s3cr3t\n", 0)
    out, code = node.kubelet.exec("shop", "web", None, ["cat", "/nope"])
    assert code == 1 and "No such file" in out
    cid = node.kubelet.workers.states[node.get()["metadata"]["uid"]].records["web"].current
    status, _, body = node.runtime.handle_http(cid, 80, "GET", "/")
    assert (status, body) == (200, "hi from cm\n")


def test_readiness_probe_flips_ready(node):
    web = {
        "name": "web",
        "image": "nginx:1.27",
        "readinessProbe": {
            "httpGet": {"path": "/healthz", "port": 80},
            "periodSeconds": 5,
            "failureThreshold": 1,
        },
        "volumeMounts": [{"name": "html", "mountPath": "/usr/share/nginx/html"}],
    }
    writer = script("sleep 20; echo ok > /html/healthz; sleep 3600", name="writer")
    writer["volumeMounts"] = [{"name": "html", "mountPath": "/html"}]
    node.pod(containers=[web, writer], volumes=[{"name": "html", "emptyDir": {}}])
    node.loop.run_for(15)
    status = node.status()
    assert status["phase"] == "Running"
    conds = {c["type"]: c for c in status["conditions"]}
    assert conds["Ready"]["status"] == "False"
    assert conds["Ready"]["message"] == "containers with unready status: [web]"
    assert ("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 404") in (
        node.events()
    )
    node.loop.run_for(15)
    conds = {c["type"]: c for c in node.status()["conditions"]}
    assert conds["Ready"]["status"] == "True"
    assert node.container()["ready"] is True


def test_liveness_failure_restarts_the_container(node):
    c = script("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")
    c["livenessProbe"] = {
        "exec": {"command": ["cat", "/tmp/healthy"]},
        "initialDelaySeconds": 5,
        "periodSeconds": 5,
    }
    node.pod(containers=[c])
    node.loop.run_for(90)  # probes fail from 35 s; killed at 45 s, SIGKILL 30 s later
    events = node.events()
    assert (
        "Unhealthy",
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
    ) in events
    assert ("Killing", "Container web failed liveness probe, will be restarted") in events
    web = node.container()
    assert web["restartCount"] == 1
    assert web["lastState"]["terminated"]["exitCode"] == 137


def test_image_pull_errors_back_off(node):
    node.pod(containers=[{"name": "web", "image": "nginx:doesnotexist"}])
    node.loop.run_for(3)
    web = node.container()
    assert web["state"]["waiting"]["reason"] == "ErrImagePull"
    assert web["state"]["waiting"]["message"].startswith("rpc error: code = NotFound desc = ")
    node.loop.run_for(5)  # the sync the sandbox's start brought hit the back-off at 2 s ...
    assert node.container()["state"]["waiting"]["reason"] == "ErrImagePull"
    node.loop.run_for(5)  # ... and the pod worker's retry 10 s later writes it
    web = node.container()
    assert web["state"]["waiting"] == {
        "reason": "ImagePullBackOff",
        "message": 'Back-off pulling image "nginx:doesnotexist"',
    }
    reasons = [r for r, _ in node.events()]
    assert reasons[:4] == ["Pulling", "Failed", "Failed", "BackOff"]


def test_init_containers_run_in_order_before_containers(node):
    node.pod(
        initContainers=[script("echo one", name="init-1"), script("sleep 5", name="init-2")],
        containers=[script("sleep 3600")],
    )
    node.loop.run_for(3)
    status = node.status()
    assert status["phase"] == "Pending"
    assert status["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    conds = {c["type"]: c for c in status["conditions"]}
    assert conds["Initialized"]["message"] == "containers with incomplete status: [init-2]"
    node.loop.run_for(10)
    status = node.status()
    assert status["phase"] == "Running"
    assert [s["state"]["terminated"]["reason"] for s in status["initContainerStatuses"]] == [
        "Completed",
        "Completed",
    ]


def test_failed_init_container_with_never_fails_the_pod(node):
    node.pod(
        restartPolicy="Never",
        initContainers=[script("exit 3", name="init")],
        containers=[script("sleep 3600")],
    )
    node.loop.settle()
    assert node.status()["phase"] == "Failed"


def test_node_registration_and_heartbeats(node):
    n = node.client.get("nodes", "node-1")
    assert n["metadata"]["labels"]["kubernetes.io/hostname"] == "node-1"
    assert n["status"]["capacity"]["cpu"] == "4"
    assert n["status"]["allocatable"]["memory"] == "16284Mi"  # 16Gi - 100Mi, canonical
    assert n["status"]["nodeInfo"]["kubeletVersion"] == "v1.31.0"
    assert n["status"]["nodeInfo"]["containerRuntimeVersion"] == "sim://1.0.0"
    conds = {c["type"]: c for c in n["status"]["conditions"]}
    assert conds["Ready"]["reason"] == "KubeletReady"
    assert conds["Ready"]["message"] == "kubelet is posting ready status"
    assert conds["MemoryPressure"]["reason"] == "KubeletHasSufficientMemory"
    lease = node.client.get("leases", "node-1", "kube-node-lease")
    assert lease["spec"]["leaseDurationSeconds"] == 40
    node.loop.run_for(25)
    lease = node.client.get("leases", "node-1", "kube-node-lease")
    assert lease["spec"]["renewTime"] == "2025-01-01T00:00:20.000000Z"
    node.kubelet.stop()
    node.loop.run_for(60)
    lease = node.client.get("leases", "node-1", "kube-node-lease")
    assert lease["spec"]["renewTime"] == "2025-01-01T00:00:20.000000Z"


def test_power_loss_then_recovery_restarts_pods(node):
    node.pod(containers=[script("sleep 3600")])
    node.loop.settle()
    first = node.status()["podIP"]
    node.kubelet.stop()
    node.loop.run_for(60)
    assert node.status()["phase"] == "Running"  # nobody told the API server
    node.kubelet.start()
    node.loop.settle()
    web = node.container()
    assert "running" in web["state"] and web["restartCount"] == 1
    assert node.status()["podIP"] and first


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(["add", "delete"]), min_size=1, max_size=12))
def test_no_two_running_pods_share_an_ip(ops):
    node = Node()
    alive = []
    for i, op in enumerate(ops):
        if op == "add" or not alive:
            node.pod(name=f"p{i}", containers=[script("sleep 3600")])
            alive.append(f"p{i}")
        else:
            node.client.delete("pods", alive.pop(0), "shop", grace_period_seconds=0)
        node.loop.settle()
    ips = [p["status"].get("podIP") for p in node.client.list("pods", "shop")["items"]]
    assert len(ips) == len(alive) and None not in ips
    assert len(set(ips)) == len(ips)


def test_memory_hog_above_its_limit_is_oom_killed(node):
    stress = {
        "name": "web",
        "image": "polinux/stress",
        "command": ["stress"],
        "args": ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
        "resources": {"limits": {"memory": "100Mi"}, "requests": {"memory": "50Mi"}},
    }
    node.pod(containers=[stress])
    node.loop.run_for(30)
    web = node.container()
    assert web["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert web["lastState"]["terminated"]["exitCode"] == 137
    assert web["restartCount"] >= 1


def test_service_links_and_host_network(node):
    node.client.create(
        "services",
        {
            "metadata": {"name": "redis-primary", "namespace": "shop"},
            "spec": {"clusterIP": "10.96.0.20", "ports": [{"name": "redis", "port": 6379}]},
        },
    )
    node.pod(hostNetwork=True, containers=[script("sleep 3600")])
    node.loop.settle()
    assert node.status()["podIP"] == node.kubelet.node_ip
    out, _ = node.kubelet.exec("shop", "web", None, ["env"])
    assert "REDIS_PRIMARY_SERVICE_HOST=10.96.0.20\n" in out
    assert "REDIS_PRIMARY_SERVICE_PORT_REDIS=6379\n" in out
    assert "REDIS_PRIMARY_PORT=tcp://10.96.0.20:6379\n" in out
    assert "REDIS_PRIMARY_PORT_6379_TCP_ADDR=10.96.0.20\n" in out


def test_deleting_a_completed_pod_removes_it_at_once(node):
    node.pod(restartPolicy="Never", containers=[script("exit 0")])
    node.loop.settle()
    assert node.status()["phase"] == "Succeeded"
    node.client.delete("pods", "web", "shop")
    node.loop.settle()
    assert not node.client.list("pods", "shop")["items"]


def test_startup_probe_gates_liveness_and_tcp_probe(node):
    web = {
        "name": "web",
        "image": "hashicorp/http-echo:1.0",
        "args": ["-text=hi", "-listen=:8080"],
        "ports": [{"name": "http", "containerPort": 8080}],
        "startupProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 2},
        "livenessProbe": {"tcpSocket": {"port": 9999}, "periodSeconds": 5},
    }
    node.pod(containers=[web])
    node.loop.settle()
    assert node.container()["started"] is True
    node.loop.run_for(20)
    events = node.events()
    ip = node.status()["podIP"]
    assert (
        "Unhealthy",
        f"Liveness probe failed: dial tcp {ip}:9999: connect: connection refused",
    ) in events
    assert ("Killing", "Container web failed liveness probe, will be restarted") in events


class FakeCNI:
    """A CNI plugin double: hands out 10.244.1.x and records ADD/DEL."""

    def __init__(self):
        self.calls = []
        self.next = 2

    def add(self, container_id, netns, ifname, config=None, args=None):
        from minik8s.cni.api import CNIResult, IPConfig

        self.calls.append(("ADD", container_id, ifname, args["K8S_POD_NAME"]))
        ip = f"10.244.1.{self.next}/24"
        self.next += 1
        return CNIResult(ips=[IPConfig(ip, "10.244.1.1")])

    def delete(self, container_id, netns, ifname, config=None, args=None):
        self.calls.append(("DEL", container_id, ifname, args["K8S_POD_NAME"]))

    def check(self, container_id, netns, ifname, config=None, args=None):
        pass


def test_cni_add_and_del_around_the_pod_lifetime():
    cni = FakeCNI()
    node = Node(network=cni)
    node.pod(containers=[script("sleep 3600")], terminationGracePeriodSeconds=0)
    node.loop.settle()
    assert node.status()["podIP"] == "10.244.1.2"
    sandbox_id = cni.calls[0][1]
    assert cni.calls == [("ADD", sandbox_id, "eth0", "web")]
    node.client.delete("pods", "web", "shop")
    node.loop.settle()
    assert ("DEL", sandbox_id, "eth0", "web") in cni.calls
    assert not node.client.list("pods", "shop")["items"]


def test_reboot_collects_dead_sandboxes_through_cni():
    cni = FakeCNI()
    node = Node(network=cni)
    node.pod(containers=[script("sleep 3600")])
    node.loop.settle()
    old = cni.calls[0][1]
    node.kubelet.stop()
    node.kubelet.start()
    node.loop.settle()
    assert ("DEL", old, "eth0", "web") in cni.calls
    assert cni.calls[-1][0] == "ADD" and cni.calls[-1][1] != old
    assert node.status()["podIP"] == "10.244.1.3"
    assert node.container()["restartCount"] == 1


def test_changed_image_restarts_the_container(node):
    node.pod(containers=[{"name": "web", "image": "nginx:1.27"}])
    node.loop.settle()
    pod = node.get()
    pod["spec"]["containers"][0]["image"] = "nginx:1.27.3"
    node.client.update("pods", pod, "shop")
    node.loop.settle()
    assert ("Killing", "Container web definition changed, will be restarted") in node.events()
    web = node.container()
    assert web["image"] == "docker.io/library/nginx:1.27.3"
    assert web["restartCount"] == 1 and "running" in web["state"]


def test_trace_shows_the_kubelet_steps():
    from minik8s.trace import Tracer

    node = Node()
    tracer = Tracer(lambda: node.loop.now)
    tracer.enabled = True
    node.kubelet.workers.tracer = tracer
    node.pod()
    node.loop.settle()
    text = "\n".join(tracer.lines)
    assert "kubelet/node-1" in text
    assert "CRI RunPodSandbox shop/web" in text and "CNI ADD eth0 → 10.88.0.2" in text
    assert "CRI StartContainer shop/web web" in text
    assert "update status shop/web: Running" in text


def test_image_pull_policy_never_and_if_not_present(node):
    node.pod(
        name="never", containers=[{"name": "web", "image": "redis:7", "imagePullPolicy": "Never"}]
    )
    node.pod(name="first", containers=[script("sleep 3600")])
    node.loop.settle()
    web = node.container(pod="never")
    assert web["state"]["waiting"] == {
        "reason": "ErrImageNeverPull",
        "message": 'Container image "redis:7" is not present with pull policy of Never',
    }
    node.pod(name="second", containers=[script("sleep 3600")])
    node.loop.settle()
    assert ("Pulled", f'Container image "{BUSYBOX}" already present on machine') in node.events(
        "second"
    )


@settings(max_examples=8, deadline=None)
@given(st.lists(st.sampled_from(["add", "delete"]), min_size=1, max_size=10))
def test_no_two_pods_share_an_ip_with_bridge_and_host_local(ops):
    from minik8s.cni.network import Network

    network = Network().node_network("node-1", "10.244.1.0/24")
    node = Node(network=network)
    alive = []
    for i, op in enumerate(ops):
        if op == "add" or not alive:
            node.pod(name=f"p{i}", containers=[script("sleep 3600")])
            alive.append(f"p{i}")
        else:
            node.client.delete("pods", alive.pop(0), "shop", grace_period_seconds=0)
        node.loop.settle()
    ips = [p["status"].get("podIP") for p in node.client.list("pods", "shop")["items"]]
    assert len(ips) == len(alive) and None not in ips
    assert len(set(ips)) == len(ips)
    assert all(ip.startswith("10.244.1.") for ip in ips)


def test_persistent_volume_data_outlives_the_pod(node):
    node.client.create(
        "persistentvolumes",
        {
            "metadata": {"name": "pv-1"},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/mnt/data"},
            },
        },
    )
    claim = {
        "metadata": {"name": "data", "namespace": "shop"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            "volumeName": "pv-1",
        },
    }
    node.client.create("persistentvolumeclaims", claim)
    writer = script("echo saved > /data/note; sleep 3600")
    writer["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    volumes = [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]
    node.pod(containers=[writer], volumes=volumes, terminationGracePeriodSeconds=0)
    node.loop.settle()
    node.client.delete("pods", "web", "shop")
    node.loop.settle()
    reader = script("cat /data/note; sleep 3600")
    reader["volumeMounts"] = writer["volumeMounts"]
    node.pod(name="reader", containers=[reader], volumes=volumes)
    node.loop.settle()
    assert node.kubelet.logs("shop", "reader") == "saved\n"


def test_downward_api_and_missing_configmap_volume(node):
    web = script("cat /etc/podinfo/labels; sleep 3600")
    web["volumeMounts"] = [
        {"name": "podinfo", "mountPath": "/etc/podinfo"},
        {"name": "cfg", "mountPath": "/etc/cfg"},
    ]
    items = [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]
    node.client.create(
        "pods",
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web",
                "namespace": "shop",
                "labels": {"app": "shop", "tier": "web"},
            },
            "spec": {
                "nodeName": "node-1",
                "containers": [web],
                "volumes": [
                    {"name": "podinfo", "downwardAPI": {"items": items}},
                    {"name": "cfg", "configMap": {"name": "later"}},
                ],
            },
        },
    )
    node.loop.settle()
    assert node.container()["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert (
        "FailedMount",
        'MountVolume.SetUp failed for volume "cfg" : configmap "later" not found',
    ) in node.events()
    node.client.create(
        "configmaps", {"metadata": {"name": "later", "namespace": "shop"}, "data": {}}
    )
    node.loop.run_for(13)  # the retry 10 s after the failure, then the image pull
    assert node.kubelet.logs("shop", "web") == 'app="shop"\ntier="web"'


def test_pod_that_does_not_fit_is_rejected(node):
    big = script("sleep 3600")
    big["resources"] = {"requests": {"cpu": "3"}}
    node.pod(name="a", containers=[big])
    node.pod(name="b", containers=[dict(big)])
    node.pod(name="c", containers=[script("sleep 3600")], nodeSelector={"disk": "ssd"})
    node.loop.settle()
    assert node.status("a")["phase"] == "Running"
    b = node.status("b")
    assert (b["phase"], b["reason"]) == ("Failed", "OutOfcpu")
    assert b["message"] == (
        "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 3000, "
        "capacity: 4000"
    )
    assert ("OutOfcpu", b["message"].removeprefix("Pod was rejected: ")) in node.events("b")
    c = node.status("c")
    assert (c["phase"], c["reason"]) == ("Failed", "NodeAffinity")
    assert "containerStatuses" not in c
    node.client.delete("pods", "b", "shop")
    node.loop.settle()
    assert [p["metadata"]["name"] for p in node.client.list("pods", "shop")["items"]] == ["a", "c"]


def test_completed_pods_keep_their_status_across_a_reboot(node):
    node.pod(restartPolicy="Never", containers=[script("echo done")])
    node.loop.settle()
    before = node.status()
    node.kubelet.stop()
    node.kubelet.start()
    node.loop.settle()
    assert node.status() == before


def test_node_status_is_posted_every_five_minutes_when_nothing_changes(node):
    versions = set()
    start = node.loop.now
    while node.loop.now < start + 610:
        node.loop.run_for(10)
        versions.add(node.client.get("nodes", "node-1")["metadata"]["resourceVersion"])
    assert len(versions) == 3  # the registration's, then at 300 s and 600 s
    ready = {c["type"]: c for c in node.client.get("nodes", "node-1")["status"]["conditions"]}
    assert ready["Ready"]["lastHeartbeatTime"] == "2025-01-01T00:10:00Z"
    assert ready["Ready"]["lastTransitionTime"] == "2025-01-01T00:00:00Z"


def test_pre_stop_hook_runs_before_sigterm_and_uses_the_grace_period(node):
    web = {
        "name": "web",
        "image": "nginx:1.27",
        "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
    }
    node.pod(containers=[web], terminationGracePeriodSeconds=30)
    node.loop.settle()
    deleted_at = node.loop.now
    node.client.delete("pods", "web", "shop")
    node.loop.run_for(4)
    assert "running" in node.container()["state"]  # still draining in its preStop hook
    node.loop.settle()
    assert not node.client.list("pods", "shop")["items"]
    assert node.loop.now == pytest.approx(deleted_at + 5)


def test_pre_stop_exec_hook_sleep_counts_and_failures_are_events(node):
    c = script("sleep 3600")
    c["lifecycle"] = {"preStop": {"exec": {"command": ["sh", "-c", "sleep 3; exit 1"]}}}
    node.pod(containers=[c], terminationGracePeriodSeconds=10)
    node.loop.settle()
    start = node.loop.now
    uid = node.get()["metadata"]["uid"]
    node.client.delete("pods", "web", "shop")
    node.loop.settle()
    # 3 s in the hook, then SIGTERM; sh ignores it, SIGKILL 7 s later
    assert node.loop.now == pytest.approx(start + 10)
    # kuberuntime_container.go `executePreStopHook`: the handler's message is only logged
    assert ("FailedPreStopHook", "PreStopHook failed") in node.events()
    assert uid not in str(node.events())


def test_failed_post_start_hook_kills_the_container(node):
    c = script("sleep 3600")
    c["lifecycle"] = {"postStart": {"exec": {"command": ["cat", "/missing"]}}}
    node.pod(containers=[c], terminationGracePeriodSeconds=0)
    node.loop.run_for(6)  # started at 1 s, killed with the 2 s minimum grace, restarted at 3 s
    reasons = [r for r, _ in node.events()]
    assert "FailedPostStartHook" in reasons
    assert ("Killing", "FailedPostStartHook") in node.events()
    assert node.container()["restartCount"] >= 1


def test_sidecar_starts_first_keeps_running_and_stops_with_the_pod(node):
    sidecar = script("while true; do echo shipping; sleep 10; done", name="shipper")
    sidecar["restartPolicy"] = "Always"
    node.pod(
        restartPolicy="Never",
        initContainers=[sidecar, script("echo setup", name="setup")],
        containers=[script("sleep 30; echo done", name="web")],
    )
    node.loop.run_for(5)
    status = node.status()
    assert status["phase"] == "Running"
    shipper, setup = status["initContainerStatuses"]
    assert "running" in shipper["state"] and shipper["started"] and shipper["ready"]
    assert setup["state"]["terminated"]["reason"] == "Completed"
    conds = {c["type"]: c["status"] for c in status["conditions"]}
    assert conds["Initialized"] == "True" and conds["Ready"] == "True"
    order = [m for r, m in node.events() if r == "Started"]
    assert order == [
        "Started container shipper",
        "Started container setup",
        "Started container web",
    ]
    node.loop.run_for(40)  # web is done at 31 s; the shipper gets SIGTERM (ignored by sh)
    assert node.status()["phase"] == "Running"
    assert ("Killing", "Stopping container shipper") in node.events()
    node.loop.run_for(30)  # … and SIGKILL when the 30 s grace period ends
    status = node.status()
    assert status["phase"] == "Succeeded"
    assert status["initContainerStatuses"][0]["state"]["terminated"]["exitCode"] == 137
    assert node.kubelet.logs("shop", "web", "shipper").startswith("shipping\n")


def test_crashing_sidecar_restarts_even_with_restart_policy_never(node):
    sidecar = script("exit 1", name="proxy")
    sidecar["restartPolicy"] = "Always"
    node.pod(restartPolicy="Never", initContainers=[sidecar], containers=[script("sleep 3600")])
    node.loop.run_for(40)
    proxy = node.status()["initContainerStatuses"][0]
    assert proxy["restartCount"] >= 2
    assert node.status()["phase"] == "Pending"


def test_the_sandbox_image_is_on_every_node_from_the_start(node):
    # containerd needs it for every sandbox; kind's node image ships it, kubeadm pre-pulls it
    assert node.runtime.list_images() == [node.runtime.image_status(ImageSpec(SANDBOX_IMAGE))]
    node.pod(name="pause", containers=[{"name": "p", "image": SANDBOX_IMAGE}])
    node.pod(name="other", containers=[{"name": "p", "image": "registry.k8s.io/pause:3.9"}])
    node.loop.settle()
    assert [reason for reason, _ in node.events("pause")] == ["Pulled", "Created", "Started"]
    assert node.events("pause")[0][1] == (
        f'Container image "{SANDBOX_IMAGE}" already present on machine'
    )
    assert [reason for reason, _ in node.events("other")][:2] == ["Pulling", "Pulled"]
