"""A watch's selection, mirroring `staging/src/k8s.io/apiserver/pkg/storage/selection_predicate.go`.

A `Filter` is a namespace, a label selector and a field selector, with the field labels checked
(and renamed) as the kind's conversion func does (`ConvertFieldLabel`); the watch cache uses its
exact-match `spec.nodeName` value to index pod watchers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.api.errors import BadRequest
from minik8s.api.fields import FieldRequirement, FieldSelector, parse_field_selector
from minik8s.api.kinds import ResourceInfo
from minik8s.api.labels import parse_selector
from minik8s.apiserver.fieldsets import FieldSet, selectable_fields

Obj = dict[str, Any]

# Fields whose exact-match watchers are indexed (upstream: pods by spec.nodeName).
INDEXED_FIELDS: dict[str, str] = {"Pod": "spec.nodeName"}

# Kinds with a field label conversion func (e.g. pkg/apis/core/v1/conversion.go): an unknown
# label is "field label not supported: <label>"; the others use the runtime's default wording.
CONVERSION_FUNC_KINDS = frozenset({"Pod", "Node", "Namespace", "Event", "Secret", "Job"})
# Cluster-scoped kinds whose conversion func knows no metadata.namespace.
NO_NAMESPACE_LABEL = frozenset({"Node", "Namespace"})
# Old labels a conversion func renames (pods: `spec.host`, for old v1 clients).
FIELD_LABEL_ALIASES: dict[tuple[str, str], str] = {("Pod", "spec.host"): "spec.nodeName"}


def _parse(parser: Callable[[str], Any], text: str) -> Any:
    """A selector parsed as `ListOptions` decoding does: a bad one is 400 BadRequest."""
    try:
        return parser(text)
    except ValueError as err:
        raise BadRequest(str(err)) from None


def convert_field_labels(info: ResourceInfo, selector: FieldSelector) -> FieldSelector:
    """`FieldSelector.Transform(ConvertFieldLabel)`: each label checked (and renamed) as the
    kind's conversion func does; an unknown one is 400 BadRequest."""
    allowed = selectable_fields(info.kind)
    if info.kind in NO_NAMESPACE_LABEL:
        allowed = tuple(f for f in allowed if f != "metadata.namespace")
    converted = []
    for req in selector.requirements():
        label = FIELD_LABEL_ALIASES.get((info.kind, req.field), req.field)
        if label not in allowed:
            if info.kind in CONVERSION_FUNC_KINDS:
                raise BadRequest(f"field label not supported: {req.field}")
            quoted = ", ".join(f'"{f}"' for f in allowed)
            raise BadRequest(f'"{req.field}" is not a known field selector: only {quoted}')
        converted.append(FieldRequirement(label, req.operator, req.value))
    return FieldSelector(converted)


class Filter:
    """A watcher's or a list's selection: namespace, label selector, field selector."""

    def __init__(
        self, info: ResourceInfo, namespace: str | None, labels: str | None, fields: str | None
    ):
        self.namespace = namespace or None
        self.labels = _parse(parse_selector, labels) if labels else None
        converted = convert_field_labels(info, _parse(parse_field_selector, fields or ""))
        self.fields: FieldSelector | None = None if converted.empty() else converted
        self.everything = self.namespace is None and self.labels is None and self.fields is None
        indexed = INDEXED_FIELDS.get(info.kind)
        self.index_value = (
            self.fields.requires_exact_match(indexed) if self.fields and indexed else None
        )

    def matches(self, obj: Obj) -> bool:
        meta = obj["metadata"]
        if self.namespace is not None and meta.get("namespace") != self.namespace:
            return False
        if self.labels is not None and not self.labels.matches(meta.get("labels") or {}):
            return False
        return self.fields is None or self.fields.matches(FieldSet(obj))
