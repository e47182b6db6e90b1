"""PersistentVolume and StorageClass validation, mirroring `ValidatePersistentVolume(Update)` in
`pkg/apis/core/validation/validation.go` and `ValidateStorageClass(Update)` in
`pkg/apis/storage/validation/validation.go`; helpers shared with `persistentvolumeclaim.py`.

Left out: the per-plugin checks of the legacy in-tree volume sources (only hostPath, nfs, local
and csi are checked field by field), node-affinity terms beyond "required", volume attributes
classes, allowedTopologies. The `cmp.Diff` upstream appends to "is immutable" messages is a
plain field list here. A bad quantity is an Invalid error here (upstream fails the decode).
"""

from __future__ import annotations

import posixpath
from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    forbidden,
    invalid,
    not_supported,
    required,
    too_long,
)
from minik8s.api.quantity import Quantity, parse_quantity
from minik8s.api.validation.core import (
    IS_NOT_POSITIVE_ERROR_MSG,
    Obj,
    spec_of,
    validate_core_object_meta,
    validate_dns1123_subdomain,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_immutable_field,
)
from minik8s.api.validation.names import is_qualified_name

SPEC = Path("spec")
ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
VOLUME_MODES = ("Block", "Filesystem")
HOST_PATH_TYPES = (
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
)
SC_RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("Immediate", "WaitForFirstConsumer")
MAX_PARAMETERS = 512
MAX_PARAMETERS_SIZE = 256 * (1 << 10)
# (v1 field, the path upstream reports "more than 1 volume type" at, the path it validates at)
PV_SOURCES = (
    ("hostPath", "hostPath", "hostPath"),
    ("gcePersistentDisk", "gcePersistentDisk", "persistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore"),
    ("glusterfs", "glusterfs", "glusterfs"),
    ("flocker", "flocker", "flocker"),
    ("nfs", "nfs", "nfs"),
    ("rbd", "rbd", "rbd"),
    ("quobyte", "quobyte", "quobyte"),
    ("cephfs", "cephFS", "cephfs"),
    ("iscsi", "iscsi", "iscsi"),
    ("cinder", "cinder", "cinder"),
    ("fc", "fc", "fc"),
    ("flexVolume", "flexVolume", "flexVolume"),
    ("azureFile", "azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk", "azureDisk"),
    ("scaleIO", "scaleIO", "scaleIO"),
    ("local", "local", "local"),
    ("storageos", "storageos", "storageos"),
    ("csi", "csi", "csi"),
)


def _quantity(value: Any, path: Path) -> tuple[Quantity | None, list[FieldError]]:
    try:
        return parse_quantity(value), []
    except (ValueError, TypeError) as exc:
        return None, [invalid(path, value, str(exc))]


def validate_positive_quantity(value: Any, path: Path) -> list[FieldError]:
    """upstream `ValidatePositiveQuantityValue`."""
    q, errs = _quantity(value, path)
    if q is not None and q.sign() <= 0:
        errs.append(invalid(path, str(q), IS_NOT_POSITIVE_ERROR_MSG))
    return errs


def _validate_capacity(value: Any, path: Path) -> list[FieldError]:
    """upstream `validateBasicResource` then `ValidatePositiveQuantityValue`."""
    q, errs = _quantity(value, path)
    if q is None:
        return errs
    if q.value() < 0:
        errs.append(invalid(path, q.value(), "must be a valid resource quantity"))
    if q.sign() <= 0:
        errs.append(invalid(path, str(q), IS_NOT_POSITIVE_ERROR_MSG))
    return errs


def validate_access_modes(modes: list[str], path: Path, detail: str) -> list[FieldError]:
    """Required, supported, and ReadWriteOncePod alone (PV and PVC specs)."""
    errs = [] if modes else [required(path, detail)]
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(not_supported(path, mode, ACCESS_MODES))
    if "ReadWriteOncePod" in modes and any(
        m in ACCESS_MODES and m != "ReadWriteOncePod" for m in modes
    ):
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


# --- PersistentVolume --------------------------------------------------------------------------


@validates("PersistentVolume")
def validate_persistent_volume(pv: Obj) -> list[FieldError]:
    """upstream `ValidatePersistentVolume`."""
    errs = validate_core_object_meta(pv, False, name_is_dns_subdomain)
    return errs + validate_persistent_volume_spec(spec_of(pv), SPEC)


def validate_persistent_volume_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidatePersistentVolumeSpec` (not inline)."""
    errs = validate_access_modes(spec.get("accessModes") or [], path.child("accessModes"), "")
    capacity = spec.get("capacity") or {}
    if not capacity:
        errs.append(required(path.child("capacity")))
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(not_supported(path.child("capacity"), capacity, ["storage"]))
    for name in sorted(capacity):
        errs += _validate_capacity(capacity[name], path.child("capacity").key(name))
    policy = spec.get("persistentVolumeReclaimPolicy") or ""
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(
            not_supported(path.child("persistentVolumeReclaimPolicy"), policy, RECLAIM_POLICIES)
        )
    affinity = spec.get("nodeAffinity")
    if affinity is not None and affinity.get("required") is None:
        errs.append(
            required(
                path.child("nodeAffinity", "required"), "must specify required node constraints"
            )
        )
    errs += _validate_pv_sources(
        spec, path, affinity is not None and affinity.get("required") is not None
    )
    host = (spec.get("hostPath") or {}).get("path")
    if host is not None and posixpath.normpath(host or ".") == "/" and policy == "Recycle":
        detail = "may not be 'recycle' for a hostPath mount of '/'"
        errs.append(forbidden(path.child("persistentVolumeReclaimPolicy"), detail))
    class_name = spec.get("storageClassName") or ""
    if class_name:
        msgs = name_is_dns_subdomain(class_name, False)
        errs += [invalid(path.child("storageClassName"), class_name, m) for m in msgs]
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    return errs


def _validate_pv_sources(spec: Obj, path: Path, has_affinity: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key, forbidden_at, validate_at in PV_SOURCES:
        source = spec.get(key)
        if source is None:
            continue
        if count > 0 and key != "flexVolume":
            errs.append(
                forbidden(path.child(forbidden_at), "may not specify more than 1 volume type")
            )
            continue
        count += 1
        errs += _validate_source(key, source, path.child(validate_at))
        if key == "local" and not has_affinity:
            errs.append(required(path.child("nodeAffinity"), "Local volume requires node affinity"))
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def validate_csi_driver_name(driver: str, path: Path) -> list[FieldError]:
    """upstream core `ValidateCSIDriverName`: required, at most 63 characters, a DNS-1123
    subdomain once lowercased (an empty name fails that too)."""
    errs = [required(path)] if not driver else []
    if len(driver) > 63:
        errs.append(too_long(path, driver, 63))
    msgs = validate_dns1123_subdomain(driver.lower(), path)
    return errs + [invalid(path, driver, e.detail) for e in msgs]


def _validate_source(key: str, source: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if key in ("hostPath", "local", "nfs"):
        if not source.get("path"):
            errs.append(required(path.child("path")))
        elif ".." in source["path"].split("/"):
            errs.append(invalid(path.child("path"), source["path"], "must not contain '..'"))
    if key == "hostPath" and (source.get("type") or "") not in HOST_PATH_TYPES:
        errs.append(not_supported(path.child("type"), source["type"], HOST_PATH_TYPES))
    if key == "nfs":
        if not source.get("server"):
            errs.insert(0, required(path.child("server")))
        if source.get("path") and not source["path"].startswith("/"):
            errs.append(invalid(path.child("path"), source["path"], "must be an absolute path"))
    if key == "csi":
        errs += validate_csi_driver_name(source.get("driver") or "", path.child("driver"))
        if not source.get("volumeHandle"):
            errs.append(required(path.child("volumeHandle")))
    return errs


@validates_update("PersistentVolume")
def validate_persistent_volume_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidatePersistentVolumeUpdate`: the volume source is immutable."""
    new_spec, old_spec = spec_of(new), spec_of(old)
    errs: list[FieldError] = validate_meta_update(new, old)
    keys = [key for key, _, _ in PV_SOURCES]
    new_src = {k: new_spec[k] for k in keys if new_spec.get(k) is not None}
    old_src = {k: old_spec[k] for k in keys if old_spec.get(k) is not None}
    if new_src != old_src:
        detail = "spec.persistentvolumesource is immutable after creation\n" + diff_fields(
            old_src, new_src
        )
        errs.append(forbidden(Path("spec", "persistentvolumesource"), detail))
    errs += validate_immutable_field(
        new_spec.get("volumeMode"), old_spec.get("volumeMode"), Path("volumeMode")
    )
    if (
        old_spec.get("nodeAffinity") is not None
        and new_spec.get("nodeAffinity") != old_spec["nodeAffinity"]
    ):
        detail = "field is immutable, except for updating from beta label to GA"
        errs.append(invalid(Path("nodeAffinity"), new_spec.get("nodeAffinity"), detail))
    return errs


def diff_fields(old: Obj, new: Obj) -> str:
    """A small stand-in for `cmp.Diff(old, new)`: one -/+ line per changed field."""
    lines = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            lines.append(f"-\t{key}: {old.get(key)!r}")
            lines.append(f"+\t{key}: {new.get(key)!r}")
    return "\n".join(lines)


# --- StorageClass ------------------------------------------------------------------------------


@validates("StorageClass")
def validate_storage_class(sc: Obj) -> list[FieldError]:
    """upstream `ValidateStorageClass`: provisioner, parameters, reclaimPolicy, bindingMode."""
    errs = validate_core_object_meta(sc, False, name_is_dns_subdomain)
    provisioner = sc.get("provisioner") or ""
    if not provisioner:
        errs.append(required(Path("provisioner"), provisioner))
    else:
        msgs = is_qualified_name(provisioner.lower())
        errs += [invalid(Path("provisioner"), provisioner.lower(), m) for m in msgs]
    errs += _validate_parameters(sc.get("parameters") or {})
    policy = sc.get("reclaimPolicy")
    if policy and policy not in SC_RECLAIM_POLICIES:
        errs.append(not_supported(Path("reclaimPolicy"), policy, SC_RECLAIM_POLICIES))
    mode = sc.get("volumeBindingMode")
    if mode is None:
        errs.append(required(Path("volumeBindingMode")))
    elif mode not in BINDING_MODES:
        errs.append(not_supported(Path("volumeBindingMode"), mode, BINDING_MODES))
    return errs


def _validate_parameters(params: dict[str, str]) -> list[FieldError]:
    path = Path("parameters")
    if len(params) > MAX_PARAMETERS:
        return [too_long(path, "Provisioner Parameters exceeded max allowed", MAX_PARAMETERS)]
    errs = [invalid(path, k, "field can not be empty.") for k in sorted(params) if not k]
    total = sum(len(k.encode()) + len(str(v).encode()) for k, v in params.items())
    if total > MAX_PARAMETERS_SIZE:
        errs.append(too_long(path, "", MAX_PARAMETERS_SIZE))
    return errs


@validates_update("StorageClass")
def validate_storage_class_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateStorageClassUpdate`: parameters, provisioner, reclaimPolicy and
    volumeBindingMode are immutable."""
    errs = validate_meta_update(new, old)
    if (new.get("parameters") or {}) != (old.get("parameters") or {}):
        errs.append(forbidden(Path("parameters"), "updates to parameters are forbidden."))
    if new.get("provisioner") != old.get("provisioner"):
        errs.append(forbidden(Path("provisioner"), "updates to provisioner are forbidden."))
    if new.get("reclaimPolicy") != old.get("reclaimPolicy"):
        errs.append(forbidden(Path("reclaimPolicy"), "updates to reclaimPolicy are forbidden."))
    errs += validate_immutable_field(
        new.get("volumeBindingMode"), old.get("volumeBindingMode"), Path("volumeBindingMode")
    )
    return errs
