"""Watch: asynchronous delivery, replay from a revision, Expired, selectors, indexed fan-out."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import Conflict

from .conftest import Env, configmap, pod


def test_events_are_delivered_on_the_loop_not_inline(env):
    seen = env.events("configmaps", namespace="shop")
    env.client.create("configmaps", configmap("x", "shop"))
    assert seen == []
    env.loop.settle()
    assert seen == [("ADDED", "x")]


def test_watch_without_version_starts_with_the_current_state(env):
    env.client.create("configmaps", configmap("a"))
    seen = env.events("configmaps", namespace="default")
    env.client.patch("configmaps", "a", {"data": {"k": "v"}})
    env.client.delete("configmaps", "a")
    env.loop.settle()
    assert seen == [("ADDED", "a"), ("MODIFIED", "a"), ("DELETED", "a")]


def test_watch_from_a_revision_replays_later_events(env):
    created = env.client.create("configmaps", configmap("a"))
    env.client.create("configmaps", configmap("b"))
    env.client.delete("configmaps", "a")
    seen = env.events("configmaps", resource_version=created["metadata"]["resourceVersion"])
    env.loop.settle()
    assert seen == [("ADDED", "b"), ("DELETED", "a")]


def test_watch_from_a_too_old_revision_is_expired():
    env = Env()
    env.server.cachers["configmaps"].oldest_revision = 10**6
    seen = []
    env.client.watch("configmaps", lambda t, o: seen.append((t, o)), resource_version="5")
    env.loop.settle()
    [(kind, status)] = seen
    assert kind == "ERROR" and status["code"] == 410 and status["reason"] == "Expired"
    assert status["message"].startswith("too old resource version: 5")


def test_an_object_leaving_the_selection_is_deleted_in_its_last_matching_state(env):
    seen = []
    env.client.watch("pods", lambda t, o: seen.append((t, o)), "shop", label_selector="app=web")
    env.client.create("pods", pod("p", labels={"app": "web"}))
    moved = env.client.patch("pods", "p", {"metadata": {"labels": {"app": "db"}}}, "shop")
    env.loop.settle()
    kind, last = seen[-1]
    assert kind == "DELETED" and last["metadata"]["labels"] == {"app": "web"}
    assert last["metadata"]["resourceVersion"] == moved["metadata"]["resourceVersion"]


def test_label_selector_watch_sees_objects_enter_and_leave(env):
    seen = env.events("pods", namespace="shop", label_selector="app=web")
    env.client.create("pods", pod("p", labels={"app": "db"}))
    env.client.patch("pods", "p", {"metadata": {"labels": {"app": "web"}}}, "shop")
    env.client.patch("pods", "p", {"metadata": {"labels": {"app": "db"}}}, "shop")
    env.loop.settle()
    assert seen == [("ADDED", "p"), ("DELETED", "p")]


def test_node_watchers_only_see_their_pods(env):
    node1 = env.events("pods", field_selector="spec.nodeName=node-1")
    node2 = env.events("pods", field_selector="spec.nodeName=node-2")
    env.client.create("pods", pod("a", node="node-1"))
    env.client.create("pods", pod("b", node="node-2"))
    env.client.create("pods", pod("c"))
    env.loop.settle()
    assert node1 == [("ADDED", "a")] and node2 == [("ADDED", "b")]
    cacher = env.server.cachers["pods"]
    assert len(cacher.watchers_by_index["node-1"]) == 1 and not cacher.watchers_all


def test_binding_reaches_the_node_watcher_as_added(env):
    env.client.create("pods", pod("p"))
    seen = env.events("pods", field_selector="spec.nodeName=node-1")
    binding = {"metadata": {"name": "p"}, "target": {"kind": "Node", "name": "node-1"}}
    env.client.create("pods", binding, "shop", subresource="binding")
    env.loop.settle()
    assert seen == [("ADDED", "p")]


def test_stopped_watch_gets_nothing_more(env):
    seen = []
    watch = env.client.watch("configmaps", lambda t, o: seen.append(t))
    watch.stop()
    env.client.create("configmaps", configmap("x"))
    env.loop.settle()
    assert seen == [] and "stopped" in repr(watch)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["put", "del"]), st.sampled_from("abc"), st.integers(0, 3)),
        max_size=25,
    ),
    st.integers(0, 30),
)
def test_watch_from_any_revision_replays_exactly_the_later_events(ops, start_at):
    env = Env()
    log = []  # (revision, type, name) as the server committed them
    first = env.store.revision
    for op, name, value in ops:
        try:
            if op == "put":
                try:
                    obj = env.client.create("configmaps", configmap(name, v=str(value)))
                    log.append((int(obj["metadata"]["resourceVersion"]), "ADDED", name))
                except Exception:
                    obj = env.client.update("configmaps", configmap(name, v=str(value)))
                    rv = int(obj["metadata"]["resourceVersion"])
                    if rv > log[-1][0]:
                        log.append((rv, "MODIFIED", name))
            else:
                obj = env.client.delete("configmaps", name)
                log.append((int(obj["metadata"]["resourceVersion"]), "DELETED", name))
        except Exception:
            pass
    start = first + start_at
    seen = []
    env.client.watch(
        "configmaps",
        lambda t, o: seen.append((int(o["metadata"]["resourceVersion"]), t, o["metadata"]["name"])),
        "default",
        resource_version=str(start),
    )
    env.loop.settle()
    assert seen == [entry for entry in log if entry[0] > start]
    revisions = [entry[0] for entry in seen]
    assert revisions == sorted(set(revisions))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 100)), min_size=1, max_size=20))
def test_concurrent_updates_with_stale_versions_conflict_and_never_lose_a_write(writes):
    env = Env()
    obj = env.client.create("configmaps", configmap("x", n="0"))
    copies = [dict(obj, metadata=dict(obj["metadata"])) for _ in range(4)]
    accepted = []
    for who, value in writes:
        mine = copies[who]
        mine["data"] = {"n": str(value)}
        try:
            stored = env.client.update("configmaps", mine)
        except Conflict:
            fresh = env.client.get("configmaps", "x")
            assert fresh["metadata"]["resourceVersion"] != mine["metadata"]["resourceVersion"]
            copies[who] = fresh
            continue
        accepted.append(stored["data"]["n"])
        copies[who] = stored
    final = env.client.get("configmaps", "x")
    assert final["data"]["n"] == (accepted[-1] if accepted else "0")
    assert len(accepted) >= 1


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["put", "delete", "label"]), st.sampled_from("abc")),
        max_size=12,
    ),
    st.sampled_from(["", "app=web"]),
)
def test_a_replayed_watch_sees_exactly_what_a_live_watch_saw(ops, selector):
    # The history keeps stored bytes and decodes them on replay: same objects, same types.
    env = Env()
    start = env.server.store.revision
    live: list = []
    env.server.watch(
        "configmaps",
        lambda kind, obj: live.append((kind, obj)),
        "default",
        resource_version=str(start),
        label_selector=selector or None,
    )
    for op, name in ops:
        exists = env.server.cached("configmaps", name, "default") is not None
        if op == "put" and not exists:
            env.client.create("configmaps", configmap(name))
        elif op == "label" and exists:
            env.client.patch("configmaps", name, {"metadata": {"labels": {"app": "web"}}})
        elif op == "delete" and exists:
            env.client.delete("configmaps", name)
    env.loop.settle()
    replay: list = []
    env.server.watch(
        "configmaps",
        lambda kind, obj: replay.append((kind, obj)),
        "default",
        resource_version=str(start),
        label_selector=selector or None,
    )
    env.loop.settle()
    assert replay == live
