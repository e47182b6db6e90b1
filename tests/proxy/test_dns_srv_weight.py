"""CoreDNS's SRV weights for a headless service (`plugin/backend_lookup.go` `SRV`): 100 split
evenly over the endpoints, rounded down, never below 1; and EndpointSlice ports in `kubectl get`."""

from __future__ import annotations

from minik8s.kubectl.printers_network import NETWORK
from tests.proxy.env import NetEnv


def srv_weights(env: NetEnv) -> set[int]:
    answer = env.net.dns.resolve("_http._tcp.hl.default.svc.cluster.local", qtype="SRV")
    return {int(record.data.split()[1]) for record in answer.records}


def test_weights_split_evenly_and_never_drop_to_zero():
    env = NetEnv(nodes=1)
    env.service("hl", clusterIP="None", ports=[{"name": "http", "port": 80}])
    for i in range(3):
        env.pod(f"hl-{i}", "hl")
    assert srv_weights(env) == {33}
    for i in range(3, 101):
        env.pod(f"hl-{i}", "hl")
    assert srv_weights(env) == {1}  # floor(100 / 101) = 0 → 1


def test_endpointslice_port_without_number_shows_its_name():
    _, row = NETWORK["EndpointSlice"]
    slice_ = {
        "metadata": {"name": "s"},
        "addressType": "IPv4",
        "ports": [{"name": ""}, {"name": "http"}, {}],
        "endpoints": [],
    }
    assert row(slice_, None)[2] == ",http,*"
