"""DaemonSet template generation: the `deprecated.daemonset.template.generation` annotation the
API server keeps (pkg/registry/apps/daemonset/strategy.go + apps/v1 conversion) and the
`pod-template-generation` label the controller puts on its pods (`CreatePodTemplate`)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s import Cluster
from minik8s.apiserver.daemonset_strategy import (
    TEMPLATE_GENERATION_ANNOTATION,
    prepare_daemonset_for_create,
    prepare_daemonset_for_update,
)

Obj = dict[str, Any]
KEY = TEMPLATE_GENERATION_ANNOTATION


def daemonset(image: str = "nginx", annotations: dict[str, str] | None = None) -> Obj:
    labels = {"app": "agent"}
    meta: Obj = {"name": "agent"}
    if annotations is not None:
        meta["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": meta,
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": image}]},
            },
        },
    }


# -- the strategy (pure) ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "sent, stored",
    [(None, "1"), ("1", "1"), ("5", "5"), ("0", "1"), ("-3", "1"), ("x", "1")],
)
def test_create_starts_at_template_generation_one(sent: str | None, stored: str):
    ds = daemonset(annotations=None if sent is None else {KEY: sent, "team": "a"})
    prepare_daemonset_for_create(ds)
    assert ds["metadata"]["annotations"][KEY] == stored
    if sent is not None:
        assert ds["metadata"]["annotations"]["team"] == "a"


@pytest.mark.parametrize(
    "old_value, sent, image, stored",
    [
        ("1", "1", "nginx", "1"),  # nothing changed
        ("1", None, "nginx", "1"),  # the client dropped it: restored
        ("1", "7", "nginx", "1"),  # the client may not set it
        ("1", "1", "nginx:2", "2"),  # template changed
        ("3", "9", "nginx:2", "4"),
        (None, None, "nginx", "0"),  # stored without one: conversion writes the zero value
        (None, None, "nginx:2", "1"),
    ],
)
def test_update_keeps_the_stored_generation_and_counts_template_changes(
    old_value: str | None, sent: str | None, image: str, stored: str
):
    old = daemonset(annotations=None if old_value is None else {KEY: old_value})
    new = daemonset(image, annotations=None if sent is None else {KEY: sent})
    prepare_daemonset_for_update(new, old)
    assert new["metadata"]["annotations"][KEY] == stored
    again = copy.deepcopy(new)
    prepare_daemonset_for_update(again, old)  # idempotent
    assert again == new


def test_update_of_spec_outside_the_template_keeps_the_generation():
    old = daemonset(annotations={KEY: "2"})
    new = daemonset(annotations={KEY: "2"})
    new["spec"]["minReadySeconds"] = 5
    prepare_daemonset_for_update(new, old)
    assert new["metadata"]["annotations"][KEY] == "2"


# -- through the API server and the controller ---------------------------------------------
def pod_generations(c: Cluster) -> list[str | None]:
    return sorted(p["metadata"]["labels"].get("pod-template-generation") for p in c.get("pods"))


def test_daemonset_and_pods_carry_the_template_generation():
    c = Cluster(nodes=2, seed=0)
    c.apply(daemonset())
    c.run(10)
    ds = c.get("ds", "agent")
    assert ds["metadata"]["annotations"][KEY] == "1"
    assert ds["status"]["numberReady"] == 2  # status writes keep the annotation
    assert c.get("ds", "agent")["metadata"]["annotations"][KEY] == "1"
    assert pod_generations(c) == ["1", "1"]
    c.apply(daemonset("nginx:2"))
    c.settle()
    ds = c.get("ds", "agent")
    assert (ds["metadata"]["generation"], ds["metadata"]["annotations"][KEY]) == (2, "2")
    assert pod_generations(c) == ["2", "2"]
    ds["spec"]["minReadySeconds"] = 1
    c.client.update("daemonsets", ds)
    ds = c.get("ds", "agent")
    assert (ds["metadata"]["generation"], ds["metadata"]["annotations"][KEY]) == (3, "2")
