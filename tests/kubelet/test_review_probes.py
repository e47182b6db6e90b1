"""Probe workers and exec probes against upstream `pkg/kubelet/prober` (worker.go `doProbe`,
prober.go `runProbe`/`probe`) and `pkg/probe/exec/exec.go`."""

import os
import re
import shutil

import pytest

from minik8s.cri.api import CRIError
from minik8s.cri.process import ProcessRuntime
from tests.kubelet.conftest import Node

BUSYBOX = "busybox:1.36"


def script(text, name="web"):
    return {"name": name, "image": BUSYBOX, "command": ["sh", "-c", text]}


def counted(node, reason, name="web"):
    """(count, message) of the pod's events with `reason`, as `kubectl describe` shows them."""
    items = node.client.list("events", "shop")["items"]
    return [
        (e["count"], e["message"])
        for e in items
        if e["involvedObject"]["name"] == name and e["reason"] == reason
    ]


def test_liveness_worker_holds_after_the_failure_threshold_until_the_new_container(node):
    """worker.go: `onHold` after a liveness failure; a killed container is not probed again."""
    c = script("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")
    c["livenessProbe"] = {
        "exec": {"command": ["cat", "/tmp/healthy"]},
        "initialDelaySeconds": 5,
        "periodSeconds": 5,
    }
    node.pod(containers=[c])
    node.loop.run_for(80)  # fails at 31/36/41 s; SIGTERM ignored, SIGKILL at 71 s, restart
    failed = "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"
    assert counted(node, "Unhealthy") == [(3, failed)]
    assert counted(node, "Killing") == [
        (1, "Container web failed liveness probe, will be restarted")
    ]
    assert node.container()["restartCount"] == 1
    node.loop.run_for(20)  # the new container (started at 71 s) is healthy for 30 s
    assert counted(node, "Unhealthy") == [(3, failed)]
    node.loop.run_for(20)  # probed again: fails at 106/111/116 s and is killed again
    assert counted(node, "Unhealthy") == [(6, failed)]
    assert counted(node, "Killing")[0][0] == 2


def test_an_exited_container_is_not_probed(node):
    """doProbe: "Non-running container probed" → Failure, no event; Never → the worker ends."""
    c = script("sleep 12; exit 1")
    c["readinessProbe"] = {"exec": {"command": ["true"]}, "periodSeconds": 5}
    c["livenessProbe"] = {"exec": {"command": ["true"]}, "periodSeconds": 5}
    node.pod(containers=[c], restartPolicy="Never")
    node.loop.run_for(60)
    assert counted(node, "Unhealthy") == []
    assert node.container()["ready"] is False
    workers = node.kubelet.workers.probes.workers.values()
    assert [w.timer for w in workers] == [None, None]


def test_exec_of_a_missing_binary_is_a_probe_error_and_its_result_is_thrown_away(node):
    """exec.go: not an ExitError → probe.Unknown + err; prober.go records "probe errored";
    worker.go throws the result away, so liveness never reaches its failure threshold."""
    c = script("sleep 3600")
    c["livenessProbe"] = {
        "exec": {"command": ["curl", "-f", "http://localhost/"]},
        "periodSeconds": 5,
    }
    node.pod(containers=[c])
    node.loop.run_for(60)
    cid = node.container()["containerID"].split("//")[-1]
    exec_id = re.search(r'start exec "([0-9a-f]{64})"', str(counted(node, "Unhealthy"))).group(1)
    assert exec_id != cid  # containerd's exec id, not the container's
    message = (
        "Liveness probe errored: rpc error: code = Unknown desc = failed to exec in container: "
        f'failed to start exec "{exec_id}": OCI runtime exec failed: exec failed: unable to start '
        'container process: exec: "curl": executable file not found in $PATH: unknown'
    )
    assert counted(node, "Unhealthy") == [(12, message)]
    assert counted(node, "Killing") == []
    assert node.container()["restartCount"] == 0


def test_exec_probe_timeout_message_is_gos(node):
    """remote_runtime.go `ExecSync`: `command %q timed out` of the joined command."""
    c = script("sleep 3600")
    c["readinessProbe"] = {"exec": {"command": ["sleep", "5"]}, "timeoutSeconds": 1}
    node.pod(containers=[c])
    node.loop.run_for(5)
    assert counted(node, "Unhealthy") == [
        (1, 'Readiness probe failed: command "sleep 5" timed out')
    ]


def test_exec_probe_command_is_expanded_with_the_static_env(node):
    """prober.go `runProbe`: `ExpandContainerCommandOnlyStatic(p.Exec.Command, container.Env)`."""
    c = script("sleep 3600")
    c["env"] = [{"name": "F", "value": "/nonexistent"}]
    c["readinessProbe"] = {"exec": {"command": ["cat", "$(F)", "$$(F)"]}, "periodSeconds": 60}
    node.pod(containers=[c])
    node.loop.run_for(5)
    assert counted(node, "Unhealthy") == [
        (
            1,
            "Readiness probe failed: cat: can't open '/nonexistent': No such file or directory\n"
            "cat: can't open '$(F)': No such file or directory\n",
        )
    ]


def test_runtime_exec_of_a_missing_binary_raises_and_known_commands_run(node):
    node.pod(containers=[script("sleep 3600")])
    node.loop.settle()
    cid = node.container()["containerID"].split("//")[-1]
    with pytest.raises(CRIError) as err:
        node.runtime.exec_sync(cid, ["/usr/bin/curl", "localhost"])
    assert err.value.code == "Unknown"
    assert err.value.message.endswith(  # a path is stat'ed (Go `exec.LookPath`), not searched
        'exec: "/usr/bin/curl": stat /usr/bin/curl: no such file or directory: unknown'
    )
    with pytest.raises(CRIError):
        node.runtime.exec_sync(cid, ["exit", "1"])  # a shell builtin is no binary
    assert tuple(node.runtime.exec_sync(cid, ["/bin/echo", "hi"])) == ("hi\n", "", 0)
    assert node.runtime.exec_sync(cid, ["sh", "-c", "nosuch"]).exit_code == 127


@pytest.mark.skipif(os.name != "posix" or shutil.which("sh") is None, reason="POSIX only")
def test_process_runtime_exec_of_a_missing_binary_raises(tmp_path):
    node = Node(runtime=lambda loop: ProcessRuntime(loop, "node-1", root=str(tmp_path)))
    try:
        node.pod(containers=[script("sleep 30")])
        node.loop.run_for(0.5)
        cid = node.container()["containerID"].split("//")[-1]
        with pytest.raises(CRIError) as err:
            node.runtime.exec_sync(cid, ["no-such-binary-here"])
        assert err.value.message.endswith(
            'exec: "no-such-binary-here": executable file not found in $PATH: unknown'
        )
    finally:
        node.kubelet.stop()
