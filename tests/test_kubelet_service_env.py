"""The kubelet's service variables come from the services informer (upstream's `serviceLister`)
and are kept per namespace until a Service event touches it: they must always equal what the
API server's Services give at that moment (built from scratch here), after any sequence of
creates, updates and deletes, and a container start must not LIST services."""

import gc
import weakref

from hypothesis import example, given, settings
from hypothesis import strategies as st

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.client.informer import SharedIndexInformer, SharedInformerFactory
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.etcd import Store
from minik8s.kubelet import Kubelet
from minik8s.kubelet.envvars import ServiceEnvCache, from_services
from minik8s.sim import EventLoop
from tests.kubelet.conftest import Node


def expected(client: Client, namespace: str, links: bool = True) -> dict[str, str]:
    """`getServiceEnvVarMap` from a fresh LIST, as upstream's loop: the master Service of
    `default` unless the namespace (with links) has a Service of its name with a cluster IP,
    then the namespace's services; sorted by name."""
    chosen = {}
    for svc in client.list("services", "default")["items"]:
        ip = svc["spec"].get("clusterIP", "")
        if svc["metadata"]["name"] == "kubernetes" and ip not in ("", "None"):
            chosen["kubernetes"] = svc
    if links:
        for svc in client.list("services", namespace)["items"]:
            if svc["spec"].get("clusterIP", "") not in ("", "None"):
                chosen[svc["metadata"]["name"]] = svc
    return from_services([chosen[name] for name in sorted(chosen)])


def service(name: str, namespace: str, ip: str, port: int = 80) -> dict:
    spec = {"clusterIP": ip, "ports": [{"name": "http", "port": port}]}
    return {"metadata": {"name": name, "namespace": namespace}, "spec": spec}


def set_port(client: Client, name: str, namespace: str, port: int) -> None:
    svc = client.get("services", name, namespace)
    svc = {**svc, "spec": {**svc["spec"], "ports": [{"name": "http", "port": port}]}}
    client.update("services", svc, namespace)


def pod(namespace: str, links: bool = True) -> dict:
    return {
        "metadata": {"name": "p", "namespace": namespace},
        "spec": {"enableServiceLinks": links},
    }


def env_lines(node: Node, name: str) -> list[str]:
    out, code = node.kubelet.exec("shop", name, None, ["env"])
    assert code == 0
    return [line for line in out.splitlines() if "_SERVICE_" in line or "_PORT" in line]


def test_containers_see_services_created_changed_and_deleted_between_their_starts():
    node = Node()
    client = node.client
    client.create("services", service("db", "shop", "10.96.0.20"))
    client.create("services", service("kubernetes", "default", "10.96.0.1", 443))
    steps = [
        lambda: None,
        lambda: client.create("services", service("cache", "shop", "10.96.0.21")),
        lambda: set_port(client, "db", "shop", 5432),  # an update: same objects' names
        lambda: client.delete("services", "cache", "shop"),
        lambda: set_port(client, "kubernetes", "default", 6443),  # the master Service
        lambda: client.create("services", service("other", "default", "10.96.0.30")),
    ]
    for i, step in enumerate(steps):
        step()
        node.loop.settle()
        node.pod(name=f"p{i}", containers=[{"name": "web", "image": "nginx:1.27"}])
        node.loop.settle()
        want = [f"{k}={v}" for k, v in expected(client, "shop").items()]
        assert sorted(env_lines(node, f"p{i}")) == sorted(want), f"after step {i}"
    assert "DB_SERVICE_PORT=5432" in env_lines(node, "p5")
    assert "DB_SERVICE_PORT=80" in env_lines(node, "p0")  # a started container keeps its env
    assert "CACHE_SERVICE_HOST=10.96.0.21" in env_lines(node, "p1")
    assert not [x for x in env_lines(node, "p3") if x.startswith("CACHE_")]
    assert "KUBERNETES_SERVICE_PORT=6443" in env_lines(node, "p4")


class Cluster:
    """An API server and the cache over a services informer, without kubelets."""

    def __init__(self) -> None:
        self.loop = EventLoop(seed=0)
        self.server = APIServer(Store(clock=lambda: self.loop.now), self.loop)
        self.client = Client(self.server, "test")
        for name in ("default", "shop", "web"):
            self.client.create("namespaces", {"metadata": {"name": name}})
        self.informer = SharedIndexInformer(Client(self.server, "informers"), "services")
        self.informer.start()
        self.cache = ServiceEnvCache(self.informer)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["apply", "delete"]),
        st.sampled_from(["default", "shop", "web"]),
        st.sampled_from(["kubernetes", "db"]),
        st.integers(1, 3),
    ),
    max_size=20,
)


@settings(max_examples=40, deadline=None)
@example([("apply", "shop", "db", 1), ("apply", "shop", "db", 2), ("delete", "shop", "db", 1)])
@given(OPS)
def test_the_cached_variables_always_equal_a_fresh_list(ops):
    """Each op creates a Service (or, when it exists, changes its port) or deletes it."""
    c = Cluster()
    ips = iter(f"10.96.1.{i}" for i in range(1, 200))
    for op, namespace, name, n in ops:
        names = {s["metadata"]["name"] for s in c.client.list("services", namespace)["items"]}
        if op == "apply" and name not in names:
            c.client.create("services", service(name, namespace, next(ips), 80 + n))
        elif op == "apply":
            set_port(c.client, name, namespace, 8000 + len(ops) + n)
        elif name in names:
            c.client.delete("services", name, namespace)
        c.loop.settle()
        for ns in ("default", "shop", "web"):
            for links in (True, False):
                assert dict(c.cache.env(pod(ns, links))) == expected(c.client, ns, links)


def test_an_unchanged_namespace_reuses_its_variables_and_a_change_elsewhere_keeps_them():
    c = Cluster()
    c.client.create("services", service("db", "shop", "10.96.0.20"))
    c.loop.settle()
    first = c.cache.env(pod("shop"))
    assert c.cache.env(pod("shop")) is first
    c.client.create("services", service("db", "web", "10.96.0.21"))  # another namespace
    c.loop.settle()
    assert c.cache.env(pod("shop")) is first
    c.client.create("services", service("kubernetes", "default", "10.96.0.1", 443))
    c.loop.settle()  # the master namespace changed: every namespace is rebuilt
    assert c.cache.env(pod("shop")) is not first
    assert c.cache.env(pod("shop"))["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"


def test_kubelets_share_the_cluster_informer_and_never_list_services_per_container():
    loop = EventLoop(seed=0)
    server = APIServer(Store(clock=lambda: loop.now), loop)
    client = Client(server, "test")
    for name in ("default", "shop", "kube-node-lease"):
        client.create("namespaces", {"metadata": {"name": name}})
    client.create("services", service("db", "shop", "10.96.0.20"))
    factory = SharedInformerFactory(Client(server, "informers"))
    listed: list[str] = []
    kubelets = []
    for node in ("node-1", "node-2"):
        kubelet_client = Client(server, f"kubelet {node}")
        real_list = kubelet_client.list

        def counting_list(resource, *args, _real=real_list, **kwargs):
            listed.append(resource)
            return _real(resource, *args, **kwargs)

        kubelet_client.list = counting_list  # type: ignore[method-assign]
        runtime = SimulatedRuntime(loop, node)
        kubelets.append(Kubelet(node, kubelet_client, runtime=runtime, informers=factory))
        kubelets[-1].start()
    loop.settle()
    for i, node in enumerate(("node-1", "node-2", "node-1")):
        spec = {"nodeName": node, "containers": [{"name": "web", "image": "nginx:1.27"}]}
        client.create("pods", {"metadata": {"name": f"p{i}", "namespace": "shop"}, "spec": spec})
    loop.settle()
    assert kubelets[0].services is kubelets[1].services is factory.informer_for("services")
    assert len(factory.informer_for("services")._handlers) == 1  # one cache for both kubelets
    assert "services" not in listed
    out, _ = kubelets[1].exec("shop", "p1", None, ["env"])
    assert "DB_SERVICE_HOST=10.96.0.20" in out.splitlines()
    kubelets[0].stop()  # a power loss does not stop the shared informer
    client.create("services", service("cache", "shop", "10.96.0.21"))
    spec = {"nodeName": "node-2", "containers": [{"name": "web", "image": "nginx:1.27"}]}
    client.create("pods", {"metadata": {"name": "p9", "namespace": "shop"}, "spec": spec})
    loop.settle()
    out, _ = kubelets[1].exec("shop", "p9", None, ["env"])
    assert "CACHE_SERVICE_HOST=10.96.0.21" in out.splitlines()


def test_the_cache_keeps_no_informer_alive():
    c = Cluster()
    assert ServiceEnvCache.for_informer(c.informer) is ServiceEnvCache.for_informer(c.informer)
    gone = weakref.ref(c.informer)
    del c
    gc.collect()
    assert gone() is None  # `for_informer`'s map would otherwise hold every cluster forever


def test_a_local_service_named_kubernetes_takes_the_place_of_the_master_one():
    """upstream `getServiceEnvVarMap`: with service links, the namespace's own `kubernetes`
    Service wins; without them, or when it is headless, the master one is used."""
    c = Cluster()
    c.client.create("services", service("kubernetes", "default", "10.96.0.1", 443))
    c.client.create("services", service("kubernetes", "shop", "10.96.0.30", 8443))
    c.loop.settle()
    assert c.cache.env(pod("shop"))["KUBERNETES_SERVICE_HOST"] == "10.96.0.30"
    assert c.cache.env(pod("shop", links=False))["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"
    c.client.create("services", service("kubernetes", "web", "None"))
    c.loop.settle()
    assert c.cache.env(pod("web"))["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"
