"""`kubectl get --chunk-size`: lists read in pages that follow `continue` print exactly what one
request prints (upstream's default is 500)."""

import pytest

from minik8s.apiserver.server import APIServer
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.kubectl import kubectl
from minik8s.sim.loop import EventLoop


class CountingClient(Client):
    """A client that records the LIST requests it makes."""

    def __init__(self, server):
        super().__init__(server, "kubectl")
        self.lists = []

    def list(self, resource, namespace=None, **kwargs):
        self.lists.append((resource, kwargs.get("limit"), bool(kwargs.get("continue_"))))
        return super().list(resource, namespace, **kwargs)


@pytest.fixture
def client():
    loop = EventLoop(seed=0)
    client = CountingClient(APIServer(Store(), loop))
    for ns in ("default", "shop"):
        client.create("namespaces", {"metadata": {"name": ns}})
    for i in range(7):
        for ns in ("default", "shop"):
            meta = {"name": f"cm-{i}", "namespace": ns, "labels": {"n": str(i % 3)}}
            client.create("configmaps", {"metadata": meta, "data": {"k": "v" * i}}, ns)
    loop.settle()
    return client


@pytest.mark.parametrize(
    "command",
    ["get configmaps", "get cm -A", "get cm -A -o name", "get cm -l n=1 -A", "get cm -o yaml"],
)
def test_chunked_output_is_the_same(client, command):
    whole = kubectl(client, f"{command} --chunk-size=0")
    assert client.lists[-1] == ("configmaps", 0, False)
    client.lists.clear()
    assert kubectl(client, f"{command} --chunk-size=2") == whole
    assert client.lists[0] == ("configmaps", 2, False)
    assert all(limit == 2 and more for _, limit, more in client.lists[1:])
    assert kubectl(client, command) == whole  # default 500: one page


def test_default_chunk_size_is_500(client):
    kubectl(client, "get cm")
    assert client.lists == [("configmaps", 500, False)]


def test_chunk_size_pages_follow_continue(client):
    kubectl(client, "get cm -A --chunk-size=4")
    assert client.lists == [("configmaps", 4, False)] + [("configmaps", 4, True)] * 3


def test_bad_chunk_size(client):
    out = kubectl(client, "get cm --chunk-size=abc")
    assert out == (
        'error: invalid argument "abc" for "--chunk-size" flag: '
        'strconv.ParseInt: parsing "abc": invalid syntax\n'
        "See 'kubectl get --help' for usage.\n"
    )


def test_chunk_size_takes_its_value_as_the_next_argument(client):
    whole = kubectl(client, "get cm -A --chunk-size=0")
    client.lists.clear()
    assert kubectl(client, "get cm -A --chunk-size 1") == whole
    assert len(client.lists) == 14  # 14 ConfigMaps, one per page
