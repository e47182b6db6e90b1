"""A control plane for Service-networking tests: API server (with the Service allocators), the
Endpoints and EndpointSlice controllers, and helpers that play the kubelet's part (podIP,
Ready condition, nodeName) through the API."""

from __future__ import annotations

from minik8s.apiserver import APIServer, service_alloc
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.endpoints import EndpointsController
from minik8s.controllers.endpointslice import EndpointSliceController
from minik8s.etcd import Store
from minik8s.sim import EventLoop


class ServiceAPIServer(APIServer):
    """The call the lead adds to `_prepare_update` (until it lands in server.py)."""

    def _prepare_update(self, info, new, old, namespace, name, subresource):
        new = super()._prepare_update(info, new, old, namespace, name, subresource)
        if info.kind == "Service" and not subresource:
            service_alloc.prepare_service_update(new, old, self)
        return new


class Env:
    def __init__(self, namespaces=("default", "shop"), controllers=True):
        self.loop = EventLoop(seed=0)
        self.server = ServiceAPIServer(Store(clock=lambda: self.loop.now), self.loop)
        self.client = Client(self.server, "test")
        for name in namespaces:
            self.client.create("namespaces", {"metadata": {"name": name}})
        self.informers = SharedInformerFactory(Client(self.server, "kube-controller-manager"))
        self.controllers = []
        if controllers:
            for cls in (EndpointsController, EndpointSliceController):
                controller = cls(self.informers.client, self.informers)
                controller.start()
                self.controllers.append(controller)
        self.informers.start()
        self.loop.settle()
        self._ip = 10

    def settle(self):
        self.loop.settle()

    def service(self, name, namespace="default", ports=None, selector=None, **spec):
        ports = [{"name": "http", "port": 80, "targetPort": 8080}] if ports is None else ports
        body = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name} if selector is None else selector, **spec},
        }
        if ports:
            body["spec"]["ports"] = ports
        svc = self.client.create("services", body)
        self.settle()
        return svc

    def pod(
        self,
        name,
        app,
        namespace="default",
        node="node-1",
        ready=True,
        ip=None,
        ports=(("http", 8080),),
        hostname=None,
        subdomain=None,
    ):
        container = {
            "name": "c",
            "image": "nginx",
            "ports": [{"name": n, "containerPort": p} for n, p in ports],
        }
        spec = {"containers": [container]}
        if hostname:
            spec["hostname"] = hostname
        if subdomain:
            spec["subdomain"] = subdomain
        body = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": {"app": app}},
            "spec": spec,
        }
        self.client.create("pods", body)
        if node:
            binding = {"metadata": {"name": name}, "target": {"kind": "Node", "name": node}}
            self.client.create("pods", binding, namespace, subresource="binding")
        if ip is None:
            node_index = int(node.rsplit("-", 1)[-1]) if node else 0
            ip = f"10.244.{node_index}.{self._ip}"
            self._ip += 1
        self.set_status(name, namespace, ip=ip, ready=ready)
        return ip

    def set_status(self, name, namespace="default", ip=None, ready=True, phase="Running"):
        pod = self.client.get("pods", name, namespace)
        status = pod["status"]
        status["phase"] = phase
        if ip is not None:
            status["podIP"], status["podIPs"] = ip, [{"ip": ip}]
        conditions = [c for c in status.get("conditions", []) if c["type"] != "Ready"]
        conditions.append({"type": "Ready", "status": "True" if ready else "False"})
        status["conditions"] = conditions
        self.client.update_status("pods", pod, namespace)
        self.settle()

    def slices(self, service, namespace="default"):
        items = self.client.list("endpointslices", namespace)["items"]
        return [
            s
            for s in items
            if s["metadata"].get("labels", {}).get("kubernetes.io/service-name") == service
        ]


class FakeBackend:
    """Every pod answers on its declared container ports with its own IP; `down` ones don't."""

    def __init__(self, env):
        self.env = env
        self.down = set()
        self.calls = []

    def __call__(self, ip, port, method, path, headers):
        self.calls.append((ip, port, method, path, dict(headers)))
        pod = self.env.net.pod_at(ip)
        if pod is None or ip in self.down:
            return None
        ports = {p["containerPort"] for c in pod["spec"]["containers"] for p in c.get("ports", [])}
        if port not in ports:
            return None
        return 200, {"Content-Type": "text/plain"}, f"{pod['metadata']['name']} {method} {path}"


class NetEnv(Env):
    """Env plus three nodes, the ServiceNetwork and a fake backend."""

    def __init__(self, nodes=3, **kwargs):
        from minik8s.proxy.bootstrap import bootstrap_service_networking
        from minik8s.proxy.network import ServiceNetwork

        super().__init__(**kwargs)
        self.backend = FakeBackend(self)
        self.net = ServiceNetwork(self.client, self.informers, self.backend)
        for i in range(1, nodes + 1):
            node = {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": f"node-{i}"},
                "status": {"addresses": [{"type": "InternalIP", "address": f"172.18.0.{i + 2}"}]},
            }
            self.client.create("nodes", node)
        bootstrap_service_networking(self.client)
        self.informers.start()
        self.settle()

    def request(self, url, **kwargs):
        return self.net.request(url, **kwargs)
