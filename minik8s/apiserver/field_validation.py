"""A request body decoded with the request's field validation, mirroring metav1's
`ValidateFieldValidation` and the decoding in
`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go`, `update.go` and `patch.go`
(the decoder itself is `decode.py`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from minik8s.api.errors import Invalid
from minik8s.api.field import not_supported
from minik8s.apiserver import decode as decoding

Obj = dict[str, Any]


def decode_request(
    obj: Obj,
    field_validation: str,
    warnings: list[str] | None,
    options: str = "CreateOptions",
    skip: Collection[str] = (),
) -> None:
    """The body decoded into its kind (in place): unknown fields per `field_validation`;
    `skip`: top-level fields known to be decoded already (see `decoding.decode`)."""
    if field_validation not in decoding.FIELD_VALIDATION:  # metav1 ValidateFieldValidation
        allowed = ["", "Ignore", "Strict", "Warn"]
        error = not_supported("fieldValidation", field_validation, allowed)
        raise Invalid.for_kind(f"{options}.meta.k8s.io", "", [error])
    found = decoding.decode(obj, field_validation, skip)[1]
    if found and warnings is not None:
        warnings.extend(found)
