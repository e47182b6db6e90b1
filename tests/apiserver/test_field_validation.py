"""Field validation on the write path (KEP-2885) through a whole cluster: kubectl and
`Cluster.apply` send `Strict`, a client's default is the server's `Warn`, and every write is
decoded like upstream's JSON decoder (type errors, canonical quantities).

Messages are upstream's: `transformDecodeError` in `handlers/rest.go` wrapping a strict decoding
error or Go's `UnmarshalTypeError`, and kubectl's `AddSourceToErr` (`error when creating "STDIN"`).
"""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.api.errors import BadRequest, Invalid
from minik8s.api.meta import json_copy
from minik8s.apiserver.decode import decode
from minik8s.apiserver.patch import merge_patch, patched_fields
from minik8s.client.client import Client
from minik8s.kubectl.cli import kubectl

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replica: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
"""

STRICT_ERROR = (
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
    'unknown field "spec.replica"'
)


def pod(name="p", **container):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "nginx", **container}]},
    }


@pytest.fixture
def cluster():
    return Cluster(nodes=1, seed=0)


@pytest.fixture
def client(cluster):
    return Client(cluster.apiserver, "test")


def test_apply_rejects_an_unknown_field_with_its_path_and_stores_nothing(cluster):
    revision = cluster.apiserver.store.revision
    with pytest.raises(BadRequest) as info:
        cluster.apply(WEB)
    assert str(info.value) == STRICT_ERROR
    assert info.value.code == 400
    assert cluster.apiserver.store.revision == revision
    assert cluster.get("Deployment") == []


def test_kubectl_apply_and_create_print_upstreams_error(cluster):
    expected = f'Error from server (BadRequest): error when creating "STDIN": {STRICT_ERROR}\n'
    assert kubectl(cluster.client, "apply -f -", manifest=WEB) == expected
    assert kubectl(cluster.client, "create -f -", manifest=WEB) == expected
    assert cluster.get("Deployment") == []


def test_kubectl_apply_patch_is_strict_too(cluster):
    fixed = WEB.replace("replica:", "replicas:")
    assert kubectl(cluster.client, "apply -f -", manifest=fixed) == "deployment.apps/web created\n"
    broken = fixed.replace("  replicas: 2", "  replica: 3")
    out = kubectl(cluster.client, "apply -f -", manifest=broken)
    # handlers/patch.go: a Strict patch's unknown field is 422 Invalid on the field `patch`;
    # kubectl apply sends a strategic merge patch, shown as Go prints a map (`%+v`)
    assert out.startswith(
        'Error from server (Invalid): error when patching "STDIN":  "" is invalid: '
        'patch: Invalid value: "map['
    )
    assert "spec:map[replica:3 replicas:<nil>]" in out
    assert out.endswith('": strict decoding error: unknown field "spec.replica"\n')
    assert cluster.get("Deployment", "web")["spec"]["replicas"] == 2
    cluster.delete("Deployment", "web")


def test_a_warn_write_drops_the_field_and_returns_a_warning(client):
    obj = pod("warned")
    obj["spec"]["bogus"] = 1
    created = client.create("pods", obj)
    assert "bogus" not in created["spec"]
    assert "bogus" not in client.get("pods", "warned", "default")["spec"]
    assert client.warnings == ['unknown field "spec.bogus"']
    client.warnings.clear()
    client.patch("pods", "warned", {"metadata": {"labels": {"a": "b"}, "colour": "red"}})
    assert client.warnings == ['unknown field "metadata.colour"']
    assert "colour" not in client.get("pods", "warned", "default")["metadata"]
    client.delete("pods", "warned", "default", grace_period_seconds=0)


def test_ignore_drops_silently_and_strict_rejects_patches_and_updates(client):
    obj = pod("ignored")
    obj["spec"]["bogus"] = 1
    client.create("pods", obj, field_validation="Ignore")
    assert client.warnings == []
    with pytest.raises(Invalid, match=r'strict decoding error: unknown field "x"$'):
        client.patch("pods", "ignored", {"x": 1}, "default", field_validation="Strict")
    live = client.get("pods", "ignored", "default")
    live = copy.deepcopy(live)
    live["spec"]["containers"][0]["colour"] = "red"
    with pytest.raises(BadRequest, match=r'unknown field "spec.containers\[0\].colour"$'):
        client.update("pods", live, field_validation="Strict")
    client.delete("pods", "ignored", "default", grace_period_seconds=0)


def test_quantities_are_stored_canonical(client):
    created = client.create("pods", pod("half", resources={"requests": {"cpu": 0.5}}))
    assert created["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "500m"}
    stored = client.get("pods", "half", "default")
    assert stored["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "500m"}
    client.delete("pods", "half", "default", grace_period_seconds=0)


def test_a_string_port_is_a_bad_request(client):
    with pytest.raises(BadRequest) as info:
        client.create("pods", pod("port", ports=[{"containerPort": "80"}]))
    assert str(info.value) == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go '
        "struct field ContainerPort.spec.containers.ports.containerPort of type int32"
    )
    assert client.warnings == []
    assert cluster_has_no_pod(client, "port")


def cluster_has_no_pod(client, name):
    return all(p["metadata"]["name"] != name for p in client.list("pods", "default")["items"])


def test_an_unsupported_directive_is_invalid(client):
    with pytest.raises(Invalid) as info:
        client.create("pods", pod("d"), field_validation="strict")
    assert str(info.value) == (
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": '
        'supported values: "", "Ignore", "Strict", "Warn"'
    )


def test_respond_false_returns_the_stored_object_uncopied(cluster, client):
    created = client.create(
        "configmaps", {"metadata": {"name": "r"}, "data": {}}, "default", respond=False
    )
    assert created is cluster.apiserver.cached("configmaps", "r", "default")
    patched = client.patch("configmaps", "r", {"data": {"a": "b"}}, "default", respond=False)
    assert patched is cluster.apiserver.cached("configmaps", "r", "default")
    assert patched["data"] == {"a": "b"}
    copied = client.patch("configmaps", "r", {"data": {"a": "c"}}, "default")
    assert copied is not cluster.apiserver.cached("configmaps", "r", "default")
    client.delete("configmaps", "r", "default")


def test_stored_objects_are_decoded_already(cluster):
    """The patch path skips a patch's untouched fields: sound because whatever the server
    stores decodes to itself, with no error and no warning."""
    cluster.apply(WEB.replace("replica:", "replicas:"))
    cluster.run(30)
    for plural in cluster.apiserver.cachers:
        for obj in cluster.apiserver.list(plural)["items"]:
            assert decode(json_copy(obj), "Strict") == (obj, [])
    cluster.delete("Deployment", "web")


@pytest.mark.parametrize(
    ("patch", "patch_type", "fields"),
    [
        ({"status": {}, "metadata": None}, "merge", {"status", "metadata"}),
        ({}, "strategic", set()),
        ([{"op": "replace", "path": "/spec/replicas", "value": 1}], "json", {"spec"}),
        ([{"op": "move", "from": "/a~1b/c", "path": "/status"}], "json", {"a/b", "status"}),
        ([{"op": "replace", "path": "", "value": {}}], "json", None),
        ([{"op": "remove"}], "json", None),
        ([{"op": "add", "path": "spec"}], "json", None),
        ([1], "json", None),
        ([], "merge", None),
    ],
)
def test_patched_fields(patch, patch_type, fields):
    result = patched_fields(patch, patch_type)
    assert (set(result) if result is not None else None) == fields


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.5, 1.0]), st.text("ab")
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.sampled_from(["a", "replicas", "phase", "cpu", "name"]), inner)
    ),
    max_leaves=6,
)
_patches = st.dictionaries(st.sampled_from(["spec", "status", "metadata", "bogus"]), _values)


@pytest.fixture(scope="module")
def stored_pod():
    cluster = Cluster(nodes=1, seed=0)
    cluster.apply(WEB.replace("replica:", "replicas:"))
    cluster.run(30)
    return cluster.get("Pod")[0]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(patch=_patches, validation=st.sampled_from(["Strict", "Warn", "Ignore"]))
def test_skipping_untouched_fields_decodes_as_the_full_walk(stored_pod, patch, validation):
    """The patch path's shortcut: same object, warnings and error as decoding it all."""
    patched = merge_patch(stored_pod, patch)
    untouched = [key for key in patched if key not in patch]
    outcomes = []
    for skip in ((), untouched):
        try:
            outcomes.append(decode(json_copy(patched), validation, skip))
        except BadRequest as err:
            outcomes.append(str(err))
    assert outcomes[0] == outcomes[1]
