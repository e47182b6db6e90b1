"""References to a pod's containers, mirroring `pkg/kubelet/container/ref.go`
(`GenerateContainerRef`, `fieldPath`).

The kubelet's events about one container (Pulling, Pulled, Created, Started, Killing, BackOff,
Unhealthy, Failed, the hooks' failures) point at the pod with `involvedObject.fieldPath`
naming the container: `spec.containers{web}`, `spec.initContainers{setup}`,
`spec.ephemeralContainers{debug}`. Events about the whole pod (SandboxChanged, FailedMount,
NetworkNotReady …) carry no fieldPath.
Left out: `GetPartialReference`'s scheme lookup (the pod dict already has kind and apiVersion).
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
IMPLICIT_CONTAINER_PREFIX = "implicitly required container "  # `ImplicitContainerPrefix`
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def field_path(pod: Obj, name: str) -> str:
    """`fieldPath`: where container `name` is in the pod spec; KeyError if it is not there."""
    spec = pod.get("spec") or {}
    for field in CONTAINER_LISTS:
        for i, container in enumerate(spec.get(field) or []):
            here = container.get("name", "")
            if here == name:
                return f"spec.{field}[{i}]" if here == "" else f"spec.{field}{{{here}}}"
    meta = pod.get("metadata") or {}
    raise KeyError(
        f"container {name!r} not found in pod {meta.get('namespace')}/{meta.get('name')}"
    )


def container_field_path(pod: Obj, container: Obj) -> str:
    """The fieldPath `GenerateContainerRef` gives a container (implicit when not in the spec)."""
    name = container.get("name", "")
    try:
        return field_path(pod, name)
    except KeyError:
        return IMPLICIT_CONTAINER_PREFIX + name


def get_container_spec(pod: Obj, name: str) -> Obj:
    """`kubecontainer.GetContainerSpec`: the (init) container called `name`; KeyError if none."""
    spec = pod.get("spec") or {}
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if container["name"] == name:
            return container
    raise KeyError(name)
