"""Property: whatever the server does, an informer's cache ends equal to the server's state, and
its handlers' add/update/delete stream (incl. tombstones after an Expired re-list) rebuilds it."""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from minik8s.client.cache import DeletedFinalStateUnknown, meta_namespace_key
from minik8s.client.client import Client
from minik8s.client.informer import SharedIndexInformer

from .fake import FakeAPIServer

NAMES = [("default", "a"), ("default", "b"), ("default", "c"), ("shop", "a"), ("shop", "d")]


class Model:
    """Rebuilds `{key: resourceVersion}` from handler calls, checking each call makes sense."""

    def __init__(self) -> None:
        self.state: dict[str, str] = {}

    def on_add(self, obj: dict) -> None:
        key = meta_namespace_key(obj)
        assert key not in self.state, f"add for known {key}"
        self.state[key] = obj["metadata"]["resourceVersion"]

    def on_update(self, old: dict, new: dict) -> None:
        key = meta_namespace_key(new)
        assert meta_namespace_key(old) == key
        assert self.state.get(key) == old["metadata"]["resourceVersion"], f"stale old for {key}"
        assert int(new["metadata"]["resourceVersion"]) > int(old["metadata"]["resourceVersion"])
        self.state[key] = new["metadata"]["resourceVersion"]

    def on_delete(self, obj: Any) -> None:
        key = meta_namespace_key(obj)
        assert key in self.state, f"delete for unknown {key}"
        if isinstance(obj, DeletedFinalStateUnknown):
            assert obj.obj["metadata"]["resourceVersion"] == self.state[key]
        del self.state[key]


ops = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.sampled_from(NAMES)),
        st.tuples(st.just("delete"), st.sampled_from(NAMES)),
        st.tuples(st.just("step"), st.integers(1, 4)),
        st.tuples(st.just("expire"), st.none()),
        st.tuples(st.just("compact"), st.none()),
        st.tuples(st.just("late_handler"), st.none()),
        st.tuples(st.just("reconnect"), st.none()),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(initial=st.sets(st.sampled_from(NAMES)), script=ops)
def test_informer_cache_converges_to_server_state(initial: set, script: list) -> None:
    server = FakeAPIServer()
    for ns, name in sorted(initial):
        server.create("pods", {"metadata": {"name": name, "namespace": ns}, "spec": {}})
    informer = SharedIndexInformer(Client(server, "prop"), "pods")  # type: ignore[arg-type]
    models = [Model()]
    informer.add_event_handler(models[0].on_add, models[0].on_update, models[0].on_delete)
    informer.start()
    for op, arg in script:
        if op == "write":
            ns, name = arg
            try:
                obj = server.get("pods", name, ns)
                obj["spec"]["n"] = obj["spec"].get("n", 0) + 1
                server.update("pods", obj)
            except Exception:
                server.create("pods", {"metadata": {"name": name, "namespace": ns}, "spec": {}})
        elif op == "delete" and server.state("pods").get(f"{arg[0]}/{arg[1]}"):
            server.delete("pods", arg[1], arg[0])
        elif op == "step":
            server.loop.run(max_steps=arg)
        elif op == "expire":
            server.expire_watches()
        elif op == "compact":
            server.compact()
        elif op == "reconnect":
            informer.reflector.restart_watch()
        elif op == "late_handler":
            model = Model()
            informer.add_event_handler(model.on_add, model.on_update, model.on_delete)
            models.append(model)
    server.loop.run()
    cached = {
        key: obj["metadata"]["resourceVersion"]
        for key, obj in zip(informer.indexer.list_keys(), informer.indexer.list(), strict=True)
    }
    assert cached == server.state("pods")
    assert informer.last_sync_resource_version == str(server.revision)
    for model in models:
        assert model.state == server.state("pods")
    assert len(server.watches) == 1  # old watches were all stopped
    event(f"re-lists: {min(informer.reflector.list_count - 1, 3)}")
