"""Service environment variables, mirroring `pkg/kubelet/envvars/envvars.go` (`FromServices`)
and `kubelet_pods.go` (`getServiceEnvVarMap`).

Every container sees, for each Service of its namespace with a cluster IP (all of them when
`enableServiceLinks` is true, the default) and for the `kubernetes` Service of `default`:
`<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORT>` and the Docker-link
style `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}`.
Left out: nothing of the format; services are read through the client at container start.

At scale (500 Services in a namespace → 3,500 variables in each of 150,000 containers) the
variables of one set of services are built once and shared read-only (`ServiceEnv`, with its CRI
`KeyValue` list) by every container that sees that same set, on every node; the set last listed
per namespace is recognised by a list compare (identity first), without filtering or hashing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.cri.api import KeyValue

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


def env_name(name: str) -> str:
    """`makeEnvVariableName`: upper case, dashes to underscores."""
    return name.upper().replace("-", "_")


def from_services(services: list[Obj]) -> dict[str, str]:
    """The variables for `services`, in their order (`FromServices`)."""
    out: dict[str, str] = {}
    for svc in services:
        spec = svc.get("spec", {})
        ip, ports = spec.get("clusterIP", ""), spec.get("ports") or []
        if not ip or ip == "None" or not ports:
            continue
        prefix = env_name(svc["metadata"]["name"])
        out[f"{prefix}_SERVICE_HOST"] = ip
        out[f"{prefix}_SERVICE_PORT"] = str(ports[0]["port"])
        for port in ports:
            if port.get("name"):
                out[f"{prefix}_SERVICE_PORT_{env_name(port['name'])}"] = str(port["port"])
        for i, port in enumerate(ports):
            protocol = port.get("protocol", "TCP")
            url = f"{protocol.lower()}://{ip}:{port['port']}"
            if i == 0:
                out[f"{prefix}_PORT"] = url
            link = f"{prefix}_PORT_{port['port']}_{protocol.upper()}"
            out[link] = url
            out[f"{link}_PROTO"] = protocol.lower()
            out[f"{link}_PORT"] = str(port["port"])
            out[f"{link}_ADDR"] = ip
    return out


class ServiceEnv(Mapping[str, str]):
    """The variables of one set of services, read-only, with the CRI `KeyValue`s built once."""

    def __init__(self, env: dict[str, str]):
        self._env = env
        self.key_values = [KeyValue(k, v) for k, v in env.items()]  # shared: never mutate

    def __repr__(self) -> str:
        return f"<ServiceEnv {len(self._env)} variables>"

    def __getitem__(self, key: str) -> str:
        return self._env[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._env)

    def __len__(self) -> int:
        return len(self._env)


SHARED_SETS = 256  # service sets remembered (a namespace's services change one at a time)
_shared: OrderedDict[tuple[int, ...], tuple[list[Obj], ServiceEnv]] = OrderedDict()


def shared_from_services(services: list[Obj]) -> ServiceEnv:
    """`from_services` of the services sorted by name, built once per set of service objects.

    The API hands out shared, never-mutated objects (a changed Service is a new object), so the
    set is keyed by the objects' identities; each entry holds its objects, so an id cannot be
    reused by another object while the entry lives.
    """
    key = tuple(map(id, services))
    found = _shared.get(key)
    if found is not None:
        _shared.move_to_end(key)
        return found[1]
    ordered = sorted(services, key=lambda s: s["metadata"]["name"])
    env = ServiceEnv(from_services(ordered))
    _shared[key] = (list(services), env)
    if len(_shared) > SHARED_SETS:
        _shared.popitem(last=False)
    return env


def service_env(client: Client, pod: Obj) -> Mapping[str, str]:
    """The service variables a container of `pod` gets (`getServiceEnvVarMap`)."""
    namespace = pod["metadata"]["namespace"]
    links = pod.get("spec", {}).get("enableServiceLinks", True) is not False
    master: list[Obj] = []
    try:
        local = client.list("services", namespace)["items"] if links else []
        if namespace != "default" or not links:  # listed whole: cheaper than a field selector
            defaults = client.list("services", "default")["items"]
            master = [s for s in defaults if s["metadata"]["name"] == "kubernetes"]
    except StatusError:
        return {}
    return _env_for(namespace, links, local, master)


# (namespace, links) → the services last listed for it and their variables
_last: OrderedDict[tuple[str, bool], tuple[list[Obj], list[Obj], ServiceEnv]] = OrderedDict()


def _env_for(namespace: str, links: bool, local: list[Obj], master: list[Obj]) -> ServiceEnv:
    """The variables of `local` (the namespace's services) and `master`, kept per namespace
    while the listed services stay equal: a list compare checks each item's identity first,
    so 500 unchanged Services take about a microsecond."""
    key = (namespace, links)
    last = _last.get(key)
    if last is not None and last[0] == local and last[1] == master:
        _last.move_to_end(key)
        return last[2]
    services = local
    if namespace != "default" or not links:
        services = [s for s in local if s["metadata"]["name"] != "kubernetes"] + master
    env = shared_from_services(services)
    _last[key] = (local, master, env)
    if len(_last) > SHARED_SETS:
        _last.popitem(last=False)
    return env
