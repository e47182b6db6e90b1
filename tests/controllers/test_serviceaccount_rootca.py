"""Every namespace gets a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap, and
keeps them (upstream serviceaccounts_controller.go and rootcacertpublisher/publisher.go)."""

import pytest
from cryptography import x509

from minik8s import Cluster
from minik8s.api.errors import NotFound
from minik8s.controllers.rootcacert import DESCRIPTION
from minik8s.pki import root_ca_pem

SHOP = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}


@pytest.fixture
def c():
    cluster = Cluster(nodes=1, seed=0)
    cluster.apply(SHOP)
    cluster.settle()
    return cluster


def test_every_namespace_has_the_default_account_and_the_root_ca(c):
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease", "shop"):
        assert c.get("sa", "default", namespace=ns)["metadata"]["name"] == "default"
        cm = c.get("cm", "kube-root-ca.crt", namespace=ns)
        assert cm["data"] == {"ca.crt": root_ca_pem()}
        assert cm["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION}


def test_a_deleted_account_and_config_map_come_back(c):
    c.delete("sa", "default", namespace="shop")
    c.delete("cm", "kube-root-ca.crt", namespace="shop")
    c.settle()
    assert c.get("sa", "default", namespace="shop")
    assert c.get("cm", "kube-root-ca.crt", namespace="shop")["data"]["ca.crt"] == root_ca_pem()


def test_an_edited_root_ca_is_restored_and_other_annotations_kept(c):
    cm = c.get("cm", "kube-root-ca.crt", namespace="shop")
    cm["data"] = {"ca.crt": "forged"}
    cm["metadata"]["annotations"] = {"team": "a"}
    c.client.update("configmaps", cm, "shop")
    c.settle()
    restored = c.get("cm", "kube-root-ca.crt", namespace="shop")
    assert restored["data"] == {"ca.crt": root_ca_pem()}
    assert restored["metadata"]["annotations"] == {
        "team": "a",
        "kubernetes.io/description": DESCRIPTION,
    }


def test_a_terminating_namespace_is_not_refilled_and_goes(c):
    c.delete("namespaces", "shop")
    c.run(30)
    with pytest.raises(NotFound):
        c.get("namespaces", "shop")
    assert not c.client.list("serviceaccounts", "shop")["items"]
    assert not c.client.list("configmaps", "shop")["items"]


def test_the_cluster_ca_is_a_deterministic_self_signed_ca_named_kubernetes():
    certificate = x509.load_pem_x509_certificate(root_ca_pem().encode())
    assert certificate.subject == certificate.issuer
    assert certificate.subject.rfc4514_string() == "CN=kubernetes"
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    certificate.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes)
    root_ca_pem.cache_clear()
    assert x509.load_pem_x509_certificate(root_ca_pem().encode()) == certificate
