"""PersistentVolumeClaim validation, mirroring `ValidatePersistentVolumeClaim(Spec)` and
`ValidatePersistentVolumeClaimUpdate` in `pkg/apis/core/validation/validation.go`
(RecoverVolumeExpansionFailure and the storage-class upgrade from nil as in upstream master).

Left out: data sources' API-group checks, volume attributes classes, the beta storage-class
annotation upgrade path; the `cmp.Diff` upstream appends to "spec is immutable" is a plain list.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, not_supported, required
from minik8s.api.quantity import Quantity, parse_quantity
from minik8s.api.validation.core import (
    Obj,
    spec_of,
    validate_core_object_meta,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import (
    name_is_dns_subdomain,
    validate_immutable_field,
    validate_label_selector,
)
from minik8s.api.validation.storage import (
    SPEC,
    VOLUME_MODES,
    diff_fields,
    validate_access_modes,
    validate_positive_quantity,
)


@validates("PersistentVolumeClaim")
def validate_persistent_volume_claim(pvc: Obj) -> list[FieldError]:
    """upstream `ValidatePersistentVolumeClaim`."""
    errs = validate_core_object_meta(pvc, True, name_is_dns_subdomain)
    return errs + validate_persistent_volume_claim_spec(spec_of(pvc), SPEC)


def validate_persistent_volume_claim_spec(spec: Obj, path: Path) -> list[FieldError]:
    """upstream `ValidatePersistentVolumeClaimSpec` (without data sources' group checks)."""
    modes = spec.get("accessModes") or []
    errs = validate_access_modes(
        modes, path.child("accessModes"), "at least 1 access mode is required"
    )
    if spec.get("selector") is not None:
        errs += validate_label_selector(spec["selector"], path.child("selector"))
    requests = (spec.get("resources") or {}).get("requests") or {}
    storage_path = path.child("resources").key("storage")  # sic: upstream's path
    if "storage" not in requests:
        errs.append(required(storage_path))
    else:
        errs += validate_positive_quantity(requests["storage"], storage_path)
    class_name = spec.get("storageClassName")
    if class_name:
        msgs = name_is_dns_subdomain(class_name, False)
        errs += [invalid(path.child("storageClassName"), class_name, m) for m in msgs]
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    for name in ("dataSource", "dataSourceRef"):
        if spec.get(name) is not None:
            errs += _validate_data_source(spec[name], path.child(name))
    return errs


def _validate_data_source(source: Obj, path: Path) -> list[FieldError]:
    errs = [required(path.child(k)) for k in ("name", "kind") if not source.get(k)]
    if not source.get("apiGroup") and source.get("kind") != "PersistentVolumeClaim":
        detail = "must be 'PersistentVolumeClaim' when referencing the default apiGroup"
        errs.append(invalid(path, source.get("kind", ""), detail))
    return errs


@validates_update("PersistentVolumeClaim")
def validate_persistent_volume_claim_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidatePersistentVolumeClaimUpdate`: spec immutable except a bound claim's
    storage request (expansion), a first volumeName, and a first storageClassName."""
    new_spec, old_spec = spec_of(new), spec_of(old)
    errs = validate_meta_update(new, old)
    old_cmp, new_cmp = _clone_spec(old_spec), _clone_spec(new_spec)
    if not old_spec.get("volumeName"):
        old_cmp["volumeName"] = new_cmp.get("volumeName")
    if old_spec.get("storageClassName") is None and new_spec.get("storageClassName") is not None:
        new_cmp["storageClassName"] = old_cmp.get("storageClassName")
    bound = (new.get("status") or {}).get("phase") == "Bound"
    if bound and "requests" in (new_cmp.get("resources") or {}):
        old_storage = _requests(old_spec).get("storage")
        new_cmp["resources"]["requests"]["storage"] = old_storage
    if {k: v for k, v in new_cmp.items() if v is not None} != {
        k: v for k, v in old_cmp.items() if v is not None
    }:
        detail = (
            "spec is immutable after creation except resources.requests and "
            "volumeAttributesClassName for bound claims\n" + diff_fields(old_cmp, new_cmp)
        )
        errs.append(forbidden(SPEC, detail))
    errs += _validate_shrink(new, old)
    errs += validate_immutable_field(
        new_spec.get("volumeMode"), old_spec.get("volumeMode"), Path("volumeMode")
    )
    return errs


def _clone_spec(spec: Obj) -> Obj:
    clone = dict(spec)
    if "resources" in clone:
        clone["resources"] = dict(clone["resources"] or {})
        if "requests" in clone["resources"]:
            clone["resources"]["requests"] = dict(clone["resources"]["requests"] or {})
    return clone


def _requests(spec: Obj) -> Obj:
    return (spec.get("resources") or {}).get("requests") or {}


def _validate_shrink(new: Obj, old: Obj) -> list[FieldError]:
    def size(value: Any) -> Quantity:
        try:
            return parse_quantity(value if value is not None else "0")
        except (ValueError, TypeError):
            return parse_quantity("0")

    new_size = size(_requests(spec_of(new)).get("storage"))
    old_size = size(_requests(spec_of(old)).get("storage"))
    status_size = size(((old.get("status") or {}).get("capacity") or {}).get("storage"))
    if new_size.cmp(old_size) < 0 and new_size.cmp(status_size) <= 0:
        path = Path("spec", "resources", "requests", "storage")
        return [forbidden(path, "field can not be less than status.capacity")]
    return []
