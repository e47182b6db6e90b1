"""Updates that keep the stored metadata are validated from a memo (`UnchangedMetadata`): the
results must be those of upstream's full `ValidateObjectMeta` + `ValidateObjectMetaUpdate`."""

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from minik8s.api.errors import Invalid
from minik8s.api.validation import meta as meta_validation
from minik8s.api.validation.meta import (
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_object_meta,
    validate_object_meta_update,
)
from minik8s.api.validation.meta_memo import (
    UnchangedMetadata,
    forget_unchanged,
    metadata_unchanged,
)

# Mostly valid choices: the memo only ever answers for metadata found valid.
NAMES = st.sampled_from(["web", "node-1", "web", "web.example", "Bad_Name", "", "x-"])
KEYS = st.sampled_from(["app", "example.com/tier", "app", "bad key", "a" * 70])
VALUES = st.sampled_from(["web", "", "web", "bad value!"])
FINALIZERS = st.sampled_from(["orphan", "foregroundDeletion", "example.com/f", "bad name"])
OWNER = st.fixed_dictionaries(
    {
        "apiVersion": st.sampled_from(["v1", "apps/v1", "v1", "apps/v1", "a/b/c", ""]),
        "kind": st.sampled_from(["Node", "ReplicaSet", "Node", "Event", ""]),
        "name": st.sampled_from(["owner", "owner", ""]),
        "uid": st.sampled_from(["u-1", "u-2", ""]),
    },
    optional={"controller": st.sampled_from([True, False, 1, 0, None])},
)
META = st.fixed_dictionaries(
    {"name": NAMES, "resourceVersion": st.sampled_from(["7", "7", ""])},
    optional={
        "namespace": st.sampled_from(["shop", "shop", "", "Bad NS"]),
        "generateName": st.sampled_from(["web-", "Bad-"]),
        "uid": st.sampled_from(["u-9"]),
        "generation": st.sampled_from([-1, 0, 2, True]),
        "labels": st.dictionaries(KEYS, VALUES, max_size=2),
        "annotations": st.dictionaries(KEYS, VALUES, max_size=2),
        "ownerReferences": st.lists(OWNER, max_size=3),
        "finalizers": st.lists(FINALIZERS, max_size=2),
        "deletionTimestamp": st.sampled_from(["2025-01-01T00:00:00Z"]),
        "managedFields": st.lists(
            st.fixed_dictionaries({"operation": st.sampled_from(["Update", "Apply", "Get"])}),
            max_size=1,
        ),
    },
)
# How the update's metadata differs from the stored one (most often: not at all).
CHANGES = st.sampled_from(["none", "none", "controller-type", "label", "finalizer", "generation"])
NAME_FNS = st.sampled_from([name_is_dns_subdomain, name_is_dns_label])


def _changed(meta, change):
    new = json.loads(json.dumps(meta))
    refs = new.get("ownerReferences") or []
    if change == "controller-type" and refs:
        refs[-1]["controller"] = 1 if refs[-1].get("controller") is True else True
    elif change == "label":
        new.setdefault("labels", {})["bad key"] = "x"
    elif change == "finalizer":
        new.setdefault("finalizers", []).append("example.com/new")
    elif change == "generation":
        new["generation"] = -3
    return new


def _texts(errors):
    return [str(e) for e in errors]


_REF = {"apiVersion": "v1", "kind": "Node", "name": "n", "uid": "u"}


@settings(max_examples=400, deadline=None)
@given(META, CHANGES, NAME_FNS, NAME_FNS, st.booleans(), st.booleans())
@example(  # `1` is not a controller, `true` is: equal values, two controllers
    {
        "name": "web",
        "namespace": "shop",
        "resourceVersion": "7",
        "ownerReferences": [{**_REF, "controller": True}, {**_REF, "controller": 1}],
    },
    "controller-type",
    name_is_dns_subdomain,
    name_is_dns_subdomain,
    True,
    True,
)
def test_memo_answers_as_the_full_rules(stored, change, old_fn, new_fn, old_ns, new_ns):
    validate_object_meta(stored, old_ns, old_fn)  # the write that stored it (remembered if valid)
    new = _changed(stored, change)
    with UnchangedMetadata(new, stored):
        fast = validate_object_meta(new, new_ns, new_fn), validate_object_meta_update(new, stored)
    full_meta = meta_validation._validate_object_meta(new, new_ns, new_fn, None)
    forget_unchanged()
    full_update = validate_object_meta_update(new, stored)
    assert _texts(fast[0]) == _texts(full_meta)
    assert _texts(fast[1]) == _texts(full_update)


def test_equal_metadata_with_another_controller_flag_is_not_unchanged():
    stored = {"name": "a", "ownerReferences": [{"controller": True}, {"controller": 1}]}
    new = {"name": "a", "ownerReferences": [{"controller": True}, {"controller": True}]}
    assert new == stored
    assert not metadata_unchanged(new, stored)


def test_lease_renewal_with_unchanged_metadata_is_still_validated(env):
    lease = {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "node-1", "namespace": "shop"},
        "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40},
    }
    created = env.client.create("leases", lease)
    renewed = env.client.update(
        "leases", {**created, "spec": {**created["spec"], "renewTime": "t"}}
    )
    assert renewed["spec"]["renewTime"] == "t"
    bad = {**renewed, "spec": {**renewed["spec"], "leaseDurationSeconds": 0}}
    with pytest.raises(Invalid, match="spec.leaseDurationSeconds: Invalid value: 0: must be gr"):
        env.client.update("leases", bad)


def test_metadata_stored_without_validation_is_validated_in_full(env):
    """An object written to the store directly (never validated) is not taken as valid."""
    raw = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "raw", "namespace": "shop", "uid": "u", "labels": {"bad key": "x"}},
        "data": {"a": "1"},
    }
    env.store.put("/registry/configmaps/shop/raw", json.dumps(raw).encode())
    env.loop.settle()
    current = env.client.get("configmaps", "raw", "shop")
    with pytest.raises(Invalid, match='metadata.labels: Invalid value: "bad key"'):
        env.client.update("configmaps", {**current, "data": {"a": "2"}})
