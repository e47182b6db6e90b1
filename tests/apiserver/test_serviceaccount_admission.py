"""The ServiceAccount admission plugin (`plugin/pkg/admission/serviceaccount/admission.go`; cases
after its admission_test.go): a new pod gets `serviceAccountName: default`, the account must
exist, and its API token is mounted through a projected `kube-api-access-*` volume."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.api.defaults import apply_defaults
from minik8s.api.errors import Forbidden
from minik8s.api.kinds import lookup
from minik8s.apiserver.admission import AdmissionChain, Attributes
from minik8s.apiserver.plugins.serviceaccount import (
    DEFAULT_API_TOKEN_MOUNT_PATH,
    ServiceAccount,
    mount_service_account_token,
    should_automount,
    token_volume_source,
)

Obj = dict[str, Any]
PATH = DEFAULT_API_TOKEN_MOUNT_PATH
MIRROR = {"kubernetes.io/config.mirror": "true"}
EXPECTED_SOURCE = {  # upstream TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretTokens
    "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {
            "downwardAPI": {
                "items": [
                    {
                        "path": "namespace",
                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                    }
                ]
            }
        },
    ],
    "defaultMode": 420,
}


def pod(name: str = "myname", **spec: Any) -> Obj:
    spec.setdefault("containers", [{"name": "c", "image": "nginx"}])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def account(name: str = "default", **fields: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}, **fields}


def enforcing(name: str = "default", **fields: Any) -> Obj:
    sa = account(name, **fields)
    sa["metadata"]["annotations"] = {"kubernetes.io/enforce-mountable-secrets": "true"}
    return sa


def attrs(env, obj: Obj | None, operation: str = "CREATE", subresource: str = "") -> Attributes:
    return Attributes(
        operation, lookup("pods"), "shop", "myname", obj, subresource=subresource, server=env.server
    )


def token_mounts(container: Obj) -> list[Obj]:
    return [m for m in container.get("volumeMounts") or [] if m["mountPath"] == PATH]


@pytest.fixture
def server(env):
    """The bare API server of `env` (namespaces default, shop) with only this plugin."""
    env.server.admission = AdmissionChain([ServiceAccount()])
    return env


# --- what the plugin ignores (TestIgnores*) ------------------------------------------------------


def test_only_pod_creates_are_mutated() -> None:
    plugin = ServiceAccount()
    assert plugin.mutates("CREATE", "")
    for operation, subresource in [("DELETE", ""), ("UPDATE", ""), ("CREATE", "binding")]:
        assert not plugin.mutates(operation, subresource)
    assert plugin.kinds == frozenset({"Pod"})


def test_ignores_non_pod_resource_nil_object_and_updates(server) -> None:
    plugin = ServiceAccount()
    cm = {"metadata": {"name": "x"}, "data": {}}
    plugin.admit(Attributes("CREATE", lookup("configmaps"), "shop", "x", cm, server=server.server))
    assert cm == {"metadata": {"name": "x"}, "data": {}}
    plugin.admit(attrs(server, None))
    plugin.validate(attrs(server, None))
    updated = pod()
    plugin.admit(attrs(server, updated, "UPDATE"))
    plugin.validate(attrs(server, updated, "UPDATE"))
    assert "serviceAccountName" not in updated["spec"]


def test_ignores_mirror_pod(server) -> None:
    sent = pod(volumes=[{"name": "v", "emptyDir": {}}], nodeName="node-1")
    sent["metadata"]["annotations"] = dict(MIRROR)
    created = server.client.create("pods", sent, "shop")
    assert "serviceAccountName" not in created["spec"]
    assert [v["name"] for v in created["spec"]["volumes"]] == ["v"]
    assert "volumeMounts" not in created["spec"]["containers"][0]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"serviceAccountName": "default"}, "a mirror pod may not reference service accounts"),
        (
            {"volumes": [{"name": "v", "secret": {"secretName": "mysecret"}}]},
            "a mirror pod may not reference secrets",
        ),
        (
            {
                "containers": [
                    {
                        "name": "c",
                        "image": "nginx",
                        "envFrom": [{"secretRef": {"name": "mysecret"}}],
                    }
                ]
            },
            "a mirror pod may not reference secrets",
        ),
        ({"imagePullSecrets": [{"name": "pull"}]}, "a mirror pod may not reference secrets"),
        (
            {
                "volumes": [
                    {
                        "name": "v",
                        "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]},
                    }
                ]
            },
            "a mirror pod may not use ServiceAccountToken volume projections",
        ),
    ],
)
def test_rejects_mirror_pod_references(server, spec: Obj, message: str) -> None:
    sent = pod(**spec)
    sent["metadata"]["annotations"] = dict(MIRROR)
    with pytest.raises(Forbidden) as caught:
        server.client.create("pods", sent, "shop")
    assert str(caught.value) == f'pods "myname" is forbidden: {message}'
    assert server.client.list("pods", "shop")["items"] == []


# --- the account and its token volume ------------------------------------------------------------


def test_assigns_default_account_and_bound_token_volume(server) -> None:
    created = server.client.create("pods", pod(), "shop")
    spec = created["spec"]
    assert spec["serviceAccountName"] == "default"
    assert spec["serviceAccount"] == "default"  # the v1 field kubectl -o yaml also shows
    (volume,) = spec["volumes"]
    assert volume["name"].startswith("kube-api-access-") and len(volume["name"]) == 21
    assert volume["projected"] == EXPECTED_SOURCE == token_volume_source()
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": volume["name"], "readOnly": True, "mountPath": PATH}
    ]
    defaulted = copy.deepcopy(created)
    apply_defaults(defaulted)
    assert defaulted == created  # the volume is already in its defaulted form


def test_automounts_into_init_containers_too(server) -> None:
    sent = pod(initContainers=[{"name": "init", "image": "busybox"}])
    spec = server.client.create("pods", sent, "shop")["spec"]
    name = spec["volumes"][0]["name"]
    mount = {"name": name, "readOnly": True, "mountPath": PATH}
    assert spec["initContainers"][0]["volumeMounts"] == [mount]
    assert spec["containers"][0]["volumeMounts"] == [mount]


def test_respects_existing_mount(server) -> None:
    mine = {"name": "my-custom-mount", "mountPath": PATH}
    for field in ("containers", "initContainers"):
        sent = pod(volumes=[{"name": "my-custom-mount", "emptyDir": {}}])
        sent["spec"].setdefault(field, [{"name": "i", "image": "busybox"}])
        sent["spec"][field][0]["volumeMounts"] = [mine]
        if field == "initContainers":
            sent["spec"]["containers"][0]["volumeMounts"] = [mine]
        spec = server.client.create("pods", sent, "shop")["spec"]
        server.client.delete("pods", "myname", "shop")
        assert [v["name"] for v in spec["volumes"]] == ["my-custom-mount"]
        assert spec[field][0]["volumeMounts"] == [mine]


def test_reuses_an_existing_kube_api_access_volume(server) -> None:
    volume = {"name": "kube-api-access-mine", "projected": token_volume_source()}
    spec = server.client.create("pods", pod(volumes=[volume]), "shop")["spec"]
    assert [v["name"] for v in spec["volumes"]] == ["kube-api-access-mine"]
    assert token_mounts(spec["containers"][0])[0]["name"] == "kube-api-access-mine"


@pytest.mark.parametrize(
    ("pod_says", "account_says", "want"),
    [
        (None, None, True),
        (None, False, False),
        (None, True, True),
        (False, None, False),
        (False, True, False),
        (True, False, True),
        (True, None, True),
    ],
)
def test_should_automount_pod_preference_wins(pod_says, account_says, want) -> None:
    spec = {} if pod_says is None else {"automountServiceAccountToken": pod_says}
    sa = account() if account_says is None else account(automountServiceAccountToken=account_says)
    assert should_automount(sa, spec) is want


def test_automount_off_on_pod_or_account(server) -> None:
    server.client.create("serviceaccounts", account("quiet", automountServiceAccountToken=False))
    server.client.create("serviceaccounts", account("quiet"), "shop")
    off = server.client.create("pods", pod("a", automountServiceAccountToken=False), "shop")
    assert "volumes" not in off["spec"] and "volumeMounts" not in off["spec"]["containers"][0]
    quiet = server.client.create("pods", pod("b", serviceAccountName="quiet"), "default")
    assert "volumes" not in quiet["spec"]
    overridden = pod("c", serviceAccountName="quiet", automountServiceAccountToken=True)
    assert server.client.create("pods", overridden, "default")["spec"]["volumes"]


def test_denies_missing_service_account(server) -> None:
    with pytest.raises(Forbidden) as caught:
        server.client.create("pods", pod(serviceAccountName="robot"), "shop")
    assert str(caught.value) == (
        'pods "myname" is forbidden: error looking up service account shop/robot: '
        'serviceaccount "robot" not found'
    )
    assert caught.value.code == 403
    assert server.client.list("pods", "shop")["items"] == []
    generated = pod(serviceAccountName="robot")
    generated["metadata"] = {"generateName": "web-"}
    with pytest.raises(Forbidden, match=r'^pods "web-" is forbidden: error looking up'):
        server.client.create("pods", generated, "shop")


def test_missing_default_account_is_the_one_about_to_be_created(server) -> None:
    assert server.client.list("serviceaccounts", "shop")["items"] == []
    created = server.client.create("pods", pod(), "shop")
    assert created["spec"]["serviceAccountName"] == "default"
    assert created["spec"]["volumes"][0]["name"].startswith("kube-api-access-")


def test_existing_account_is_used(server) -> None:
    server.client.create("serviceaccounts", account("robot"), "shop")
    created = server.client.create("pods", pod(serviceAccountName="robot"), "shop")
    assert created["spec"]["serviceAccountName"] == "robot"


def test_deprecated_service_account_field_is_read_when_the_name_is_empty(server) -> None:
    server.client.create("serviceaccounts", account("robot"), "shop")
    created = server.client.create("pods", pod(serviceAccount="robot"), "shop")
    assert created["spec"]["serviceAccountName"] == created["spec"]["serviceAccount"] == "robot"


def test_a_given_generator_names_the_volume(server) -> None:
    server.server.admission = AdmissionChain([ServiceAccount(rng=random.Random(7))])
    first = server.client.create("pods", pod("a"), "shop")["spec"]["volumes"][0]["name"]
    server.server.admission = AdmissionChain([ServiceAccount(rng=random.Random(7))])
    second = server.client.create("pods", pod("b"), "shop")["spec"]["volumes"][0]["name"]
    assert first == second
    assert set(first.removeprefix("kube-api-access-")) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_validate_requires_a_service_account(server) -> None:
    with pytest.raises(Forbidden, match="no service account specified for pod shop/myname$"):
        ServiceAccount().validate(attrs(server, pod()))


# --- image pull secrets (TestAddImagePullSecrets, TestDoNotAddImagePullSecrets) ------------------


def test_adds_the_accounts_image_pull_secrets(server) -> None:
    sa = account(imagePullSecrets=[{"name": "foo"}, {"name": "bar"}])
    server.client.create("serviceaccounts", sa, "shop")
    created = server.client.create("pods", pod(), "shop")
    assert created["spec"]["imagePullSecrets"] == [{"name": "foo"}, {"name": "bar"}]
    cached = server.server.cached("serviceaccounts", "default", "shop")
    assert cached["imagePullSecrets"] == [{"name": "foo"}, {"name": "bar"}]  # not mutated
    kept = server.client.create("pods", pod("b", imagePullSecrets=[{"name": "foo"}]), "shop")
    assert kept["spec"]["imagePullSecrets"] == [{"name": "foo"}]


# --- mountable secrets (TestAllowsReferencedSecret, TestRejectsUnreferenced*) --------------------


def _env_ref(name: str = "foo") -> list[Obj]:
    return [{"name": "env-1", "valueFrom": {"secretKeyRef": {"name": name, "key": "k"}}}]


def _secret_using_specs() -> list[tuple[Obj, str]]:
    volume = {"volumes": [{"name": "v", "secret": {"secretName": "foo"}}]}
    env = {"name": "container-1", "image": "nginx", "env": _env_ref()}
    env_from = {
        "name": "container-1",
        "image": "nginx",
        "envFrom": [{"secretRef": {"name": "foo"}}],
    }
    return [
        (volume, 'volume with secret.secretName="foo" is not allowed'),
        ({"containers": [env]}, "container container-1 with envVar env-1 referencing secret."),
        ({"containers": [env_from]}, "container container-1 with envFrom referencing secret."),
        (
            {"initContainers": [env]},
            'init container container-1 with envVar env-1 referencing secret.secretName="foo"',
        ),
        ({"initContainers": [env_from]}, "init container container-1 with envFrom"),
        ({"imagePullSecrets": [{"name": "foo"}]}, 'imagePullSecrets[0].name="foo" is not allowed'),
    ]


@pytest.mark.parametrize(("spec", "message"), _secret_using_specs())
def test_enforcing_account_rejects_unreferenced_secrets(server, spec: Obj, message: str) -> None:
    server.client.create("serviceaccounts", enforcing(), "shop")
    with pytest.raises(Forbidden) as caught:
        server.client.create("pods", pod(**spec), "shop")
    assert str(caught.value).startswith(f'pods "myname" is forbidden: {message}')
    assert "because service account default does not reference that" in str(caught.value)


@pytest.mark.parametrize(("spec", "_message"), _secret_using_specs())
def test_enforcing_account_allows_referenced_secrets(server, spec: Obj, _message: str) -> None:
    sa = enforcing(secrets=[{"name": "foo"}], imagePullSecrets=[{"name": "foo"}])
    server.client.create("serviceaccounts", sa, "shop")
    server.client.create("pods", pod(**spec), "shop")


@pytest.mark.parametrize(("spec", "_message"), _secret_using_specs())
def test_permissive_account_allows_unreferenced_secrets(server, spec, _message) -> None:
    server.client.create("serviceaccounts", account(), "shop")
    server.client.create("pods", pod(**spec), "shop")


def test_admit_does_not_enforce_on_update(server) -> None:
    server.client.create("serviceaccounts", enforcing(), "shop")
    sent = pod(serviceAccountName="default", initContainers=[{"name": "i", "env": _env_ref()}])
    ServiceAccount().admit(attrs(server, sent, "UPDATE"))
    with pytest.raises(Forbidden, match="with envVar"):
        ServiceAccount().validate(attrs(server, sent, "CREATE"))


@pytest.mark.parametrize(
    ("container", "how"),
    [
        ({"name": "container-2", "env": _env_ref()}, "with envVar env-1"),
        ({"name": "container-2", "envFrom": [{"secretRef": {"name": "foo"}}]}, "with envFrom"),
    ],
)
def test_ephemeral_containers_are_validated(server, container: Obj, how: str) -> None:
    sent = pod(serviceAccountName="default", ephemeralContainers=[container])
    server.client.create("serviceaccounts", enforcing(), "shop")
    check = attrs(server, sent, "UPDATE", "ephemeralcontainers")
    with pytest.raises(Forbidden) as caught:
        ServiceAccount().validate(check)
    assert f"ephemeral container container-2 {how} referencing secret." in str(caught.value)
    ServiceAccount().admit(check)  # never mutated
    assert "volumes" not in sent["spec"]
    server.client.delete("serviceaccounts", "default", "shop")
    server.client.create("serviceaccounts", enforcing(secrets=[{"name": "foo"}]), "shop")
    ServiceAccount().validate(check)


# --- invariants -----------------------------------------------------------------------------------

CONTAINERS = st.lists(st.booleans(), max_size=3)  # True: the container mounts the token path


@settings(max_examples=60, deadline=None)
@given(containers=CONTAINERS, init_containers=CONTAINERS, seed=st.integers(0, 2**16))
def test_every_container_gets_exactly_one_token_mount(containers, init_containers, seed) -> None:
    def make(mounted: list[bool], prefix: str) -> list[Obj]:
        mine = [{"name": "own", "mountPath": PATH}]
        return [{"name": f"{prefix}{i}", **({"volumeMounts": mine} if m else {})} for i, m in
                enumerate(mounted)]  # fmt: skip

    spec = {"containers": make(containers, "c"), "initContainers": make(init_containers, "i")}
    mount_service_account_token(spec, random.Random(seed))
    all_containers = spec["initContainers"] + spec["containers"]
    assert all(len(token_mounts(c)) == 1 for c in all_containers)
    added = [v["name"] for v in spec.get("volumes") or []]
    assert len(added) == (0 if all(containers + init_containers) else 1)
    again = copy.deepcopy(spec)
    mount_service_account_token(again, random.Random(seed + 1))  # reinvocation changes nothing
    assert again == spec


# --- in a Cluster ---------------------------------------------------------------------------------

WEB = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


def test_cluster_pod_runs_with_its_token_files() -> None:
    c = Cluster(nodes=1, seed=0)
    c.apply(WEB)
    c.settle()
    live = c.get("pods", "web")
    assert live["status"]["phase"] == "Running"
    assert live["spec"]["serviceAccountName"] == "default"
    assert c.kubectl(f"exec web -- cat {PATH}/namespace") == "default"
    assert c.kubectl(f"exec web -- cat {PATH}/token") == "minik8s-token.default.default"
    assert c.kubectl(f"exec web -- cat {PATH}/ca.crt").startswith("-----BEGIN CERTIFICATE-----")
    assert "Service Account:  default" in c.kubectl("describe pod web")
    (again,) = c.apply(WEB)  # re-applying the manifest keeps what admission added
    assert again["spec"]["volumes"] == live["spec"]["volumes"]


def test_cluster_missing_account_is_forbidden_and_nothing_is_stored() -> None:
    c = Cluster(nodes=0, seed=0)
    bad = copy.deepcopy(WEB)
    bad["spec"]["serviceAccountName"] = "robot"
    with pytest.raises(Forbidden, match='serviceaccount "robot" not found$'):
        c.apply(bad)
    assert c.get("pods") == []


def test_cluster_first_pod_of_a_new_namespace() -> None:
    c = Cluster(nodes=1, seed=0)
    first = copy.deepcopy(WEB)
    first["metadata"]["namespace"] = "shop"
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
    (_ns, created) = c.apply([namespace, first])  # before any controller has run
    assert c.get("serviceaccounts", namespace="shop") == []
    assert created["spec"]["serviceAccountName"] == "default"
    c.run(seconds=30)  # the kubelet retries the mount once kube-root-ca.crt is published
    assert c.get("pods", "web", namespace="shop")["status"]["phase"] == "Running"
    assert [sa["metadata"]["name"] for sa in c.get("serviceaccounts", namespace="shop")] == [
        "default"
    ]
    assert c.kubectl(f"exec -n shop web -- cat {PATH}/namespace") == "shop"


def test_cluster_deployment_pods_get_the_token_volume() -> None:
    c = Cluster(nodes=1, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    pods = c.get("pods")
    assert len(pods) == 2 and all(p["status"]["phase"] == "Running" for p in pods)
    names = {p["spec"]["volumes"][0]["name"] for p in pods}
    assert len(names) == 2 and all(n.startswith("kube-api-access-") for n in names)
    template = c.get("deployments", "web")["spec"]["template"]["spec"]
    assert "serviceAccountName" not in template  # only pods are admitted


def _volume_names(seed: int) -> list[str]:
    c = Cluster(nodes=0, seed=seed)
    for name in ("a", "b"):
        c.apply({**WEB, "metadata": {"name": name}})
    return [p["spec"]["volumes"][0]["name"] for p in c.get("pods")]


def test_cluster_volume_names_follow_the_seed() -> None:
    assert _volume_names(0) == _volume_names(0)
    assert _volume_names(0) != _volume_names(1)
