"""Warnings of pods and pod templates, mirroring upstream `pkg/api/pod/warnings.go`
(`GetWarningsForPod`, `GetWarningsForPodTemplate`, `warningsForPodSpecAndMeta`).

Left out: projected-volume paths that shadow a ServiceAccountToken, the AppArmor-annotation
warning of pod templates. Go map iteration (nodeSelector keys) is made deterministic by sorting;
upstream's own tests compare these warnings as sets.
"""

from __future__ import annotations

from typing import Any

from minik8s.apiserver.volume_warnings import (
    DEPRECATED_NODE_LABELS,
    annotations_of,
    fraction_warning,
    label_message,
    node_selector_term_warnings,
    warnings_for_persistent_volume_claim_spec,
)

Obj = dict[str, Any]

# pod volumes, in upstream's order of checks
DEPRECATED_POD_VOLUMES = {
    "photonPersistentDisk": "deprecated in v1.11, non-functional in v1.16+",
    "gitRepo": "deprecated in v1.11",
    "scaleIO": "deprecated in v1.16, non-functional in v1.22+",
    "flocker": "deprecated in v1.22, non-functional in v1.25+",
    "storageos": "deprecated in v1.22, non-functional in v1.25+",
    "quobyte": "deprecated in v1.22, non-functional in v1.25+",
    "glusterfs": "deprecated in v1.25, non-functional in v1.26+",
    "cephfs": "deprecated in v1.28, non-functional in v1.31+",
    "rbd": "deprecated in v1.28, non-functional in v1.31+",
}
_SYSCTLS = 'non-functional in v1.11+; use the "sysctls" field instead'
DEPRECATED_POD_ANNOTATIONS = {
    "scheduler.alpha.kubernetes.io/critical-pod": (
        'non-functional in v1.16+; use the "priorityClassName" field instead'
    ),
    "security.alpha.kubernetes.io/sysctls": _SYSCTLS,
    "security.alpha.kubernetes.io/unsafe-sysctls": _SYSCTLS,
}
SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
SECCOMP_MESSAGE = 'non-functional in v1.27+; use the "seccompProfile" field instead'
NULL_SELECTOR = "a null labelSelector results in matching no pod"


def _join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


def warnings_for_pod_template(path: str, template: Obj | None) -> list[str]:
    """upstream `GetWarningsForPodTemplate` with the template's field path."""
    return [] if template is None else warnings_for_pod_spec_and_meta(path, template)


def warnings_for_pod_spec_and_meta(prefix: str, pod: Obj) -> list[str]:
    """upstream `warningsForPodSpecAndMeta`; `prefix` is "" for a pod, the template path else."""
    spec = pod.get("spec") or {}
    ann = annotations_of(pod)
    out = _scheduling_warnings(prefix, spec)
    for key, message in DEPRECATED_POD_ANNOTATIONS.items():
        if key in ann:
            out.append(f"{_join(prefix, 'metadata.annotations')}[{key}]: {message}")
    out += _volume_warnings(prefix, spec)
    out += _duplicate_warnings(prefix, spec)
    overhead = spec.get("overhead") or {}
    for name in ("memory", "ephemeral-storage"):
        out += fraction_warning(f"{_join(prefix, 'spec.overhead')}[{name}]", overhead.get(name))
    if (
        not (spec.get("securityContext") or {}).get("seccompProfile")
        and SECCOMP_POD_ANNOTATION in ann
    ):
        path = f"{_join(prefix, 'metadata.annotations')}[{SECCOMP_POD_ANNOTATION}]"
        out.append(f"{path}: {SECCOMP_MESSAGE}")
    containers = list(_containers_with_path(prefix, spec))
    for container, path in containers:
        out += _container_warnings(prefix, ann, container, path)
    out += _port_warnings(containers)
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is not None and grace < 0:
        out.append(
            f"{_join(prefix, 'spec.terminationGracePeriodSeconds')}: must be >= 0; negative "
            "values are invalid and will be treated as 1"
        )
    return out + _pod_affinity_warnings(prefix, spec.get("affinity") or {})


def _scheduling_warnings(prefix: str, spec: Obj) -> list[str]:
    out = []
    for key in sorted(spec.get("nodeSelector") or {}):
        if key in DEPRECATED_NODE_LABELS:
            out.append(f"{_join(prefix, 'spec.nodeSelector')}[{key}]: {label_message(key)}")
    node = (spec.get("affinity") or {}).get("nodeAffinity") or {}
    base = _join(prefix, "spec.affinity.nodeAffinity")
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution") or {}
    for i, term in enumerate(required.get("nodeSelectorTerms") or []):
        path = f"{base}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{i}]"
        out += node_selector_term_warnings(term, path)
    for i, term in enumerate(node.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        path = f"{base}.preferredDuringSchedulingIgnoredDuringExecution[{i}].preference"
        out += node_selector_term_warnings(term.get("preference") or {}, path)
    for i, constraint in enumerate(spec.get("topologySpreadConstraints") or []):
        path = f"{_join(prefix, 'spec.topologySpreadConstraints')}[{i}]"
        key = constraint.get("topologyKey", "")
        if key in DEPRECATED_NODE_LABELS:
            out.append(f"{path}.topologyKey: {key} is {label_message(key)}")
        if constraint.get("labelSelector") is None:
            out.append(f"{path}.labelSelector: {NULL_SELECTOR}")
    return out


def _volume_warnings(prefix: str, spec: Obj) -> list[str]:
    out = []
    for i, volume in enumerate(spec.get("volumes") or []):
        path = f"{_join(prefix, 'spec.volumes')}[{i}]"
        for source, message in DEPRECATED_POD_VOLUMES.items():
            if volume.get(source) is not None:
                out.append(f"{path}.{source}: {message}")
            if source == "glusterfs":  # upstream checks the ephemeral claim between these two
                claim = (volume.get("ephemeral") or {}).get("volumeClaimTemplate")
                if claim is not None:
                    claim_path = f"{path}.ephemeral.volumeClaimTemplate.spec"
                    out += warnings_for_persistent_volume_claim_spec(
                        claim_path, claim.get("spec") or {}
                    )
    return out


def _duplicate_warnings(prefix: str, spec: Obj) -> list[str]:
    out = []
    seen_ips: set[str] = set()
    for i, alias in enumerate(spec.get("hostAliases") or []):
        ip = alias.get("ip", "")
        if ip in seen_ips:
            out.append(f'{_join(prefix, "spec.hostAliases")}[{i}].ip: duplicate ip "{ip}"')
        seen_ips.add(ip)
    secrets = spec.get("imagePullSecrets") or []
    seen: set[str] = set()
    for i, secret in enumerate(secrets):
        name = secret.get("name", "")
        if name in seen and len(secrets) > 1:
            out.append(
                f'{_join(prefix, "spec.imagePullSecrets")}[{i}].name: duplicate name "{name}"'
            )
        seen.add(name)
    for i, secret in enumerate(secrets):
        if not secret.get("name"):
            out.append(f'{_join(prefix, "spec.imagePullSecrets")}[{i}].name: invalid empty name ""')
    return out


def _containers_with_path(prefix: str, spec: Obj) -> list[tuple[Obj, str]]:
    """upstream `VisitContainersWithPath`: init, regular, then ephemeral containers."""
    return [
        (container, f"{_join(prefix, 'spec.' + field)}[{i}]")
        for field in ("initContainers", "containers", "ephemeralContainers")
        for i, container in enumerate(spec.get(field) or [])
    ]


def _container_warnings(prefix: str, ann: dict[str, str], container: Obj, path: str) -> list[str]:
    out = []
    key = SECCOMP_CONTAINER_PREFIX + container.get("name", "")
    if not (container.get("securityContext") or {}).get("seccompProfile") and key in ann:
        out.append(f"{_join(prefix, 'metadata.annotations')}[{key}]: {SECCOMP_MESSAGE}")
    resources = container.get("resources") or {}
    for name in ("memory", "ephemeral-storage"):
        for kind in ("limits", "requests"):
            value = (resources.get(kind) or {}).get(name)
            out += fraction_warning(f"{path}.resources.{kind}[{name}]", value)
    seen: set[str] = set()
    for i, env in enumerate(container.get("env") or []):
        name = env.get("name", "")
        if name not in seen:
            seen.add(name)
            continue
        ref, value = f"$({name})", env.get("value", "")
        if env.get("valueFrom") is not None or value == ref or ref not in value:
            out.append(
                f'{path}.env[{i}]: hides previous definition of "{name}", which may be dropped '
                "when using apply"
            )
    return out


def _port_warnings(containers: list[tuple[Obj, str]]) -> list[str]:
    out = []
    seen: dict[str, list[tuple[str, Obj]]] = {}
    for container, path in containers:
        for i, port in enumerate(container.get("ports") or []):
            here = f"{path}.ports[{i}]"
            host_ip, host_port = port.get("hostIP", ""), port.get("hostPort", 0)
            if host_ip and not host_port:
                out.append(f"{here}: hostIP set without hostPort: {_go_port(port)}")
            key = f"{port.get('containerPort', 0)}/{port.get('protocol', '')}"
            for other_path, other in seen.get(key, []):
                other_ip, other_port = other.get("hostIP", ""), other.get("hostPort", 0)
                if host_ip == other_ip and host_port == other_port:
                    out.append(f"{here}: duplicate port definition with {other_path}")
                elif not host_port or not other_port:
                    out.append(f"{here}: overlapping port definition with {other_path}")
                elif host_port == other_port and (not host_ip) != (not other_ip):
                    out.append(f"{here}: dangerously ambiguous port definition with {other_path}")
            seen.setdefault(key, []).append((here, port))
    return out


def _go_port(port: Obj) -> str:
    """Go's `%+v` of an internal `api.ContainerPort`."""
    return (
        f"{{Name:{port.get('name', '')} HostPort:{port.get('hostPort', 0)} "
        f"ContainerPort:{port.get('containerPort', 0)} Protocol:{port.get('protocol', '')} "
        f"HostIP:{port.get('hostIP', '')}}}"
    )


def _pod_affinity_warnings(prefix: str, affinity: Obj) -> list[str]:
    out = []
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = affinity.get(kind) or {}
        base = f"{_join(prefix, 'spec.affinity.' + kind)}"
        for i, term in enumerate(terms.get("requiredDuringSchedulingIgnoredDuringExecution") or []):
            if term.get("labelSelector") is None:
                path = f"{base}.requiredDuringSchedulingIgnoredDuringExecution[{i}].labelSelector"
                out.append(f"{path}: {NULL_SELECTOR}")
        for i, term in enumerate(
            terms.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        ):
            if (term.get("podAffinityTerm") or {}).get("labelSelector") is None:
                path = (
                    f"{base}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
                    ".podAffinityTerm.labelSelector"
                )
                out.append(f"{path}: {NULL_SELECTOR}")
    return out
