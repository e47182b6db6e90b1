"""upstream `pkg/controller/volume/persistentvolume/index_test.go` (`TestMatchVolume`,
`TestMatchingWithBoundVolumes`, `TestFindingVolumeWithDifferentAccessModes`,
`TestFindingPreboundVolumes`) against `pv_util.find_best_match_for_claim`.

As in today's upstream, the volumes are Available (`FindMatchingVolume` skips other phases); a
`claimRef` of `{}` or one naming another claim makes a volume taken, as a non-nil pointer does.
"""

from __future__ import annotations

import pytest

from minik8s.controllers import pv_util as util

RWO, ROX, RWX = "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"


def pv(uid, name, size, modes, labels=None, cls=None, claim_ref=None):
    meta = {"name": name, "uid": uid, "labels": labels or {}}
    if cls:
        meta["annotations"] = {util.ANN_BETA_STORAGE_CLASS: cls}
    spec = {"capacity": {"storage": size}, "accessModes": list(modes)}
    if claim_ref is not None:
        spec["claimRef"] = claim_ref
    return {"metadata": meta, "spec": spec, "status": {"phase": "Available"}}


def create_test_volumes():
    """upstream `createTestVolumes`, deliberately out of order."""
    return [
        pv("gce-pd-10", "gce003", "10G", (RWO, ROX)),
        pv("gce-pd-20", "gce004", "20G", (RWO, ROX), claim_ref={"uid": "def456"}),
        pv("nfs-5", "nfs002", "5G", (RWO, ROX, RWX)),
        pv("gce-pd-1", "gce001", "1G", (RWO, ROX), claim_ref={"uid": "abc123"}),
        pv("nfs-10", "nfs003", "10G", (RWO, ROX, RWX)),
        pv("gce-pd-5", "gce002", "5G", (RWO, ROX)),
        pv("nfs-1", "nfs001", "1G", (RWO, ROX, RWX)),
        pv("gce-pd-2", "gce0022", "20000G", (RWO,), labels={"should-exist": "true"}),
        pv("gce-pd-silver1", "gce0023", "10000G", (RWO,), {"should-exist": "true"}, "silver"),
        pv("gce-pd-silver2", "gce0024", "100G", (RWO,), cls="silver"),
        pv("gce-pd-gold", "gce0025", "50G", (RWO,), cls="gold"),
    ]


def make_pvc(size, modes=(ROX, RWO), selector=None, cls=None):
    meta = {"name": "claim01", "namespace": "myns", "uid": "claim-uid"}
    if cls:
        meta["annotations"] = {util.ANN_BETA_STORAGE_CLASS: cls}
    spec = {"accessModes": list(modes), "resources": {"requests": {"storage": size}}}
    if selector:
        spec["selector"] = {"matchLabels": selector}
    return {"metadata": meta, "spec": spec}


SCENARIOS = {
    "successful-match-gce-10": ("gce-pd-10", make_pvc("8G")),
    "successful-match-nfs-5": ("nfs-5", make_pvc("5G", (ROX, RWO, RWX))),
    "successful-skip-1g-bound-volume": ("gce-pd-5", make_pvc("1G")),
    "successful-no-match": ("", make_pvc("999G")),
    "successful-no-match-due-to-label": (
        "",
        make_pvc("999G", selector={"should-not-exist": "true"}),
    ),
    "successful-no-match-due-to-size-constraint-with-label-selector": (
        "",
        make_pvc("20000G", (ROX, RWO), {"should-exist": "true"}),
    ),
    "successful-match-due-with-constraint-and-label-selector": (
        "gce-pd-2",
        make_pvc("20000G", (RWO,), {"should-exist": "true"}),
    ),
    "successful-match-with-class": (
        "gce-pd-silver1",
        make_pvc("1G", (RWO,), {"should-exist": "true"}, "silver"),
    ),
    "successful-match-with-class-and-labels": (
        "gce-pd-silver2",
        make_pvc("1G", (RWO,), cls="silver"),
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_match_volume(name):
    expected, claim = SCENARIOS[name]
    volume = util.find_best_match_for_claim(claim, create_test_volumes())
    assert (volume["metadata"]["uid"] if volume else "") == expected


def test_matching_with_bound_volumes():
    volumes = [
        pv("gce-pd-1", "gce001", "1G", (RWO, ROX), claim_ref={"uid": "abc123"}),
        pv("gce-pd-2", "gce002", "1G", (RWO, ROX)),
    ]
    assert util.find_best_match_for_claim(make_pvc("1G"), volumes)["metadata"]["name"] == "gce002"


def test_finding_volume_with_different_access_modes():
    gce = pv("001", "gce", "10G", (RWO, ROX))
    ebs = pv("002", "ebs", "10G", (RWO,))
    nfs = pv("003", "nfs", "10G", (RWO, ROX, RWX))
    volumes = [gce, ebs, nfs]

    def best(*modes):
        return util.find_best_match_for_claim(make_pvc("1G", modes), volumes)["metadata"]["name"]

    assert best(RWO) == "ebs"
    assert best(RWO, ROX) == "gce"
    assert best(RWX, RWO, ROX) == "nfs"  # the order of the requested modes does not matter
    assert best(RWX) == "nfs"  # fewer modes requested still match
    ebs["spec"]["claimRef"] = {}  # the exact match is bound: the next level of modes
    assert best(RWO) == "gce"
    gce["spec"]["claimRef"] = {}
    assert best(RWO) == "nfs"
    del gce["spec"]["claimRef"]
    assert best(ROX) == "gce"  # partial mode request


def test_finding_prebound_volumes():
    claim = make_pvc("1Gi", (RWO,))
    claim_ref = util.claim_ref(claim)
    pv1, pv5, pv8 = (
        pv("1", "pv1", "1Gi", (RWO,)),
        pv("5", "pv5", "5Gi", (RWO,)),
        pv("8", "pv8", "8Gi", (RWO,)),
    )
    bad_size, bad_mode = pv("s", "pvbadsize", "1Mi", (RWO,)), pv("m", "pvbadmode", "1Gi", (ROX,))
    volumes = [pv1, pv5, pv8, bad_size, bad_mode]

    def best():
        return util.find_best_match_for_claim(claim, volumes)["metadata"]["name"]

    assert best() == "pv1"  # exact match on size
    pv1["spec"]["claimRef"] = {"name": "foo", "namespace": "bar"}
    assert best() == "pv5"  # the exact match is pre-bound elsewhere: the next size up
    del pv1["spec"]["claimRef"]
    pv8["spec"]["claimRef"] = claim_ref
    assert best() == "pv8"  # a volume pre-bound to the claim wins even if larger
    del pv8["spec"]["claimRef"]
    bad_size["spec"]["claimRef"] = claim_ref
    assert best() == "pv1"  # ... unless too small
    del bad_size["spec"]["claimRef"]
    bad_mode["spec"]["claimRef"] = claim_ref
    assert best() == "pv1"  # ... or without the requested access mode
