"""The etcd revisions table, from real store events and from flat records."""

from __future__ import annotations

import html

from minik8s.etcd import Store
from minik8s.viz import etcd_revisions


def store_events() -> list:
    store = Store()
    events: list = []
    store.watch("/registry/", events.extend)
    store.put("/registry/configmaps/default/a", b"1")
    store.put("/registry/configmaps/default/b", b"1")
    store.put("/registry/configmaps/default/a", b"2")
    store.delete("/registry/configmaps/default/b")
    return events


def test_table_from_store_events():
    events = store_events()
    diagram = etcd_revisions(events)
    svg = html.unescape(diagram.svg())
    assert "PUT v1" in svg and "PUT v2" in svg and "DELETE" in svg
    assert "/registry/configmaps/default/a" in svg and "修订版本" in svg
    assert diagram.source == etcd_revisions(list(reversed(events))).source


def test_flat_records_and_limit():
    records = [{"revision": r, "type": "PUT", "key": "/k", "version": r - 1} for r in range(2, 20)]
    source = etcd_revisions(records, limit=3).source
    assert ">17<" in source and ">19<" in source and ">16<" not in source
    assert "PUT v18" in source
    assert "no revisions" in etcd_revisions([]).source
