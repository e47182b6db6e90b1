"""Duplicate owner references are dropped with a warning, as kube-apiserver's handlers do
(`dedupOwnerReferencesAndAddWarning`): create and update once decoded and after mutating
admission, patch after mutating admission only."""

from hypothesis import given
from hypothesis import strategies as st

from minik8s.apiserver.admission import AdmissionChain
from minik8s.apiserver.ownerrefs import (
    DUPLICATE_OWNER_REFERENCES_AFTER_MUTATING_ADMISSION_WARNING as AFTER_ADMISSION,
)
from minik8s.apiserver.ownerrefs import DUPLICATE_OWNER_REFERENCES_WARNING as WARNING
from minik8s.apiserver.ownerrefs import dedup_owner_references
from minik8s.apiserver.server import APIServer
from minik8s.etcd import Store
from minik8s.sim.loop import EventLoop

A = {"apiVersion": "v1", "kind": "ConfigMap", "name": "a", "uid": "uid-a"}
B = {"apiVersion": "v1", "kind": "ConfigMap", "name": "b", "uid": "uid-b"}


def server(*plugins):
    api = APIServer(Store(), EventLoop(seed=0), admission=AdmissionChain(list(plugins)))
    api.create("namespaces", {"metadata": {"name": "default"}})
    return api


def cm(*refs, name="c"):
    meta = {"name": name, "namespace": "default", "ownerReferences": [dict(r) for r in refs]}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


def test_create_drops_repeats_and_warns_with_their_uids():
    api, warnings = server(), []
    stored = api.create("configmaps", cm(A, B, A, B, A), "default", warnings=warnings)
    assert stored["metadata"]["ownerReferences"] == [A, B]
    assert warnings == [WARNING.format("uid-a, uid-b, uid-a")]
    assert warnings[0].startswith(
        ".metadata.ownerReferences contains duplicate entries; API server dedups owner "
        "references in 1.20+, and may reject such requests as early as 1.24; please fix your "
        "requests; duplicate UID(s) observed: "
    )


def test_a_reference_sharing_a_uid_but_not_its_fields_stays():
    api, warnings = server(), []
    other = {**A, "name": "a2"}
    stored = api.create("configmaps", cm(A, other), "default", warnings=warnings)
    assert stored["metadata"]["ownerReferences"] == [A, other]
    assert warnings == []


def test_update_drops_repeats_and_patch_says_after_mutating_admission():
    api = server()
    api.create("configmaps", cm(A), "default")
    warnings: list[str] = []
    updated = api.update("configmaps", cm(A, A), "default", warnings=warnings)
    assert updated["metadata"]["ownerReferences"] == [A]
    assert warnings == [WARNING.format("uid-a")]
    warnings.clear()
    patch = {"metadata": {"ownerReferences": [A, B, B]}}
    patched = api.patch("configmaps", "c", patch, "default", warnings=warnings)
    assert patched["metadata"]["ownerReferences"] == [A, B]
    assert warnings == [AFTER_ADMISSION.format("uid-b")]


class AddOwner:
    """A mutating plugin that appends an owner reference (possibly a repeat)."""

    name = "AddOwner"

    def admit(self, attrs):
        attrs.obj["metadata"].setdefault("ownerReferences", []).append(dict(A))

    def validate(self, attrs):
        pass


def test_a_repeat_made_by_mutating_admission_is_dropped_after_it():
    api, warnings = server(AddOwner()), []
    stored = api.create("configmaps", cm(A), "default", warnings=warnings)
    assert stored["metadata"]["ownerReferences"] == [A]
    assert warnings == [AFTER_ADMISSION.format("uid-a")]


refs = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from("ab"), "uid": st.sampled_from(["1", "2"])},
        optional={"controller": st.booleans()},
    ),
    max_size=8,
)


@given(refs)
def test_dedup_keeps_the_first_of_each_and_drops_only_exact_repeats(refs):
    kept, dropped = dedup_owner_references(refs)
    assert [r for i, r in enumerate(refs) if r not in refs[:i]] == kept
    assert len(kept) + len(dropped) == len(refs)
