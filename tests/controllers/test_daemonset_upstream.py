"""DaemonSet: upstream `pkg/controller/daemon/util/daemonset_util_test.go` TestIsPodUpdated and
TestCreatePodTemplate as tables, and the status fields tagged `omitempty`."""

from __future__ import annotations

import pytest

from minik8s.controllers.daemonset_util import (
    TEMPLATE_GENERATION_LABEL,
    create_pod_template,
    is_pod_updated,
)
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL

GENERATION, BAD_GENERATION, HASH = 12345, 12350, "55555"
LABELS = {TEMPLATE_GENERATION_LABEL: str(GENERATION), CONTROLLER_REVISION_HASH_LABEL: HASH}
LABELS_NO_HASH = {TEMPLATE_GENERATION_LABEL: str(GENERATION)}


def workload(kind: str, name: str, **spec) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
            **spec,
        },
    }


@pytest.mark.parametrize(
    ("generation", "labels", "hash_", "updated"),
    [
        pytest.param(GENERATION, LABELS, HASH, True, id="generation and hash both match"),
        pytest.param(GENERATION, LABELS, HASH + "123", True, id="generation matches"),
        pytest.param(GENERATION, LABELS_NO_HASH, HASH, True, id="no hash label, has hash"),
        pytest.param(GENERATION, LABELS_NO_HASH, "", True, id="no hash label, no hash"),
        pytest.param(GENERATION, LABELS, "", True, id="has hash label, no hash"),
        pytest.param(BAD_GENERATION, LABELS, HASH, True, id="hash matches"),
        pytest.param(BAD_GENERATION, LABELS, HASH + "123", False, id="neither matches"),
        pytest.param(GENERATION, {}, "", False, id="empty labels, no hash"),
        pytest.param(GENERATION, {}, HASH, False, id="empty labels"),
        pytest.param(GENERATION, None, HASH, False, id="no labels"),
    ],
)
def test_is_pod_updated(generation, labels, hash_, updated):
    pod = {"metadata": {"name": "pod1", "labels": labels}, "spec": {"nodeName": "node1"}}
    assert is_pod_updated(pod, hash_, generation) is updated


@pytest.mark.parametrize(("generation", "hash_"), [(1, ""), (2, "3242341807")])
def test_create_pod_template(generation, hash_):
    labels = create_pod_template({}, generation, hash_)["metadata"]["labels"]
    assert labels[TEMPLATE_GENERATION_LABEL] == str(generation)
    assert labels.get(CONTROLLER_REVISION_HASH_LABEL) == (hash_ or None)


def test_zero_status_fields_tagged_omitempty_are_not_written():
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    ds = workload("DaemonSet", "agent")
    ds["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "none"}  # no node matches
    c.apply(ds)
    c.settle()
    assert c.get("daemonsets", "agent")["status"] == {
        "currentNumberScheduled": 0,
        "desiredNumberScheduled": 0,
        "numberMisscheduled": 0,
        "numberReady": 0,
        "observedGeneration": 1,
    }
