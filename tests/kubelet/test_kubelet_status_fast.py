"""The kubelet's faster status paths give exactly what the straightforward versions gave:
`conditions` (one pass over the containers) and `only_status_changed` (no stripped copies) are
checked against the previous implementations with hypothesis; the status manager keeps
conditions other components own, once, and writes only a changed status."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.kubelet.kubelet import only_status_changed
from minik8s.kubelet.status import TERMINAL, condition, conditions
from minik8s.kubelet.status_manager import with_transition_times


# -- the previous implementations (reference) -------------------------------------------------
def reference_only_status_changed(old, new):
    ignored = ("resourceVersion", "managedFields")

    def strip(obj):
        meta = {k: v for k, v in obj.get("metadata", {}).items() if k not in ignored}
        return {**{k: v for k, v in obj.items() if k != "status"}, "metadata": meta}

    return strip(old) == strip(new)


def _started(statuses):
    return any(
        "running" in s.get("state", {}) or "terminated" in s.get("state", {}) for s in statuses
    )


def reference_conditions(pod, statuses, init_statuses, phase, sandbox_ok):
    spec = pod.get("spec", {})
    names = {s["name"]: s for s in statuses + init_statuses}
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    watched = sidecars + (spec.get("containers") or [])
    unknown = [c["name"] for c in watched if c["name"] not in names]
    unready = [c["name"] for c in watched if c["name"] in names and not names[c["name"]]["ready"]]
    if phase in TERMINAL and (phase == "Failed" or not unknown):
        reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
        containers_ready = condition("ContainersReady", False, reason)
    else:
        parts = [f"containers with unknown status: [{' '.join(unknown)}]"] if unknown else []
        if unready:
            parts.append(f"containers with unready status: [{' '.join(unready)}]")
        message = ", ".join(parts)
        containers_ready = condition(
            "ContainersReady", not message, "ContainersNotReady" if message else "", message
        )
    ready = dict(containers_ready, type="Ready")
    init_names = {s["name"]: s for s in init_statuses}
    inits = spec.get("initContainers") or []
    init_unknown = [c["name"] for c in inits if c["name"] not in init_names]
    incomplete = [
        c["name"]
        for c in inits
        if c["name"] in init_names
        and not init_names[c["name"]]["started" if c in sidecars else "ready"]
    ]
    if phase == "Succeeded" and not init_unknown:
        initialized = condition("Initialized", True, "PodCompleted")
    elif _started(statuses):
        initialized = condition("Initialized", True)
    else:
        parts = (
            [f"containers with unknown status: [{' '.join(init_unknown)}]"] if init_unknown else []
        )
        if incomplete:
            parts.append(f"containers with incomplete status: [{' '.join(incomplete)}]")
        message = ", ".join(parts)
        initialized = condition(
            "Initialized", not message, "ContainersNotInitialized" if message else "", message
        )
    return [
        condition("PodReadyToStartContainers", sandbox_ok),
        initialized,
        ready,
        containers_ready,
        condition("PodScheduled", True),
    ]


# -- strategies -------------------------------------------------------------------------------
STATES = [{"running": {}}, {"terminated": {"exitCode": 0}}, {"waiting": {"reason": "x"}}, {}]


@st.composite
def pods_with_statuses(draw):
    names = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True))
    split = draw(st.integers(0, len(names) - 1))
    inits = [{"name": n, "image": "i"} for n in names[:split]]
    for c in inits:
        if draw(st.booleans()):
            c["restartPolicy"] = "Always"
    regular = [{"name": n, "image": "i"} for n in names[split:]]

    def statuses(containers):
        out = []
        for c in containers:
            if draw(st.booleans()):
                flags = {"ready": draw(st.booleans()), "started": draw(st.booleans())}
                out.append({"name": c["name"], "state": draw(st.sampled_from(STATES)), **flags})
        return out

    spec = {"containers": regular}
    if inits or draw(st.booleans()):
        spec["initContainers"] = inits
    phase = draw(st.sampled_from(["Pending", "Running", "Succeeded", "Failed"]))
    return {"spec": spec}, statuses(regular), statuses(inits), phase, draw(st.booleans())


@given(pods_with_statuses())
@settings(max_examples=300, deadline=None)
def test_conditions_match_the_reference(case):
    pod, statuses, init_statuses, phase, sandbox_ok = case
    expected = reference_conditions(pod, statuses, init_statuses, phase, sandbox_ok)
    assert conditions(pod, statuses, init_statuses, phase, sandbox_ok) == expected


BASE = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "resourceVersion": "5", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "web", "image": "nginx"}]},
    "status": {"phase": "Pending"},
}
CHANGES = [
    ("status", {"phase": "Running"}),
    ("metadata.resourceVersion", "6"),
    ("metadata.managedFields", [{"manager": "kubelet"}]),
    ("metadata.labels", {"app": "api"}),
    ("metadata.deletionTimestamp", "2025-01-01T00:00:00Z"),
    ("metadata.annotations", None),
    ("spec", {"containers": [{"name": "web", "image": "nginx:2"}]}),
    ("extra", 1),
    ("kind", None),
    ("metadata", None),
]


def changed(pod, path, value):
    out = dict(pod)
    target, key = out, path
    if path.startswith("metadata."):
        target = out["metadata"] = dict(out.get("metadata", {}))
        key = path.removeprefix("metadata.")
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
    return out


@given(
    st.lists(st.sampled_from(CHANGES), max_size=3), st.lists(st.sampled_from(CHANGES), max_size=3)
)
def test_only_status_changed_matches_the_reference(left, right):
    old, new = BASE, BASE
    for path, value in left:
        old = changed(old, path, value)
    for path, value in right:
        new = changed(new, path, value)
    assert only_status_changed(old, new) == reference_only_status_changed(old, new)
    assert only_status_changed(new, old) == reference_only_status_changed(new, old)


def test_only_status_changed_facts():
    assert only_status_changed(BASE, changed(BASE, "status", {"phase": "Running"}))
    assert only_status_changed(BASE, changed(BASE, "metadata.resourceVersion", "9"))
    assert not only_status_changed(BASE, changed(BASE, "metadata.labels", {}))
    assert not only_status_changed(BASE, changed(BASE, "extra", 1))


def test_foreign_conditions_are_kept_once_and_transition_times_stay():
    old = {
        "conditions": [
            {"type": "Ready", "status": "False", "lastTransitionTime": "T0"},
            {"type": "DisruptionTarget", "status": "True", "lastTransitionTime": "T1"},
        ]
    }
    new = {
        "conditions": [
            {"type": "Ready", "status": "False"},
            {"type": "Initialized", "status": "True"},
        ]
    }
    out = with_transition_times(new, old, "T2")["conditions"]
    assert [(c["type"], c["lastTransitionTime"]) for c in out] == [
        ("Ready", "T0"),
        ("Initialized", "T2"),
        ("DisruptionTarget", "T1"),
    ]
    assert all(c.get("lastProbeTime", None) is None for c in out)


def test_status_writes_are_the_upstream_ones(node):
    """Created Pending; ContainerCreating before the sandbox (upstream `SyncPod` writes first),
    then Running: the sync that made the sandbox goes on to pull the image and start the
    container, and writes nothing meanwhile; the syncs the container events cause find an equal
    status and write nothing (upstream's needsUpdate)."""
    writes = []

    def on_events(events):
        for event in events:
            pod = json.loads(event.kv.value) if event.kv.value else {}
            statuses = pod.get("status", {}).get("containerStatuses") or [{}]
            writes.append((pod.get("status", {}).get("phase"), *statuses[0].get("state", {})))

    node.store.watch("/registry/pods/shop/web", on_events)
    node.pod()
    node.loop.run(until=60)
    assert writes == [
        ("Pending",),
        ("Pending", "waiting"),
        ("Running", "running"),
    ]
