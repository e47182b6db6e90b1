"""Upstream's strategic merge patch creation tables, ported from apimachinery
`pkg/util/strategicpatch/patch_test.go`: `createStrategicMergePatchTestCaseData` (compared after
`sortMergeListsByName`, as upstream) and a selection of `strategicMergePatchRawTestCases`
(compared exactly). Each row checks `CreateTwoWayMergePatch` and `CreateThreeWayMergePatch`
against the expected patch, and that applying the patch gives the expected object. The schema is
upstream's test struct `MergeItem`, described as a `PatchSchema` like the generated one.
"""

import pytest

from minik8s.apiserver.strategicpatch import StrategicMergePatchError
from minik8s.apiserver.strategicpatch import strategic_merge_patch as apply_patch
from minik8s.kubectl.strategic_diff import (
    create_two_way_merge_patch,
    deduplicate_scalars,
    sort_scalars,
)
from minik8s.kubectl.strategic_threeway import ErrConflict, create_three_way_merge_patch
from tests.strategicpatch_tables import CREATE_CASES, MERGE_ITEM, RAW_CASES


def sort_merge_lists(obj, t="MergeItem"):
    """`sortMergeListsByNameMap`: merge lists sorted by merge key, primitive ones deduplicated."""
    result = {}
    for key, value in obj.items():
        if key == "$retainKeys" or key.startswith("$deleteFromPrimitiveList/"):
            value = sort_scalars(value)
        elif not key.startswith("$"):
            sub, strategies, merge_key = MERGE_ITEM.lookup(t, key)
            elem = sub[2:] if sub.startswith("[]") else sub
            if isinstance(value, dict):
                value = sort_merge_lists(value, sub)
            elif isinstance(value, list) and "merge" in strategies and value:
                if isinstance(value[0], dict):
                    items = [sort_merge_lists(v, elem) for v in value]
                    value = sorted(items, key=lambda m: str(m.get(merge_key)))
                else:
                    value = sort_scalars(deduplicate_scalars(value))
        result[key] = value
    return result


def _ids(cases):
    return [c["description"] for c in cases]


@pytest.mark.parametrize("case", CREATE_CASES, ids=_ids(CREATE_CASES))
def test_create_cases_two_way(case):
    original, modified = case.get("original") or {}, case["modified"]
    patch = create_two_way_merge_patch(original, modified, "MergeItem", MERGE_ITEM)
    assert sort_merge_lists(patch) == sort_merge_lists(case["twoWay"])
    result = apply_patch(original, patch, "MergeItem", MERGE_ITEM)
    assert sort_merge_lists(result) == sort_merge_lists(case.get("twoWayResult") or modified)


@pytest.mark.parametrize("case", CREATE_CASES, ids=_ids(CREATE_CASES))
def test_create_cases_three_way(case):
    original, modified, current = case.get("original"), case["modified"], case["current"]
    patch = create_three_way_merge_patch(original, modified, current, "MergeItem", MERGE_ITEM)
    assert sort_merge_lists(patch) == sort_merge_lists(case["threeWay"])
    result = apply_patch(current, patch, "MergeItem", MERGE_ITEM)
    assert sort_merge_lists(result) == sort_merge_lists(case["result"])
    _check_conflict(case)


@pytest.mark.parametrize("case", RAW_CASES, ids=_ids(RAW_CASES))
def test_raw_cases_two_way(case):
    original, modified = case.get("original") or {}, case["modified"]
    assert create_two_way_merge_patch(original, modified, "MergeItem", MERGE_ITEM) == case["twoWay"]


@pytest.mark.parametrize("case", RAW_CASES, ids=_ids(RAW_CASES))
def test_raw_cases_two_way_applied(case):
    original, modified = case.get("original") or {}, case["modified"]
    patch = create_two_way_merge_patch(original, modified, "MergeItem", MERGE_ITEM)
    result = apply_patch(original, patch, "MergeItem", MERGE_ITEM)
    assert result == (case.get("twoWayResult") or modified)


@pytest.mark.parametrize("case", RAW_CASES, ids=_ids(RAW_CASES))
def test_raw_cases_three_way(case):
    original, modified, current = case.get("original"), case["modified"], case["current"]
    patch = create_three_way_merge_patch(original, modified, current, "MergeItem", MERGE_ITEM)
    assert patch == case["threeWay"]
    _check_conflict(case)


@pytest.mark.parametrize("case", RAW_CASES, ids=_ids(RAW_CASES))
def test_raw_cases_three_way_applied(case):
    original, modified, current = case.get("original"), case["modified"], case["current"]
    patch = create_three_way_merge_patch(original, modified, current, "MergeItem", MERGE_ITEM)
    assert apply_patch(current, patch, "MergeItem", MERGE_ITEM) == case["result"]


def _check_conflict(case):
    """As upstream's `testThreeWayPatch`: without overwrite only a "conflict" case may fail."""
    args = (case.get("original"), case["modified"], case["current"], "MergeItem", MERGE_ITEM)
    try:
        create_three_way_merge_patch(*args, overwrite=False)
    except ErrConflict as err:
        assert "conflict" in case["description"], str(err)
        assert str(err).startswith("patch:\n")


def test_missing_merge_key_is_an_error():
    # mergepatch.ErrNoMergeKey, from diffListsOfMaps
    with pytest.raises(StrategicMergePatchError) as err:
        create_two_way_merge_patch(
            {"mergingList": [{"name": 1, "value": "a"}]},
            {"mergingList": [{"value": "b"}]},
            "MergeItem",
            MERGE_ITEM,
        )
    assert err.value.message == "map: map[value:b] does not contain declared merge key: name"


def test_unknown_field_is_an_error_only_when_changed():
    # handleMapDiff: a failed lookup matters only when the values differ
    same = {"unknown": {"a": 1}}
    assert create_two_way_merge_patch(same, same, "MergeItem", MERGE_ITEM) == {}
    with pytest.raises(StrategicMergePatchError) as err:
        create_two_way_merge_patch(same, {"unknown": {"a": 2}}, "MergeItem", MERGE_ITEM)
    assert err.value.message == (
        'unable to find api field in struct MergeItem for the json field "unknown"'
    )


def test_lists_of_lists_are_not_supported():
    with pytest.raises(StrategicMergePatchError, match="lists of lists are not supported"):
        create_two_way_merge_patch(
            {"mergingIntList": [[1]]}, {"mergingIntList": [[2]]}, "MergeItem", MERGE_ITEM
        )


def test_replace_strategy_sends_the_whole_value():
    # handleMapDiff: a `replace` field is sent whole, even when unchanged
    patch = create_two_way_merge_patch(
        {"replacingItem": {"a": 1, "b": 2}}, {"replacingItem": {"a": 1}}, "MergeItem", MERGE_ITEM
    )
    assert patch == {"replacingItem": {"a": 1}}


def test_conflict_without_overwrite():
    # "add field to map with conflict": current changed `name` since original, the patch sets it
    case = next(c for c in CREATE_CASES if c["description"] == "add field to map with conflict")
    args = (case["original"], case["modified"], case["current"], "MergeItem", MERGE_ITEM)
    with pytest.raises(ErrConflict) as err:
        create_three_way_merge_patch(*args, overwrite=False)
    assert str(err.value) == (
        "patch:\nname: 1\nvalue: 1\n\n"
        "conflicts with changes made from original to current:\nname: a\nother: a\n\n"
    )
    assert create_three_way_merge_patch(*args) == {"name": 1, "value": 1}  # overwrite=True


def test_no_conflict_when_current_changed_other_keys():
    case = next(c for c in CREATE_CASES if c["description"] == "add field to map")
    args = (case["original"], case["modified"], case["current"], "MergeItem", MERGE_ITEM)
    assert create_three_way_merge_patch(*args, overwrite=False) == {"value": 1}
