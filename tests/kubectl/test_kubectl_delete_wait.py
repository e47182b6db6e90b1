"""`kubectl delete` waits until the deleted objects are gone (delete.go `DeleteResult` then
cmd/wait `RunWait` with `IsDeleted`), in virtual time."""

import pytest

from minik8s.cluster import Cluster
from minik8s.kubectl.cli import Args
from minik8s.kubectl.delete_wait import (
    WEEK,
    Deleted,
    effective_timeout,
    is_gone,
    parse_timeout,
    wait_for_deletion,
)

SLEEPER = 'run {name} --image=busybox -- sh -c "sleep 3600"'  # sh ignores SIGTERM: full grace


@pytest.fixture
def c():
    cluster = Cluster(nodes=1, seed=0)
    cluster.settle()
    return cluster


def _sleeper(c, name="sl"):
    c.kubectl(SLEEPER.format(name=name))
    c.settle()
    assert "Running" in c.kubectl(f"get pod {name}")


def _stuck_configmap(c, name):
    """A ConfigMap a finalizer keeps in Terminating."""
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "finalizers": ["example.com/hold"]},
        }
    )


def test_delete_waits_for_the_grace_period_then_the_pod_is_gone(c):
    _sleeper(c)
    start = c.loop.now
    assert c.kubectl("delete pod sl") == 'pod "sl" deleted\n'
    assert c.loop.now - start == 30.0  # terminationGracePeriodSeconds: SIGTERM ignored
    assert c.kubectl("get pod sl") == 'Error from server (NotFound): pods "sl" not found\n'


def test_wait_false_returns_at_once_with_the_pod_terminating(c):
    _sleeper(c)
    start = c.loop.now
    assert c.kubectl("delete pod sl --wait=false") == 'pod "sl" deleted\n'
    assert c.loop.now == start
    assert "Terminating" in c.kubectl("get pod sl")


def test_the_timeout_error_names_the_resource_after_the_deleted_line(c):
    _sleeper(c)
    start = c.loop.now
    assert c.kubectl("delete pod sl --timeout=5s") == (
        'pod "sl" deleted\nerror: timed out waiting for the condition on pods/sl\n'
    )
    assert c.loop.now - start == 5.0
    assert "Terminating" in c.kubectl("get pod sl")


def test_one_deadline_for_all_objects_and_the_first_unfinished_one_is_named(c):
    _stuck_configmap(c, "a")
    _stuck_configmap(c, "b")
    start = c.loop.now
    assert c.kubectl("delete cm a b --timeout=1m") == (
        'configmap "a" deleted\nconfigmap "b" deleted\n'
        "error: timed out waiting for the condition on configmaps/a\n"
    )
    assert c.loop.now - start == 60.0


def test_the_wait_ends_when_a_finalizer_is_removed_later(c):
    _stuck_configmap(c, "a")
    start = c.loop.now

    def release():
        c.client.patch("configmaps", "a", {"metadata": {"finalizers": None}}, "default")

    c.loop.call_later(12, release)
    assert c.kubectl("delete cm a") == 'configmap "a" deleted\n'
    assert c.loop.now - start == 12.0


def test_dry_runs_never_wait(c):
    _stuck_configmap(c, "a")
    start = c.loop.now
    assert c.kubectl("delete cm a --dry-run=server") == 'configmap "a" deleted (server dry run)\n'
    assert c.kubectl("delete cm a --dry-run=client") == 'configmap "a" deleted (dry run)\n'
    assert c.loop.now == start


def test_an_error_while_deleting_skips_the_wait(c):
    _stuck_configmap(c, "a")
    start = c.loop.now
    assert c.kubectl("delete cm a missing --timeout=10s") == (
        'configmap "a" deleted\nError from server (NotFound): configmaps "missing" not found\n'
    )
    assert c.loop.now == start


def test_foreground_cascade_waits_for_the_dependents(c):
    c.kubectl('create deployment d --image=busybox --replicas=2 -- sh -c "sleep 3600"')
    c.settle()
    start = c.loop.now
    assert c.kubectl("delete deploy d --cascade=foreground") == 'deployment.apps "d" deleted\n'
    assert c.loop.now - start == 30.0
    assert c.kubectl("get pods,rs") == "No resources found in default namespace.\n"


def test_background_cascade_waits_only_for_the_owner(c):
    c.kubectl('create deployment d --image=busybox --replicas=2 -- sh -c "sleep 3600"')
    c.settle()
    start = c.loop.now
    assert c.kubectl("delete deploy d") == 'deployment.apps "d" deleted\n'
    assert c.loop.now == start
    assert "d-" in c.kubectl("get rs")  # the garbage collector has not run yet


def test_a_new_object_with_the_same_name_counts_as_gone(c):
    _stuck_configmap(c, "a")
    old = c.client.get("configmaps", "a", "default")["metadata"]["uid"]
    assert c.kubectl("delete cm a --wait=false") == 'configmap "a" deleted\n'
    c.client.patch("configmaps", "a", {"metadata": {"finalizers": None}}, "default")
    c.kubectl("create configmap a")
    item = Deleted("configmaps", "a", "default", old)
    gone, live = is_gone(c.client, item)
    assert gone and live is not None and live["metadata"]["uid"] != old
    start = c.loop.now
    assert wait_for_deletion(c.client, [item], 10.0) == ""
    assert c.loop.now == start
    same = Deleted("configmaps", "a", "default", live["metadata"]["uid"])
    assert is_gone(c.client, same) == (False, live)


def test_cluster_scoped_objects_are_waited_for_too(c):
    c.kubectl("create namespace shop")
    _sleeper(c)
    c.kubectl(SLEEPER.format(name="x") + " -n shop")
    c.settle()
    assert c.kubectl("delete ns shop") == 'namespace "shop" deleted\n'
    assert "NotFound" in c.kubectl("get ns shop")


def test_output_name_prints_before_the_wait(c):
    _sleeper(c)
    assert c.kubectl("delete pod sl -o name --timeout=2s") == (
        "pod/sl\nerror: timed out waiting for the condition on pods/sl\n"
    )


@pytest.mark.parametrize(
    "value, seconds",
    [(None, 0.0), ("0", 0.0), ("30s", 30.0), ("1m30s", 90.0), ("1h", 3600.0), ("-1s", -1.0)],
)
def test_timeout_is_a_go_duration(value, seconds):
    flags = {} if value is None else {"timeout": value}
    assert parse_timeout(Args("delete", flags=flags)) == seconds


def test_a_timeout_without_a_unit_is_pflags_error(c):
    assert c.kubectl("delete cm a --timeout=30") == (
        'error: invalid argument "30" for "--timeout" flag: time: missing unit in duration "30"\n'
        "See 'kubectl delete --help' for usage.\n"
    )
    assert c.kubectl("delete cm a --wait=perhaps") == (
        'error: invalid argument "perhaps" for "--wait" flag: strconv.ParseBool: parsing '
        '"perhaps": invalid syntax\n'
        "See 'kubectl delete --help' for usage.\n"
    )


def test_zero_timeout_means_a_week():
    assert effective_timeout(0) == WEEK == 7 * 24 * 3600
    assert effective_timeout(5) == 5


def test_a_negative_timeout_times_out_at_once(c):
    _stuck_configmap(c, "a")
    start = c.loop.now
    assert c.kubectl("delete cm a --timeout=-1s").endswith(
        "error: timed out waiting for the condition on configmaps/a\n"
    )
    assert c.loop.now == start


def test_waiting_is_deterministic():
    def run():
        cluster = Cluster(nodes=2, seed=3)
        for name in ("p", "q"):
            cluster.kubectl(SLEEPER.format(name=name))
        cluster.settle()
        out = cluster.kubectl("delete pods --all")
        return out, cluster.loop.now, cluster.loop.steps

    assert run() == run()
