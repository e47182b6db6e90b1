"""Property: the pages of a chunked LIST, at any limit and with writes between the requests, add
up to the unpaginated list at the first page's revision (cached and uncached resources alike)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import StatusError

from .conftest import Env

NAMES = [f"o{i}" for i in range(8)]
NAMESPACES = ["default", "shop"]

keys = st.tuples(st.sampled_from(NAMESPACES), st.sampled_from(NAMES))
ops = st.lists(st.tuples(st.sampled_from(["create", "delete", "update"]), keys), max_size=12)


def manifest(resource, namespace, name, color):
    meta = {"name": name, "namespace": namespace, "labels": {"color": color}}
    if resource == "configmaps":
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"v": "0"}}
    involved = {"kind": "Pod", "name": "p", "namespace": namespace}
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": meta,
        "involvedObject": involved,
        "reason": "Started",
        "message": "0",
    }


def apply(env, resource, op, namespace, name, step):
    """One write between page requests; writes that cannot apply are skipped."""
    client = env.client
    try:
        if op == "create":
            color = "red" if step % 2 else "blue"
            client.create(resource, manifest(resource, namespace, name, color), namespace)
        elif op == "delete":
            client.delete(resource, name, namespace)
        else:
            obj = dict(client.get(resource, name, namespace))
            obj["metadata"] = dict(obj["metadata"], labels={"color": "red"})
            if resource == "configmaps":
                obj["data"] = {"v": str(step)}
            else:
                obj["message"] = str(step)
            client.update(resource, obj, namespace)
    except StatusError:
        pass


def identity(items):
    return [(o["metadata"]["namespace"], o["metadata"]["name"], o["metadata"]["resourceVersion"])
            for o in items]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    resource=st.sampled_from(["configmaps", "events"]),
    initial=st.lists(st.tuples(keys, st.sampled_from(["red", "blue"])), max_size=14),
    limit=st.integers(min_value=1, max_value=6),
    namespace=st.sampled_from([None, "default"]),
    selector=st.sampled_from([None, "color=red", "color!=red"]),
    writes=ops,
)
def test_pages_add_up_to_the_list_at_their_revision(
    resource, initial, limit, namespace, selector, writes
):
    env = Env()
    for (ns, name), color in initial:
        try:
            env.client.create(resource, manifest(resource, ns, name, color), ns)
        except StatusError:
            pass  # already created
    snapshot = env.client.list(resource, namespace, label_selector=selector)
    revision = snapshot["metadata"]["resourceVersion"]
    pages, token, step = [], "", 0
    while True:
        page = env.client.list(
            resource, namespace, label_selector=selector, limit=limit, continue_=token
        )
        pages.append(page)
        assert page["metadata"]["resourceVersion"] == revision
        assert len(page["items"]) <= limit
        token = page["metadata"].get("continue", "")
        if not token:
            break
        for op, (ns, name) in writes[step : step + 2]:  # interleaved writes
            apply(env, resource, op, ns, name, step)
        step += 2
        assert len(pages) <= len(snapshot["items"]) + 1
    concatenated = [obj for page in pages for obj in page["items"]]
    assert identity(concatenated) == identity(snapshot["items"])
    exact = env.client.list(
        resource,
        namespace,
        label_selector=selector,
        resource_version=revision,
        resource_version_match="Exact",
    )
    assert identity(exact["items"]) == identity(snapshot["items"])
    assert concatenated == exact["items"]
    if selector is None:  # unfiltered: full pages, and the count of what remains is exact
        seen = 0
        for page in pages:
            seen += len(page["items"])
            remaining = page["metadata"].get("remainingItemCount")
            if page is not pages[-1]:
                assert len(page["items"]) == limit
                assert remaining == len(snapshot["items"]) - seen
            else:
                assert remaining is None
