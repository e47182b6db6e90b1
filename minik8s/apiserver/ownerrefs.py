"""Duplicate owner references, dropped as kube-apiserver's handlers drop them
(`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go`: `dedupOwnerReferences`,
`dedupOwnerReferencesAndAddWarning`).

A create or an update is deduplicated once decoded and again after mutating admission; a patch
only after mutating admission. A reference is a duplicate when one equal to it in every field is
already kept (references sharing a uid but differing elsewhere all stay). Each time duplicates
go, the request gets a warning naming their uids.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
DUPLICATE_OWNER_REFERENCES_WARNING = (
    ".metadata.ownerReferences contains duplicate entries; API server dedups owner references "
    "in 1.20+, and may reject such requests as early as 1.24; please fix your requests; "
    "duplicate UID(s) observed: {}"
)
DUPLICATE_OWNER_REFERENCES_AFTER_MUTATING_ADMISSION_WARNING = (
    ".metadata.ownerReferences contains duplicate entries after mutating admission happens; "
    "API server dedups owner references in 1.20+, and may reject such requests as early as "
    "1.24; please fix your requests; duplicate UID(s) observed: {}"
)


def dedup_owner_references(refs: list[Any]) -> tuple[list[Any], list[str]]:
    """`dedupOwnerReferences`: the references without repeats, and the uids of those dropped."""
    result: list[Any] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    for ref in refs:
        uid = str(ref.get("uid", "")) if isinstance(ref, dict) else ""
        if uid not in seen or ref not in result:
            seen.add(uid)
            result.append(ref)
        else:
            duplicates.append(uid)
    return result, duplicates


def dedup_owner_references_and_warn(
    obj: Obj | None, warnings: list[str] | None, after_mutating_admission: bool
) -> None:
    """`dedupOwnerReferencesAndAddWarning`: drop repeated references from `obj` (in place) and
    say so in `warnings` (when the caller collects them)."""
    meta = (obj or {}).get("metadata")
    refs = meta.get("ownerReferences") if isinstance(meta, dict) else None
    if not isinstance(refs, list) or len(refs) < 2:
        return
    deduped, duplicates = dedup_owner_references(refs)
    if not duplicates:
        return
    assert isinstance(meta, dict)
    meta["ownerReferences"] = deduped
    if warnings is not None:
        template = (
            DUPLICATE_OWNER_REFERENCES_AFTER_MUTATING_ADMISSION_WARNING
            if after_mutating_admission
            else DUPLICATE_OWNER_REFERENCES_WARNING
        )
        warnings.append(template.format(", ".join(duplicates)))
