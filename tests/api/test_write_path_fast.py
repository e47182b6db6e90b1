"""Fast paths of the write path agree with the general code they skip (issue #10)."""

from __future__ import annotations

import random
import uuid

from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.field import Path
from minik8s.api.meta import new_uid
from minik8s.api.validation.meta import (
    _plainly_valid,
    _validate_owner_reference,
    validate_object_meta,
    validate_owner_references,
)

PATH = Path("metadata", "ownerReferences")
API_VERSIONS = ["", "/", "v1", "/v1", "apps/v1", "apps/", "a/b/c", "v1/", "//", "x"]
KINDS = ["", "Event", "Node", "ReplicaSet"]
TEXT = st.sampled_from(["", "a", "node-1"])
REFS = st.fixed_dictionaries(
    {},
    optional={
        "apiVersion": st.one_of(st.sampled_from(API_VERSIONS), st.none()),
        "kind": st.sampled_from(KINDS),
        "name": TEXT,
        "uid": TEXT,
        "controller": st.booleans(),
    },
)


@given(REFS)
def test_a_plainly_valid_reference_has_nothing_to_report(ref: dict) -> None:
    if _plainly_valid(ref):
        assert _validate_owner_reference(ref, PATH.index(0)) == []


def _slow_validate(refs: list[dict]) -> list[str]:
    """upstream's loop without the fast path: every reference fully checked."""
    errors = []
    first = ""
    for i, ref in enumerate(refs):
        errors += [str(e) for e in _validate_owner_reference(ref, PATH.index(i))]
        if ref.get("controller") is True:
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first:
                errors.append(f"controller:{first}:{current}")
            else:
                first = current
    return errors


@given(st.lists(REFS, max_size=3))
def test_owner_references_report_what_the_full_checks_report(refs: list[dict]) -> None:
    fast = [str(e) for e in validate_owner_references(refs, PATH)]
    slow = _slow_validate(refs)
    assert [e for e in fast if "Only one reference" not in e] == [
        e for e in slow if not e.startswith("controller:")
    ]
    assert sum("Only one reference" in e for e in fast) == sum(
        e.startswith("controller:") for e in slow
    )


def test_an_event_owner_is_still_reported() -> None:
    refs = [{"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"}]
    errors = [str(e) for e in validate_owner_references(refs, PATH)]
    assert errors == [
        'metadata.ownerReferences[0]: Invalid value: {"apiVersion":"v1","kind":"Event",'
        '"name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner'
    ]


def test_a_negative_generation_is_reported_with_its_path() -> None:
    meta = {"name": "a", "namespace": "default", "generation": -1}
    errors = [str(e) for e in validate_object_meta(meta, True, lambda n, p: [])]
    assert errors == ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]


def test_new_uid_is_the_uuid4_of_the_same_bits() -> None:
    ours, theirs = random.Random(11), random.Random(11)
    for _ in range(2000):
        assert new_uid(ours) == str(uuid.UUID(int=theirs.getrandbits(128), version=4))
