"""Apply-side Go semantics of strategic merge patch (`minik8s.apiserver.strategicpatch_values`).

Upstream facts: apimachinery strategicpatch/patch.go `mergeMap` strips `$patch` directives and
(with `IgnoreUnmatchedNulls`, as on the server) nulls from a value it takes whole because the
live object lacks the key (kubernetes#117568 `removeDirectives`, `discardNullValuesFromPatch`);
`mergePatchIntoOriginal` strips directives from a list that is new; `mergeSliceHandler` applies
`$deleteFromPrimitiveList` whatever the field's strategy (kubernetes#110472); `mergeSlice`'s
deletes and appends rewrite the live list's array, which then orders server-only items.
"""

import copy

from hypothesis import assume, given
from hypothesis import strategies as st

from minik8s.api.schema import kind_struct
from minik8s.apiserver.strategicpatch import strategic_merge_patch
from minik8s.apiserver.strategicpatch_values import (
    GoSlice,
    discard_null_values,
    remove_directives,
)

from .conftest import deployment


def _smp(obj, patch):
    return strategic_merge_patch(obj, patch, kind_struct(obj["apiVersion"], obj["kind"]))


def _with_containers(*names, **extra):
    d = deployment("web")
    d["spec"]["template"]["spec"]["containers"] = [
        {"name": n, "image": f"{n}:1", **extra.get(n, {})} for n in names
    ]
    return d


def _names(obj):
    return [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]]


def _spec(patch):
    return {"spec": {"template": {"spec": patch}}}


# --- removeDirectives / discardNullValuesFromPatch -------------------------------------------


def test_remove_directives_drops_directive_maps_at_any_depth():
    value = {"a": [{"name": "x"}, {"$patch": "delete", "name": "y"}], "b": {"$patch": "replace"}}
    assert remove_directives(value) == ({"a": [{"name": "x"}]}, True)
    assert remove_directives({"$patch": "delete"}) == (None, False)
    assert remove_directives([1, None]) == ([1, None], True)
    assert remove_directives("s") == ("s", True)


def test_remove_directives_keeps_other_directive_keys():
    # only `$patch` maps go: `$retainKeys` and `$setElementOrder/...` keys stay, as upstream
    value = {"$retainKeys": ["a"], "$setElementOrder/l": [1], "a": 1}
    assert remove_directives(copy.deepcopy(value)) == (value, True)


def test_discard_null_values_in_maps_not_list_elements():
    value = {"a": None, "b": {"c": None, "d": 1}, "e": [{"f": None}, None]}
    discard_null_values(value)
    assert value == {"b": {"d": 1}, "e": [{}, None]}


# --- mergeMap: the key is missing from the live object ----------------------------------------


def test_new_merge_list_loses_its_delete_directives():
    d = _with_containers("web")
    patch = {"volumes": [{"name": "a", "emptyDir": {}}, {"$patch": "delete", "name": "gone"}]}
    out = _smp(d, _spec(patch))
    assert out["spec"]["template"]["spec"]["volumes"] == [{"name": "a", "emptyDir": {}}]


def test_new_map_loses_nulls_and_directive_maps():
    d = _with_containers("web")
    out = _smp(d, {"metadata": {"annotations": {"a": "1", "b": None}}})
    assert out["metadata"]["annotations"] == {"a": "1"}
    out = _smp(d, {"metadata": {"annotations": {"$patch": "delete"}}})
    assert "annotations" not in out["metadata"]
    # a whole directive map replacing a value of another type removes the key
    d["metadata"]["annotations"] = "oops"
    assert (
        "annotations"
        not in _smp(d, {"metadata": {"annotations": {"$patch": "replace"}}})["metadata"]
    )


def test_new_list_under_set_element_order_loses_directives_but_keeps_nulls():
    # mergePatchIntoOriginal, "list was added": removeDirectives only (no null discarding)
    d = _with_containers("web")
    patch = {
        "$setElementOrder/volumes": [{"name": "a"}, {"name": "b"}],
        "volumes": [{"name": "a", "emptyDir": None}, {"$patch": "delete", "name": "b"}],
    }
    out = _smp(d, _spec(patch))
    assert out["spec"]["template"]["spec"]["volumes"] == [{"name": "a", "emptyDir": None}]


def test_delete_from_primitive_list_applies_whatever_the_strategy():
    # `args` has no patch strategy: the parallel list still deletes (kubernetes#110472)
    d = _with_containers("web", web={"args": ["a", "b", "a"]})
    out = _smp(d, _spec({"containers": [{"name": "web", "$deleteFromPrimitiveList/args": ["a"]}]}))
    assert out["spec"]["template"]["spec"]["containers"][0]["args"] == ["b"]


# --- mergeSlice rewrites the live list's array ------------------------------------------------


def test_server_only_item_keeps_its_place_after_a_delete():
    # upstream "add map and delete map from merging list": deleting c1 shifts c2, c4 left and
    # appending c3 lands in the freed slot, so the live array reads [c2, c4, c3]
    d = _with_containers("c1", "c2", "c4")
    patch = {
        "$setElementOrder/containers": [{"name": "c2"}, {"name": "c3"}],
        "containers": [{"name": "c3", "image": "c3:1"}, {"$patch": "delete", "name": "c1"}],
    }
    assert _names(_smp(d, _spec(patch))) == ["c2", "c4", "c3"]


def test_server_only_item_moves_first_when_the_freed_slot_is_refilled():
    # "... with conflict": live [c1, c4]; deleting c1 then appending c2 makes it read [c4, c2]
    d = _with_containers("c1", "c4")
    patch = {
        "$setElementOrder/containers": [{"name": "c2"}, {"name": "c3"}],
        "containers": [
            {"name": "c2", "image": "c2:1"},
            {"name": "c3", "image": "c3:1"},
            {"$patch": "delete", "name": "c1"},
        ],
    }
    assert _names(_smp(d, _spec(patch))) == ["c4", "c2", "c3"]


def test_without_deletions_new_items_come_before_server_only_ones():
    d = _with_containers("c1", "c4")
    patch = {
        "$setElementOrder/containers": [{"name": "c1"}, {"name": "c3"}],
        "containers": [{"name": "c3", "image": "c3:1"}],
    }
    assert _names(_smp(d, _spec(patch))) == ["c1", "c3", "c4"]


def test_the_live_object_is_not_modified():
    d = _with_containers("c1", "c2", "c4")
    before = copy.deepcopy(d)
    _smp(
        d, _spec({"containers": [{"name": "c3", "image": "x"}, {"$patch": "delete", "name": "c1"}]})
    )
    assert d == before


# --- GoSlice -------------------------------------------------------------------------------


def test_go_slice_delete_shifts_in_place_and_keeps_the_last_slot():
    array = ["a", "b", "c"]
    s = GoSlice(array)
    s.delete(0)
    assert (array, s.items()) == (["b", "c", "c"], ["b", "c"])
    s.append("d")
    s.append("e")
    assert (array, s.items()) == (["b", "c", "d"], ["b", "c", "d", "e"])
    s.set(3, "E")
    s.set(0, "B")
    assert (array, s.items(), len(s)) == (["B", "c", "d"], ["B", "c", "d", "E"], 4)
    assert repr(s) == "GoSlice(len=4, shared=3)"


_OPS = st.lists(st.one_of(st.just(("delete",)), st.tuples(st.just("append"), st.integers())))


@given(st.lists(st.integers(), max_size=6), st.data())
def test_go_slice_behaves_as_a_list_and_as_go_arrays(items, data):
    """Elements follow list semantics; `array` keeps its length and reads like Go's array."""
    ops = data.draw(_OPS)
    array = list(items)
    go = GoSlice(array)
    model = list(items)  # the slice's elements
    backing = list(items)  # Go's array (capacity = len: appends past it reallocate)
    length, moved = len(items), False
    for op in ops:
        if op[0] == "delete" and model:
            i = data.draw(st.integers(0, len(model) - 1))
            go.delete(i)
            del model[i]
            if not moved:
                backing[i : length - 1] = backing[i + 1 : length]
                length -= 1
        elif op[0] == "append":
            go.append(op[1])
            model.append(op[1])
            if not moved and length < len(backing):
                backing[length] = op[1]
                length += 1
            else:
                moved = True
        assert go.items() == model
        assert len(array) == len(items)
    if not moved:
        assert array == backing


@given(st.lists(st.sampled_from("abcdef"), unique=True, max_size=5), st.data())
def test_merge_list_contents_and_set_element_order(live, data):
    """Whatever the aliasing, the result holds (live - deleted) + added, in `$setElementOrder`'s
    relative order, without directives."""
    names = st.sampled_from("abcdefgh")
    adds = data.draw(st.lists(names, unique=True, max_size=4))
    deletes = data.draw(st.lists(names.filter(lambda n: n not in adds), unique=True, max_size=3))
    assume(live or adds or deletes)  # else upstream's "no elements in any of the given slices"
    kept = [n for n in live if n not in deletes and n not in adds]
    order = data.draw(st.permutations(adds + data.draw(st.lists(st.sampled_from(kept or ["a"])))))
    order = list(dict.fromkeys(n for n in order if n not in deletes))
    adds.sort(key=order.index)
    patch = {
        "$setElementOrder/containers": [{"name": n} for n in order],
        "containers": [{"name": n, "image": "x"} for n in adds]
        + [{"$patch": "delete", "name": n} for n in deletes],
    }
    out = _names(_smp(_with_containers(*live), _spec(patch)))
    assert sorted(out) == sorted({*live, *adds} - set(deletes))
    placed = [n for n in out if n in order]
    assert placed == sorted(placed, key=order.index)
    assert "$patch" not in str(out)
