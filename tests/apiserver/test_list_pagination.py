"""LIST with limit/continue/resourceVersion/resourceVersionMatch, as kube-apiserver v1.31 answers:
chunks at one revision, the watch cache or etcd by `shouldDelegateList`, upstream's errors."""

import base64
import json

import pytest

from minik8s.api.errors import BadRequest, Expired, Invalid, StatusError
from minik8s.apiserver.listing import (
    EXPIRED,
    INCONSISTENT_CONTINUE,
    ListOptions,
    Timeout,
    parse_resource_version,
    should_delegate_list,
    validate_list_options,
)

from .conftest import configmap


def names(listed):
    return [o["metadata"]["name"] for o in listed["items"]]


def token_of(listed):
    text = listed["metadata"]["continue"]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def fill(env, namespace, count, prefix="c", **labels):
    for i in range(count):
        cm = configmap(f"{prefix}{i}", namespace)
        cm["metadata"]["labels"] = dict(labels)
        env.client.create("configmaps", cm)


def all_pages(client, resource, namespace=None, limit=1, **kwargs):
    pages, token = [], ""
    while True:
        page = client.list(resource, namespace, limit=limit, continue_=token, **kwargs)
        pages.append(page)
        token = page["metadata"].get("continue", "")
        if not token:
            return pages


# -- options: validation and where a list is served ----------------------------------------------
VALIDATION = [  # upstream ValidateListOptions and the integration test's expectations
    (ListOptions(resource_version_match="Exact"), ["resourceVersionMatch: Forbidden: "
     "resourceVersionMatch is forbidden unless resourceVersion is provided"]),
    (ListOptions("1", "NotOlderThan", continue_="x"), ["resourceVersionMatch: Forbidden: "
     "resourceVersionMatch is forbidden when continue is provided"]),
    (ListOptions("1", "Bogus"), ['resourceVersionMatch: Unsupported value: "Bogus": '
     'supported values: "Exact", "NotOlderThan", ""']),
    (ListOptions("0", "Exact"), ['resourceVersionMatch: Forbidden: resourceVersionMatch "exact" '
     'is forbidden for resourceVersion "0"']),
    (ListOptions("5", "Exact", limit=3), []),
    (ListOptions("", "", limit=3, continue_="x"), []),
]  # fmt: skip


@pytest.mark.parametrize("opts,want", VALIDATION)
def test_validate_list_options(opts, want):
    assert [str(e) for e in validate_list_options(opts)] == want


DELEGATION = [  # (rv, match, limit, continue) → served by etcd?
    ("", "", 0, "", False),  # consistent read from the cache (ConsistentListFromCache)
    ("0", "", 0, "", False),
    ("0", "", 500, "", False),  # rv=0 pages from the cache: the limit is ignored
    ("7", "", 0, "", False),
    ("7", "NotOlderThan", 0, "", False),
    ("", "", 500, "", True),
    ("7", "", 500, "", True),
    ("7", "Exact", 0, "", True),
    ("", "", 0, "tok", True),
]


@pytest.mark.parametrize("rv,match,limit,cont,delegated", DELEGATION)
def test_should_delegate_list(rv, match, limit, cont, delegated):
    assert should_delegate_list(ListOptions(rv, match, limit, cont)) is delegated


def test_parse_resource_version():
    assert parse_resource_version("") == parse_resource_version("0") == 0
    assert parse_resource_version("18446744073709551615") == 2**64 - 1
    with pytest.raises(ValueError) as caught:
        parse_resource_version("-1")
    assert str(caught.value) == (
        'resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax'
    )
    with pytest.raises(ValueError, match="value out of range"):
        parse_resource_version("18446744073709551616")


def test_invalid_options_are_422_on_list_options(env):
    with pytest.raises(Invalid) as caught:
        env.client.list("configmaps", resource_version_match="Exact")
    assert caught.value.message == (
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: '
        "resourceVersionMatch is forbidden unless resourceVersion is provided"
    )
    assert caught.value.code == 422
    status = caught.value.status()
    assert status["reason"] == "Invalid"
    assert status["details"] == {
        "kind": "ListOptions",
        "group": "meta.k8s.io",
        "causes": [
            {
                "reason": "FieldValueForbidden",
                "message": "Forbidden: resourceVersionMatch is forbidden unless resourceVersion "
                "is provided",
                "field": "resourceVersionMatch",
            }
        ],
    }
    with pytest.raises(Invalid) as caught:  # every problem at once
        env.client.list("configmaps", resource_version_match="Bogus", continue_="x")
    assert caught.value.message.startswith(
        'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: '
        "resourceVersionMatch is forbidden unless resourceVersion is provided, "
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is "
        'provided, resourceVersionMatch: Unsupported value: "Bogus": '
    )


# -- chunking --------------------------------------------------------------------------------------
def test_default_list_is_unchanged(env):
    fill(env, "default", 3)
    listed = env.client.list("configmaps", "default")
    assert listed["metadata"] == {"resourceVersion": str(env.store.revision)}
    assert names(listed) == ["c0", "c1", "c2"]


def test_pages_of_a_namespace_carry_token_and_remaining_count(env):
    fill(env, "default", 7)
    rv = env.store.revision
    page = env.client.list("configmaps", "default", limit=3)
    assert names(page) == ["c0", "c1", "c2"]
    assert page["metadata"]["resourceVersion"] == str(rv)
    assert page["metadata"]["remainingItemCount"] == 4
    # the start key is relative to the namespace's prefix, after the last key sent
    assert token_of(page) == {"v": "meta.k8s.io/v1", "rv": rv, "start": "c2\x00"}
    page = env.client.list("configmaps", "default", limit=3, continue_=page["metadata"]["continue"])
    assert names(page) == ["c3", "c4", "c5"] and page["metadata"]["remainingItemCount"] == 1
    last = env.client.list("configmaps", "default", limit=3, continue_=page["metadata"]["continue"])
    assert names(last) == ["c6"]
    assert last["metadata"] == {"resourceVersion": str(rv)}  # no continue, no count


def test_exactly_full_last_page_has_no_continue(env):
    fill(env, "default", 4)
    pages = all_pages(env.client, "configmaps", "default", limit=2)
    assert [names(p) for p in pages] == [["c0", "c1"], ["c2", "c3"]]


def test_cluster_wide_and_cluster_scoped_pages(env):
    fill(env, "default", 2)
    fill(env, "shop", 2)
    page = env.client.list("configmaps", limit=3)
    assert [o["metadata"]["namespace"] for o in page["items"]] == ["default", "default", "shop"]
    assert token_of(page)["start"] == "shop/c0\x00"
    assert page["metadata"]["remainingItemCount"] == 1
    page = env.client.list("namespaces", limit=1)
    assert names(page) == ["default"] and token_of(page)["start"] == "default\x00"
    rest = env.client.list("namespaces", limit=5, continue_=page["metadata"]["continue"])
    assert names(rest) == ["shop"]


def test_every_page_comes_from_the_first_pages_revision(env):
    fill(env, "default", 4)
    rv = env.store.revision
    page = env.client.list("configmaps", "default", limit=2)
    env.client.create("configmaps", configmap("c9", "default"))  # after the snapshot
    env.client.delete("configmaps", "c3", "default")
    changed = env.client.get("configmaps", "c2", "default")
    changed["data"] = {"new": "yes"}
    env.client.update("configmaps", changed, "default")
    rest = env.client.list("configmaps", "default", limit=5, continue_=page["metadata"]["continue"])
    assert names(rest) == ["c2", "c3"]  # c3 still there, c9 not yet, c2 as it was
    assert rest["items"][0].get("data") == {}
    assert rest["metadata"]["resourceVersion"] == str(rv)


def test_selector_pages_fill_the_limit_and_omit_the_count(env):
    for i in range(10):
        cm = configmap(f"c{i}", "default")
        cm["metadata"]["labels"] = {"even": str(i % 2 == 0).lower()}
        env.client.create("configmaps", cm)
    page = env.client.list("configmaps", "default", limit=2, label_selector="even=true")
    assert names(page) == ["c0", "c2"]
    assert "remainingItemCount" not in page["metadata"]
    assert token_of(page)["start"] == "c2\x00"  # the last key read before the page was full
    pages = all_pages(env.client, "configmaps", "default", limit=2, label_selector="even=true")
    assert [names(p) for p in pages] == [["c0", "c2"], ["c4", "c6"], ["c8"]]


def test_a_filtered_list_may_end_on_an_empty_page(env):
    """etcd3 `GetList` reads ranges of `limit` keys, doubling: a page that fills with keys left
    in its last range says "continue" even when none of them match (upstream does the same)."""
    for name, team in [("a", "x"), ("b", "y"), ("c", "x"), ("d", "y")]:
        cm = configmap(name, "default")
        cm["metadata"]["labels"] = {"team": team}
        env.client.create("configmaps", cm)
    pages = all_pages(env.client, "configmaps", "default", limit=2, label_selector="team=x")
    assert [names(p) for p in pages] == [["a", "c"], []]


def test_namespace_field_selector_narrows_the_key_prefix(env):
    fill(env, "default", 3)
    fill(env, "shop", 3)
    page = env.client.list("configmaps", limit=2, field_selector="metadata.namespace=shop")
    assert [o["metadata"]["namespace"] for o in page["items"]] == ["shop", "shop"]
    assert token_of(page)["start"] == "c1\x00"  # relative to /registry/configmaps/shop/


# -- resourceVersion semantics -----------------------------------------------------------------
def test_resource_version_zero_from_the_cache_ignores_the_limit(env):
    fill(env, "default", 5)
    listed = env.client.list("configmaps", "default", limit=2, resource_version="0")
    assert names(listed) == ["c0", "c1", "c2", "c3", "c4"]
    assert listed["metadata"] == {"resourceVersion": str(env.store.revision)}


def test_not_older_than_from_the_cache(env):
    fill(env, "default", 2)
    rv = env.store.revision
    for match in ("", "NotOlderThan"):
        listed = env.client.list(
            "configmaps", "default", resource_version="3", resource_version_match=match
        )
        assert names(listed) == ["c0", "c1"] and listed["metadata"]["resourceVersion"] == str(rv)
    with pytest.raises(Timeout) as caught:
        env.client.list("configmaps", resource_version=str(rv + 5))
    status = caught.value.status()
    assert status["code"] == 504 and status["reason"] == "Timeout"
    assert status["message"] == f"Timeout: Too large resource version: {rv + 5}, current: {rv}"
    assert status["details"] == {
        "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
        "retryAfterSeconds": 1,
    }


def test_too_large_resource_version_from_etcd_has_no_retry(env):
    rv = env.store.revision
    with pytest.raises(Timeout) as caught:
        env.client.list(
            "configmaps",
            limit=5,
            resource_version=str(rv + 1),
            resource_version_match="NotOlderThan",
        )
    assert "retryAfterSeconds" not in caught.value.status()["details"]


def test_exact_and_legacy_paged_reads_see_the_past(env):
    fill(env, "default", 2)
    rv = env.store.revision
    env.client.delete("configmaps", "c0", "default")
    fill(env, "default", 1, prefix="z")
    exact = env.client.list(
        "configmaps", "default", resource_version=str(rv), resource_version_match="Exact"
    )
    assert names(exact) == ["c0", "c1"] and exact["metadata"]["resourceVersion"] == str(rv)
    legacy = env.client.list("configmaps", "default", limit=1, resource_version=str(rv))
    assert names(legacy) == ["c0"] and token_of(legacy)["rv"] == rv
    now = env.client.list("configmaps", "default", resource_version=str(rv))  # not older than
    assert names(now) == ["c1", "z0"]


def test_compacted_and_future_revisions(env):
    fill(env, "default", 2)
    old = env.store.revision
    fill(env, "default", 2, prefix="d")
    env.store.compact(env.store.revision)
    with pytest.raises(Expired) as caught:
        env.client.list("configmaps", resource_version=str(old), resource_version_match="Exact")
    assert (
        caught.value.message == EXPIRED == "The resourceVersion for the provided list is too old."
    )
    assert caught.value.code == 410 and caught.value.reason == "Expired"
    with pytest.raises(StatusError) as future:
        env.client.list("configmaps", resource_version="999", resource_version_match="Exact")
    assert future.value.code == 500
    assert future.value.message == "etcdserver: mvcc: required revision is a future revision"


def test_continue_after_compaction_is_410_with_a_token_for_the_latest(env):
    fill(env, "default", 4)
    page = env.client.list("configmaps", "default", limit=2)
    env.client.delete("configmaps", "c3", "default")
    env.store.compact(env.store.revision)
    with pytest.raises(Expired) as caught:
        env.client.list("configmaps", "default", limit=2, continue_=page["metadata"]["continue"])
    status = caught.value.status()
    assert status["code"] == 410 and status["reason"] == "Expired"
    assert status["message"] == INCONSISTENT_CONTINUE
    assert status["message"].startswith(
        "The provided continue parameter is too old to display a consistent list result."
    )
    fresh = status["metadata"]["continue"]
    assert token_of({"metadata": {"continue": fresh}}) == {
        "v": "meta.k8s.io/v1",
        "rv": -1,
        "start": "c1\x00",
    }
    rest = env.client.list("configmaps", "default", limit=5, continue_=fresh)
    assert names(rest) == ["c2"]  # the latest state: c3 is gone
    assert rest["metadata"]["resourceVersion"] == str(env.store.revision)


def test_continue_errors(env):
    fill(env, "default", 3)
    page = env.client.list("configmaps", "default", limit=1)
    token = page["metadata"]["continue"]
    with pytest.raises(BadRequest) as caught:
        env.client.list("configmaps", "default", limit=1, continue_=token, resource_version="5")
    assert caught.value.message == "specifying resource version is not allowed when using continue"
    ok = env.client.list("configmaps", "default", limit=1, continue_=token, resource_version="0")
    assert names(ok) == ["c1"]
    with pytest.raises(BadRequest) as caught:
        env.client.list("configmaps", "default", limit=1, continue_="not-a-token!")
    assert caught.value.message == (
        "invalid continue token: continue key is not valid: illegal base64 data at input byte 11"
    )
    with pytest.raises(BadRequest, match="^invalid resource version: resourceVersion: Invalid"):
        env.client.list("configmaps", limit=1, resource_version="abc")
    with pytest.raises(StatusError) as caught:  # the cache's path: not a Status upstream, a 500
        env.client.list("configmaps", resource_version="abc")
    assert caught.value.code == 500


def test_continue_cannot_escape_its_prefix(env):
    fill(env, "default", 2)
    fill(env, "shop", 2)
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": env.store.revision, "start": "../shop/c0"})
    token = base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()
    with pytest.raises(BadRequest, match="continue key is not valid: ../shop/c0$"):
        env.client.list("configmaps", "default", limit=1, continue_=token)


# -- events: no watch cache, every list is etcd3's ---------------------------------------------
def event(name):
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name},
        "involvedObject": {"kind": "Pod", "name": "p", "namespace": "shop"},
        "reason": "Started",
        "message": "Started p",
        "type": "Normal",
    }


def test_uncached_events_page_even_at_resource_version_zero(env):
    for i in range(5):
        env.client.create("events", event(f"e{i}"), "shop")
    page = env.client.list("events", "shop", limit=2, resource_version="0")
    assert names(page) == ["e0", "e1"] and page["metadata"]["remainingItemCount"] == 3
    pages = all_pages(env.client, "events", "shop", limit=2)
    assert [names(p) for p in pages] == [["e0", "e1"], ["e2", "e3"], ["e4"]]
    with pytest.raises(Timeout) as caught:  # etcd3's check: no Retry-After
        env.client.list("events", "shop", resource_version=str(env.store.revision + 1))
    assert "retryAfterSeconds" not in caught.value.status()["details"]
