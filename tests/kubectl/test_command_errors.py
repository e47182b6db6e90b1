"""What kubectl prints when a command fails: `get NAME -o yaml|json` (printGeneric), the
"Defaulted container" notice before a logs/exec error (podcmd), and `scale` without a name
(cli-runtime's resource.Builder)."""

import pytest

from minik8s.kubectl import kubectl
from minik8s.kubectl.cli import parse
from minik8s.kubectl.node_commands import exec_, logs
from tests.kubectl import objects

NOT_FOUND = 'Error from server (NotFound): pods "x" not found\n'


@pytest.fixture
def client():
    return objects.fake_client_with_objects()


@pytest.mark.parametrize(
    "command",
    [
        "get pod x -o yaml",
        "get pod x -o json",
        "get pod/x -o yaml",
        "get pod x -o name",
        "get pod x -o jsonpath={.metadata.name}",
        "get pod x -o custom-columns=NAME:.metadata.name",
    ],
)
def test_one_named_missing_object_prints_only_the_error(client, command):
    assert kubectl(client, command) == NOT_FOUND


def test_several_names_print_the_list_then_the_errors(client):
    out = kubectl(client, "get pod x web-7d4b9-abcde -o name")
    assert out == "pod/web-7d4b9-abcde\n" + NOT_FOUND
    out = kubectl(client, "get pod x y -o yaml")
    assert out.startswith("apiVersion: v1\nitems: []\nkind: List\n")
    assert out.endswith(NOT_FOUND + 'Error from server (NotFound): pods "y" not found\n')


def test_table_output_keeps_printing_the_error(client):
    assert kubectl(client, "get pod x") == NOT_FOUND


@pytest.fixture
def two_containers(client):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "two", "namespace": "default"},
        "spec": {
            "nodeName": "node-1",
            "containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "nginx"}],
        },
        "status": {
            "phase": "Pending",
            "containerStatuses": [
                {"name": n, "state": {"waiting": {"reason": "ContainerCreating"}}}
                for n in ("a", "b")
            ],
        },
    }
    client.add(pod)
    return client


NOTICE = 'Defaulted container "a" out of: a, b\n'


def test_defaulted_container_notice_precedes_a_logs_error(two_containers):
    out = logs({}, two_containers, parse(["logs", "two"]))
    assert out == NOTICE + (
        'Error from server (BadRequest): container "a" in pod "two" is waiting to start: '
        "ContainerCreating\n"
    )


def test_defaulted_container_notice_precedes_an_exec_error(two_containers):
    out = exec_({}, two_containers, parse(["exec", "two", "--", "env"]))
    assert out == NOTICE + (
        'Error from server (BadRequest): unable to upgrade connection: container not found ("a")\n'
    )


def test_no_notice_when_the_container_is_named(two_containers):
    out = logs({}, two_containers, parse(["logs", "two", "-c", "b"]))
    assert out.startswith('Error from server (BadRequest): container "b" in pod "two"')


@pytest.mark.parametrize("command", ["scale deploy --replicas=2", "scale deployment --replicas=2"])
def test_scale_without_a_name(client, command):
    assert kubectl(client, command) == (
        "error: resource(s) were provided, but no name was specified\n"
    )


def test_scale_by_selector_and_all(client):
    assert kubectl(client, "scale deploy -l app=web --replicas=5") == "deployment.apps/web scaled\n"
    assert client.get("deployments", "web")["spec"]["replicas"] == 5
    assert kubectl(client, "scale deploy --all --replicas=1") == "deployment.apps/web scaled\n"
    assert client.get("deployments", "web")["spec"]["replicas"] == 1
    assert kubectl(client, "scale deploy -l app=none --replicas=1") == (
        "error: no objects passed to scale\n"
    )
