"""Pod sandboxes and their network, mirroring `kuberuntime_sandbox.go`
(`generatePodSandboxConfig`, `createPodSandbox`) and the CNI calls the runtime makes
(`setUpPod`/`tearDownPod` in the CRI's network plugin).

Upstream the runtime calls CNI; here the kubelet does it, through `network.add(container_id=
sandbox_id, netns, ifname="eth0", config)`, and tells the runtime the address it got. With no
network (`None`), a `FakeIPAM` hands out addresses from the node's pod CIDR, like host-local.
The hostname follows upstream (hostNetwork, 63-char truncation, `setHostnameAsFQDN`); the DNS
config comes from `minik8s.kubelet.dns.Configurer.get_pod_dns` (`GetPodDNS`), and the runtime
writes it into the sandbox's /etc/resolv.conf.
Left out: port mappings' hostPort NAT, sysctls, Windows.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import (
    CRIError,
    PodSandboxConfig,
    PodSandboxMetadata,
    PodSandboxState,
    PortMapping,
)
from minik8s.kubelet.backoff import RETRY_AFTER_ERROR
from minik8s.kubelet.dns import CLUSTER_DOMAIN, Configurer

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]
DEFAULT_CIDR = "10.88.0.0/16"  # containerd's default bridge network
HOSTNAME_MAX_LEN = 63  # kubelet_pods.go `hostnameMaxLen`
FQDN_MAX_LEN = 64  # util.GetNodenameForKernel `fqdnMaxLen`


def network_ready(network: Any) -> bool:
    """The runtime's NetworkReady: the node's CNI plugin has its configuration (a network with
    no `ready()`, such as a test's, always is)."""
    ready = getattr(network, "ready", None)
    return bool(ready()) if callable(ready) else True


def truncate_hostname(hostname: str) -> str:
    """`truncatePodHostnameIfNeeded`: at most 63 characters, not ending in '-' or '.'."""
    if len(hostname) <= HOSTNAME_MAX_LEN:
        return hostname
    return hostname[:HOSTNAME_MAX_LEN].rstrip("-.")


def pod_hostname(pod: Obj, cluster_domain: str = CLUSTER_DOMAIN) -> str:
    """The sandbox hostname (`GeneratePodHostNameAndDomain` + `GetNodenameForKernel`): the
    node's for a hostNetwork pod, else spec.hostname or the pod name (truncated), as an FQDN
    with `setHostnameAsFQDN` and a subdomain; raises ValueError for an FQDN over 64 chars."""
    meta, spec = pod["metadata"], pod.get("spec", {})
    if spec.get("hostNetwork"):
        return str(spec.get("nodeName", ""))  # upstream: empty, the host's UTS namespace
    hostname = truncate_hostname(spec.get("hostname") or meta["name"])
    if not (spec.get("subdomain") and spec.get("setHostnameAsFQDN")):
        return hostname
    fqdn = f"{hostname}.{spec['subdomain']}.{meta['namespace']}.svc.{cluster_domain}"
    if len(fqdn) > FQDN_MAX_LEN:
        raise ValueError(
            "failed to construct FQDN from pod hostname and cluster domain, FQDN "
            f"{fqdn} is too long ({FQDN_MAX_LEN} characters is the max, "
            f"{len(fqdn)} characters requested)"
        )
    return fqdn


def sandbox_config(pod: Obj, attempt: int, dns: Configurer | None = None) -> PodSandboxConfig:
    """The CRI PodSandboxConfig for a pod (`generatePodSandboxConfig`), with its DNS config
    when a configurer is given; ValueError if its hostname cannot be made."""
    meta, spec = pod["metadata"], pod.get("spec", {})
    ports = [
        PortMapping(
            p["containerPort"], p.get("protocol", "TCP"), p["hostPort"], p.get("hostIP", "")
        )
        for c in spec.get("containers") or []
        for p in c.get("ports") or []
        if p.get("hostPort")
    ]
    uid = meta.get("uid", "")
    return PodSandboxConfig(
        metadata=PodSandboxMetadata(meta["name"], uid, meta["namespace"], attempt),
        hostname=pod_hostname(pod, dns.cluster_domain if dns is not None else CLUSTER_DOMAIN),
        log_directory=f"/var/log/pods/{meta['namespace']}_{meta['name']}_{uid}",
        port_mappings=ports,
        labels={
            "io.kubernetes.pod.name": meta["name"],
            "io.kubernetes.pod.namespace": meta["namespace"],
            "io.kubernetes.pod.uid": uid,
            **(meta.get("labels") or {}),
        },
        annotations=dict(meta.get("annotations") or {}),
        dns_config=dns.get_pod_dns(pod) if dns is not None else None,
    )


def cni_args(pod: Obj, sandbox_id: str) -> dict[str, str]:
    """CNI_ARGS as containerd passes them."""
    meta = pod["metadata"]
    return {
        "IgnoreUnknown": "1",
        "K8S_POD_NAMESPACE": meta["namespace"],
        "K8S_POD_NAME": meta["name"],
        "K8S_POD_INFRA_CONTAINER_ID": sandbox_id,
        "K8S_POD_UID": meta.get("uid", ""),
    }


def netns_path(sandbox_id: str) -> str:
    """The sandbox's network namespace path."""
    return f"/var/run/netns/cni-{sandbox_id[:8]}-{sandbox_id[8:12]}-{sandbox_id[12:16]}"


class FakeIPAM:
    """Pod addresses from a CIDR without CNI: round-robin after the last one, like host-local."""

    def __init__(self, cidr: str = DEFAULT_CIDR):
        self.network = ipaddress.ip_network(cidr, strict=False)
        self.in_use: dict[str, str] = {}  # ip → sandbox id
        self.owned: dict[str, list[str]] = {}  # sandbox id → its ips (release without a scan)
        self.last: int = 1  # offset of the last address handed out (.1 is the gateway)

    def __repr__(self) -> str:
        return f"<FakeIPAM {self.network} in_use={len(self.in_use)}>"

    def allocate(self, sandbox_id: str) -> str:
        """A free address for the sandbox."""
        size = self.network.num_addresses
        for step in range(1, size + 1):  # (the ones after the last handed out, round to it)
            offset = (self.last + step) % size
            if offset < 2 or offset == size - 1:
                continue
            ip = str(self.network.network_address + offset)
            if ip not in self.in_use:
                self.in_use[ip] = sandbox_id
                self.owned.setdefault(sandbox_id, []).append(ip)
                self.last = offset
                return ip
        raise RuntimeError(f"no IP addresses available in range set: {self.network}")

    def release(self, sandbox_id: str) -> None:
        """Free the sandbox's address."""
        for ip in self.owned.pop(sandbox_id, []):
            del self.in_use[ip]


def ensure_sandbox(w: PodWorkers, state: PodState) -> bool:
    """A ready sandbox with its network for the pod; False while that is impossible."""
    if state.sandbox_id:
        try:
            ready = w.runtime.pod_sandbox_status(state.sandbox_id).state
        except CRIError:
            ready = None
        if ready == PodSandboxState.SANDBOX_READY:
            return True
        message = "Pod sandbox changed, it will be killed and re-created."
        w.event(state.pod, "Normal", "SandboxChanged", message)
        teardown_sandbox(w, state, remove=True)
        for rec in state.records.values():
            rec.current = rec.previous = ""
    try:
        config = sandbox_config(state.pod, state.sandbox_attempt + 1, w.dns)
    except ValueError as err:
        w.event(
            state.pod, "Warning", "FailedCreatePodSandBox", f"Failed to create pod sandbox: {err}"
        )
        w.schedule(state, w.loop.now + RETRY_AFTER_ERROR, background=True)
        return False
    state.sandbox_attempt += 1
    sandbox_id = w.runtime.run_pod_sandbox(config)
    try:
        ip = setup_network(w, state.pod, sandbox_id)
    except Exception as err:  # noqa: BLE001 - a CNI plugin's failure of any kind
        w.runtime.remove_pod_sandbox(sandbox_id)
        why = (
            "rpc error: code = Unknown desc = failed to setup network for sandbox "
            f'"{sandbox_id}": {err}'
        )
        w.event(
            state.pod,
            "Warning",
            "FailedCreatePodSandBox",
            f"Failed to create pod sandbox: {why}",
        )
        w.schedule(state, w.loop.now + RETRY_AFTER_ERROR, background=True)
        return False
    w.trace(f"CRI RunPodSandbox {state.key} → {sandbox_id[:12]}, CNI ADD eth0 → {ip}")
    w.sandboxes[sandbox_id] = state.uid
    state.sandbox_id, state.sandbox_config, state.ip = sandbox_id, config, ip
    if hasattr(w.runtime, "set_pod_sandbox_ip"):
        w.runtime.set_pod_sandbox_ip(sandbox_id, ip)
    return True


def setup_network(w: PodWorkers, pod: Obj, sandbox_id: str) -> str:
    """CNI ADD (or the fake IPAM, or the node's IP for hostNetwork); the pod's IP."""
    if pod.get("spec", {}).get("hostNetwork"):
        return w.node_ip
    if w.network is None:
        return w.ipam.allocate(sandbox_id)
    result = w.network.add(
        container_id=sandbox_id,
        netns=netns_path(sandbox_id),
        ifname="eth0",
        config=getattr(w.network, "conflist", None),
        args=cni_args(pod, sandbox_id),
    )
    return result.ips[0].address.split("/")[0]


def teardown_sandbox(w: PodWorkers, state: PodState, remove: bool = False) -> None:
    """Stop the sandbox, release its address; `remove` forgets it too."""
    sandbox_id = state.sandbox_id
    if not sandbox_id:
        return
    try:
        w.runtime.stop_pod_sandbox(sandbox_id)
    except CRIError:
        pass
    if w.network is None:
        w.ipam.release(sandbox_id)
    elif not state.pod.get("spec", {}).get("hostNetwork"):
        w.network.delete(
            container_id=sandbox_id,
            netns=netns_path(sandbox_id),
            ifname="eth0",
            config=getattr(w.network, "conflist", None),
            args=cni_args(state.pod, sandbox_id),
        )
    if remove:
        w.runtime.remove_pod_sandbox(sandbox_id)
        w.sandboxes.pop(sandbox_id, None)
        state.sandbox_id = ""


def remove_dead_sandboxes(runtime: Any, network: Any) -> int:
    """Garbage-collect NOTREADY sandboxes (after a reboot): CNI DEL, then remove; how many."""
    dead = [s for s in runtime.list_pod_sandbox() if s.state == PodSandboxState.SANDBOX_NOTREADY]
    for sandbox in dead:
        if network is not None:
            meta = sandbox.metadata
            pod = {"metadata": {"name": meta.name, "namespace": meta.namespace, "uid": meta.uid}}
            network.delete(
                container_id=sandbox.id,
                netns=netns_path(sandbox.id),
                ifname="eth0",
                config=getattr(network, "conflist", None),
                args=cni_args(pod, sandbox.id),
            )
        runtime.remove_pod_sandbox(sandbox.id)
    return len(dead)
