"""DefaultIngressClass: an Ingress without a class gets the default IngressClass."""

from minik8s import Cluster

INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
}


def test_an_ingress_without_class_gets_the_default_one():
    c = Cluster(seed=0, control_plane_node=False)
    assert c.apply(INGRESS)[0]["spec"]["ingressClassName"] == "nginx"


def test_an_explicit_class_or_the_legacy_annotation_is_kept():
    c = Cluster(seed=0, control_plane_node=False)
    mine = dict(INGRESS, spec=dict(INGRESS["spec"], ingressClassName="other"))
    assert c.apply(mine)[0]["spec"]["ingressClassName"] == "other"
    legacy = dict(INGRESS, metadata={**INGRESS["metadata"], "name": "old"})
    legacy["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "traefik"}
    assert "ingressClassName" not in c.apply(legacy)[0]["spec"]


def test_no_default_class_means_no_class():
    c = Cluster(seed=0, control_plane_node=False)
    c.client.patch(
        "ingressclasses",
        "nginx",
        {"metadata": {"annotations": {"ingressclass.kubernetes.io/is-default-class": "false"}}},
    )
    assert "ingressClassName" not in c.apply(INGRESS)[0]["spec"]
