"""ObjectMeta validation, mirroring apimachinery `pkg/api/validation/objectmeta.go` (the name
validators of `generic.go` are in `generic.py`).

Also ports `ValidateLabels` / `ValidateLabelName` / `ValidateLabelSelector` and
`ValidateManagedFields` (`managed_fields.py`) from `pkg/apis/meta/v1/validation/validation.go`.
`meta` is the plain `metadata` dict. Left out: the `WithOpts` variants and field-error
"origins". Added: an update that keeps the stored metadata is answered from a memo of metadata
found valid (same results; `meta_memo.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.field import FieldError, Path, forbidden, invalid, required
from minik8s.api.field import too_long as _too_long
from minik8s.api.validation.generic import (
    IS_NEGATIVE_ERROR_MSG,
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_namespace_name,
    validate_nonnegative_field,
    validate_service_account_name,
)
from minik8s.api.validation.managed_fields import validate_managed_fields
from minik8s.api.validation.meta_memo import (
    found_valid,
    known_valid,
    unchanged_old,
)
from minik8s.api.validation.names import is_qualified_name, is_valid_label_value

# (name, prefix) -> messages, like upstream's ValidateNameFunc
NameValidator = Callable[[str, bool], list[str]]

FIELD_IMMUTABLE_ERROR_MSG = "field is immutable"
TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)
FINALIZER_ORPHAN_DEPENDENTS = "orphan"
FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion"
BANNED_OWNERS = {("", "v1", "Event")}

__all__ = [
    "BANNED_OWNERS",
    "FIELD_IMMUTABLE_ERROR_MSG",
    "FINALIZER_DELETE_DEPENDENTS",
    "FINALIZER_ORPHAN_DEPENDENTS",
    "IS_NEGATIVE_ERROR_MSG",
    "TOTAL_ANNOTATION_SIZE_LIMIT_B",
    "NameValidator",
    "name_is_dns1035_label",
    "name_is_dns_label",
    "name_is_dns_subdomain",
    "validate_annotations",
    "validate_finalizer_name",
    "validate_finalizers",
    "validate_immutable_field",
    "validate_label_name",
    "validate_label_selector",
    "validate_label_selector_requirement",
    "validate_labels",
    "validate_managed_fields",
    "validate_namespace_name",
    "validate_no_new_finalizers",
    "validate_nonnegative_field",
    "validate_object_meta",
    "validate_object_meta_update",
    "validate_owner_references",
    "validate_service_account_name",
]


# Strings already found valid (a cluster validates the same few label keys, values and
# finalizers on every write); bounded, and cleared when full.
_VALID_QUALIFIED_NAMES: set[str] = set()
_VALID_LABEL_VALUES: set[str] = set()
_VALID_MAX = 65_536


def _messages(check: Callable[[str], list[str]], value: str, valid: set[str]) -> list[str]:
    """`check(value)`, remembering values that pass."""
    if value in valid:
        return []
    msgs = check(value)
    if not msgs:
        if len(valid) >= _VALID_MAX:
            valid.clear()
        valid.add(value)
    return msgs


# Names found valid, per name validator (objects are written again and again under one name).
_VALID_NAMES: dict[NameValidator, set[str]] = {}


def _name_messages(name_fn: NameValidator, name: str) -> list[str]:
    """`name_fn(name, False)`, remembering names that pass."""
    valid = _VALID_NAMES.get(name_fn)
    if valid is None:
        if len(_VALID_NAMES) >= 64:  # validators are module functions: a few, unless closures
            _VALID_NAMES.clear()
        valid = _VALID_NAMES[name_fn] = set()
    if name in valid:
        return []
    return _messages(lambda value: name_fn(value, False), name, valid)


def validate_label_name(name: str, path: Path) -> list[FieldError]:
    """metav1validation `ValidateLabelName`."""
    msgs = _messages(is_qualified_name, name, _VALID_QUALIFIED_NAMES)
    return [invalid(path, name, msg) for msg in msgs]


def validate_labels(labels: dict[str, str] | None, path: Path) -> list[FieldError]:
    """metav1validation `ValidateLabels`: keys are qualified names, values label values."""
    errs: list[FieldError] = []
    for key, value in (labels or {}).items():
        if key not in _VALID_QUALIFIED_NAMES:
            errs += validate_label_name(key, path)
        if value not in _VALID_LABEL_VALUES:
            msgs = _messages(is_valid_label_value, value, _VALID_LABEL_VALUES)
            errs += [invalid(path, value, msg) for msg in msgs]
    return errs


def validate_label_selector(selector: dict[str, Any] | None, path: Path) -> list[FieldError]:
    """metav1validation `ValidateLabelSelector`."""
    if selector is None:
        return []
    errs = validate_labels(selector.get("matchLabels"), path.child("matchLabels"))
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        errs += validate_label_selector_requirement(expr, path.child("matchExpressions").index(i))
    return errs


def validate_label_selector_requirement(req: dict[str, Any], path: Path) -> list[FieldError]:
    """metav1validation `ValidateLabelSelectorRequirement`."""
    errs: list[FieldError] = []
    operator, values = req.get("operator", ""), req.get("values") or []
    if operator in ("In", "NotIn"):
        if not values:
            errs.append(
                required(
                    path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"
                )
            )
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            errs.append(forbidden(path.child("values"), detail))
    else:
        errs.append(invalid(path.child("operator"), operator, "not a valid selector operator"))
    return errs + validate_label_name(req.get("key", ""), path.child("key"))


def validate_annotations(annotations: dict[str, str] | None, path: Path) -> list[FieldError]:
    """upstream `ValidateAnnotations`: case-insensitive qualified-name keys, 256 KiB in total."""
    if not annotations:
        return []
    errs = [
        invalid(path, k, msg)
        for k in annotations
        for msg in _messages(is_qualified_name, k.lower(), _VALID_QUALIFIED_NAMES)
    ]
    total = sum(len(k.encode()) + len(v.encode()) for k, v in annotations.items())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(_too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errs


def _group_version_kind(api_version: str, kind: str) -> tuple[str, str, str]:
    """`schema.FromAPIVersionAndKind`: an unparsable apiVersion yields an empty group/version."""
    if api_version in ("", "/"):
        return "", "", kind
    if api_version.count("/") == 0:
        return "", api_version, kind
    if api_version.count("/") == 1:
        group, version = api_version.split("/")
        return group, version, kind
    return "", "", kind


def _validate_owner_reference(ref: dict[str, Any], path: Path) -> list[FieldError]:
    """One entry, as the newest upstream reports it (indexed path, Required for empty fields)."""
    errs = []
    api_version = ref.get("apiVersion") or ""
    gvk = _group_version_kind(api_version, ref.get("kind") or "")
    if not api_version:
        errs.append(required(path.child("apiVersion")))
    elif not gvk[1]:
        detail = "must be <group>/<version> or <version>"
        errs.append(invalid(path.child("apiVersion"), api_version, detail))
    errs += [required(path.child(name)) for name in ("kind", "name", "uid") if not ref.get(name)]
    if gvk in BANNED_OWNERS:
        text = f"{gvk[0]}/{gvk[1]}, Kind={gvk[2]} is disallowed from being an owner"
        errs.append(invalid(path, ref, text))
    return errs


def _plainly_valid(ref: dict[str, Any]) -> bool:
    """A reference `_validate_owner_reference` has nothing to report about (checked without
    building its field paths): every field set, a `<version>` or `<group>/<version>`, no Event."""
    api_version = ref.get("apiVersion")
    if not (type(api_version) is str and api_version):
        return False
    if not (ref.get("kind") and ref.get("name") and ref.get("uid")):
        return False
    if "/" not in api_version:
        return api_version != "v1" or ref["kind"] != "Event"
    group, _, version = api_version.partition("/")
    return bool(version) and "/" not in version and not (group == "" and version == "v1")


def validate_owner_references(refs: list[dict[str, Any]] | None, path: Path) -> list[FieldError]:
    """upstream `ValidateOwnerReferences`: required fields, at most one controller."""
    errs: list[FieldError] = []
    first_controller = ""
    for i, ref in enumerate(refs or []):
        if not _plainly_valid(ref):
            errs += _validate_owner_reference(ref, path.index(i))
        if ref.get("controller") is True:
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first_controller:
                errs.append(
                    invalid(
                        path,
                        refs,
                        'Only one reference can have Controller set to true. Found "true" in '
                        f"references for {first_controller} and {current}",
                    )
                )
            else:
                first_controller = current
    return errs


def validate_finalizer_name(name: str, path: Path) -> list[FieldError]:
    """upstream `ValidateFinalizerName`."""
    msgs = _messages(is_qualified_name, name, _VALID_QUALIFIED_NAMES)
    return [invalid(path, name, msg) for msg in msgs]


def validate_finalizers(finalizers: list[str] | None, path: Path) -> list[FieldError]:
    """upstream `ValidateFinalizers`: qualified names; orphan and foregroundDeletion conflict."""
    finalizers = finalizers or []
    errs: list[FieldError] = []
    for finalizer in finalizers:
        if finalizer not in _VALID_QUALIFIED_NAMES:
            errs += validate_finalizer_name(finalizer, path)
    if FINALIZER_ORPHAN_DEPENDENTS in finalizers and FINALIZER_DELETE_DEPENDENTS in finalizers:
        detail = (
            f"finalizer {FINALIZER_ORPHAN_DEPENDENTS} and {FINALIZER_DELETE_DEPENDENTS} "
            "cannot be both set"
        )
        errs.append(invalid(path, finalizers, detail))
    return errs


def validate_no_new_finalizers(
    new: list[str] | None, old: list[str] | None, path: Path
) -> list[FieldError]:
    """upstream `ValidateNoNewFinalizers` (for objects already being deleted)."""
    extra = sorted(set(new or []) - set(old or []))
    if not extra:
        return []
    shown = "[]string{" + ", ".join(f'"{e}"' for e in extra) + "}"
    detail = "no new finalizers can be added if the object is being deleted, found new finalizers "
    detail += shown
    return [forbidden(path, detail)]


def validate_immutable_field(new: Any, old: Any, path: Path) -> list[FieldError]:
    """upstream `ValidateImmutableField`."""
    return [] if new == old else [invalid(path, new, FIELD_IMMUTABLE_ERROR_MSG)]


def _generation(meta: dict[str, Any], path: Path) -> list[FieldError]:
    """`ValidateNonnegativeField(generation)`, its path built only for an error."""
    generation = meta.get("generation") or 0
    return (
        [] if generation >= 0 else validate_nonnegative_field(generation, path.child("generation"))
    )


def _common(meta: dict[str, Any], path: Path) -> list[FieldError]:
    return _generation(meta, path) + _collections(meta, path, with_finalizers=True)


def _collections(meta: dict[str, Any], path: Path, with_finalizers: bool) -> list[FieldError]:
    """labels, annotations, ownerReferences, finalizers (optionally), managedFields: each only
    when present (an absent one has nothing to report)."""
    errs: list[FieldError] = []
    if meta.get("labels"):
        errs += validate_labels(meta["labels"], path.child("labels"))
    if meta.get("annotations"):
        errs += validate_annotations(meta["annotations"], path.child("annotations"))
    if meta.get("ownerReferences"):
        errs += validate_owner_references(meta["ownerReferences"], path.child("ownerReferences"))
    if with_finalizers and meta.get("finalizers"):
        errs += validate_finalizers(meta["finalizers"], path.child("finalizers"))
    if meta.get("managedFields"):
        errs += validate_managed_fields(meta["managedFields"], path.child("managedFields"))
    return errs


def validate_object_meta(
    meta: dict[str, Any], namespaced: bool, name_fn: NameValidator, path: Path | None = None
) -> list[FieldError]:
    """upstream `ValidateObjectMeta`: name/generateName, namespace, labels, annotations,
    ownerReferences, finalizers (path defaults to `metadata`)."""
    if known_valid(meta, name_fn, namespaced):
        found_valid(meta, name_fn, namespaced)
        return []  # (`meta` is about to replace its stored twin: remembered in its place)
    errs = _validate_object_meta(meta, namespaced, name_fn, path)
    if not errs:
        found_valid(meta, name_fn, namespaced)
    return errs


def _validate_object_meta(
    meta: dict[str, Any], namespaced: bool, name_fn: NameValidator, path: Path | None
) -> list[FieldError]:
    path = Path("metadata") if path is None else path
    errs: list[FieldError] = []
    generate_name, name = meta.get("generateName") or "", meta.get("name") or ""
    if generate_name:
        errs += [
            invalid(path.child("generateName"), generate_name, m)
            for m in name_fn(generate_name, True)
        ]
    if not name:
        errs.append(required(path.child("name"), "name or generateName is required"))
    else:
        errs += [invalid(path.child("name"), name, m) for m in _name_messages(name_fn, name)]
    namespace = meta.get("namespace") or ""
    if namespaced:
        if not namespace:
            errs.append(required(path.child("namespace")))
        else:
            msgs = _name_messages(validate_namespace_name, namespace)
            errs += [invalid(path.child("namespace"), namespace, m) for m in msgs]
    elif namespace:
        errs.append(forbidden(path.child("namespace"), "not allowed on this type"))
    return errs + _common(meta, path)


# (field, its value when absent): the ObjectMeta fields an update may not change
_IMMUTABLE = (
    ("name", ""),
    ("namespace", ""),
    ("uid", ""),
    ("creationTimestamp", None),
    ("deletionTimestamp", None),
    ("deletionGracePeriodSeconds", None),
)


def validate_object_meta_update(
    new: dict[str, Any], old: dict[str, Any], path: Path | None = None
) -> list[FieldError]:
    """upstream `ValidateObjectMetaUpdate`: name, namespace, uid, creationTimestamp immutable."""
    if old is unchanged_old() and new.get("resourceVersion") and known_valid(new, None, False):
        return []  # equal to valid metadata: no new finalizer, nothing changed or invalid
    path = Path("metadata") if path is None else path
    errs: list[FieldError] = []
    if old.get("deletionTimestamp") is not None:
        errs += validate_no_new_finalizers(
            new.get("finalizers"), old.get("finalizers"), path.child("finalizers")
        )
    if not new.get("resourceVersion"):
        errs.append(
            invalid(
                path.child("resourceVersion"),
                new.get("resourceVersion", ""),
                "must be specified for an update",
            )
        )
    # newest upstream (kubernetes#140381) also checks the new generation is non-negative
    errs += _generation(new, path)
    if (new.get("generation") or 0) < (old.get("generation") or 0):
        errs.append(
            invalid(path.child("generation"), new.get("generation") or 0, "must not be decremented")
        )
    for key, empty in _IMMUTABLE:
        value = new.get(key, empty)
        if value != old.get(key, empty):
            errs.append(invalid(path.child(key), value, FIELD_IMMUTABLE_ERROR_MSG))
    return errs + _collections(new, path, with_finalizers=False)
