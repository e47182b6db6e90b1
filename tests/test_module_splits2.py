"""The second batch of module splits keeps every public name where it was (the same object)."""

from __future__ import annotations

import importlib
from typing import Any, cast

import pytest

# hub module → (new module, names it must re-export from there)
MOVED = {
    "minik8s.cluster": ("minik8s.cluster_bootstrap", ["STANDARD_CLASS", "admission_chain"]),
    "minik8s.kubectl.commands_edit": ("minik8s.kubectl.commands_drain", ["drain_status"]),
    "minik8s.controllers.statefulset_control": (
        "minik8s.controllers.statefulset_actions",
        ["CreatePod", "DeletePod", "UpdateClaim", "Plan"],
    ),
    "minik8s.csi.attacher": ("minik8s.csi.volumeattachment", ["attachment_name", "is_attached"]),
    "minik8s.controllers.replicaset": (
        "minik8s.controllers.replicaset_pod_control",
        ["owned_and_orphans"],
    ),
    "minik8s.controllers.daemonset_control": (
        "minik8s.controllers.daemonset_status",
        ["daemon_set_status"],
    ),
    "minik8s.api.validation.core": ("minik8s.api.validation.valid_memo", ["ValidMemo", "str_key"]),
    "minik8s.csi.hostpath": ("minik8s.csi.hostpath_node", ["HostPathNode"]),
}


@pytest.mark.parametrize("hub", sorted(MOVED))
def test_moved_names_are_the_same_objects(hub: str) -> None:
    home, names = MOVED[hub]
    old, new = importlib.import_module(hub), importlib.import_module(home)
    for name in names:
        assert getattr(old, name) is getattr(new, name), name


@pytest.mark.parametrize("hub", sorted(MOVED))
def test_all_lists_only_names_the_hub_has(hub: str) -> None:
    module = importlib.import_module(hub)
    for name in getattr(module, "__all__", []):
        assert hasattr(module, name), name


def test_the_edit_commands_stay_registered() -> None:
    from minik8s.kubectl.cli import COMMANDS, kubectl

    assert kubectl(cast(Any, None), []).startswith("kubectl controls")  # imports every command
    homes = {name: COMMANDS[name].__module__ for name in EDIT_COMMANDS}
    assert homes == EDIT_COMMANDS


EDIT_COMMANDS = {  # command → the module that defines and registers it
    "patch": "minik8s.kubectl.commands_patch",
    "set": "minik8s.kubectl.commands_set",
    "cordon": "minik8s.kubectl.commands_drain",
    "uncordon": "minik8s.kubectl.commands_drain",
    "drain": "minik8s.kubectl.commands_drain",
    "taint": "minik8s.kubectl.commands_taint",
}


def test_endpoints_validation_stays_registered_by_core() -> None:
    from minik8s.api.validation import validate_object

    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "x", "namespace": "d"}}
    ep["subsets"] = [{"addresses": [{"ip": "127.0.0.1"}]}]
    messages = [str(e) for e in validate_object(ep)]
    assert any("subsets[0].addresses[0].ip" in m and "loopback" in m for m in messages), messages


def test_cluster_keeps_its_node_methods() -> None:
    from minik8s.cluster import Cluster

    for name in ("add_node", "remove_node", "fail_node", "recover_node", "kubelet"):
        assert callable(getattr(Cluster, name)), name


def test_cluster_defines_its_node_methods_itself() -> None:
    from minik8s.cluster import Cluster

    assert Cluster.__bases__ == (object,)  # no mixin: a reader finds every method in Cluster
    for name in ("add_node", "remove_node", "fail_node", "recover_node", "kubelet"):
        assert name in vars(Cluster), name
