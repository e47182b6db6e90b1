"""The kubelet's configuration file, `kubelet.config.k8s.io/v1beta1` KubeletConfiguration
(`pkg/kubelet/apis/config`), reduced to the fields minik8s's kubelet reads: the DNS ones.
Left out: every other field (the kubelet's other settings are upstream's defaults, fixed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minik8s.cri.sandbox import NODE_RESOLV_CONF

Obj = dict[str, Any]


@dataclass(frozen=True)
class KubeletConfiguration:
    """The DNS fields of `kubelet.config.k8s.io/v1beta1` KubeletConfiguration, with the type's
    own defaults: no `clusterDNS` and no `clusterDomain` (ClusterFirst pods then fall back to
    the node's resolver with a `MissingClusterDNS` event); `resolv_conf` is the text of the
    `resolvConf` file (default /etc/resolv.conf: a kind node's)."""

    cluster_dns: tuple[str, ...] = ()
    cluster_domain: str = ""
    resolv_conf: str = NODE_RESOLV_CONF

    def to_object(self) -> Obj:
        """The fields as in the kubelet's config file (`/var/lib/kubelet/config.yaml`)."""
        return {
            "apiVersion": "kubelet.config.k8s.io/v1beta1",
            "kind": "KubeletConfiguration",
            "clusterDNS": list(self.cluster_dns),
            "clusterDomain": self.cluster_domain,
            "resolvConf": "/etc/resolv.conf",
        }

    def dns_settings(self) -> tuple[tuple[str, ...], str, str]:
        """(clusterDNS, clusterDomain, the resolvConf file's text) for the DNS configurer."""
        return self.cluster_dns, self.cluster_domain, self.resolv_conf
