"""Same seed, same placement: a small seeded scenario pinned before the scheduler's hot paths
were optimized (issue #10). Placements, failure messages and every decision record
(`Scheduler.explain`, what `kubectl describe pod` shows) must stay byte-identical.

Regenerate `data/pinned_placements.json` only for a deliberate change of behaviour:
`python -m tests.scheduler.test_pinned_placements`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tests.scheduler.helpers import Env

GOLDEN = Path(__file__).parent / "data" / "pinned_placements.json"
ZONES = ("zone-a", "zone-b", "zone-c")
TOLERATE_GPU = [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}]


def _nodes(env: Env, count: int, offset: int = 0) -> None:
    for i in range(offset, offset + count):
        labels = {"topology.kubernetes.io/zone": ZONES[i % 3], "tier": "big" if i % 7 else "tiny"}
        taints: list[dict[str, Any]] = []
        if i % 23 == 5:
            taints.append({"key": "gpu", "value": "true", "effect": "NoSchedule"})
        if i % 17 == 3:
            taints.append({"key": "spot", "value": "yes", "effect": "PreferNoSchedule"})
        cpu = ("2", "4", "8", "1500m")[i % 4]
        memory = ("4Gi", "8Gi", "16Gi")[i % 3]
        env.add_node(
            f"node-{i:03d}", cpu=cpu, memory=memory, pods=2 + i % 3, labels=labels,
            taints=taints, unschedulable=i % 41 == 40,
        )  # fmt: skip


def _pod_spec(i: int) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if i % 11 == 0:
        spec["nodeSelector"] = {"topology.kubernetes.io/zone": ZONES[i % 3]}
    if i % 13 == 0:
        spec["tolerations"] = TOLERATE_GPU
    if i % 9 == 4:
        term = {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["tiny"]}]}
        spec["affinity"] = {
            "nodeAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 10, "preference": term}
                ]
            }
        }
    if i % 19 == 7:
        selector = {"matchLabels": {"app": "db"}}
        spec["affinity"] = {
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": selector, "topologyKey": "kubernetes.io/hostname"}
                ]
            }
        }
    return spec


def _pods(env: Env, count: int, offset: int = 0) -> None:
    apps = ("web", "api", "db", "batch")
    for i in range(offset, offset + count):
        app = apps[i % 4]
        cpu = ("100m", "250m", "500m", "1", "6")[i % 5]
        memory = ("64Mi", "256Mi", "1Gi", "3Gi")[i % 4]
        requests = {"cpu": cpu, "memory": memory} if i % 6 else {}
        env.add_pod(f"{app}-{i:03d}", requests=requests, labels={"app": app}, **_pod_spec(i))


def scenario() -> dict[str, Any]:
    """Run the scenario; return placements, failures and a digest of each decision record."""
    env = Env(seed=7)
    for app in ("web", "api"):
        spec = {"selector": {"app": app}, "ports": [{"port": 80}]}
        env.client.create("services", {"metadata": {"name": app}, "spec": spec}, "default")
    _nodes(env, 140)
    _pods(env, 260)
    env.settle()
    for i in range(0, 260, 10):  # churn: some pods go, nodes come, more pods arrive
        name = f"{('web', 'api', 'db', 'batch')[i % 4]}-{i:03d}"
        env.client.delete("pods", name, "default", grace_period_seconds=0)
    _nodes(env, 12, offset=140)
    _pods(env, 60, offset=260)
    env.settle()
    pods = env.client.list("pods")["items"]
    placements = {p["metadata"]["name"]: p["spec"].get("nodeName", "") for p in pods}
    failures = sorted(e["message"] for e in env.events("FailedScheduling"))
    records = {
        key: hashlib.sha256(env.scheduler.explain(key).encode()).hexdigest()[:16]
        for key in sorted(env.scheduler.decisions)
    }
    return {
        "placements": placements,
        "failures": failures,
        "records": records,
        "uniform": uniform_scenario(),
    }


def uniform_scenario() -> dict[str, str]:
    """SchedulingBasic in small: identical nodes, so ties and the seeded tie-break decide."""
    env = Env(seed=3)
    for i in range(300):
        env.add_node(f"n-{i:03d}", cpu="4", memory="32Gi", pods=110)
    for i in range(500):
        env.add_pod(f"p-{i:03d}", requests={"cpu": "100m", "memory": "500Mi"})
    env.settle()
    pods = env.client.list("pods")["items"]
    digest = hashlib.sha256(env.scheduler.explain("default/p-499").encode()).hexdigest()[:16]
    return {"last-record": digest, **{p["metadata"]["name"]: p["spec"]["nodeName"] for p in pods}}


def test_same_seed_same_placements_and_decision_records():
    expected = json.loads(GOLDEN.read_text())
    got = scenario()
    assert got["placements"] == expected["placements"]
    assert got["failures"] == expected["failures"]
    assert got["records"] == expected["records"]
    assert got["uniform"] == expected["uniform"]


def test_scenario_exercises_failures_and_spreading():
    expected = json.loads(GOLDEN.read_text())
    placed = [n for n in expected["placements"].values() if n]
    assert 100 < len(placed) < len(expected["placements"])  # some pods fit nowhere
    assert len(set(placed)) > 100  # spread over most nodes
    assert expected["failures"]


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(scenario(), indent=1, sort_keys=True) + "\n")
