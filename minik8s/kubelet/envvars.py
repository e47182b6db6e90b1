"""Service environment variables, mirroring `pkg/kubelet/envvars/envvars.go` (`FromServices`)
and `kubelet_pods.go` (`getServiceEnvVarMap`).

Every container sees, for each Service of its namespace with a cluster IP (all of them when
`enableServiceLinks` is true, the default) and for the `kubernetes` Service of `default`:
`<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`, `<NAME>_SERVICE_PORT_<PORT>` and the Docker-link
style `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}`.
Left out: nothing of the format; services are read through the client at container start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError

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


def service_env(client: Client, pod: Obj) -> dict[str, str]:
    """The service variables a container of `pod` gets (`getServiceEnvVarMap`)."""
    namespace = pod["metadata"]["namespace"]
    links = pod.get("spec", {}).get("enableServiceLinks", True) is not False
    try:
        services = client.list("services", namespace)["items"] if links else []
        if namespace != "default" or not links:
            master = client.list("services", "default", field_selector="metadata.name=kubernetes")
            services = [s for s in services if s["metadata"]["name"] != "kubernetes"]
            services += master["items"]
    except StatusError:
        return {}
    services = sorted(services, key=lambda s: s["metadata"]["name"])
    return from_services(services)
