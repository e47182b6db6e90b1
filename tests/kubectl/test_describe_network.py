# ruff: noqa: E501
"""Dedicated describers for Ingress, IngressClass, Endpoints, EndpointSlice, StorageClass and
ServiceAccount; the Ingress cases are upstream describe_test.go `TestDescribeIngress`."""

import pytest

from minik8s.kubectl import kubectl
from minik8s.kubectl.describe_network import format_endpoint_slices
from tests.kubectl.fake import FakeClient

BACKEND = {"service": {"name": "default-backend", "port": {"number": 80}}}
RESOURCE = {"resource": {"apiGroup": "example.com", "kind": "foo", "name": "bar"}}
RESOURCE_NO_GROUP = {"resource": {"kind": "foo", "name": "bar"}}
NOT_FOUND = 'default-backend:80 (<error: services "default-backend" not found>)'


def ingress(default=None, path_backend=None, class_name="test", labels=None):
    spec = {}
    if class_name:
        spec["ingressClassName"] = class_name
    if default:
        spec["defaultBackend"] = default
    if path_backend:
        spec["rules"] = [
            {
                "host": "foo.bar.com",
                "http": {
                    "paths": [{"path": "/foo", "pathType": "Prefix", "backend": path_backend}]
                },
            }
        ]
    meta = {"name": "bar", "namespace": "foo"}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def with_rule(default_text, path_text, labels="<none>\n"):
    return (
        "Name:             bar\n"
        f"Labels:           {labels}"
        "Namespace:        foo\n"
        "Address:          \n"
        "Ingress Class:    test\n"
        f"Default backend:  {default_text}\n"
        "Rules:\n"
        "  Host         Path  Backends\n"
        "  ----         ----  --------\n"
        "  foo.bar.com  \n"
        f"               /foo   {path_text}\n"
        "Annotations:   <none>\n"
        "Events:        <none>\n"
    )


def without_rules(default_text, class_name="test"):
    return (
        "Name:             bar\n"
        "Labels:           <none>\n"
        "Namespace:        foo\n"
        "Address:          \n"
        f"Ingress Class:    {class_name}\n"
        f"Default backend:  {default_text}\n"
        "Rules:\n"
        "  Host        Path  Backends\n"
        "  ----        ----  --------\n"
        f"  *           *     {default_text}\n"
        "Annotations:  <none>\n"
        "Events:       <none>\n"
    )


DESCRIBE_INGRESS = [
    (
        "IngressRule.HTTP.Paths.Backend.Service v1",
        ingress(path_backend=BACKEND),
        with_rule("<default>", NOT_FOUND),
    ),
    (
        "labels",
        ingress(path_backend=BACKEND, labels={"id2": "app2", "id1": "app1"}),
        with_rule("<default>", NOT_FOUND, "id1=app1\n                  id2=app2\n"),
    ),
    (
        "IngressRule.HTTP.Paths.Backend.Resource v1",
        ingress(path_backend=RESOURCE),
        with_rule("<default>", "APIGroup: example.com, Kind: foo, Name: bar"),
    ),
    (
        "Resource v1 Without APIGroup",
        ingress(path_backend=RESOURCE_NO_GROUP),
        with_rule("<default>", "APIGroup: <none>, Kind: foo, Name: bar"),
    ),
    (
        "DefaultBackend.Service & Paths.Backend.Service",
        ingress(BACKEND, BACKEND),
        with_rule(NOT_FOUND, NOT_FOUND),
    ),
    (
        "DefaultBackend.Resource & Paths.Backend.Resource",
        ingress(RESOURCE, RESOURCE),
        with_rule(
            "APIGroup: example.com, Kind: foo, Name: bar",
            "APIGroup: example.com, Kind: foo, Name: bar",
        ),
    ),
    (
        "DefaultBackend.Resource & Paths.Backend.Service",
        ingress(RESOURCE, BACKEND),
        with_rule("APIGroup: example.com, Kind: foo, Name: bar", NOT_FOUND),
    ),
    ("DefaultBackend", ingress(BACKEND), without_rules(NOT_FOUND)),
    ("EmptyBackend", ingress(), without_rules("<default>")),
    (
        "EmptyIngressClassName",
        ingress(BACKEND, class_name=None),
        without_rules(NOT_FOUND, "<none>"),
    ),
]


@pytest.mark.parametrize(
    ("obj", "expected"), [c[1:] for c in DESCRIBE_INGRESS], ids=[c[0] for c in DESCRIBE_INGRESS]
)
def test_describe_ingress(obj, expected):
    client = FakeClient()
    client.add(obj)
    assert kubectl(client, "describe ingress bar -n foo") == expected


def slice_(name, service, addresses, port_name="http", ready=None):
    endpoints = []
    for address in addresses:
        ep = {"addresses": [address]}
        if ready is not None:
            ep["conditions"] = {"ready": ready}
        endpoints.append(ep)
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": name,
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": service},
        },
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": 8080, "protocol": "TCP"}],
        "endpoints": endpoints,
    }


def test_ingress_backend_lists_the_service_endpoints_with_tls():
    client = FakeClient()
    client.add({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
    })  # fmt: skip
    client.add(slice_("web-a", "web", ["10.244.1.2", "10.244.1.3"]))
    client.add(slice_("web-b", "web", ["10.244.2.2", "10.244.2.3"]))
    client.add(slice_("other-a", "other", ["10.244.9.9"]))
    client.add({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "shop", "namespace": "default", "annotations": {"team": "shop"}},
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": ["a.example.com"], "secretName": "tls"}, {"hosts": ["b.example.com"]}],
            "rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.9"}, {"ip": "10.0.0.1"}]}},
    })  # fmt: skip
    assert kubectl(client, "describe ing shop") == (
        "Name:             shop\n"
        "Labels:           <none>\n"
        "Namespace:        default\n"
        "Address:          10.0.0.1,10.0.0.9\n"
        "Ingress Class:    nginx\n"
        "Default backend:  <default>\n"
        "TLS:\n"
        "  tls terminates a.example.com\n"
        "  SNI routes b.example.com\n"
        "Rules:\n"
        "  Host        Path  Backends\n"
        "  ----        ----  --------\n"
        "  *           \n"
        "              /   web:http (10.244.1.2:8080,10.244.1.3:8080,10.244.2.2:8080 + 1 more...)\n"
        "Annotations:  team: shop\n"
        "Events:       <none>\n"
    )


FORMAT_ENDPOINT_SLICES = [
    ("no slices", [], {"http"}, "<none>"),
    (
        "matching port",
        [slice_("a", "s", ["1.1.1.1", "2.2.2.2"])],
        {"http"},
        "1.1.1.1:8080,2.2.2.2:8080",
    ),
    ("other port", [slice_("a", "s", ["1.1.1.1"])], {"metrics"}, ""),
    ("all ports", [slice_("a", "s", ["1.1.1.1"])], None, "1.1.1.1:8080"),
    ("not ready skipped", [slice_("a", "s", ["1.1.1.1"], ready=False)], {"http"}, ""),
    ("ipv6 in brackets", [slice_("a", "s", ["fd00::1"])], {"http"}, "[fd00::1]:8080"),
    (
        "no ports: addresses",
        [{**slice_("a", "s", ["1.1.1.1", "2.2.2.2"]), "ports": []}],
        {"http"},
        "1.1.1.1,2.2.2.2",
    ),
    (
        "four: + 1 more",
        [slice_("a", "s", ["1", "2", "3", "4"])],
        {"http"},
        "1:8080,2:8080,3:8080 + 1 more...",
    ),
]


@pytest.mark.parametrize(
    ("slices", "ports", "text"),
    [c[1:] for c in FORMAT_ENDPOINT_SLICES],
    ids=[c[0] for c in FORMAT_ENDPOINT_SLICES],
)
def test_format_endpoint_slices(slices, ports, text):
    assert format_endpoint_slices(slices, ports) == text


def test_describe_endpoints():
    client = FakeClient()
    client.add({
        "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": "172.18.0.2"}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}],
    })  # fmt: skip
    assert kubectl(client, "describe endpoints kubernetes") == (
        "Name:         kubernetes\n"
        "Namespace:    default\n"
        "Labels:       endpointslice.kubernetes.io/skip-mirror=true\n"
        "Annotations:  <none>\n"
        "Subsets:\n"
        "  Addresses:          172.18.0.2\n"
        "  NotReadyAddresses:  <none>\n"
        "  Ports:\n"
        "    Name   Port  Protocol\n"
        "    ----   ----  --------\n"
        "    https  6443  TCP\n"
        "\n"
        "Events:  <none>\n"
    )


def test_describe_endpointslice_like_a_real_cluster():
    client = FakeClient()
    client.add({
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "example-abc", "namespace": "default", "labels": {"kubernetes.io/service-name": "external-webserver-ckad01-svcn"}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "protocol": "TCP", "port": 9999}],
        "endpoints": [{"addresses": ["192.168.67.177"]}],
    })  # fmt: skip
    assert kubectl(client, "describe endpointslice example-abc") == (
        "Name:         example-abc\n"
        "Namespace:    default\n"
        "Labels:       kubernetes.io/service-name=external-webserver-ckad01-svcn\n"
        "Annotations:  <none>\n"
        "AddressType:  IPv4\n"
        "Ports:\n"
        "  Name  Port  Protocol\n"
        "  ----  ----  --------\n"
        "  http  9999  TCP\n"
        "Endpoints:\n"
        "  - Addresses:  192.168.67.177\n"
        "    Conditions:\n"
        "      Ready:   <unset>\n"
        "    Hostname:  <unset>\n"
        "    NodeName:  <unset>\n"
        "    Zone:      <unset>\n"
        "Events:        <none>\n"
    )


def test_describe_endpointslice_target_ref_and_no_endpoints():
    client = FakeClient()
    eps = slice_("web-a", "web", ["10.0.0.1"], ready=True)
    eps["endpoints"][0].update(
        {"targetRef": {"kind": "Pod", "name": "web-1"}, "nodeName": "node-1"}
    )
    client.add(eps)
    client.add({**slice_("empty", "web", []), "ports": []})
    out = kubectl(client, "describe endpointslice web-a")
    assert (
        "      Ready:    true\n    Hostname:   <unset>\n    TargetRef:  Pod/web-1\n    NodeName:   node-1\n"
        in out
    )
    out = kubectl(client, "describe endpointslice empty")
    assert out.endswith("AddressType:  IPv4\nPorts: <unset>\nEndpoints: <none>\nEvents:  <none>\n")


def test_describe_storageclass():
    client = FakeClient()
    client.add({
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "foo", "annotations": {"name": "foo"}},
        "provisioner": "my-provisioner", "parameters": {"param2": "value2", "param1": "value1"},
        "reclaimPolicy": "Retain", "volumeBindingMode": "bindingmode", "allowVolumeExpansion": True,
        "mountOptions": ["ro", "soft"],
        "allowedTopologies": [
            {"matchLabelExpressions": [{"key": "failure-domain.beta.kubernetes.io/zone", "values": ["zone1"]}, {"key": "kubernetes.io/hostname", "values": ["node1"]}]},
            {"matchLabelExpressions": [{"key": "failure-domain.beta.kubernetes.io/zone", "values": ["zone2"]}, {"key": "kubernetes.io/hostname", "values": ["node2"]}]},
        ],
    })  # fmt: skip
    assert kubectl(client, "describe sc foo") == (
        "Name:                  foo\n"
        "IsDefaultClass:        No\n"
        "Annotations:           name=foo\n"
        "Provisioner:           my-provisioner\n"
        "Parameters:            param1=value1,param2=value2\n"
        "AllowVolumeExpansion:  True\n"
        "MountOptions:\n"
        "  ro\n"
        "  soft\n"
        "ReclaimPolicy:      Retain\n"  # the option lines end the tabwriter block
        "VolumeBindingMode:  bindingmode\n"
        "AllowedTopologies:  \n"
        "  Term 0:           failure-domain.beta.kubernetes.io/zone in [zone1]\n"
        "                    kubernetes.io/hostname in [node1]\n"
        "  Term 1:           failure-domain.beta.kubernetes.io/zone in [zone2]\n"
        "                    kubernetes.io/hostname in [node2]\n"
        "Events:             <none>\n"
    )


def test_describe_default_storageclass():
    client = FakeClient()
    client.add({
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
    })  # fmt: skip
    assert kubectl(client, "describe sc standard") == (
        "Name:                  standard\n"
        "IsDefaultClass:        Yes\n"
        "Annotations:           storageclass.kubernetes.io/is-default-class=true\n"
        "Provisioner:           rancher.io/local-path\n"
        "Parameters:            <none>\n"
        "AllowVolumeExpansion:  <unset>\n"
        "MountOptions:          <none>\n"
        "ReclaimPolicy:         Delete\n"
        "VolumeBindingMode:     WaitForFirstConsumer\n"
        "Events:                <none>\n"
    )


def test_describe_ingressclass():
    client = FakeClient()
    client.add({
        "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "example"},
        "spec": {"controller": "example.com/controller", "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}},
    })  # fmt: skip
    assert kubectl(client, "describe ingressclass example") == (
        "Name:         example\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Controller:   example.com/controller\n"
        "Parameters:\n"
        "  APIGroup:  k8s.example.com\n"  # "Parameters:" ends the tabwriter block
        "  Kind:      IngressParameters\n"
        "  Name:      external-lb\n"
        "Events:      <none>\n"
    )


def test_describe_serviceaccount():
    client = FakeClient()
    sa = client.add({
        "apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "build", "namespace": "default"},
        "secrets": [{"name": "present"}, {"name": "gone"}], "imagePullSecrets": [{"name": "registry"}],
    })  # fmt: skip
    client.add(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "present", "namespace": "default"},
        }
    )
    client.add(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "registry", "namespace": "default"},
        }
    )
    client.add({
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
        "metadata": {"name": "build-token", "namespace": "default", "annotations": {
            "kubernetes.io/service-account.name": "build", "kubernetes.io/service-account.uid": sa["metadata"]["uid"]}},
    })  # fmt: skip
    assert kubectl(client, "describe sa build") == (
        "Name:                build\n"
        "Namespace:           default\n"
        "Labels:              <none>\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  registry\n"
        "Mountable secrets:   present\n"
        "                     gone (not found)\n"
        "Tokens:              build-token\n"
        "Events:              <none>\n"
    )


def lb_service(target_port, internal=None, **extra):
    spec = {
        "type": "LoadBalancer",
        "ports": [
            {
                "name": "port-tcp",
                "port": 8080,
                "protocol": "TCP",
                "targetPort": target_port,
                "nodePort": 31111,
            }
        ],
        "selector": {"blah": "heh"},
        "clusterIP": "1.2.3.4",
        "ipFamilies": ["IPv4"],
        "loadBalancerIP": "5.6.7.8",
        "sessionAffinity": "None",
        "externalTrafficPolicy": "Local",
        "healthCheckNodePort": 32222,
        **extra,
    }
    if internal:
        spec["internalTrafficPolicy"] = internal
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "bar", "namespace": "foo"},
        "spec": spec,
    }


def bar_slice(name, addresses):
    return {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": name, "namespace": "foo", "labels": {"kubernetes.io/service-name": "bar"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [a]} for a in addresses],
        "ports": [{"name": "port-tcp", "port": 9527, "protocol": "TCP"}],
    }  # fmt: skip


def service_text(target, endpoints, internal=None, policy=None, ips="<none>", extra=""):
    return (
        "Name:                     bar\n"
        "Namespace:                foo\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 blah=heh\n"
        "Type:                     LoadBalancer\n"
        + (f"IP Family Policy:         {policy}\n" if policy else "")
        + "IP Families:              IPv4\n"
        "IP:                       1.2.3.4\n"
        f"IPs:                      {ips}\n"
        "Desired LoadBalancer IP:  5.6.7.8\n"
        + extra
        + "Port:                     port-tcp  8080/TCP\n"
        f"TargetPort:               {target}/TCP\n"
        "NodePort:                 port-tcp  31111/TCP\n"
        f"Endpoints:                {endpoints}\n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Local\n"
        + (f"Internal Traffic Policy:  {internal}\n" if internal else "")
        + "HealthCheck NodePort:     32222\n"
        "Events:                   <none>\n"
    )


# upstream TestDescribeService (kubectl >= 1.29 prints spec.loadBalancerIP as "Desired LoadBalancer IP")
DESCRIBE_SERVICE = [
    (
        "test1",
        lb_service(9527, "Cluster"),
        [bar_slice("bar-abcde", ["10.244.0.1", "10.244.0.2", "10.244.0.3"])],
        service_text(9527, "10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527", "Cluster"),
    ),
    (
        "test2",
        lb_service("targetPort", "Local"),
        [
            bar_slice("bar-12345", ["10.244.0.1", "10.244.0.2"]),
            bar_slice("bar-54321", ["10.244.0.3", "10.244.0.4", "10.244.0.5"]),
        ],
        service_text(
            "targetPort", "10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527 + 2 more...", "Local"
        ),
    ),
    (
        "test-ServiceIPFamily",
        lb_service("targetPort"),
        [bar_slice("bar-123ab", ["10.244.0.1"])],
        service_text("targetPort", "10.244.0.1:9527"),
    ),
    (
        "test-ServiceIPFamilyPolicy+ClusterIPs",
        lb_service("targetPort", ipFamilyPolicy="SingleStack", clusterIPs=["1.2.3.4"]),
        [],
        service_text("targetPort", "<none>", policy="SingleStack", ips="1.2.3.4"),
    ),
]


@pytest.mark.parametrize(
    ("svc", "slices", "expected"),
    [c[1:] for c in DESCRIBE_SERVICE],
    ids=[c[0] for c in DESCRIBE_SERVICE],
)
def test_describe_service(svc, slices, expected):
    client = FakeClient()
    for obj in [svc, *slices]:
        client.add(obj)
    assert kubectl(client, "describe svc bar -n foo") == expected


def test_describe_service_load_balancer_ingress_and_not_ready_endpoints():
    svc = lb_service(9527, "Cluster")
    svc["status"] = {
        "loadBalancer": {
            "ingress": [{"ip": "5.6.7.8", "ipMode": "VIP"}, {"hostname": "lb.example.com"}]
        }
    }
    eps = bar_slice("bar-abcde", ["10.244.0.1", "10.244.0.2"])
    eps["endpoints"][0]["conditions"] = {"ready": False}
    client = FakeClient()
    client.add(svc)
    client.add(eps)
    assert kubectl(client, "describe svc bar -n foo") == service_text(
        9527,
        "10.244.0.2:9527",
        "Cluster",
        extra="LoadBalancer Ingress:     5.6.7.8 (VIP), lb.example.com\n",
    )
