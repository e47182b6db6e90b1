"""kubectl logs / exec through the kubelet that runs the pod."""

from minik8s.kubectl import node_commands
from minik8s.kubectl.cli import format_error, parse


def run(node, line, verb):
    fn = node_commands.logs if verb == "logs" else node_commands.exec
    try:
        return fn({"node-1": node.kubelet}, node.client, parse(line.split()))
    except Exception as err:  # noqa: BLE001
        return format_error(err)


def test_logs_and_previous(node):
    node.pod(
        containers=[
            {"name": "web", "image": "busybox:1.36", "command": ["sh", "-c", "echo run; exit 1"]}
        ]
    )
    node.loop.run_for(15)
    assert run(node, "logs web -n shop", "logs") == "run\n"
    assert run(node, "logs web -n shop -p", "logs") == "run\n"
    assert run(node, "logs web -n shop --tail 0", "logs") == ""


def test_logs_of_a_waiting_container(node):
    node.pod()
    node.loop.run_for(1)
    assert run(node, "logs web -n shop", "logs") == (
        'Error from server (BadRequest): container "web" in pod "web" is waiting to start: '
        "ContainerCreating\n"
    )
    assert run(node, "logs nope -n shop", "logs") == (
        'Error from server (NotFound): pods "nope" not found\n'
    )


def test_exec(node):
    node.pod(
        containers=[
            {
                "name": "web",
                "image": "busybox:1.36",
                "command": ["sleep", "3600"],
                "env": [{"name": "X", "value": "1"}],
            }
        ]
    )
    node.loop.settle()
    assert run(node, "exec web -n shop -- env", "exec").startswith("PATH=")
    assert "X=1\n" in run(node, "exec web -n shop -- env", "exec")
    assert run(node, "exec web -n shop -- sh -c exit", "exec") == ""
    assert run(node, "exec web -n shop -- cat /nope", "exec") == (
        "cat: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n"
    )


def test_logs_of_a_container_whose_image_does_not_pull(node):
    """kubelet `validateContainerLogStatus` words the two pull failures."""
    node.pod(containers=[{"name": "web", "image": "registry.invalid/nope:1"}])
    seen = set()
    for _ in range(30):
        node.loop.run_for(1)
        out = run(node, "logs web -n shop", "logs")
        seen.add(out.rsplit(": ", 1)[-1].strip())
    assert {"image can't be pulled", "trying and failing to pull image"} <= seen
