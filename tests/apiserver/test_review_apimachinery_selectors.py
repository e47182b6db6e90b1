"""LIST/WATCH selectors as handlers/get.go decodes them: a bad label or field selector is a 400,
and field labels go through the kind's conversion func (pkg/apis/core/v1/conversion.go)."""

import pytest

from minik8s.api.errors import BadRequest

from .conftest import pod


@pytest.fixture
def env(env):
    env.client.create("nodes", {"metadata": {"name": "n1"}})
    env.client.create("pods", pod("a", node="n1"))
    env.client.create("pods", pod("b"))
    return env


def names(listed):
    return [o["metadata"]["name"] for o in listed["items"]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"label_selector": "a b"},
            "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
        ),
        ({"label_selector": "a=b c"}, "found 'c', expected: ',' or 'end of string'"),
        (
            {"field_selector": "spec.nodeName"},
            "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'",
        ),
        ({"field_selector": "spec.foo=x"}, "field label not supported: spec.foo"),
    ],
)
def test_bad_selectors_are_400_on_list_and_watch(env, kwargs, message):
    with pytest.raises(BadRequest) as err:
        env.client.list("pods", "shop", **kwargs)
    assert err.value.message == message
    with pytest.raises(BadRequest) as err:
        env.client.watch("pods", lambda t, o: None, "shop", **kwargs)
    assert err.value.message == message


@pytest.mark.parametrize("resource", ["nodes", "namespaces"])
def test_cluster_scoped_kinds_know_no_namespace_field(env, resource):
    with pytest.raises(BadRequest, match="^field label not supported: metadata.namespace$"):
        env.client.list(resource, field_selector="metadata.namespace=x")


def test_spec_host_is_the_old_name_of_spec_node_name(env):
    assert names(env.client.list("pods", "shop", field_selector="spec.host=n1")) == ["a"]


def test_empty_terms_are_skipped(env):
    assert names(env.client.list("pods", "shop", field_selector="metadata.name=a,,")) == ["a"]


def test_kinds_without_a_conversion_func_use_the_default_wording(env):
    with pytest.raises(BadRequest, match='^"spec.x" is not a known field selector: only '):
        env.client.list("configmaps", "shop", field_selector="spec.x=1")
