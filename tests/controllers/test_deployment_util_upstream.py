"""Upstream `pkg/controller/deployment/util/deployment_util_test.go` tables, ported as pure cases:
EqualIgnoreHash, FindNewReplicaSet, FindOldReplicaSets, GetReplicaCountForReplicaSets, SetCondition,
RemoveCondition, MinAvailable, getNonNegativeInt32FromAnnotation, AnnotationUtils,
ReplicasAnnotationsNeedUpdate and getReplicaSetFraction; plus `sync`'s paused-only cleanup."""

from __future__ import annotations

import pytest

from minik8s.controllers import deployment_util as du
from minik8s.controllers.deployment import plan_deployment
from minik8s.controllers.deployment_sync import DeleteReplicaSet

HASH = du.UNIQUE_LABEL_KEY
NOW, LATER, BEFORE = "2016-01-01T00:01:00Z", "2016-01-01T00:02:00Z", "2016-01-01T00:00:00Z"


def generate_deployment(image: str = "nginx") -> dict:
    """upstream's `generateDeployment`."""
    labels = {"name": image}
    return {
        "metadata": {"name": image, "namespace": "default", "annotations": {}, "uid": "d"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": [{"name": image, "image": image}]},
            },
        },
        "status": {},
    }


def generate_rs(d: dict, name: str, created: str = NOW, replicas: int = 0) -> dict:
    """upstream's `generateRS`: the Deployment's template, its labels, 0 replicas."""
    import copy

    template = copy.deepcopy(d["spec"]["template"])
    return {
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "labels": template["metadata"]["labels"],
            "creationTimestamp": created,
        },
        "spec": {"replicas": replicas, "template": template},
        "status": {},
    }


def template(name: str, node: str, annotations: dict, labels: dict) -> dict:
    """upstream's `generatePodTemplateSpec`."""
    return {
        "metadata": {"name": name, "annotations": annotations, "labels": labels},
        "spec": {"nodeName": node},
    }


# -- TestEqualIgnoreHash -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("former", "latter", "expected"),
    [
        pytest.param(
            template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            True,
            id="same spec, same labels",
        ),
        pytest.param(
            template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            template("foo", "foo-node", {}, {HASH: "value-2", "something": "else"}),
            True,
            id="only pod-template-hash differs",
        ),
        pytest.param(
            template("foo", "foo-node", {}, {"something": "else"}),
            template("foo", "foo-node", {}, {HASH: "value-2", "something": "else"}),
            True,
            id="former without pod-template-hash",
        ),
        pytest.param(
            template("foo", "foo-node", {}, {"something": "else"}),
            template("foo", "foo-node", {}, {HASH: "value-2"}),
            False,
            id="different label, former without hash, same count",
        ),
        pytest.param(
            template("foo", "foo-node", {}, {HASH: "value-1"}),
            template("foo", "foo-node", {}, {"something": "else"}),
            False,
            id="different label, latter without hash, same count",
        ),
        pytest.param(
            template("foo", "foo-node", {}, {HASH: "value-1"}),
            template("foo", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            False,
            id="different label, same hash",
        ),
        pytest.param(
            template(
                "foo", "foo-node", {"former": "value"}, {HASH: "value-1", "something": "else"}
            ),
            template(
                "foo", "foo-node", {"latter": "value"}, {HASH: "value-1", "something": "else"}
            ),
            False,
            id="different spec, same labels",
        ),
        pytest.param(
            template("foo-1", "foo-node", {}, {HASH: "value-1", "something": "else"}),
            template("foo-2", "foo-node", {}, {HASH: "value-2", "something": "else"}),
            False,
            id="different spec, different hash",
        ),
        pytest.param(
            template("foo-1", "foo-node-1", {}, {"something": "else"}),
            template("foo-2", "foo-node-2", {}, {HASH: "value-2", "something": "else"}),
            False,
            id="different spec, former without hash",
        ),
        pytest.param(
            template("foo", "foo-node-1", {}, {"something": "else"}),
            template("foo", "foo-node-2", {}, {"nothing": "else"}),
            False,
            id="different spec, different labels",
        ),
    ],
)
def test_equal_ignore_hash(former, latter, expected):
    before = (repr(former), repr(latter))
    assert du.equal_ignore_hash(former, latter) is expected
    assert du.equal_ignore_hash(latter, former) is expected  # and in reverse order
    assert (repr(former), repr(latter)) == before  # neither template's labels are touched


# -- TestFindNewReplicaSet / TestFindOldReplicaSets ----------------------------------------------
def _replica_sets():
    d = generate_deployment()
    new = generate_rs(d, "new", LATER, replicas=1)
    new["metadata"]["labels"][HASH] = "hash"
    dup = generate_rs(d, "dup", NOW)
    dup["metadata"]["labels"][HASH] = "different-hash"
    old_d = generate_deployment()
    old_d["spec"]["template"]["spec"]["containers"][0]["name"] = "nginx-old-1"
    old = generate_rs(old_d, "old", BEFORE)
    return d, new, dup, old


def _names(rss):
    return sorted(r["metadata"]["name"] for r in rss) if rss is not None else None


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (("new", "old"), "new"),  # same template, different hash value
        (("new", "old", "dup"), "dup"),  # the oldest of several new ones
        (("old",), None),
    ],
)
def test_find_new_replica_set(members, expected):
    d, new, dup, old = _replica_sets()
    by_name = {"new": new, "dup": dup, "old": old}
    found = du.find_new_replica_set(d, [by_name[m] for m in members])
    assert (found["metadata"]["name"] if found else None) == expected


@pytest.mark.parametrize(
    ("members", "expected_all", "expected_require"),
    [
        (("new", "old"), ["old"], []),
        (("old",), ["old"], []),
        (("old", "new", "dup"), ["new", "old"], ["new"]),  # only the oldest new RS is new
        (("new",), [], []),
    ],
)
def test_find_old_replica_sets(members, expected_all, expected_require):
    d, new, dup, old = _replica_sets()
    by_name = {"new": new, "dup": dup, "old": old}
    require, all_old = du.find_old_replica_sets(d, [by_name[m] for m in members])
    assert _names(all_old) == expected_all
    assert _names(require) == expected_require


# -- TestGetReplicaCountForReplicaSets -----------------------------------------------------------
def test_replica_counts_for_replica_sets():
    d = generate_deployment()
    rs1, rs2, rs3 = (generate_rs(d, n) for n in ("rs1", "rs2", "rs3"))
    rs1["spec"]["replicas"], rs1["status"]["replicas"] = 1, 2
    rs2["spec"]["replicas"], rs2["status"]["replicas"] = 2, 3
    rs3["spec"]["replicas"], rs3["status"]["replicas"] = 3, 0
    for sets, count, actual in (
        ([rs1], 1, 2),
        ([rs1, rs2], 3, 5),
        ([rs3], 3, 0),
        ([rs1, rs2, rs3], 6, 5),
    ):
        assert du.spec_replicas(sets) == count
        assert du.status_count(sets, "replicas") == actual


# -- TestSetCondition / TestRemoveCondition ------------------------------------------------------
PROGRESSING = {"type": "Progressing", "status": "False", "reason": "ForSomeReason"}
PROGRESSING2 = {"type": "Progressing", "status": "True", "reason": "BecauseItIs"}
AVAILABLE = {"type": "Available", "status": "True", "reason": "AwesomeController"}


@pytest.mark.parametrize(
    ("status", "cond", "expected"),
    [
        ({}, AVAILABLE, {"conditions": [AVAILABLE]}),  # set for the first time
        ({"conditions": [PROGRESSING]}, AVAILABLE, {"conditions": [PROGRESSING, AVAILABLE]}),
        ({"conditions": [PROGRESSING]}, PROGRESSING2, {"conditions": [PROGRESSING2]}),  # overwrite
    ],
)
def test_set_condition(status, cond, expected):
    status = {k: list(v) for k, v in status.items()}
    du.set_condition(status, dict(cond))
    assert status == expected


@pytest.mark.parametrize(
    ("status", "kind", "expected"),
    [
        ({}, "Progressing", {}),
        ({"conditions": [PROGRESSING]}, "Progressing", {}),
        (
            {"conditions": [PROGRESSING, AVAILABLE]},
            "ReplicaFailure",
            {"conditions": [PROGRESSING, AVAILABLE]},
        ),
    ],
)
def test_remove_condition(status, kind, expected):
    status = {k: list(v) for k, v in status.items()}
    du.remove_condition(status, kind)
    assert status == expected
    assert (du.get_condition(expected, "Available") is not None) == bool(expected)


# -- TestMinAvailable ----------------------------------------------------------------------------
def _rolling(replicas, max_unavailable, strategy="RollingUpdate"):
    d = generate_deployment()
    d["spec"]["replicas"] = replicas
    d["spec"]["strategy"] = {"type": strategy}
    if strategy == "RollingUpdate":
        d["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": 1, "maxUnavailable": max_unavailable}
    return d


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (_rolling(10, 5), 5),
        (_rolling(10, 10), 0),
        (_rolling(5, 10), 0),
        (_rolling(0, 10), 0),
        (_rolling(10, None, "Recreate"), 0),
        (_rolling(10, "60%"), 4),
        (_rolling(10, "100%"), 0),
        (_rolling(5, "100%"), 0),
    ],
)
def test_min_available(d, expected):
    assert du.min_available(d) == expected


# -- TestGetNonNegativeInt32FromAnnotation -------------------------------------------------------
@pytest.mark.parametrize(
    ("annotations", "value", "valid", "error"),
    [
        (None, 0, False, None),
        ({"test": "invalid", "foo": "2"}, 0, False, "invalid syntax"),
        ({"test": "-1", "foo": "2"}, 0, False, "invalid syntax"),
        ({"test": "0", "foo": "2"}, 0, True, None),
        ({"test": "13", "foo": "2"}, 13, True, None),
        ({"test": str(2**31 - 1), "foo": "2"}, 2**31 - 1, True, None),
        ({"test": str(2**31), "foo": "2"}, 0, False, "out of range"),
        ({"test": str(2**32), "foo": "2"}, 0, False, "out of range"),
    ],
)
def test_non_negative_int32_annotation(annotations, value, valid, error):
    rs = {"metadata": {"annotations": annotations}}
    got_value, got_valid, got_error = du.non_negative_int32_annotation(rs, "test")
    assert (got_value, got_valid) == (value, valid)
    if error is None:
        assert got_error is None
    else:
        assert error in got_error


# -- TestAnnotationUtils / TestReplicasAnnotationsNeedUpdate -------------------------------------
def test_annotation_utils():
    d = generate_deployment()
    d["metadata"]["annotations"][du.REVISION_ANNOTATION] = "1"
    rs = generate_rs(d, "rs")
    for i in range(10, 20):  # revisions 11 through 20, history limited to 5 characters
        next_revision = str(i + 1)
        du.set_new_replica_set_annotations(d, rs, next_revision, True, 5)
        annotations = rs["metadata"]["annotations"]
        if i >= 12:
            assert annotations[du.REVISION_HISTORY_ANNOTATION] == f"{i - 1},{i}"
        assert annotations[du.REVISION_ANNOTATION] == next_revision
    assert du.set_replicas_annotations(rs, 10, 11)
    assert rs["metadata"]["annotations"][du.DESIRED_REPLICAS_ANNOTATION] == "10"
    assert rs["metadata"]["annotations"][du.MAX_REPLICAS_ANNOTATION] == "11"
    rs["metadata"]["annotations"][du.DESIRED_REPLICAS_ANNOTATION] = "1"
    rs["status"]["availableReplicas"], rs["spec"]["replicas"] = 1, 1
    assert du.is_saturated(d, rs)


def test_revision_history_keeps_old_entries_when_the_new_one_cannot_fit():
    annotations = {du.REVISION_ANNOTATION: "123456", du.REVISION_HISTORY_ANNOTATION: "1,2"}
    rs = {"metadata": {"annotations": annotations}, "spec": {}}
    assert du.set_new_replica_set_annotations(generate_deployment(), rs, "1234567", True, 5)
    assert annotations[du.REVISION_ANNOTATION] == "1234567"
    assert annotations[du.REVISION_HISTORY_ANNOTATION] == "1,2"  # upstream logs and skips


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        (None, True),
        ({du.DESIRED_REPLICAS_ANNOTATION: "8", du.MAX_REPLICAS_ANNOTATION: "20"}, True),
        ({du.DESIRED_REPLICAS_ANNOTATION: "10", du.MAX_REPLICAS_ANNOTATION: "16"}, True),
        ({du.DESIRED_REPLICAS_ANNOTATION: "10", du.MAX_REPLICAS_ANNOTATION: "20"}, False),
    ],
)
def test_replicas_annotations_need_update(annotations, expected):
    rs = {"metadata": {"name": "hello", "namespace": "test", "annotations": annotations}}
    assert du.replicas_annotations_need_update(rs, 10, 20) is expected


# -- TestGetReplicaSetFraction -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("replicas", "status_replicas", "surge", "rs_replicas", "annotations", "expected"),
    [
        pytest.param(0, 0, 0, 10, None, -10, id="empty deployment scales to 0"),
        pytest.param(10, 0, 0, 5, None, 0, id="unsynced, annotation missing"),
        pytest.param(10, 0, 0, 5, {du.MAX_REPLICAS_ANNOTATION: "0"}, 0, id="unsynced, 0"),
        pytest.param(120, 100, 0, 50, None, 10, id="1/5 up, annotation missing"),
        pytest.param(120, 100, 0, 50, {du.MAX_REPLICAS_ANNOTATION: "0"}, 10, id="1/5 up, 0"),
        pytest.param(120, 0, 0, 50, {du.MAX_REPLICAS_ANNOTATION: "100"}, 10, id="1/5 up"),
        pytest.param(120, 0, 10, 50, {du.MAX_REPLICAS_ANNOTATION: "110"}, 9, id="1/5 up, surge"),
        pytest.param(10, 0, 0, 6, {du.MAX_REPLICAS_ANNOTATION: "12"}, -1, id="1/6 down"),
        pytest.param(100, 0, 10, 50, {du.MAX_REPLICAS_ANNOTATION: "130"}, -8, id="down, surge"),
        pytest.param(120, 100, 0, 50, {du.MAX_REPLICAS_ANNOTATION: "-1"}, 10, id="negative"),
    ],
)
def test_get_replica_set_fraction(
    replicas, status_replicas, surge, rs_replicas, annotations, expected
):
    d = generate_deployment()
    d["status"]["replicas"] = status_replicas
    d["spec"]["replicas"] = replicas
    d["spec"]["strategy"] = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": 1},
    }
    rs = generate_rs(d, "rs", replicas=rs_replicas)
    rs["metadata"]["annotations"] = annotations
    assert du.get_replica_set_fraction(rs, d) == expected


# -- sync: cleanupDeployment only for a paused Deployment ----------------------------------------
def _history_case(paused: bool):
    d = generate_deployment()
    d["metadata"]["generation"] = 1
    d["spec"].update(replicas=3, revisionHistoryLimit=0, paused=paused)
    d["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}
    old_d = generate_deployment()
    old_d["spec"]["template"]["spec"]["containers"][0]["image"] = "old"
    old = generate_rs(old_d, "old", BEFORE)
    old["metadata"].update(generation=1, annotations={du.REVISION_ANNOTATION: "1"})
    old["status"] = {"observedGeneration": 1}
    new = generate_rs(d, "new", NOW, replicas=2)
    new["metadata"].update(
        generation=1,
        annotations={
            du.REVISION_ANNOTATION: "2",
            du.DESIRED_REPLICAS_ANNOTATION: "2",  # a scaling event: 2 → 3
            du.MAX_REPLICAS_ANNOTATION: "3",
        },
    )
    new["status"] = {"replicas": 2, "availableReplicas": 2, "observedGeneration": 1}
    return plan_deployment(d, [old, new], now=0.0, timestamp=NOW)


def test_a_scaling_event_does_not_clean_up_old_replica_sets():
    s = _history_case(paused=False)
    assert DeleteReplicaSet("old") not in s.actions
    assert [a.new for a in s.actions if getattr(a, "name", "") == "new"][-1] == 3


def test_a_paused_deployment_cleans_up_old_replica_sets():
    assert DeleteReplicaSet("old") in _history_case(paused=True).actions
