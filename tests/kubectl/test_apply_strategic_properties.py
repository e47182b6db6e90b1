"""Properties of `CreateThreeWayMergePatch` on random pod-like objects: applying the patch to
the live object gives every field of the new manifest, and keeps every field of the live object
that neither the last-applied nor the new manifest mentions (what other writers added)."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.apiserver.strategicpatch import SCHEMA, extract_retain_keys, strategic_merge_patch
from minik8s.kubectl.strategic_diff import create_two_way_merge_patch
from minik8s.kubectl.strategic_threeway import create_three_way_merge_patch

POD = "core.v1.Pod"

env_vars = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["X", "Y", "Z"]), "value": st.sampled_from(["1", "2"])}
    ),
    max_size=3,
    unique_by=lambda e: e["name"],
)
ports = st.lists(
    st.fixed_dictionaries(
        {"containerPort": st.sampled_from([80, 443, 8080])},
        optional={"name": st.sampled_from(["http", "https"])},
    ),
    max_size=2,
    unique_by=lambda p: p["containerPort"],
)
containers = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["app", "log", "proxy"])},
        optional={
            "image": st.sampled_from(["nginx:1.27", "nginx:1.28"]),
            "imagePullPolicy": st.sampled_from(["Always", "IfNotPresent"]),
            "args": st.lists(st.sampled_from(["-v", "-q"]), max_size=2),
            "env": env_vars,
            "ports": ports,
        },
    ),
    max_size=3,
    unique_by=lambda c: c["name"],
)
specs = st.fixed_dictionaries(
    {},
    optional={
        "containers": containers,
        "restartPolicy": st.sampled_from(["Always", "Never"]),
        "hostname": st.sampled_from(["h1", "h2"]),
        "nodeSelector": st.dictionaries(
            st.sampled_from(["disk", "zone"]), st.sampled_from(["ssd", "a"]), max_size=2
        ),
    },
)
labels = st.dictionaries(st.sampled_from(["app", "tier"]), st.sampled_from(["web", "fe"]))
pods = st.builds(lambda spec, lab: {"metadata": {"labels": lab}, "spec": spec}, specs, labels)


def _meta(t, key):
    sub, strategies, merge_key = SCHEMA.lookup(t, key)
    return sub.removeprefix("[]"), extract_retain_keys(strategies)[1], merge_key


def _find(items, merge_key, value):
    return next(i for i in items if i[merge_key] == value)


def assert_contains(result, wanted, t):
    """Every field of `wanted` is in `result`: merge lists item by item, the rest equal."""
    for key, value in wanted.items():
        assert key in result, key
        sub, strategy, merge_key = _meta(t, key)
        if isinstance(value, dict):
            assert_contains(result[key], value, sub)
        elif isinstance(value, list) and strategy == "merge" and merge_key:
            for item in value:
                assert_contains(_find(result[key], merge_key, item[merge_key]), item, sub)
        else:
            assert result[key] == value, key


def assert_keeps_unmentioned(result, current, original, modified, t):
    """Fields of `current` that neither `original` nor `modified` mention are in `result`."""
    for key, value in current.items():
        if key not in original and key not in modified:
            assert result.get(key) == value, key
            continue
        if key not in modified:
            continue  # the manifest dropped the field: deleted
        before, after = original.get(key), modified[key]
        sub, strategy, merge_key = _meta(t, key)
        if isinstance(value, dict) and isinstance(before or {}, dict) and isinstance(after, dict):
            assert_keeps_unmentioned(result[key], value, before or {}, after, sub)
        elif isinstance(value, list) and strategy == "merge" and merge_key:
            for item in value:
                k = item[merge_key]
                old = [i for i in before or [] if i[merge_key] == k]
                new = [i for i in after if i[merge_key] == k]
                if not old and not new:
                    assert _find(result[key], merge_key, k) == item
                elif new:
                    got = _find(result[key], merge_key, k)
                    assert_keeps_unmentioned(got, item, old[0] if old else {}, new[0], sub)


@settings(max_examples=200, deadline=None)
@given(pods, pods, pods)
def test_three_way_patch_applies_the_manifest_and_keeps_other_writers_fields(
    original, modified, current
):
    patch = create_three_way_merge_patch(original, modified, current, POD)
    result = strategic_merge_patch(current, patch, POD)
    assert_contains(result, modified, POD)
    assert_keeps_unmentioned(result, current, original, modified, POD)


@settings(max_examples=200, deadline=None)
@given(pods, pods)
def test_two_way_patch_turns_original_into_modified(original, modified):
    patch = create_two_way_merge_patch(original, modified, POD)
    result = strategic_merge_patch(original, patch, POD)
    assert_contains(result, modified, POD)
    assert_contains(modified, result, POD)


def _defaulted(pod):
    """`pod` as the server stores it: defaults filled in, also inside list items."""
    live = copy.deepcopy(pod)
    spec = live["spec"]
    spec.setdefault("dnsPolicy", "ClusterFirst")
    for container in spec.get("containers", []):
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        for port in container.get("ports", []):
            port.setdefault("protocol", "TCP")
    live["status"] = {"phase": "Pending"}
    return live


@settings(max_examples=100, deadline=None)
@given(pods)
def test_reapplying_the_same_manifest_sends_nothing_despite_server_defaults(manifest):
    assert create_three_way_merge_patch(manifest, manifest, _defaulted(manifest), POD) == {}
