"""managedFields validation, mirroring `ValidateManagedFields` in apimachinery
`pkg/apis/meta/v1/validation/validation.go`.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, Path, invalid, required, too_long


def validate_managed_fields(entries: list[dict[str, Any]] | None, path: Path) -> list[FieldError]:
    """metav1validation `ValidateManagedFields` (operation, fieldsType, manager, subresource)."""
    errs: list[FieldError] = []
    for i, entry in enumerate(entries or []):
        p = path.index(i)
        operation = entry.get("operation") or ""
        if not operation:  # newest upstream reports a missing operation as Required
            errs.append(required(p.child("operation")))
        elif operation not in ("Apply", "Update"):
            errs.append(invalid(p.child("operation"), operation, "must be `Apply` or `Update`"))
        fields_type = entry.get("fieldsType", "")
        if fields_type and fields_type != "FieldsV1":
            errs.append(invalid(p.child("fieldsType"), fields_type, "must be `FieldsV1`"))
        manager = entry.get("manager", "")
        if len(manager) > 128:
            errs.append(too_long(p.child("manager"), manager, 128))
        if len(entry.get("subresource", "")) > 256:
            errs.append(too_long(p.child("subresource"), entry["subresource"], 256))
    return errs
