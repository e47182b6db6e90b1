"""PersistentVolume, PersistentVolumeClaim and StorageClass validation against upstream's words
and field paths (`pkg/apis/core/validation`, `pkg/apis/storage/validation`)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from minik8s.api.defaults import apply_defaults
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.api.validation.names import is_dns1123_subdomain

SUBDOMAIN_DETAIL = is_dns1123_subdomain("")[0]

Obj = dict[str, Any]
IMMUTABLE_PVC = (
    "spec: Forbidden: spec is immutable after creation except resources.requests and "
    "volumeAttributesClassName for bound claims\n"
)


def errors(obj: Obj) -> list[str]:
    return [str(e) for e in validate_object(apply_defaults(obj))]


def update_errors(new: Obj, old: Obj) -> list[str]:
    return [str(e) for e in validate_object_update(apply_defaults(new), apply_defaults(old))]


def pv(**spec: Any) -> Obj:
    meta = {"name": "pv-1", "resourceVersion": "1"}
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta, "spec": spec}


def good_pv(**more: Any) -> Obj:
    spec = {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteOnce"],
        "hostPath": {"path": "/data/pv-1"},
    }
    return pv(**{**spec, **more})


def pvc(phase: str | None = None, **spec: Any) -> Obj:
    spec.setdefault("accessModes", ["ReadWriteOnce"])
    spec.setdefault("resources", {"requests": {"storage": "1Gi"}})
    meta = {"name": "data", "namespace": "default", "resourceVersion": "1"}
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": spec}
    if phase:
        obj["status"] = {"phase": phase, "capacity": {"storage": "1Gi"}}
    return obj


# --- PersistentVolume --------------------------------------------------------------------------


def test_valid_persistent_volumes() -> None:
    assert errors(good_pv()) == []
    csi = {"driver": "hostpath.csi.minik8s.io", "volumeHandle": "vol-1"}
    assert errors(pv(capacity={"storage": "5Gi"}, accessModes=["ReadWriteOncePod"], csi=csi)) == []
    affinity: Obj = {"required": {"nodeSelectorTerms": [{"matchExpressions": []}]}}
    local = {"path": "/mnt/disk"}
    assert errors(good_pv(hostPath=None, local=local, nodeAffinity=affinity)) == []


def test_empty_persistent_volume() -> None:
    assert errors(pv()) == [
        "spec.accessModes: Required value",
        "spec.capacity: Required value",
        'spec.capacity: Unsupported value: {}: supported values: "storage"',
        "spec: Required value: must specify a volume type",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"accessModes": ["ReadWriteOncePod", "ReadWriteOnce"]},
            ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"],
        ),
        (
            {"accessModes": ["ReadWriteSome"]},
            [
                'spec.accessModes: Unsupported value: "ReadWriteSome": supported values: '
                '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'
            ],
        ),
        (
            {"capacity": {"storage": "-1Gi"}},
            [
                "spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource "
                "quantity",
                'spec.capacity[storage]: Invalid value: "-1Gi": must be greater than zero',
            ],
        ),
        (
            {"capacity": {"storage": "0"}},
            ['spec.capacity[storage]: Invalid value: "0": must be greater than zero'],
        ),
        (
            {"capacity": {"storage": "1Gi", "cpu": "1"}},
            [
                'spec.capacity: Unsupported value: {"cpu":"1","storage":"1Gi"}: supported values: '
                '"storage"'
            ],
        ),
        (
            {"persistentVolumeReclaimPolicy": "Keep"},
            [
                'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: '
                '"Delete", "Recycle", "Retain"'
            ],
        ),
        (
            {"hostPath": {"path": "/"}, "persistentVolumeReclaimPolicy": "Recycle"},
            [
                "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a "
                "hostPath "
                "mount of '/'"
            ],
        ),
        (
            {"nfs": {"server": "nfs", "path": "/export"}},
            ["spec.nfs: Forbidden: may not specify more than 1 volume type"],
        ),
        (
            {"volumeMode": "Raw"},
            ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'],
        ),
        (
            {"hostPath": {"path": "/data", "type": "Folder"}},
            [
                'spec.hostPath.type: Unsupported value: "Folder": supported values: "", '
                '"BlockDevice", '
                '"CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'
            ],
        ),
        (
            {"hostPath": None, "local": {"path": "/mnt"}},
            ["spec.nodeAffinity: Required value: Local volume requires node affinity"],
        ),
        (
            {"hostPath": None, "csi": {"driver": ""}},
            [
                "spec.csi.driver: Required value",
                f'spec.csi.driver: Invalid value: "": {SUBDOMAIN_DETAIL}',
                "spec.csi.volumeHandle: Required value",
            ],
        ),
        (
            {"hostPath": None, "nfs": {"path": "export"}},
            [
                "spec.nfs.server: Required value",
                'spec.nfs.path: Invalid value: "export": must be an absolute path',
            ],
        ),
    ],
)
def test_persistent_volume_errors(changes: Obj, expected: list[str]) -> None:
    assert errors(good_pv(**changes)) == expected


def test_persistent_volume_storage_class_name() -> None:
    (error,) = errors(good_pv(storageClassName="Fast_SSD"))
    assert error.startswith('spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC')


def test_persistent_volume_source_is_immutable() -> None:
    old, new = good_pv(), good_pv(hostPath={"path": "/elsewhere"})
    (error,) = update_errors(new, old)
    assert error.startswith(
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after "
        "creation\n"
    )
    assert update_errors(good_pv(persistentVolumeReclaimPolicy="Delete"), good_pv()) == []


# --- PersistentVolumeClaim ---------------------------------------------------------------------


def test_persistent_volume_claims() -> None:
    assert errors(pvc()) == []
    assert errors(pvc(accessModes=[], resources={})) == [
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
    ]
    assert errors(pvc(resources={"requests": {"storage": "0"}})) == [
        'spec.resources[storage]: Invalid value: "0": must be greater than zero'
    ]
    assert errors(pvc(volumeMode="Raw")) == [
        'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"'
    ]
    assert errors(pvc(dataSource={"kind": "Snapshot", "name": "s"})) == [
        "spec.dataSource: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when "
        "referencing the default apiGroup"
    ]


def test_bound_claim_may_grow_but_not_shrink() -> None:
    old = pvc("Bound")
    grow = copy.deepcopy(old)
    grow["spec"]["resources"]["requests"]["storage"] = "2Gi"
    assert update_errors(grow, old) == []
    shrink = copy.deepcopy(old)
    shrink["spec"]["resources"]["requests"]["storage"] = "500Mi"
    assert update_errors(shrink, old) == [
        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"
    ]


def test_claim_spec_is_otherwise_immutable() -> None:
    old = pvc("Bound")
    modes = copy.deepcopy(old)
    modes["spec"]["accessModes"] = ["ReadWriteMany"]
    (error,) = update_errors(modes, old)
    assert error.startswith(IMMUTABLE_PVC)
    pending = pvc("Pending")
    grow = copy.deepcopy(pending)
    grow["spec"]["resources"]["requests"]["storage"] = "2Gi"
    (error,) = update_errors(grow, pending)
    assert error.startswith(IMMUTABLE_PVC)


def test_claim_volume_name_and_class_may_be_set_once() -> None:
    old = pvc("Pending")
    bound = copy.deepcopy(old)
    bound["spec"]["volumeName"] = "pv-1"
    bound["spec"]["storageClassName"] = "standard"
    assert update_errors(bound, old) == []
    rebound = copy.deepcopy(bound)
    rebound["spec"]["volumeName"] = "pv-2"
    (error,) = update_errors(rebound, bound)
    assert error.startswith(IMMUTABLE_PVC)
    mode = copy.deepcopy(old)
    mode["spec"]["volumeMode"] = "Block"
    assert update_errors(mode, old)[-1] == 'volumeMode: Invalid value: "Block": field is immutable'


# --- StorageClass ------------------------------------------------------------------------------


def storage_class(**fields: Any) -> Obj:
    meta = {"name": "standard", "resourceVersion": "1"}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": meta,
        "provisioner": "hostpath.csi.minik8s.io",
        **fields,
    }


def test_storage_class() -> None:
    assert errors(storage_class()) == []
    bad = storage_class(
        provisioner="", reclaimPolicy="Recycle", volumeBindingMode="Later", parameters={"": "x"}
    )
    assert errors(bad) == [
        "provisioner: Required value",
        'parameters: Invalid value: "": field can not be empty.',
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", '
        '"WaitForFirstConsumer"',
    ]
    (error,) = errors(storage_class(provisioner="bad provisioner"))
    assert error.startswith('provisioner: Invalid value: "bad provisioner": name part must')


def test_storage_class_update() -> None:
    old = storage_class()
    new = storage_class(
        provisioner="other.io/x",
        parameters={"a": "b"},
        reclaimPolicy="Retain",
        volumeBindingMode="WaitForFirstConsumer",
    )
    assert update_errors(new, old) == [
        "parameters: Forbidden: updates to parameters are forbidden.",
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]
    relabelled = storage_class()
    relabelled["metadata"]["labels"] = {"tier": "gold"}
    assert update_errors(relabelled, old) == []
