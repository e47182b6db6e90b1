"""Pod volume validation, mirroring `ValidateVolumes` / `validateVolumeSource` in
`pkg/apis/core/validation/validation.go`.

Checks names (DNS label, unique), exactly one source per volume, and the required fields of the
common sources (hostPath, emptyDir, secret, configMap, persistentVolumeClaim, nfs, downwardAPI,
projected, csi, ephemeral, image). Left out: the cloud and legacy in-tree plugins' own rules
(only counted as a source), projected-source details beyond item paths, and size limits.
"""

from __future__ import annotations

import posixpath
from typing import Any

from minik8s.api.field import (
    FieldError,
    Path,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)
from minik8s.api.validation.core import validate_dns1123_label
from minik8s.api.validation.meta import name_is_dns_subdomain
from minik8s.api.validation.names import is_config_map_key

Obj = dict[str, Any]

VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
    "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
    "csi", "ephemeral", "image",
)  # fmt: skip
HOST_PATH_TYPES = (
    "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice",
    "BlockDevice",
)  # fmt: skip
FILE_MODE_ERROR_MSG = "must be a number between 0 and 0777 (octal), both inclusive"


def validate_path_no_backsteps(target: str, path: Path) -> list[FieldError]:
    """upstream `validatePathNoBacksteps`: no `..` element."""
    if ".." in target.replace("\\", "/").split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def validate_local_descending_path(target: str, path: Path) -> list[FieldError]:
    """upstream `validateLocalDescendingPath`: relative, no `..`."""
    errs: list[FieldError] = []
    if posixpath.isabs(target):
        errs.append(invalid(path, target, "must be a relative path"))
    return errs + validate_path_no_backsteps(target, path)


def _mode(source: Obj, key: str, path: Path) -> list[FieldError]:
    mode = source.get(key)
    if mode is not None and not 0 <= mode <= 0o777:
        return [invalid(path.child(key), mode, FILE_MODE_ERROR_MSG)]
    return []


def _key_to_path_items(items: list[Obj], path: Path) -> list[FieldError]:
    """upstream `validateKeyToPath` for secret/configMap items."""
    errs: list[FieldError] = []
    for i, item in enumerate(items):
        p = path.child("items").index(i)
        if not item.get("key"):
            errs.append(required(p.child("key")))
        if not item.get("path"):
            errs.append(required(p.child("path")))
        errs += validate_local_descending_path(item.get("path", ""), p.child("path"))
        errs += _mode(item, "mode", p)
    return errs


def _validate_secret(source: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    name = source.get("secretName") or ""
    if not name:
        errs.append(required(path.child("secretName")))
    else:
        errs += [
            invalid(path.child("secretName"), name, m) for m in name_is_dns_subdomain(name, False)
        ]
    return (
        errs
        + _mode(source, "defaultMode", path)
        + _key_to_path_items(source.get("items") or [], path)
    )


def _validate_config_map(source: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    name = source.get("name") or ""
    if not name:
        errs.append(required(path.child("name")))
    else:
        errs += [invalid(path.child("name"), name, m) for m in name_is_dns_subdomain(name, False)]
    return (
        errs
        + _mode(source, "defaultMode", path)
        + _key_to_path_items(source.get("items") or [], path)
    )


def _validate_host_path(source: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if not source.get("path"):
        errs.append(required(path.child("path")))
        return errs
    errs += validate_path_no_backsteps(source["path"], path.child("path"))
    kind = source.get("type")
    if kind is not None and kind not in HOST_PATH_TYPES:
        errs.append(not_supported(path.child("type"), kind, HOST_PATH_TYPES))
    return errs


def _validate_pvc(source: Obj, path: Path) -> list[FieldError]:
    if not source.get("claimName"):
        return [required(path.child("claimName"))]
    return []


def _validate_nfs(source: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if not source.get("server"):
        errs.append(required(path.child("server")))
    nfs_path = source.get("path") or ""
    if not nfs_path:
        errs.append(required(path.child("path")))
    elif not nfs_path.startswith("/"):
        errs.append(invalid(path.child("path"), nfs_path, "must be an absolute path"))
    return errs


def _validate_downward_api(source: Obj, path: Path) -> list[FieldError]:
    errs = _mode(source, "defaultMode", path)
    for i, item in enumerate(source.get("items") or []):
        p = path.child("items").index(i)
        if not item.get("path"):
            errs.append(required(p.child("path")))
        errs += validate_path_no_backsteps(item.get("path", ""), p.child("path"))
        errs += _mode(item, "mode", p)
    return errs


def _validate_csi(source: Obj, path: Path) -> list[FieldError]:
    if not source.get("driver"):
        return [required(path.child("driver"))]
    return []


def _validate_image(source: Obj, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    if not source.get("reference"):
        errs.append(required(path.child("reference")))
    policy = source.get("pullPolicy", "")
    if policy and policy not in ("Always", "IfNotPresent", "Never"):
        errs.append(
            not_supported(path.child("pullPolicy"), policy, ("Always", "IfNotPresent", "Never"))
        )
    return errs


def _validate_ephemeral(source: Obj, path: Path) -> list[FieldError]:
    if source.get("volumeClaimTemplate") is None:
        return [required(path.child("volumeClaimTemplate"))]
    return []


_SOURCE_CHECKS = {
    "secret": _validate_secret,
    "configMap": _validate_config_map,
    "hostPath": _validate_host_path,
    "persistentVolumeClaim": _validate_pvc,
    "nfs": _validate_nfs,
    "downwardAPI": _validate_downward_api,
    "csi": _validate_csi,
    "image": _validate_image,
    "ephemeral": _validate_ephemeral,
}


def validate_volume_source(volume: Obj, path: Path) -> list[FieldError]:
    """upstream `validateVolumeSource`: exactly one source, and that source's own rules."""
    errs: list[FieldError] = []
    count = 0
    for source in VOLUME_SOURCES:
        if volume.get(source) is None:
            continue
        if count > 0:
            errs.append(forbidden(path.child(source), "may not specify more than 1 volume type"))
            continue
        count += 1
        check = _SOURCE_CHECKS.get(source)
        if check is not None:
            errs += check(volume[source], path.child(source))
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def validate_volumes(volumes: list[Obj], path: Path) -> tuple[dict[str, Obj], list[FieldError]]:
    """upstream `ValidateVolumes`: the valid volumes by name, and every problem."""
    names: dict[str, Obj] = {}
    errs: list[FieldError] = []
    for i, volume in enumerate(volumes):
        p = path.index(i)
        name = volume.get("name") or ""
        volume_errs = validate_volume_source(volume, p)
        if not name:
            volume_errs.append(required(p.child("name")))
        else:
            volume_errs += validate_dns1123_label(name, p.child("name"))
        if name in names:
            volume_errs.append(duplicate(p.child("name"), name))
        if volume_errs:
            errs += volume_errs
        else:
            names[name] = volume
    return names, errs


def validate_config_map_key(key: str, path: Path) -> list[FieldError]:
    """The `key` of a configMapKeyRef / secretKeyRef: required, a valid data key."""
    if not key:
        return [required(path)]
    return [invalid(path, key, m) for m in is_config_map_key(key)]
