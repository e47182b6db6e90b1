"""What the kubelet hands the runtime for one container, mirroring `pkg/kubelet/kubelet_pods.go`
(`makeEnvironmentVariables`, `makeMounts`), `kuberuntime_container.go`
(`generateContainerConfig`); volumes are in `volumes.py`.

Env comes from `envFrom` (ConfigMaps/Secrets, with `prefix`), then `env` (values with `$(VAR)`
expansion, `valueFrom` fieldRef/configMapKeyRef/secretKeyRef); a missing ConfigMap or Secret is
upstream's `CreateContainerConfigError` with its message. Service links come from
`envvars.py`. An empty file is mounted at `terminationMessagePath` (status.py reads it).
`resourceFieldRef` values come from the container's resources, with unset limits defaulted to
the node's allocatable (`sources.resource_field_ref`). Left out: `subPathExpr`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from minik8s.api.quantity import parse_quantity
from minik8s.client.client import Client
from minik8s.cri.api import (
    ContainerConfig,
    ContainerMetadata,
    ImageSpec,
    KeyValue,
    LinuxContainerConfig,
    LinuxContainerResources,
    Mount,
)
from minik8s.kubelet.envvars import ServiceEnv, service_env
from minik8s.kubelet.expansion import expand
from minik8s.kubelet.object_manager import NotRegistered, ObjectManagers
from minik8s.kubelet.sources import (
    field_ref,
    get_source,
    node_allocatable,
    not_found,
    resource_field_ref,
    source_data,
)
from minik8s.kubelet.volumes import make_mounts

Obj = dict[str, Any]
TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath"  # labels.go
TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy"


class ContainerConfigError(Exception):
    """The container cannot be configured (`CreateContainerConfigError`)."""


def make_environment(
    client: Client,
    pod: Obj,
    container: Obj,
    services: Mapping[str, str] | None = None,
    objects: ObjectManagers | None = None,
) -> Mapping[str, str]:
    """The container's env, in order; raises `ContainerConfigError`. Without `env`/`envFrom`
    it is the shared, read-only service variables (`envvars.ServiceEnv`); `services` are
    those variables when the caller has them (the kubelet's informer), else they are listed.
    ConfigMaps and Secrets come from the kubelet's managers (`objects`; GETs without them)."""
    namespace = pod["metadata"]["namespace"]
    if services is None:
        services = service_env(client, pod)
    if not container.get("envFrom") and not container.get("env"):
        return services
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        kind = "configMap" if "configMapRef" in source else "secret"
        ref = source.get(f"{kind}Ref") or {}
        obj = _source(client, kind, ref.get("name", ""), namespace, objects)
        if obj is None:
            if ref.get("optional"):
                continue
            raise ContainerConfigError(not_found(kind, ref.get("name", "")))
        for key, value in source_data(kind, obj).items():
            env[source.get("prefix", "") + key] = value
    for var in container.get("env") or []:
        name = var["name"]
        if "valueFrom" not in var:
            env[name] = expand(var.get("value", ""), env, services)
            continue
        found = _value_from(client, pod, container, var["valueFrom"], namespace, objects)
        if found is not None:
            env[name] = found
    return {k: v for k, v in services.items() if k not in env} | env


def _source(
    client: Client, kind: str, name: str, namespace: str, objects: ObjectManagers | None
) -> Obj | None:
    try:
        return get_source(client, kind, name, namespace, objects)
    except NotRegistered as err:
        raise ContainerConfigError(str(err)) from None


def _resource_value(client: Client, pod: Obj, container: Obj, ref: Obj) -> str:
    """`containerResourceRuntimeValue`: this container's, or the named one's, resource."""
    name = ref.get("containerName")
    if name:
        spec = pod.get("spec", {})
        for other in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            if other["name"] == name:
                container = other
                break
        else:
            raise ContainerConfigError(f"container {name} not found")
    try:
        return resource_field_ref(container, ref, node_allocatable(client, pod))
    except ValueError as err:
        raise ContainerConfigError(str(err)) from None


def _value_from(
    client: Client,
    pod: Obj,
    container: Obj,
    source: Obj,
    namespace: str,
    objects: ObjectManagers | None = None,
) -> str | None:
    if "fieldRef" in source:
        return field_ref(pod, source["fieldRef"].get("fieldPath", ""))
    if "resourceFieldRef" in source:
        return _resource_value(client, pod, container, source["resourceFieldRef"])
    for kind in ("configMap", "secret"):
        ref = source.get(f"{kind}KeyRef")
        if ref is None:
            continue
        obj = _source(client, kind, ref.get("name", ""), namespace, objects)
        if obj is None:
            if ref.get("optional"):
                return None
            raise ContainerConfigError(not_found(kind, ref.get("name", "")))
        data = source_data(kind, obj)
        if ref["key"] not in data:
            if ref.get("optional"):
                return None
            what = "ConfigMap" if kind == "configMap" else "Secret"
            raise ContainerConfigError(
                f"couldn't find key {ref['key']} in {what} {namespace}/{ref.get('name', '')}"
            )
        return data[ref["key"]]
    return ""


def generate_container_config(
    client: Client,
    pod: Obj,
    container: Obj,
    attempt: int,
    volumes: dict[str, MutableMapping[str, str]],
    services: Mapping[str, str] | None = None,
    objects: ObjectManagers | None = None,
) -> ContainerConfig:
    """The CRI ContainerConfig for `container` (`generateContainerConfig`); ConfigMaps and
    Secrets come from the kubelet's managers (`objects`; GETs without them)."""
    env = make_environment(client, pod, container, services, objects)
    meta = pod["metadata"]
    mounts = make_mounts(container, volumes)
    annotations = {}
    if container.get("terminationMessagePath"):
        mounts.append(termination_log_mount(pod, container, attempt))
        annotations = {
            TERMINATION_MESSAGE_PATH: container["terminationMessagePath"],
            TERMINATION_MESSAGE_POLICY: container.get("terminationMessagePolicy", "File"),
        }
    return ContainerConfig(
        metadata=ContainerMetadata(container["name"], attempt),
        image=ImageSpec(container["image"]),
        command=[expand(c, env) for c in container.get("command") or []],
        args=[expand(a, env) for a in container.get("args") or []],
        working_dir=container.get("workingDir", ""),
        envs=key_values(env),
        mounts=mounts,
        labels={
            "io.kubernetes.container.name": container["name"],
            "io.kubernetes.pod.name": meta["name"],
            "io.kubernetes.pod.namespace": meta["namespace"],
            "io.kubernetes.pod.uid": meta.get("uid", ""),
        },
        annotations=annotations,
        log_path=f"{container['name']}/{attempt}.log",
        stdin=bool(container.get("stdin")),
        tty=bool(container.get("tty")),
        linux=LinuxContainerConfig(linux_resources(container.get("resources") or {})),
    )


def termination_log_mount(pod: Obj, container: Obj, attempt: int) -> Mount:
    """The empty file the kubelet mounts at `terminationMessagePath` (`makeMounts`), under
    the pod's directory (upstream names it with a random hex id, here the attempt)."""
    uid, name = pod["metadata"].get("uid", ""), container["name"]
    host_path = f"/var/lib/kubelet/pods/{uid}/containers/{name}/{attempt:08x}"
    return Mount(container["terminationMessagePath"], host_path, False, {"": ""})


def key_values(env: Mapping[str, str]) -> list[KeyValue]:
    """The env as CRI `KeyValue`s (the shared list when the env is shared)."""
    if isinstance(env, ServiceEnv):
        return env.key_values
    return [KeyValue(k, v) for k, v in env.items()]


def linux_resources(resources: Obj) -> LinuxContainerResources:
    """cgroup values from requests/limits (`generateLinuxContainerResources`)."""
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
    cpu_request = requests.get("cpu", limits.get("cpu"))
    shares = max(parse_quantity(cpu_request).milli_value() * 1024 // 1000, 2) if cpu_request else 2
    quota = parse_quantity(limits["cpu"]).milli_value() * 100 if "cpu" in limits else 0
    memory = parse_quantity(limits["memory"]).value() if "memory" in limits else 0
    return LinuxContainerResources(100_000 if quota else 0, quota, shares, memory)
