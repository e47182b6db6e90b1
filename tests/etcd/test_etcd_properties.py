"""Property tests: the store against a plain-dict model, watch replay, optimistic concurrency."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.etcd import Compacted, Compare, Event, KeyValue, Op, Store, history

KEYS = ["/a/1", "/a/2", "/b/1", "/b/2/x", "/c"]
PREFIXES = ["", "/a/", "/b/", "/c", "/zz"]


@dataclass
class Model:
    """A deliberately naive MVCC model: a full copy of the key space per revision."""

    now: float = 0.0
    revision: int = 1
    compact_revision: int = 0
    states: dict[int, dict[str, KeyValue]] = field(default_factory=lambda: {1: {}})
    events: dict[int, list[Event]] = field(default_factory=dict)
    leases: dict[int, tuple[float, int, set[str]]] = field(default_factory=dict)  # deadline, ttl
    next_lease: int = 1

    def write(self, changes: list[tuple[str, bytes | None, int]]) -> None:
        """Apply (key, value or None for delete, lease) changes at one new revision."""
        cur = dict(self.states[self.revision])
        rev, events = self.revision + 1, []
        for key, value, lease in changes:
            prev = cur.get(key)
            if prev is not None and prev.lease in self.leases:
                self.leases[prev.lease][2].discard(key)
            if value is None:
                if prev is not None:
                    del cur[key]
                    events.append(Event("DELETE", KeyValue(key, b"", 0, rev, 0), prev))
                continue
            create, version = (prev.create_revision, prev.version + 1) if prev else (rev, 1)
            cur[key] = KeyValue(key, value, create, rev, version, lease)
            if lease:
                self.leases[lease][2].add(key)
            events.append(Event("PUT", cur[key], prev))
        if events:
            self.revision = rev
            self.states[rev] = cur
            self.events[rev] = events

    def revoke(self, lease_id: int) -> None:
        keys = sorted(self.leases.pop(lease_id)[2])
        self.write([(k, None, 0) for k in keys])


ops = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(KEYS), st.binary(max_size=3), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.sampled_from(KEYS)),
    st.tuples(
        st.just("txn"),
        st.sampled_from(KEYS),
        st.integers(0, 3),
        st.lists(st.tuples(st.sampled_from(["put", "delete", "get"]), st.sampled_from(KEYS))),
    ),
    st.tuples(st.just("compact"), st.integers(0, 6)),
    st.tuples(st.just("grant"), st.integers(1, 20)),
    st.tuples(st.just("revoke"), st.integers(0, 3)),
    st.tuples(st.just("tick"), st.integers(0, 15)),
    st.tuples(st.just("watch"), st.sampled_from(PREFIXES), st.integers(0, 8)),
)


def apply(store: Store, model: Model, op: tuple, watchers: list) -> None:
    """Run one generated op on both the store and the model."""
    kind = op[0]
    leases = sorted(model.leases)
    if kind == "put":
        _, key, value, pick = op
        lease = leases[pick % len(leases)] if leases and pick else 0
        store.put(key, value, lease=lease)
        model.write([(key, value, lease)])
    elif kind == "delete":
        store.delete(op[1])
        model.write([(op[1], None, 0)])
    elif kind == "txn":
        _, key, version, branch = op
        writes = [k for kind_, k in branch if kind_ != "get"]
        if len(writes) != len(set(writes)):
            return  # duplicate keys: rejected, covered by a unit test
        body = [Op(kind_, k, value=b"t") for kind_, k in branch]
        result = store.txn([Compare(key, "version", "=", version)], body)
        cur = model.states[model.revision]
        assert result.succeeded == ((cur[key].version if key in cur else 0) == version)
        if result.succeeded:
            model.write(
                [(k, b"t" if kind_ == "put" else None, 0) for kind_, k in branch if kind_ != "get"]
            )
    elif kind == "compact":
        target = model.revision - op[1]
        if target <= model.compact_revision:
            try:
                store.compact(target)
            except Compacted:
                return
            raise AssertionError("compact below the compaction point must fail")
        store.compact(target)
        model.compact_revision = target
    elif kind == "grant":
        lease_id = store.lease_grant(op[1])
        assert lease_id == model.next_lease
        model.leases[lease_id] = (model.now + op[1], op[1], set())
        model.next_lease += 1
    elif kind == "revoke" and leases:
        lease_id = leases[op[1] % len(leases)]
        store.lease_revoke(lease_id)
        model.revoke(lease_id)
    elif kind == "tick":
        model.now += op[1]
        due = sorted((d, i) for i, (d, _, _) in model.leases.items() if d <= model.now)
        assert store.expire_leases() == [i for _, i in due]
        for _, lease_id in due:
            model.revoke(lease_id)
    elif kind == "watch":
        _, prefix, back = op
        start = max(1, model.revision + 1 - back)
        got: list[list[Event]] = []
        try:
            store.watch(prefix, got.append, start_revision=start, prev_kv=True)
        except Compacted:
            assert start < model.compact_revision
            return
        assert start >= model.compact_revision
        watchers.append((prefix, start, got))


def check_reads(store: Store, model: Model) -> None:
    assert store.revision == model.revision
    assert store.compact_revision == model.compact_revision
    for rev in range(model.compact_revision or 1, model.revision + 1):
        state = model.states.get(rev)
        if state is None:
            continue
        for prefix in PREFIXES:
            expected = [kv for k, kv in sorted(state.items()) if k.startswith(prefix)]
            assert store.range(prefix, revision=rev) == expected
        for key in KEYS:
            assert store.get(key, revision=rev) == state.get(key)
    assert store.count("") == len(model.states[model.revision])


@settings(max_examples=150, deadline=None)
@given(st.lists(ops, max_size=40), st.sampled_from([None, 2, 5]), st.sampled_from([1, 3, 256]))
def test_store_matches_model_and_revisions_only_grow(op_list, window, trim_batch):
    old, history.TRIM_BATCH = history.TRIM_BATCH, trim_batch  # exercise lazy trimming too
    try:
        check_against_model(op_list, window)
    finally:
        history.TRIM_BATCH = old


def check_against_model(op_list: list, window: int | None) -> None:
    now = [0.0]
    store = Store(clock=lambda: now[0], history=window)
    model = Model()
    seen: list[list[Event]] = []
    store.watch("", seen.append, prev_kv=True)
    watchers: list = []
    last = store.revision
    for op in op_list:
        if op[0] == "tick":
            now[0] += op[1]
        apply(store, model, op, watchers)
        if window is not None and model.revision - model.compact_revision > window:
            model.compact_revision = model.revision - window
        assert store.revision >= last  # (1) revisions only grow
        last = store.revision
        check_reads(store, model)
    # every revision reached the live watcher exactly once, as one batch, in order
    assert seen == [model.events[r] for r in sorted(model.events)]
    # (2) a watch from any retained revision replays exactly the later events, then stays live
    for prefix, start, got in watchers:
        expected = []
        for rev in sorted(model.events):
            batch = [e for e in model.events[rev] if e.kv.key.startswith(prefix)]
            if rev >= start and batch:
                expected.append(batch)
        assert got == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(ops, max_size=30), st.data())
def test_watch_replay_from_any_retained_revision(op_list, data):
    now = [0.0]
    store = Store(clock=lambda: now[0])
    model = Model()
    for op in op_list:
        if op[0] == "tick":
            now[0] += op[1]
        apply(store, model, op, [])
    start = data.draw(st.integers(max(1, model.compact_revision), model.revision + 1))
    prefix = data.draw(st.sampled_from(PREFIXES))
    got: list[list[Event]] = []
    store.watch(prefix, got.append, start_revision=start)
    expected = []
    for rev in sorted(model.events):
        batch = [Event(e.type, e.kv) for e in model.events[rev] if e.kv.key.startswith(prefix)]
        if rev >= start and batch:
            expected.append(batch)
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 5),
    st.lists(st.integers(0, 4), max_size=60),
    st.integers(1, 3),
)
def test_concurrent_read_modify_write_never_loses_a_write(clients, schedule, increments):
    """(3) Clients increment a counter via get + txn(mod == seen); stale txns always fail."""
    store = Store()
    store.put("/counter", b"0")
    todo = [increments] * clients
    seen: list[KeyValue | None] = [None] * clients
    successes = 0

    def step(c: int) -> None:
        nonlocal successes
        if todo[c] == 0:
            return
        if seen[c] is None:
            seen[c] = store.get("/counter")
            return
        read = seen[c]
        assert read is not None
        current = store.get("/counter")
        assert current is not None
        new = str(int(read.value) + 1).encode()
        result = store.txn(
            [Compare("/counter", "mod", "=", read.mod_revision)],
            [Op("put", "/counter", new)],
            [Op("get", "/counter")],
        )
        assert result.succeeded == (current.mod_revision == read.mod_revision)
        if result.succeeded:
            successes += 1
            todo[c] -= 1
        else:
            assert result.responses[0] == current  # the failure branch shows the winner
        seen[c] = None

    for c in schedule:
        step(c % clients)
    while any(todo):  # let everyone finish, round-robin
        for c in range(clients):
            step(c)
    assert successes == clients * increments
    counter = store.get("/counter")
    assert counter is not None
    assert int(counter.value) == successes
    assert counter.version == successes + 1
