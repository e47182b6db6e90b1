"""Event validation for the core `v1` API, mirroring `legacyValidateEvent` in
`pkg/apis/core/validation/validation.go` (for a v1 request that is all `ValidateEventCreate`
and `ValidateEventUpdate` do; no ObjectMeta checks).

Left out: the stricter events.k8s.io/v1 rules.
"""

from __future__ import annotations

from minik8s.api.field import FieldError, Path, invalid, required
from minik8s.api.validation.core import Obj, meta_of, validate_qualified_name
from minik8s.api.validation.dispatch import validates
from minik8s.api.validation.names import is_dns1123_subdomain

REPORTING_INSTANCE_LENGTH_LIMIT = 128
ACTION_LENGTH_LIMIT = 128
REASON_LENGTH_LIMIT = 128
NOTE_LENGTH_LIMIT = 1024


@validates("Event")
def validate_event(event: Obj) -> list[FieldError]:
    """upstream `legacyValidateEvent` for a `v1` request (all a v1 Event gets)."""
    meta = meta_of(event)
    namespace = meta.get("namespace") or ""
    involved_ns = (event.get("involvedObject") or {}).get("namespace") or ""
    ns_path = Path("involvedObject", "namespace")
    mismatch = invalid(ns_path, involved_ns, "does not match event.namespace")
    errs: list[FieldError] = []
    if not event.get("eventTime"):
        if not involved_ns:
            if namespace not in ("", "default"):
                errs.append(mismatch)
        elif namespace != involved_ns:
            errs.append(mismatch)
    else:
        if not involved_ns and namespace not in ("default", "kube-system"):
            errs.append(mismatch)
        errs += _validate_new_style_event(event)
    errs += [invalid(Path("namespace"), namespace, m) for m in is_dns1123_subdomain(namespace)]
    return errs


def _validate_new_style_event(event: Obj) -> list[FieldError]:
    errs: list[FieldError] = []
    controller = event.get("reportingComponent") or ""
    if not controller:
        errs.append(required(Path("reportingController")))
    errs += validate_qualified_name(controller, Path("reportingController"))
    limits = (
        ("reportingInstance", REPORTING_INSTANCE_LENGTH_LIMIT, True),
        ("action", ACTION_LENGTH_LIMIT, True),
        ("reason", REASON_LENGTH_LIMIT, True),
        ("message", NOTE_LENGTH_LIMIT, False),
    )
    for name, limit, must in limits:
        value = event.get(name) or ""
        if must and not value:
            errs.append(required(Path(name)))
        if len(value) > limit:
            errs.append(invalid(Path(name), "", f"can have at most {limit} characters"))
    return errs
