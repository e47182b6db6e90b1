"""Resources without a watch cache (events, as upstream's DefaultWatchCacheSizes): LIST and
WATCH straight from the store give exactly what a watch cache gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.apiserver import APIServer
from minik8s.apiserver.cacher import Cacher
from minik8s.apiserver.uncached import UncachedStorage
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.sim.loop import EventLoop


class Env:
    """A store + API server; `cached_events` gives events a watch cache as other resources."""

    def __init__(self, cached_events: bool = False):
        self.loop = EventLoop(seed=0)
        self.store = Store(clock=lambda: self.loop.now)
        sizes = {} if cached_events else None
        self.server = APIServer(self.store, self.loop, watch_cache_sizes=sizes)
        self.client = Client(self.server, "test")
        for name in ("default", "shop"):
            self.client.create("namespaces", {"metadata": {"name": name}})
        self.loop.settle()


def event(name, involved="a", reason="Started", labels=None):
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "labels": labels or {}},
        "involvedObject": {"kind": "Pod", "name": involved, "namespace": "shop"},
        "reason": reason,
        "message": f"{reason} {involved}",
        "type": "Normal",
    }


def test_events_have_no_watch_cache_by_default():
    env = Env()
    assert isinstance(env.server.cachers["events"], UncachedStorage)
    assert isinstance(env.server.cachers["configmaps"], Cacher)
    assert isinstance(Env(cached_events=True).server.cachers["events"], Cacher)


def test_nothing_decoded_is_kept_and_reads_decode_private_copies():
    env = Env()
    env.client.create("events", event("e1"), "shop")
    storage = env.server.cachers["events"]
    first, second = (env.server.list("events", "shop")["items"][0] for _ in range(2))
    assert first == second and first is not second
    assert storage.current("shop/e1") == first and storage.current("shop/none") is None


def test_a_watch_from_a_compacted_revision_is_expired():
    env = Env()
    created = env.client.create("events", event("e1"), "shop")
    env.client.delete("events", "e1", "shop")
    env.store.compact(env.store.revision)
    seen = []
    rv = created["metadata"]["resourceVersion"]
    env.client.watch("events", lambda t, o: seen.append((t, o)), "shop", resource_version=rv)
    env.loop.settle()
    [(kind, status)] = seen
    assert kind == "ERROR" and status["reason"] == "Expired"


def test_a_stopped_watch_gets_nothing_more_and_leaves_the_store():
    env = Env()
    seen = []
    watchers = len(env.store._hub)
    watch = env.client.watch("events", lambda t, o: seen.append(t), "shop")
    assert env.server.cachers["events"].watcher_count() == 1
    watch.stop()
    env.client.create("events", event("e1"), "shop")
    env.loop.settle()
    assert seen == [] and env.server.cachers["events"].watcher_count() == 0
    assert len(env.store._hub) == watchers


OPS = st.lists(
    st.tuples(
        st.sampled_from(["create", "patch", "delete"]),
        st.sampled_from(["e1", "e2"]),
        st.sampled_from(["shop", "shop", "default"]),
        st.sampled_from(["a", "b"]),
        st.sampled_from([{}, {"app": "web"}]),
    ),
    max_size=25,
)
SELECTIONS = [
    {},
    {"namespace": "shop"},
    {"namespace": "shop", "field_selector": "involvedObject.name=a"},
    {"label_selector": "app=web"},
    {"field_selector": "reason=Killing"},
]


def _apply(env, op, name, namespace, involved, labels):
    try:
        if op == "create":
            env.client.create("events", event(name, involved, labels=labels), namespace)
        elif op == "patch":
            patch = {"involvedObject": {"name": involved}, "metadata": {"labels": labels}}
            env.client.patch("events", name, patch, namespace)
        else:
            env.client.delete("events", name, namespace)
    except Exception as error:  # noqa: BLE001 - the same error on both sides is compared
        return type(error).__name__
    return None


def _run(ops, cached_events, split):
    """Every selection's events, watched from the start, from now, and from a revision."""
    env = Env(cached_events)
    seen = {i: [] for i in range(len(SELECTIONS) * 2)}
    for i, selection in enumerate(SELECTIONS):
        env.client.watch("events", lambda t, o, i=i: seen[i].append((t, o)), **selection)
    errors = [_apply(env, *op) for op in ops[:split]]
    env.loop.settle()
    mark = str(env.store.revision - min(split, 3))
    for i, selection in enumerate(SELECTIONS):
        j = len(SELECTIONS) + i
        env.client.watch(
            "events", lambda t, o, j=j: seen[j].append((t, o)), **selection, resource_version=mark
        )
    errors += [_apply(env, *op) for op in ops[split:]]
    env.loop.settle()
    lists = [env.client.list("events", **selection)["items"] for selection in SELECTIONS]
    return seen, errors, lists


@settings(max_examples=100, deadline=None)
@given(OPS, st.integers(0, 25))
def test_uncached_watches_and_lists_match_the_watch_cache(ops, split):
    assert _run(ops, False, split) == _run(ops, True, split)


def test_on_cached_change_calls_back_for_each_change_of_one_object_until_stopped():
    env, calls = Env(), []
    stop = env.server.on_cached_change("configmaps", "cm", lambda: calls.append(1), "shop")
    assert stop is not None
    cm = {"metadata": {"name": "cm", "namespace": "shop"}, "data": {"a": "1"}}
    env.client.create("configmaps", cm)
    env.client.create("configmaps", {**cm, "metadata": {"name": "other", "namespace": "shop"}})
    env.client.patch("configmaps", "cm", {"data": {"a": "2"}}, "shop")
    env.client.delete("configmaps", "cm", "shop")
    assert len(calls) == 3  # created, patched, deleted; not the other ConfigMap
    stop()
    env.client.create("configmaps", cm)
    assert len(calls) == 3
    assert env.server.on_cached_change("events", "e", lambda: None, "shop") is None  # no cache
