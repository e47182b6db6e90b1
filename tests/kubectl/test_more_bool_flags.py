"""The remaining boolean flags take `strconv.ParseBool` words too (`--all=0` is false, not a
non-empty string): `-A`, `label --overwrite`, `delete --all`, `rollout status -w`,
`logs -p`, `run --command/--rm/...`, `drain --force/...`, `taint --overwrite`."""

from __future__ import annotations

import pytest

from minik8s.cluster import Cluster


def parse_error(shown: str, value: str, path: str) -> str:
    return (
        f'error: invalid argument "{value}" for "{shown}" flag: strconv.ParseBool: '
        f'parsing "{value}": invalid syntax\n'
        f"See 'kubectl {path} --help' for usage.\n"
    )


@pytest.fixture(scope="module")
def c() -> Cluster:
    cluster = Cluster(seed=0, nodes=1)
    cluster.kubectl("create namespace shop")
    cluster.kubectl("create configmap a -n shop")
    cluster.kubectl("create configmap b")
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    return cluster


def test_all_namespaces(c: Cluster) -> None:
    default = c.kubectl("get cm")
    assert default.splitlines()[0].split() == ["NAME", "DATA", "AGE"]
    assert c.kubectl("get cm --all-namespaces=false") == default
    assert c.kubectl("get cm --all-namespaces=0") == default
    every = c.kubectl("get cm --all-namespaces=T")
    assert every == c.kubectl("get cm -A")
    assert every.splitlines()[0].split()[0] == "NAMESPACE" and "shop " in every
    assert c.kubectl("get cm --all-namespaces=x") == parse_error("-A, --all-namespaces", "x", "get")


def test_label_overwrite(c: Cluster) -> None:
    assert c.kubectl("label cm b app=web") == "configmap/b labeled\n"
    assert c.kubectl("label cm b app=db --overwrite=false") == (
        "error: 'app' already has a value (web), and --overwrite is false\n"
    )
    assert c.kubectl("label cm b app=db --overwrite=1") == "configmap/b labeled\n"
    assert c.get("configmap", "b")["metadata"]["labels"] == {"app": "db"}
    assert c.kubectl("label cm b app=x --overwrite=maybe") == parse_error(
        "--overwrite", "maybe", "label"
    )


def test_rollout_status_watch(c: Cluster) -> None:
    done = 'deployment "web" successfully rolled out\n'
    assert c.kubectl("rollout status deploy/web --watch=false") == done
    assert c.kubectl("rollout status deploy/web --watch=t") == done
    assert c.kubectl("rollout status deploy/web --watch=x") == parse_error(
        "-w, --watch", "x", "rollout status"
    )


def test_logs_previous_and_run_flags(c: Cluster) -> None:
    assert c.kubectl("logs deploy/web --previous=x") == parse_error("-p, --previous", "x", "logs")
    run = "run p --image=nginx"
    assert c.kubectl(f"{run} --command=x -- sleep 1") == parse_error("--command", "x", "run")
    assert c.kubectl(f"{run} --rm=yes") == parse_error("--rm", "yes", "run")
    assert c.kubectl(f"{run} --rm=1") == (
        "error: --rm should only be used for attached containers\n"
    )
    assert c.kubectl(f"{run} --tty=1") == (
        "error: -i/--stdin is required for containers with -t/--tty=true\n"
    )
    assert c.kubectl("run --tty=z") == parse_error(
        "-t, --tty", "z", "run"
    )  # before NAME is checked
    assert c.kubectl(f"{run} --rm=0 --tty=F") == "pod/p created\n"


def test_drain_and_taint_flags(c: Cluster) -> None:
    assert c.kubectl("drain node-1 --force=maybe") == parse_error("--force", "maybe", "drain")
    assert c.kubectl("taint node node-1 k=v:NoSchedule") == "node/node-1 tainted\n"
    assert c.kubectl("taint node node-1 k=w:NoSchedule --overwrite=no") == (
        parse_error("--overwrite", "no", "taint")
    )
    assert c.kubectl("taint node node-1 k=w:NoSchedule --overwrite=0").startswith("error: ")
    assert c.kubectl("taint node node-1 k=w:NoSchedule --overwrite=1") == ("node/node-1 modified\n")


def test_delete_all(c: Cluster) -> None:
    c.kubectl("create configmap gone")
    assert c.kubectl("delete cm --all=nope") == parse_error("--all", "nope", "delete")
    assert c.kubectl("delete cm --all=0") == (
        "error: resource(s) were provided, but no name was specified\n"
    )
    assert "gone" in c.kubectl("get cm")
    out = c.kubectl("delete cm -n shop --all=1")
    assert out == 'configmap "a" deleted\nconfigmap "kube-root-ca.crt" deleted\n'
