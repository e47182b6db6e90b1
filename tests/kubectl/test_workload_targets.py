"""`kubectl logs|exec TYPE/NAME` and `logs -l`: one pod picked like upstream polymorphichelpers
(`SelectorsForObject`, `GetFirstPod`, podutils `ActivePods` / `ByLogging`)."""

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.kubectl.polymorphic import (
    active_pods_less,
    by_logging_less,
    selector_for_object,
    sort_pods,
)

Obj = dict[str, Any]


def pod(
    name, node="n1", phase="Running", ready_at=None, restarts=0, created="2025-01-01T00:00:00Z"
):
    conditions = []
    if ready_at is not None:
        conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_at}]
    return {
        "metadata": {"name": name, "creationTimestamp": created},
        "spec": {"nodeName": node},
        "status": {
            "phase": phase,
            "conditions": conditions,
            "containerStatuses": [{"restartCount": restarts}],
        },
    }


def names(pods):
    return [p["metadata"]["name"] for p in pods]


T1, T2 = "2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z"


def test_exec_prefers_the_most_active_pod():
    pods = [
        pod("unassigned", node="", phase="Pending"),
        pod("pending", phase="Pending"),
        pod("running-unready"),
        pod("ready-late", ready_at=T2),
        pod("ready-early", ready_at=T1),
    ]
    order = sort_pods(pods, active_pods_less, reverse=True)
    assert names(order) == ["ready-early", "ready-late", "running-unready", "pending", "unassigned"]


def test_exec_prefers_fewer_restarts_then_older_pods():
    pods = [
        pod("restarted", restarts=3),
        pod("young", created=T2),
        pod("old", created=T1),
    ]
    assert names(sort_pods(pods, active_pods_less, reverse=True)) == ["old", "young", "restarted"]


def test_logs_prefer_running_ready_pods_then_more_restarts():
    pods = [
        pod("pending", phase="Pending"),
        pod("unassigned", node="", phase="Pending"),
        pod("running"),
        pod("ready", ready_at=T1),
        pod("ready-restarted", ready_at=T1, restarts=2),
    ]
    order = sort_pods(pods, by_logging_less)
    assert names(order) == ["ready-restarted", "ready", "running", "pending", "unassigned"]


@given(st.permutations(["a", "b", "c", "d", "e"]), st.integers(0, 2**16))
def test_choice_does_not_depend_on_list_order(order, seed):
    rng = random.Random(seed)
    pods = {
        n: pod(n, ready_at=rng.choice([None, T1, T2]), restarts=rng.randint(0, 2), created=T1)
        for n in "abcde"
    }
    pods["c"] = pod("c", ready_at=T1, restarts=0, created="2024-12-31T00:00:00Z")  # the best
    shuffled = [pods[n] for n in order]
    assert sort_pods(shuffled, active_pods_less, reverse=True)[0]["metadata"]["name"] == "c"


def test_selector_for_object():
    deploy = {"kind": "Deployment", "spec": {"selector": {"matchLabels": {"app": "web"}}}}
    assert selector_for_object(deploy) == "app=web"
    svc = {"kind": "Service", "metadata": {"name": "s"}, "spec": {"selector": {"b": "2", "a": "1"}}}
    assert selector_for_object(svc) == "a=1,b=2"
    with pytest.raises(ValueError, match="invalid service 's': Service is defined without a"):
        selector_for_object({"kind": "Service", "metadata": {"name": "s"}, "spec": {}})
    with pytest.raises(ValueError, match=r"selector for \*v1.ConfigMap not implemented"):
        selector_for_object({"kind": "ConfigMap"})


# -- scenario -------------------------------------------------------------------------------------

WEB = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {
                        "name": "c",
                        "image": "busybox:1.36",
                        "env": [{"name": "ROLE", "value": "web"}],
                        "command": ["sh", "-c", "echo started; sleep 3600"],
                    }
                ]
            },
        },
    },
}


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(nodes=2, seed=0)
    c.apply(WEB)
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        }
    )
    c.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {}})
    c.settle()
    return c


def pod_names(cluster):
    return sorted(p["metadata"]["name"] for p in cluster.get("pods"))


def test_logs_of_a_deployment_use_one_pod_and_say_which(cluster):
    first = pod_names(cluster)[0]  # all equal: ties keep the API server's name order
    out = cluster.kubectl("logs deploy/web")
    assert out == f"Found 3 pods, using pod/{first}\nstarted\n"
    assert cluster.kubectl("logs deployment/web") == out
    assert cluster.kubectl("logs service/web") == out


def test_exec_into_a_deployment_and_a_service(cluster):
    assert cluster.kubectl("exec deploy/web -- printenv ROLE") == "web\n"
    assert cluster.kubectl("exec svc/web -- printenv ROLE") == "web\n"
    assert cluster.kubectl(f"exec pod/{pod_names(cluster)[0]} -- printenv ROLE") == "web\n"


def test_logs_by_selector_print_every_pod(cluster):
    assert cluster.kubectl("logs -l app=web") == "started\n" * 3
    assert cluster.kubectl("logs -l app=none") == "No resources found in default namespace.\n"
    assert cluster.kubectl("logs web -l app=web").startswith(
        "error: only a selector (-l) or a POD name is allowed\n"
    )


def test_workload_target_errors(cluster):
    assert cluster.kubectl("logs cm/cfg") == (
        "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not "
        "implemented\n"
    )
    assert cluster.kubectl("exec cm/cfg -- env").startswith("error: cannot attach to *v1.ConfigMap")
    assert cluster.kubectl("logs deploy/nope") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )


def test_jobs_statefulsets_and_empty_workloads():
    c = Cluster(nodes=1, seed=0)
    c.apply(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "pi", "namespace": "default"},
            "spec": {
                "template": {
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [
                            {"name": "pi", "image": "busybox", "command": ["sh", "-c", "echo 3.14"]}
                        ],
                    }
                }
            },
        }
    )
    db = {**WEB, "kind": "StatefulSet", "metadata": {"name": "db", "namespace": "default"}}
    db["spec"] = {**WEB["spec"], "replicas": 2, "serviceName": "db"}
    c.apply(db)
    c.kubectl("create deployment zero --image=nginx --replicas=0")
    c.settle()
    assert c.kubectl("logs job/pi") == "3.14\n"  # one pod: no "Found" notice
    assert c.kubectl("logs sts/db") == "Found 2 pods, using pod/db-0\nstarted\n"
    assert c.kubectl("exec statefulset/db -- hostname") == "db-0\n"  # the oldest ready pod
    assert c.kubectl("logs deploy/zero") == "error: timed out waiting for the condition\n"


def test_default_container_notice_and_annotation():
    c = Cluster(nodes=1, seed=0)

    def sleeper(name, text):
        return {
            "name": name,
            "image": "busybox",
            "command": ["sh", "-c", f"echo {text}; sleep 3600"],
        }

    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "duo", "namespace": "default"},
        "spec": {
            "initContainers": [{"name": "init", "image": "busybox", "command": ["true"]}],
            "containers": [sleeper("main", "from-main"), sleeper("side", "from-side")],
        },
    }
    c.apply(pod)
    annotated = {**pod, "metadata": {"name": "solo", "namespace": "default",
                 "annotations": {"kubectl.kubernetes.io/default-container": "side"}}}  # fmt: skip
    c.apply(annotated)
    c.settle()
    assert c.kubectl("logs duo") == (
        'Defaulted container "main" out of: main, side, init (init)\nfrom-main\n'
    )
    assert c.kubectl("logs duo -c side") == "from-side\n"
    assert c.kubectl("logs solo") == "from-side\n"
