"""The CNI plugin interface, mirroring the CNI spec (`containernetworking/cni` SPEC.md,
`pkg/types/100/types.go` for the result, `pkg/types/types.go` for the error codes).

A real plugin is an executable: the runtime sets `CNI_COMMAND`, `CNI_CONTAINERID`, `CNI_NETNS`,
`CNI_IFNAME` and writes the network configuration to stdin. Here a plugin is an object whose
methods are the spec's verbs and take the same four inputs. Left out: STATUS, GC (spec 1.1) and
the pre-1.0 result versions' conversions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

CNI_VERSION = "1.0.0"
SUPPORTED_VERSIONS = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0"]

# Well-known error codes (spec "Error"; `types.Err*` upstream). 100+ are plugin-specific.
ERR_INCOMPATIBLE_CNI_VERSION = 1
ERR_UNSUPPORTED_FIELD = 2
ERR_UNKNOWN_CONTAINER = 3
ERR_INVALID_ENVIRONMENT_VARIABLES = 4
ERR_IO_FAILURE = 5
ERR_DECODING_FAILURE = 6
ERR_INVALID_NETWORK_CONFIG = 7
ERR_INVALID_NETNS = 8
ERR_TRY_AGAIN_LATER = 11
ERR_INTERNAL = 999

Config = dict[str, Any]


class CNIError(Exception):
    """A plugin failure, printed by real plugins as the spec's error JSON."""

    def __init__(self, code: int, msg: str, details: str = ""):
        super().__init__(f"{msg}; {details}" if details else msg)
        self.code, self.msg, self.details = code, msg, details

    def __repr__(self) -> str:
        return f"CNIError(code={self.code}, msg={self.msg!r})"

    def to_json(self) -> dict[str, Any]:
        """The spec's error shape: `cniVersion`, `code`, `msg`, `details`."""
        out: dict[str, Any] = {"cniVersion": CNI_VERSION, "code": self.code, "msg": self.msg}
        if self.details:
            out["details"] = self.details
        return out


@dataclass(slots=True)
class Interface:
    """One entry of the result's `interfaces` (a bridge, a veth end, the pod's eth0)."""

    name: str
    mac: str = ""
    sandbox: str = ""  # the netns path; empty for host-side interfaces

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.mac:
            out["mac"] = self.mac
        if self.sandbox:
            out["sandbox"] = self.sandbox
        return out


@dataclass(slots=True)
class IPConfig:
    """One entry of `ips`: an address in CIDR form, its gateway, the interface index."""

    address: str  # "10.244.1.5/24"
    gateway: str = ""
    interface: int | None = None

    @property
    def ip(self) -> str:
        return self.address.split("/")[0]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"address": self.address}
        if self.gateway:
            out["gateway"] = self.gateway
        if self.interface is not None:
            out["interface"] = self.interface
        return out


@dataclass(slots=True)
class CNIResult:
    """The ADD result (spec "Success"): interfaces, ips, routes, dns."""

    cniVersion: str = CNI_VERSION  # noqa: N815 - the spec's field name
    interfaces: list[Interface] = field(default_factory=list)
    ips: list[IPConfig] = field(default_factory=list)
    routes: list[dict[str, str]] = field(default_factory=list)
    dns: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The result in the spec's JSON shape (empty sections left out, as upstream)."""
        out: dict[str, Any] = {"cniVersion": self.cniVersion}
        if self.interfaces:
            out["interfaces"] = [i.to_json() for i in self.interfaces]
        if self.ips:
            out["ips"] = [ip.to_json() for ip in self.ips]
        if self.routes:
            out["routes"] = [dict(r) for r in self.routes]
        out["dns"] = dict(self.dns)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CNIResult:
        """Parse a result (a `prevResult`) back from its JSON shape."""
        return cls(
            cniVersion=data.get("cniVersion", CNI_VERSION),
            interfaces=[Interface(**i) for i in data.get("interfaces") or []],
            ips=[IPConfig(**ip) for ip in data.get("ips") or []],
            routes=[dict(r) for r in data.get("routes") or []],
            dns=dict(data.get("dns") or {}),
        )


class CNIPlugin(Protocol):
    """The spec's verbs. `config` is what the runtime writes to stdin, `args` its `CNI_ARGS`
    (`K8S_POD_NAMESPACE`, `K8S_POD_NAME`, ... as the kubelet's runtime passes them)."""

    def add(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> CNIResult: ...

    def delete(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> None: ...

    def check(
        self,
        container_id: str,
        netns: str,
        ifname: str,
        config: Config,
        args: dict[str, str] | None = None,
    ) -> None: ...

    def version(self) -> dict[str, Any]: ...


def check_version(config: Config) -> None:
    """Reject a config whose `cniVersion` the plugin does not speak (upstream skel's check)."""
    version = config.get("cniVersion") or "0.1.0"
    if version not in SUPPORTED_VERSIONS:
        details = f'config is "{version}", plugin supports {SUPPORTED_VERSIONS}'
        raise CNIError(ERR_INCOMPATIBLE_CNI_VERSION, "incompatible CNI versions", details)


def version_info() -> dict[str, Any]:
    """The VERSION verb's answer."""
    return {"cniVersion": CNI_VERSION, "supportedVersions": list(SUPPORTED_VERSIONS)}
