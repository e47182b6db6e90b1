"""The DaemonSet template generation the API server keeps, mirroring the `TemplateGeneration`
parts of `pkg/registry/apps/daemonset/strategy.go` (`PrepareForCreate`, `PrepareForUpdate`) and
`pkg/apis/apps/v1/conversion.go` (`Convert_v1_DaemonSet_To_apps_DaemonSet` and back), which
carry the internal `spec.templateGeneration` in apps/v1 as the
`deprecated.daemonset.template.generation` annotation.

A new DaemonSet starts at generation 1 (or the annotation it was sent with, if higher); an
update keeps the stored value whatever the client sent and adds 1 when `spec.template`
changed. The controller labels its pods `pod-template-generation` with it.
Left out: an unparsable annotation fails the decode upstream; here it counts as absent.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"


def template_generation(ds: Obj) -> int:
    """The internal `spec.templateGeneration`: the annotation, 0 when absent or unparsable."""
    value = (ds.get("metadata", {}).get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def _set_template_generation(ds: Obj, generation: int) -> None:
    """`Convert_apps_DaemonSet_To_v1_DaemonSet`: the annotation always carries the value."""
    annotations = dict(ds["metadata"].get("annotations") or {})
    annotations[TEMPLATE_GENERATION_ANNOTATION] = str(generation)
    ds["metadata"]["annotations"] = annotations


def prepare_daemonset_for_create(ds: Obj) -> None:
    """`PrepareForCreate`: template generation 1 unless the client sent a higher one."""
    _set_template_generation(ds, max(template_generation(ds), 1))


def prepare_daemonset_for_update(new: Obj, old: Obj) -> None:
    """`PrepareForUpdate`: keep the stored generation; +1 when `spec.template` changed."""
    generation = template_generation(old)
    if (new.get("spec") or {}).get("template") != (old.get("spec") or {}).get("template"):
        generation += 1
    _set_template_generation(new, generation)
