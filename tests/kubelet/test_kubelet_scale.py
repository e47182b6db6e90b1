"""The kubelet's bookkeeping at scale: indexes instead of scans, no per-pod timers, no rewrites.

Each index is checked against the scan it replaces (hypothesis), and each saving against the
behaviour it must keep (same verdicts, same writes, same events).
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from minik8s.cri import catalog
from minik8s.cri.api import (
    ContainerConfig,
    ContainerFilter,
    ContainerMetadata,
    ImageSpec,
    PodSandboxConfig,
    PodSandboxMetadata,
)
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.kubelet import admission, containers
from minik8s.kubelet.pod_state import ContainerRecord, PodState
from minik8s.kubelet.prober import ProbeManager
from minik8s.kubelet.sandbox import FakeIPAM
from minik8s.scheduler.types import pod_requests
from minik8s.sim import EventLoop
from tests.kubelet.conftest import Node

NODE = {"metadata": {"labels": {}}, "status": {"allocatable": {"cpu": "1", "pods": "5"}}}


def pod(cpu_milli: int, memory_mi: int = 0) -> dict:
    requests = {"cpu": f"{cpu_milli}m"} | ({"memory": f"{memory_mi}Mi"} if memory_mi else {})
    container = {"name": "c", "image": "busybox", "resources": {"requests": requests}}
    return {
        "metadata": {"name": "p", "namespace": "d", "uid": "u"},
        "spec": {"containers": [container]},
    }


@given(st.lists(st.integers(1, 600), max_size=6), st.integers(1, 600))
def test_admission_from_kept_requests_matches_summing_every_pod(admitted, wanted):
    pods = [pod(cpu) for cpu in admitted]
    kept = [PodState(f"u{i}", p).requests for i, p in enumerate(pods)]
    new = pod(wanted)
    verdict = admission.admit(new, kept, NODE, PodState("new", new).requests)
    assert verdict == admission.admit(new, [pod_requests(p) for p in pods], NODE)
    used = sum(admitted)
    if len(admitted) + 1 > 5:
        assert verdict is not None and verdict[0] == "OutOfpods"
    elif used + wanted > 1000:
        assert verdict == (
            "OutOfcpu",
            f"Node didn't have enough resource: cpu, requested: {wanted}, used: {used}, "
            "capacity: 1000",
        )
    else:
        assert verdict is None


def test_pod_state_sums_its_requests_once():
    state = PodState("u", pod(250, 64))
    first = state.requests
    assert first == {"cpu": 250, "memory": 64 * 1024**2}
    assert state.requests is first


def test_a_finished_pod_no_longer_counts_against_admission():
    node = Node()
    big = {"name": "web", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 5"]}
    big["resources"] = {"requests": {"cpu": "3"}}
    node.pod(name="a", containers=[big], restartPolicy="Never")
    node.loop.run_for(10)
    assert node.status("a")["phase"] == "Succeeded"
    node.pod(name="b", containers=[dict(big)], restartPolicy="Never")
    node.loop.run_for(1)
    assert node.status("b")["phase"] == "Running"


def sandbox(rt: SimulatedRuntime, name: str) -> tuple[str, PodSandboxConfig]:
    config = PodSandboxConfig(PodSandboxMetadata(name, f"uid-{name}", "shop"), hostname=name)
    return rt.run_pod_sandbox(config), config


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["create", "remove", "drop"]), st.integers(0, 2))))
def test_containers_by_sandbox_match_a_scan(steps):
    rt = SimulatedRuntime(EventLoop(), "node-1")
    sandboxes = [sandbox(rt, f"s{i}") for i in range(3)]
    made = 0
    for action, which in steps:
        sid, config = sandboxes[which]
        if action == "create" and sid in rt.sandboxes:
            meta = ContainerMetadata(f"c{made}")
            rt.create_container(sid, ContainerConfig(meta, ImageSpec("nginx")), config)
            made += 1
        elif action == "remove":
            ids = [c.id for c in rt.containers.values() if c.sandbox_id == sid]
            if ids:
                rt.remove_container(ids[0])
        elif action == "drop":
            rt.remove_pod_sandbox(sid)
    everything = rt.list_containers()
    for sid, _ in sandboxes:
        scanned = [c.id for c in everything if c.pod_sandbox_id == sid]
        assert [c.id for c in rt.list_containers(ContainerFilter(pod_sandbox_id=sid))] == scanned
        assert [c.id for c in rt._in_sandbox(sid)] == scanned
    for c in everything:
        assert [x.id for x in rt.list_containers(ContainerFilter(id=c.id))] == [c.id]
        wrong = ContainerFilter(id=c.id, pod_sandbox_id="other")
        assert rt.list_containers(wrong) == []


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 9)), max_size=60))
# the range full but for the address handed out last, just released: it is the one free
@example([(True, 0)] * 12 + [(True, 1), (False, 1), (True, 0)])
def test_fake_ipam_release_frees_exactly_the_sandbox_addresses(steps):
    ipam = FakeIPAM("10.0.0.0/28")  # 13 usable addresses
    for allocate, n in steps:
        sandbox_id = f"s{n}"
        if allocate and len(ipam.in_use) < 13:
            ipam.allocate(sandbox_id)
        elif not allocate:
            ipam.release(sandbox_id)
            assert sandbox_id not in ipam.in_use.values()
        owned = {ip: owner for owner, ips in ipam.owned.items() for ip in ips}
        assert owned == ipam.in_use


def test_probe_workers_are_removed_per_pod_only():
    loop = EventLoop()
    manager = ProbeManager(loop, lambda *a: (True, ""), lambda *a: None, lambda *a: None, print)
    probed = {"name": "c", "readinessProbe": {"exec": {"command": ["true"]}}}
    for uid in ("a", "b"):
        manager.container_started(uid, {"metadata": {}}, probed, f"id-{uid}")
    manager.container_started("a", {"metadata": {}}, probed, "id-a2")  # a restart: same worker
    manager.remove_pod("a")
    assert list(manager.workers) == [("b", "c", "readinessProbe")]
    assert list(manager.by_pod) == ["b"]


def test_spec_hash_is_computed_again_only_for_a_new_spec_object(monkeypatch):
    spec = {"name": "web", "image": "nginx:1.27"}
    rec = ContainerRecord("web")
    assert not containers.spec_changed(rec, spec)  # never started: nothing to compare
    rec.spec_hash, rec.hashed = containers.container_hash(spec), spec
    calls = []
    real = containers.container_hash
    monkeypatch.setattr(containers, "container_hash", lambda s: calls.append(s) or real(s))
    assert not containers.spec_changed(rec, spec) and calls == []
    same = dict(spec)  # a pod update that left the container alone
    assert not containers.spec_changed(rec, same) and calls == []
    assert containers.spec_changed(rec, {**spec, "image": "nginx:1.28"}) and len(calls) == 1
    rec.hashed = None  # only the hash is known: hashed once, then compared
    assert not containers.spec_changed(rec, same) and rec.hashed is same and len(calls) == 2
    assert not containers.spec_changed(rec, same) and len(calls) == 2


def test_parsed_image_names_are_shared_and_equal():
    assert catalog.parse_image("nginx") is catalog.parse_image("nginx")
    assert catalog.parse_image("nginx").name == "docker.io/library/nginx:latest"
    assert catalog.image_ref("nginx:1.27") == catalog.image_ref("docker.io/library/nginx:1.27")


def test_running_pods_add_no_timers_and_no_writes_when_nothing_changes():
    node = Node()
    node.pod(name="p0")
    node.loop.settle()
    baseline = node.loop.pending()
    writes = []
    real = node.server.update
    node.server.update = lambda *a, **k: writes.append(a[0]) or real(*a, **k)
    for i in range(1, 8):
        node.pod(name=f"p{i}")
    node.loop.settle()
    statuses = [node.status(f"p{i}") for i in range(8)]
    assert {s["phase"] for s in statuses} == {"Running"}
    # two each, as upstream `SyncPod`: the status before the sandbox, then Running (the image
    # is on the node, it runs at once)
    assert writes.count("pods") == 14
    assert node.loop.pending() == baseline  # no timer per pod without probes
    assert not any(state.timers for state in node.kubelet.workers.states.values())  # none kept
    writes.clear()
    node.loop.run_for(600)
    assert "pods" not in writes


def service(node: Node, name: str, ip: str) -> None:
    spec = {"clusterIP": ip, "ports": [{"name": "http", "port": 80}]}
    node.client.create("services", {"metadata": {"name": name, "namespace": "shop"}, "spec": spec})


def env_of(node: Node, pod: str) -> list[str]:
    out, code = node.kubelet.exec("shop", pod, None, ["env"])
    assert code == 0
    return out.splitlines()


def test_service_variables_are_built_once_and_shared_by_the_containers_that_see_them():
    node = Node()
    service(node, "db", "10.96.0.20")
    sleeper = {"name": "web", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"]}
    for name in ("a", "b"):
        node.pod(name=name, containers=[dict(sleeper)])
    own = dict(
        sleeper,
        env=[{"name": "DB_SERVICE_HOST", "value": "mine"}, {"name": "X", "value": "$(DB_PORT)"}],
    )
    node.pod(name="c", containers=[own])
    node.loop.settle()
    configs = {
        c.config.metadata.name + c.config.labels["io.kubernetes.pod.name"]: c
        for c in node.runtime.containers.values()
    }
    a, b, c = configs["weba"], configs["webb"], configs["webc"]
    assert a.config.envs is b.config.envs  # one list for both containers
    assert a.env.maps[1] is b.env.maps[1]  # and one mapping in the runtime
    assert c.config.envs is not a.config.envs
    assert env_of(node, "a") == [
        "HOSTNAME=a" if line == "HOSTNAME=b" else line for line in env_of(node, "b")
    ]
    lines = env_of(node, "c")
    assert lines[:2] == [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOSTNAME=c",
    ]
    assert "DB_SERVICE_HOST=mine" in lines and "DB_SERVICE_HOST=10.96.0.20" not in lines
    assert lines[-1] == "X=tcp://10.96.0.20:80"  # $(VAR) sees the service variables
    assert "DB_SERVICE_HOST=10.96.0.20" in env_of(node, "a")


def test_a_new_service_reaches_the_containers_started_after_it():
    node = Node()
    service(node, "db", "10.96.0.20")
    node.pod(name="a")
    node.loop.settle()
    service(node, "cache", "10.96.0.21")
    node.pod(name="b")
    node.loop.settle()
    assert "CACHE_SERVICE_HOST=10.96.0.21" not in env_of(node, "a")
    assert "CACHE_SERVICE_HOST=10.96.0.21" in env_of(node, "b")
    assert [x for x in env_of(node, "b") if x.startswith("DB_")] == [
        x for x in env_of(node, "a") if x.startswith("DB_")
    ]


def test_what_a_script_sets_stays_in_its_own_container():
    node = Node()
    service(node, "db", "10.96.0.20")
    setter = {"name": "web", "image": "busybox:1.36"}
    setter["command"] = ["sh", "-c", "for DB_SERVICE_HOST in changed; do sleep 1; done; sleep 3600"]
    node.pod(name="a", containers=[setter])
    node.pod(name="b", containers=[dict(setter, command=["sh", "-c", "sleep 3600"])])
    node.loop.run_for(5)
    a, b = (c for c in node.runtime.containers.values() if c.state.name == "CONTAINER_RUNNING")
    assert a.env["DB_SERVICE_HOST"] == "changed"
    assert b.env["DB_SERVICE_HOST"] == "10.96.0.20"
    assert list(a.env) == list(b.env)  # same names, same order
