"""`kubectl get pv/pvc/sc` rows, after upstream `printPersistentVolume`,
`printPersistentVolumeClaim` and `printStorageClass` (pkg/printers/internalversion, 1.31):
nil pointers print `<unset>`, an empty VolumeAttributesClass name prints empty, a claim shows
capacity and access modes only once it names a volume."""

from datetime import UTC, datetime

from minik8s.kubectl.printers import row_cells

NOW = datetime(2025, 1, 1, 0, 10, tzinfo=UTC)
CREATED = "2025-01-01T00:00:00Z"


def pv(**spec):
    return {
        "metadata": {"name": "pv1", "creationTimestamp": CREATED},
        "spec": {
            "capacity": {"storage": "5Gi"},
            "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain",
            **spec,
        },
        "status": {"phase": "Bound"},
    }


def test_persistent_volume_row():
    ref = {"namespace": "default", "name": "data"}
    headers, cells = row_cells("PersistentVolume", pv(claimRef=ref, volumeMode="Block"), NOW, True)
    assert headers == [
        "NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "REASON", "AGE", "VOLUMEMODE",
    ]  # fmt: skip
    assert cells == [
        "pv1", "5Gi", "RWO,RWX", "Retain", "Bound", "default/data", "", "<unset>", "", "10m",
        "Block",
    ]  # fmt: skip


def test_persistent_volume_pointer_fields():
    _, cells = row_cells("PersistentVolume", pv(volumeAttributesClassName=""), NOW, True)
    assert (cells[7], cells[10]) == ("", "<unset>")
    deleting = pv()
    deleting["metadata"]["deletionTimestamp"] = CREATED
    assert row_cells("PersistentVolume", deleting, NOW, False)[1][4] == "Terminating"


def pvc(volume="", **spec):
    return {
        "metadata": {"name": "data", "creationTimestamp": CREATED},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            "volumeName": volume,
            **spec,
        },
        "status": {
            "phase": "Bound" if volume else "Pending",
            "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
            "capacity": {"storage": "5Gi"},
        },
    }


def test_persistent_volume_claim_rows():
    headers, cells = row_cells("PersistentVolumeClaim", pvc("pv1", storageClassName="x"), NOW, True)
    assert headers == [
        "NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE",
    ]  # fmt: skip
    assert cells == ["data", "Bound", "pv1", "5Gi", "RWO,ROX", "x", "<unset>", "10m", "<unset>"]
    _, pending = row_cells("PersistentVolumeClaim", pvc(), NOW, False)
    assert pending == ["data", "Pending", "", "", "", "", "<unset>", "10m"]


def test_storage_class_row():
    sc = {
        "metadata": {
            "name": "standard",
            "creationTimestamp": CREATED,
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "rancher.io/local-path",
    }
    headers, cells = row_cells("StorageClass", sc, NOW, False)
    assert headers == [
        "NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE",
    ]  # fmt: skip
    assert cells == ["standard (default)", "rancher.io/local-path", "Delete", "Immediate", "false",
                     "10m"]  # fmt: skip
