"""The same kubelet drives real local processes through the CRI (POSIX only)."""

import os
import shutil
import time

import pytest

from minik8s.cri.process import ProcessRuntime
from tests.kubelet.conftest import Node

pytestmark = pytest.mark.skipif(
    os.name != "posix" or shutil.which("sh") is None, reason="needs a POSIX shell"
)
WALL_LIMIT = 10.0  # seconds of real time any wait may take


def wait_for(node, predicate):
    """Advance virtual time in small steps while real processes run; bounded in wall time."""
    deadline = time.monotonic() + WALL_LIMIT
    while time.monotonic() < deadline:
        node.loop.run_for(0.1)
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def proc_node(tmp_path):
    node = Node(runtime=lambda loop: ProcessRuntime(loop, "node-1", root=str(tmp_path)))
    yield node
    node.kubelet.stop()  # kills whatever still runs


def test_process_runtime_runs_a_pod_to_failed_with_logs(proc_node):
    node = proc_node
    node.pod(
        restartPolicy="Never",
        containers=[
            {
                "name": "web",
                "image": "local/sh",
                "command": ["sh", "-c", 'echo "hello $GREETING"; exit 3'],
                "env": [{"name": "GREETING", "value": "from a process"}],
            }
        ],
    )
    assert wait_for(node, lambda: node.status()["phase"] == "Failed")
    term = node.container()["state"]["terminated"]
    assert term["exitCode"] == 3 and term["reason"] == "Error"
    assert node.container()["containerID"].startswith("process://")
    assert node.kubelet.logs("shop", "web") == "hello from a process\n"
    assert [r for r, _ in node.events()] == ["Pulling", "Pulled", "Created", "Started"]


def test_process_runtime_exec_and_graceful_delete(proc_node):
    node = proc_node
    node.client.create(
        "configmaps",
        {"metadata": {"name": "cfg", "namespace": "shop"}, "data": {"mode": "real"}},
    )
    node.pod(
        containers=[
            {
                "name": "web",
                "image": "local/sleep",
                "command": ["sleep", "30"],
                "envFrom": [{"configMapRef": {"name": "cfg"}}],
                "volumeMounts": [{"name": "cfg", "mountPath": "/etc/cfg"}],
            }
        ],
        volumes=[{"name": "cfg", "configMap": {"name": "cfg"}}],
        terminationGracePeriodSeconds=5,
    )
    assert wait_for(node, lambda: node.status()["phase"] == "Running")
    out, code = node.kubelet.exec(
        "shop", "web", "web", ["sh", "-c", "echo $mode; cat etc/cfg/mode"]
    )
    assert (out, code) == ("real\nreal", 0)
    node.client.delete("pods", "web", "shop")
    assert wait_for(node, lambda: not node.client.list("pods", "shop")["items"])
    assert node.runtime.containers == {}


def test_process_runtime_http_readiness_probe_reaches_a_real_server(proc_node):
    import socket
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    node = proc_node
    server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    node.pod(
        containers=[
            {
                "name": "web",
                "image": "local/python",
                "command": server,
                "readinessProbe": {"httpGet": {"path": "/", "port": port}, "periodSeconds": 1},
            }
        ],
        terminationGracePeriodSeconds=2,
    )

    def ready():
        conds = {c["type"]: c["status"] for c in node.status().get("conditions", [])}
        return conds.get("Ready") == "True"

    assert wait_for(node, ready)
    node.client.delete("pods", "web", "shop")
    assert wait_for(node, lambda: not node.client.list("pods", "shop")["items"])
