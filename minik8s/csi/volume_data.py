"""What PersistentVolumes hold, by PV name: a read-through view for the course and tests (no
upstream counterpart: on a real cluster you would `kubectl exec` into a pod or look at the
storage backend).

A dynamically provisioned CSI volume is named after its PV (`pvc-<claim uid>`), so the view
finds its files in the driver; other PersistentVolumes (local, nfs…, whose files the kubelets
keep in one cluster-wide mapping) come from `other`. Writes go to `other`. Left out: statically
provisioned CSI PVs whose volume name differs from the PV name (ask the driver by handle).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

from minik8s.csi.hostpath import HostPathDriver

Files = dict[str, str]


class PersistentVolumeData(MutableMapping[str, Files]):
    """PV name → files: the CSI driver's volumes first, then `other`."""

    def __init__(self, driver: HostPathDriver, other: dict[str, Files] | None = None):
        self.driver = driver
        self.other: dict[str, Files] = {} if other is None else other

    def __repr__(self) -> str:
        return f"<PersistentVolumeData {len(self)} volumes>"

    def __getitem__(self, pv_name: str) -> Files:
        vol = self.driver.volume_named(pv_name)
        return vol.files if vol is not None else self.other[pv_name]

    def __setitem__(self, pv_name: str, files: Files) -> None:
        self.other[pv_name] = files

    def __delitem__(self, pv_name: str) -> None:
        del self.other[pv_name]

    def __iter__(self) -> Iterator[str]:
        yield from (vol.name for vol in self.driver.volumes.values())
        yield from (name for name in self.other if self.driver.volume_named(name) is None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
