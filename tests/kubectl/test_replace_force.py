"""`kubectl replace --force` against upstream replace.go (`Complete`, `Validate`, `forceReplace`):
delete, poll every second until NotFound, create; in virtual time."""

import pytest

from minik8s.cluster import Cluster
from minik8s.kubectl import kubectl
from minik8s.kubectl.replace_force import DEFAULT_TIMEOUT, POLL_INTERVAL

POD = """apiVersion: v1
kind: Pod
metadata: {name: sl}
spec:
  containers:
  - {name: c, image: busybox, command: [sh, -c, "sleep 3600"]}
"""
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v2}\n"


@pytest.fixture
def c():
    cluster = Cluster(nodes=1, seed=0)
    cluster.settle()
    return cluster


def run(c, line, manifest):
    return kubectl(c.client, line, manifest=manifest)


def test_a_missing_object_is_just_created(c):
    assert run(c, "replace --force -f -", POD) == "pod/sl replaced\n"


def test_delete_wait_then_create_a_new_object(c):
    run(c, "replace --force -f -", POD)
    c.settle()
    old = c.client.get("pods", "sl", "default")["metadata"]["uid"]
    start = c.loop.now
    assert run(c, "replace --force -f -", POD) == 'pod "sl" deleted\npod/sl replaced\n'
    assert c.loop.now - start == 30.0  # the pod's grace period, polled each second
    assert c.client.get("pods", "sl", "default")["metadata"]["uid"] != old


def test_an_object_without_grace_is_replaced_at_once(c):
    c.kubectl("create configmap cfg --from-literal=k=v1")
    start = c.loop.now
    assert run(c, "replace --force -f -", CM) == 'configmap "cfg" deleted\nconfigmap/cfg replaced\n'
    assert c.loop.now == start
    assert c.client.get("configmaps", "cfg", "default")["data"] == {"k": "v2"}


def test_the_resource_version_of_the_file_is_dropped(c):
    c.kubectl("create configmap cfg")
    stale = CM.replace("{name: cfg}", "{name: cfg, resourceVersion: '1'}")
    assert run(c, "replace --force -f -", stale).endswith("configmap/cfg replaced\n")


def test_grace_period_zero_becomes_one_and_never_says_force_deleted(c):
    run(c, "replace --force -f -", POD)
    c.settle()
    start = c.loop.now
    assert run(c, "replace --force --grace-period=0 -f -", POD) == (
        'pod "sl" deleted\npod/sl replaced\n'
    )
    assert c.loop.now - start < 5


def test_timeout_bounds_the_poll(c):
    run(c, "replace --force -f -", POD)
    c.settle()
    start = c.loop.now
    assert run(c, "replace --force --timeout=5s -f -", POD) == (
        'pod "sl" deleted\nerror: timed out waiting for the condition\n'
    )
    assert c.loop.now - start == 5.0
    assert "Terminating" in c.kubectl("get pod sl")


def test_output_name(c):
    c.kubectl("create configmap cfg")
    assert run(c, "replace --force -o name -f -", CM) == "configmap/cfg\nconfigmap/cfg\n"


@pytest.mark.parametrize(
    "line, message",
    [
        ("replace --grace-period=3 -f -", "error: --grace-period must have --force specified\n"),
        ("replace --grace-period=0 -f -", "error: --grace-period must have --force specified\n"),
        ("replace --timeout=3s -f -", "error: --timeout must have --force specified\n"),
        (
            "replace --force --dry-run=server -f -",
            "error: --dry-run can not be used when --force is set\n",
        ),
        (
            "replace --force --cascade=up -f -",
            'error: invalid cascade value (up). Must be "background", "foreground", or "orphan"\n',
        ),
    ],
)
def test_refused_flags_touch_nothing(c, line, message):
    c.kubectl("create configmap cfg")
    uid = c.client.get("configmaps", "cfg", "default")["metadata"]["uid"]
    assert run(c, line, CM) == message
    assert c.client.get("configmaps", "cfg", "default")["metadata"]["uid"] == uid


def test_create_errors_are_printed_as_the_server_says(c):
    bad = CM.replace("name: cfg", "name: Not_Valid")
    out = run(c, "replace --force -f -", bad)
    assert out.startswith('Error from server (Invalid): ConfigMap "Not_Valid" is invalid: ')


def test_upstream_constants():
    assert (POLL_INTERVAL, DEFAULT_TIMEOUT) == (1.0, 300.0)
