"""VolumeAttachment validation, mirroring `ValidateVolumeAttachment`, `ValidateVolumeAttachmentV1`
and `ValidateVolumeAttachmentUpdate` in upstream `pkg/apis/storage/validation/validation.go`, as
`pkg/registry/storage/volumeattachment/strategy.go` runs them: a create gets the v1 checks too; an
update (and a `/status` write, whose strategy inherits `ValidateUpdate`) re-validates the whole
object and keeps the spec immutable.

Left out: an `inlineVolumeSpec` is not validated field by field (only its presence counts).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, required, too_long
from minik8s.api.validation.core import validate_core_object_meta, validate_meta_update
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import name_is_dns_subdomain
from minik8s.api.validation.storage import validate_csi_driver_name

Obj = dict[str, Any]
SPEC = Path("spec")
STATUS = Path("status")
MAX_ATTACHED_VOLUME_METADATA_SIZE = 256 * (1 << 10)
MAX_VOLUME_ERROR_MESSAGE_SIZE = 1024
ONE_SOURCE = "must specify exactly one of inlineVolumeSpec and persistentVolumeName"


def _validate_source(source: Obj, path: Path) -> list[FieldError]:
    """upstream `validateVolumeAttachmentSource`."""
    inline, pv_name = source.get("inlineVolumeSpec"), source.get("persistentVolumeName")
    if inline is None and pv_name is None:
        return [required(path, ONE_SOURCE)]
    if inline is not None and pv_name is not None:
        return [forbidden(path, ONE_SOURCE)]
    if pv_name is not None and not pv_name:
        return [
            required(
                path.child("persistentVolumeName"), "must specify non empty persistentVolumeName"
            )
        ]
    return []


def _validate_spec(spec: Obj) -> list[FieldError]:
    """upstream `validateVolumeAttachmentSpec`: attacher, source, nodeName."""
    errs: list[FieldError] = []
    attacher = spec.get("attacher") or ""
    if not attacher:
        errs.append(required(SPEC.child("attacher"), attacher))
    errs += _validate_source(spec.get("source") or {}, SPEC.child("source"))
    node_name = spec.get("nodeName") or ""
    errs += [
        invalid(SPEC.child("nodeName"), node_name, m)
        for m in name_is_dns_subdomain(node_name, False)
    ]
    return errs


def _validate_volume_error(error: Obj | None, path: Path) -> list[FieldError]:
    """upstream `validateVolumeError` (its limit printed is the metadata one, as upstream)."""
    if (
        error is not None
        and len((error.get("message") or "").encode()) > MAX_VOLUME_ERROR_MESSAGE_SIZE
    ):
        return [too_long(path.child("message"), "", MAX_ATTACHED_VOLUME_METADATA_SIZE)]
    return []


def validate_volume_attachment_status(status: Obj) -> list[FieldError]:
    """upstream `validateVolumeAttachmentStatus`: metadata size, attach and detach errors."""
    metadata = status.get("attachmentMetadata") or {}
    size = sum(len(k.encode()) + len(str(v).encode()) for k, v in metadata.items())
    errs: list[FieldError] = []
    if size > MAX_ATTACHED_VOLUME_METADATA_SIZE:
        errs.append(
            too_long(STATUS.child("attachmentMetadata"), "", MAX_ATTACHED_VOLUME_METADATA_SIZE)
        )
    errs += _validate_volume_error(status.get("attachError"), STATUS.child("attachError"))
    return errs + _validate_volume_error(status.get("detachError"), STATUS.child("detachError"))


def validate_volume_attachment(va: Obj) -> list[FieldError]:
    """upstream `ValidateVolumeAttachment` (v1 and v1beta1)."""
    errs = validate_core_object_meta(va, False, name_is_dns_subdomain)
    errs += _validate_spec(va.get("spec") or {})
    return errs + validate_volume_attachment_status(va.get("status") or {})


@validates("VolumeAttachment")
def validate_volume_attachment_create(va: Obj) -> list[FieldError]:
    """The strategy's `Validate`: `ValidateVolumeAttachment` plus `ValidateVolumeAttachmentV1`
    (attacher a CSI driver name, the PV name a valid one)."""
    errs = validate_volume_attachment(va)
    spec = va.get("spec") or {}
    errs += validate_csi_driver_name(spec.get("attacher") or "", SPEC.child("attacher"))
    pv_name = (spec.get("source") or {}).get("persistentVolumeName")
    if pv_name is not None:
        path = SPEC.child("source", "persistentVolumeName")
        errs += [invalid(path, pv_name, m) for m in name_is_dns_subdomain(pv_name, False)]
    return errs


def _validate_update_rules(new: Obj, old: Obj) -> list[FieldError]:
    """`ValidateVolumeAttachment` of the new object and `ValidateVolumeAttachmentUpdate` (the
    same again, which upstream's aggregate deduplicates, and an immutable spec)."""
    errs = validate_volume_attachment(new)
    if (new.get("spec") or {}) != (old.get("spec") or {}):
        errs.append(invalid(SPEC, new.get("spec"), "field is immutable"))
    return errs


@validates_update("VolumeAttachment", replaces_create=True)
def validate_volume_attachment_update(new: Obj, old: Obj) -> list[FieldError]:
    """The strategy's `ValidateUpdate`, after `ValidateObjectMetaUpdate`."""
    return validate_meta_update(new, old) + _validate_update_rules(new, old)


def validate_volume_attachment_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """`volumeAttachmentStatusStrategy.ValidateUpdate`, inherited from the main strategy (the
    status strategy runs the metadata rules first)."""
    return _validate_update_rules(new, old)
