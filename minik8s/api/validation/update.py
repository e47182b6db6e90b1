"""The metadata rules of an update whose kind replaces its create validation, mirroring core
`ValidateObjectMetaUpdate` (`pkg/apis/core/validation/validation.go`) plus the finalizer checks
the generic registry's `validateCommonFields` (`ValidateObjectMetaAccessor`) runs on updates.

Left out: the lenient `ValidatePathSegmentName` name check (a name cannot change on update).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError
from minik8s.api.validation.core import META, meta_of, validate_kube_finalizer_name
from minik8s.api.validation.core import validate_meta_update as _validate_meta_update
from minik8s.api.validation.meta import validate_finalizers

Obj = dict[str, Any]


def validate_object_meta_update(new: Obj, old: Obj) -> list[FieldError]:
    """`ValidateObjectMetaUpdate` of the two objects, with the new finalizers' names checked."""
    errs = _validate_meta_update(new, old)
    finalizers = meta_of(new).get("finalizers") or []
    if finalizers:
        path = META.child("finalizers")
        errs += validate_finalizers(finalizers, path)
        for i, finalizer in enumerate(finalizers):
            errs += validate_kube_finalizer_name(finalizer, path.index(i))
    return errs
