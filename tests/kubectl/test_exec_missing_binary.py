"""`kubectl exec POD -- nosuch`: runc cannot start the process, so there is no exit code; the
streaming server (`ServeExec`) answers an InternalError on the error stream and kubectl prints
`error: Internal error occurred: error executing command in container: failed to exec in
container: failed to start exec "<id>": OCI runtime exec failed: …` (exit 1, no "command
terminated with exit code" line). A command that starts and fails keeps its exit code."""

import re

import pytest

from minik8s.api.errors import InternalError
from minik8s.kubectl.cli import parse
from minik8s.kubectl.node_commands import exec_
from tests.kubelet.conftest import Node

PREFIX = (
    "error: Internal error occurred: error executing command in container: failed to exec in "
    'container: failed to start exec "ID": OCI runtime exec failed: exec failed: unable to '
    "start container process: "
)


@pytest.fixture(scope="module")
def node():
    node = Node()
    node.pod(name="x", namespace="default")
    node.loop.run_for(10)
    return node


def run(node, *argv):
    out = exec_({"node-1": node.kubelet}, node.client, parse(["exec", "x", "--", *argv]))
    return re.sub(r'start exec "[0-9a-f]{64}"', 'start exec "ID"', out)


def test_missing_binary_is_an_internal_error_not_an_exit_code(node):
    out = run(node, "nosuch", "arg")
    assert out == PREFIX + 'exec: "nosuch": executable file not found in $PATH: unknown\n'
    assert "command terminated" not in out


def test_missing_path_is_stat_ed(node):
    out = run(node, "/bin/nosuch")
    assert (
        out
        == PREFIX + 'exec: "/bin/nosuch": stat /bin/nosuch: no such file or directory: unknown\n'
    )


def test_commands_that_start_keep_their_exit_code(node):
    assert run(node, "sh", "-c", "nosuch") == (
        "sh: nosuch: not found\ncommand terminated with exit code 127\n"
    )
    assert run(node, "ls", "/nope") == (
        "ls: /nope: No such file or directory\ncommand terminated with exit code 1\n"
    )


def test_kubelet_exec_raises_internal_error(node):
    with pytest.raises(InternalError) as err:
        node.kubelet.exec("default", "x", None, ["nosuch"])
    assert err.value.message.startswith(
        "Internal error occurred: error executing command in container: failed to exec in "
        'container: failed to start exec "'
    )
