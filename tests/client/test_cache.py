"""Indexer, keys, index functions and listers (tools/cache store, index, listers)."""

from __future__ import annotations

import pytest

from minik8s.api.errors import NotFound
from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    NAMESPACE_INDEX,
    NODE_NAME_INDEX,
    DeletedFinalStateUnknown,
    Indexer,
    Lister,
    label_index,
    meta_namespace_key,
    namespace_index,
    node_name_index,
    owner_uid_index,
    split_meta_namespace_key,
)


def pod(
    name: str,
    ns: str = "default",
    node: str | None = None,
    labels: dict | None = None,
    owner: str | None = None,
) -> dict:
    meta: dict = {"name": name, "namespace": ns, "labels": labels or {}}
    if owner:
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "rs",
                "uid": owner,
                "controller": True,
            }
        ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"nodeName": node} if node else {},
    }


def test_meta_namespace_key_and_split() -> None:
    assert meta_namespace_key(pod("web", "shop")) == "shop/web"
    assert meta_namespace_key({"metadata": {"name": "node-1"}}) == "node-1"
    assert meta_namespace_key(DeletedFinalStateUnknown("shop/web", {})) == "shop/web"
    assert split_meta_namespace_key("shop/web") == ("shop", "web")
    assert split_meta_namespace_key("node-1") == ("", "node-1")
    with pytest.raises(ValueError, match='unexpected key format: "a/b/c"'):
        split_meta_namespace_key("a/b/c")


def test_index_functions() -> None:
    assert namespace_index(pod("a", "shop")) == ["shop"]
    assert namespace_index({"metadata": {"name": "n"}}) == [""]
    assert node_name_index(pod("a", node="node-1")) == ["node-1"]
    assert node_name_index(pod("a")) == []
    assert owner_uid_index(pod("a", owner="u1")) == ["u1"]
    assert owner_uid_index(pod("a", "shop")) == ["_ORPHAN_POD/shop"]
    not_controller = pod("a")
    not_controller["metadata"]["ownerReferences"] = [{"uid": "u2", "controller": False}]
    assert owner_uid_index(not_controller) == ["_ORPHAN_POD/default"]
    assert label_index("app")(pod("a", labels={"app": "web"})) == ["web"]
    assert label_index("app")(pod("a")) == []


def make_indexer() -> Indexer:
    return Indexer(
        {
            NAMESPACE_INDEX: namespace_index,
            NODE_NAME_INDEX: node_name_index,
            CONTROLLER_UID_INDEX: owner_uid_index,
        }
    )


def test_indexer_add_get_list_delete() -> None:
    idx = make_indexer()
    a, b = pod("a", node="node-1"), pod("b", "shop", node="node-2")
    idx.add(a)
    idx.add(b)
    assert idx.get_by_key("default/a") is a  # shared, not copied
    assert idx.get(pod("b", "shop")) is b
    assert idx.list() == [a, b]
    assert idx.list_keys() == ["default/a", "shop/b"]
    assert len(idx) == 2 and "shop/b" in idx
    a2 = pod("a", node="node-3")
    assert idx.put("default/a", a2) is a and idx.put("default/x", pod("x")) is None
    assert idx.index_keys(NODE_NAME_INDEX, "node-3") == ["default/a"]
    idx.delete_key("default/x")
    idx.delete(b)
    idx.delete_key("missing")
    assert idx.list_keys() == ["default/a"]
    assert idx.by_index(NODE_NAME_INDEX, "node-2") == []
    assert (
        repr(idx) == "<Indexer 1 objects indices=['controllerUID', 'namespace', 'spec.nodeName']>"
    )


def test_indexer_moves_objects_between_buckets_on_update() -> None:
    idx = make_indexer()
    idx.add(pod("a"))
    idx.add(pod("b", node="node-1"))
    assert idx.index_keys(NODE_NAME_INDEX, "node-1") == ["default/b"]
    idx.update(pod("a", node="node-1"))
    assert idx.index_keys(NODE_NAME_INDEX, "node-1") == ["default/b", "default/a"]
    idx.update(pod("b", node="node-2"))
    assert idx.index_keys(NODE_NAME_INDEX, "node-1") == ["default/a"]
    assert idx.index_keys(NODE_NAME_INDEX, "node-2") == ["default/b"]
    idx.delete_key("default/a")
    assert idx.index_keys(NODE_NAME_INDEX, "node-1") == []
    assert "node-1" not in idx._indices[NODE_NAME_INDEX]  # empty buckets are dropped


def test_by_index_owner_and_namespace() -> None:
    idx = make_indexer()
    for obj in (
        pod("a", owner="rs1"),
        pod("b", owner="rs1"),
        pod("c", owner="rs2"),
        pod("d"),
        pod("e", "shop"),
    ):
        idx.add(obj)
    assert [p["metadata"]["name"] for p in idx.by_index(CONTROLLER_UID_INDEX, "rs1")] == ["a", "b"]
    assert [
        p["metadata"]["name"] for p in idx.by_index(CONTROLLER_UID_INDEX, "_ORPHAN_POD/default")
    ] == ["d"]
    assert [p["metadata"]["name"] for p in idx.by_index(NAMESPACE_INDEX, "shop")] == ["e"]
    assert [
        p["metadata"]["name"] for p in idx.index(CONTROLLER_UID_INDEX, pod("x", owner="rs1"))
    ] == ["a", "b"]
    with pytest.raises(KeyError, match="Index with name nope does not exist"):
        idx.by_index("nope", "x")


def test_add_indexers_indexes_existing_objects_and_rejects_conflicts() -> None:
    idx = Indexer()
    idx.add(pod("a", labels={"app": "web"}))
    idx.add(pod("b", labels={"app": "db"}))
    idx.add_indexers({"app": label_index("app")})
    assert idx.index_keys("app", "web") == ["default/a"]
    with pytest.raises(ValueError, match=r"indexer conflict: \['app'\]"):
        idx.add_indexers({"app": label_index("app")})


def test_replace_rebuilds_indices() -> None:
    idx = make_indexer()
    idx.add(pod("a", node="node-1"))
    idx.replace([pod("b", node="node-1"), pod("c", node="node-2")])
    assert idx.list_keys() == ["default/b", "default/c"]
    assert idx.index_keys(NODE_NAME_INDEX, "node-1") == ["default/b"]


def test_lister_list_and_get() -> None:
    idx = make_indexer()
    for obj in (
        pod("a", labels={"app": "web"}),
        pod("b", labels={"app": "db"}),
        pod("c", "shop", labels={"app": "web"}),
    ):
        idx.add(obj)
    lister = Lister(idx, "pod")
    names = lambda objs: [o["metadata"]["name"] for o in objs]  # noqa: E731
    assert names(lister.list()) == ["a", "b", "c"]
    assert names(lister.list("default")) == ["a", "b"]
    assert names(lister.list(selector={"app": "web"})) == ["a", "c"]
    assert names(lister.list("shop", {"app": "db"})) == []

    class AppSelector:
        def matches(self, labels: dict) -> bool:
            return labels.get("app") == "db"

    assert names(lister.list(selector=AppSelector())) == ["b"]
    assert lister.get("shop", "c")["metadata"]["name"] == "c"
    with pytest.raises(NotFound, match='pod "zzz" not found'):
        lister.get("default", "zzz")
    assert repr(lister) == "<Lister pod 3 objects>"


def test_lister_without_namespace_index_and_cluster_scoped_get() -> None:
    idx = Indexer()
    idx.add({"metadata": {"name": "node-1"}})
    idx.add(pod("a"))
    lister = Lister(idx, "node")
    assert lister.get(None, "node-1") == {"metadata": {"name": "node-1"}}
    assert [o["metadata"]["name"] for o in lister.list("default")] == ["a"]


def test_lister_accepts_selector_strings_and_parsed_selectors() -> None:
    from minik8s.api.labels import label_selector_as_selector

    idx = Indexer({NAMESPACE_INDEX: namespace_index})
    for name, app in (("a", "web"), ("b", "db"), ("c", "cache")):
        idx.add(pod(name, labels={"app": app}))
    lister = Lister(idx, "pod")
    assert [o["metadata"]["name"] for o in lister.list(selector="app in (web,db)")] == ["a", "b"]
    selector = label_selector_as_selector(
        {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}
    )
    assert [o["metadata"]["name"] for o in lister.list("default", selector)] == ["b", "c"]


def test_ensure_index_is_idempotent() -> None:
    from minik8s.client.cache import ensure_index

    idx = Indexer()
    idx.add(pod("a", node="node-1"))
    ensure_index(idx, NODE_NAME_INDEX, node_name_index)
    ensure_index(idx, NODE_NAME_INDEX, node_name_index)  # a second controller asks again
    assert idx.index_keys(NODE_NAME_INDEX, "node-1") == ["default/a"]
