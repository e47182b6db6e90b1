"""The simulated runtime through the CRI calls, in virtual time."""

import pytest

from minik8s.cri.api import (
    ContainerConfig,
    ContainerEventType,
    ContainerFilter,
    ContainerMetadata,
    ContainerState,
    CRIError,
    ImagePullError,
    ImageService,
    ImageSpec,
    KeyValue,
    Mount,
    PodSandboxConfig,
    PodSandboxMetadata,
    RuntimeService,
)
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.sim import EventLoop


@pytest.fixture
def rt():
    loop = EventLoop()
    runtime = SimulatedRuntime(loop, "node-1")
    runtime.events = []
    runtime.get_container_events(
        lambda e: runtime.events.append((loop.now, e.container_event_type))
    )
    return runtime


def sandbox(rt, name="web"):
    config = PodSandboxConfig(PodSandboxMetadata(name, "uid-1", "shop"), hostname=name)
    return rt.run_pod_sandbox(config), config


def start(rt, image, command=(), args=(), env=None, mounts=()):
    sid, config = sandbox(rt)
    cfg = ContainerConfig(
        ContainerMetadata("c"),
        ImageSpec(image),
        command=list(command),
        args=list(args),
        envs=[KeyValue(k, v) for k, v in (env or {}).items()],
        mounts=list(mounts),
    )
    cid = rt.create_container(sid, cfg, config)
    rt.start_container(cid)
    return cid


def test_implements_the_protocols(rt):
    assert isinstance(rt, RuntimeService) and isinstance(rt, ImageService)


def test_script_runs_in_virtual_time_and_exits_with_its_code(rt):
    cid = start(rt, "busybox:1.36", ["sh", "-c", "echo hi; sleep 5; echo $HOSTNAME; exit 3"])
    assert rt.container_status(cid).state == ContainerState.CONTAINER_RUNNING
    rt.loop.run_for(10)
    status = rt.container_status(cid)
    assert (status.state, status.exit_code, status.reason) == (
        ContainerState.CONTAINER_EXITED,
        3,
        "Error",
    )
    assert status.finished_at == 5.0
    assert rt.read_logs(cid) == "hi\nweb\n"
    kinds = [k for _, k in rt.events]
    assert kinds == [  # the sandbox's two (containerd's `RunPodSandbox`), then the container's
        ContainerEventType.CONTAINER_CREATED_EVENT,
        ContainerEventType.CONTAINER_STARTED_EVENT,
        ContainerEventType.CONTAINER_CREATED_EVENT,
        ContainerEventType.CONTAINER_STARTED_EVENT,
        ContainerEventType.CONTAINER_STOPPED_EVENT,
    ]


def test_busybox_without_command_exits_0_at_once(rt):
    cid = start(rt, "busybox")
    status = rt.container_status(cid)
    assert (status.state, status.exit_code, status.reason) == (
        ContainerState.CONTAINER_EXITED,
        0,
        "Completed",
    )


def test_unknown_image_runs_until_stopped_and_exits_0_on_sigterm(rt):
    cid = start(rt, "example.com/shop/cart:v2")
    rt.loop.run_for(1000)
    assert rt.container_status(cid).state == ContainerState.CONTAINER_RUNNING
    rt.stop_container(cid, 30)
    assert rt.container_status(cid).exit_code == 0


def test_sleep_ignores_sigterm_and_is_killed_after_the_timeout(rt):
    cid = start(rt, "busybox:1.36", ["sleep", "3600"])
    rt.stop_container(cid, 30)
    rt.loop.run_for(29)
    assert rt.container_status(cid).state == ContainerState.CONTAINER_RUNNING
    rt.loop.run_for(1)
    status = rt.container_status(cid)
    assert (status.exit_code, status.finished_at) == (137, 30.0)


def test_nginx_serves_default_page_and_mounted_files(rt):
    cid = start(rt, "nginx:1.27.3")
    status, headers, body = rt.handle_http(cid, 80, "GET", "/", {"User-Agent": "curl/8.5.0"})
    assert status == 200 and "<title>Welcome to nginx!</title>" in body
    assert headers["Content-Length"] == "615" and headers["Server"] == "nginx/1.27.3"
    assert rt.handle_http(cid, 80, "GET", "/missing")[0] == 404
    assert rt.handle_http(cid, 8080) is None
    assert '"GET / HTTP/1.1" 200 615 "-" "curl/8.5.0"' in rt.read_logs(cid)
    site = start(rt, "nginx", mounts=[Mount("/usr/share/nginx/html", files={"index.html": "hi"})])
    assert rt.handle_http(site, 80)[2] == "hi"


def test_http_echo_answers_its_text_on_its_port(rt):
    cid = start(rt, "hashicorp/http-echo", args=["-text=hello", "-listen=:8080"])
    assert rt.handle_http(cid, 8080)[0::2] == (200, "hello\n")
    assert rt.handle_http(cid, 5678) is None
    assert rt.tcp_open(cid, 8080) and not rt.tcp_open(cid, 5678)


def test_exec_sees_env_and_files_and_shares_the_filesystem(rt):
    cid = start(rt, "busybox:1.36", ["sleep", "3600"], env={"MODE": "test"})
    assert tuple(rt.exec_sync(cid, ["sh", "-c", "echo $MODE > /tmp/m"])) == ("", "", 0)
    assert tuple(rt.exec_sync(cid, ["cat", "/tmp/m"])) == ("test\n", "", 0)
    assert rt.exec_sync(cid, ["sh", "-c", "sleep 2; sleep 3"]).seconds == 5
    with pytest.raises(CRIError):
        rt.exec_sync(cid, ["sleep", "5"], timeout=1)


def test_pull_image(rt):
    ref = rt.pull_image(ImageSpec("nginx:1.27"))
    assert ref.startswith("docker.io/library/nginx@sha256:")
    assert rt.image_status(ImageSpec("docker.io/library/nginx:1.27")) is not None
    with pytest.raises(ImagePullError) as err:
        rt.pull_image(ImageSpec("nginx:doesnotexist"))
    assert err.value.code == "NotFound"


def test_list_and_remove(rt):
    cid = start(rt, "nginx")
    assert [
        c.id for c in rt.list_containers(ContainerFilter(state=ContainerState.CONTAINER_RUNNING))
    ] == [cid]
    rt.remove_container(cid)
    assert rt.list_containers() == []
    with pytest.raises(CRIError):
        rt.container_status(cid)


def test_power_off_kills_silently(rt):
    cid = start(rt, "nginx")
    before = len(rt.events)
    rt.power_off()
    assert rt.container_status(cid).state == ContainerState.CONTAINER_EXITED
    assert len(rt.events) == before


def test_http_to_a_pod_ip_reaches_the_listening_container(rt):
    sid, config = sandbox(rt)
    rt.set_pod_sandbox_ip(sid, "10.244.1.7")
    for name, image, args in [("a", "busybox:1.36", ["sleep", "99"]), ("b", "nginx", [])]:
        cfg = ContainerConfig(ContainerMetadata(name), ImageSpec(image), command=args)
        rt.start_container(rt.create_container(sid, cfg, config))
    assert rt.http_to_ip("10.244.1.7", 80)[0] == 200
    assert rt.http_to_ip("10.244.1.7", 81) is None
    assert rt.http_to_ip("10.244.1.8", 80) is None
