# ruff: noqa: E501
"""`kubectl describe`: upstream layouts, events of the object, and Secrets without values."""

import base64

import pytest

from minik8s.kubectl import kubectl
from tests.kubectl import objects


@pytest.fixture
def client():
    return objects.fake_client_with_objects()


SNAPSHOTS = [
    (
        "describe secret creds",
        "Name:         creds\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Type:  Opaque\n"
        "\n"
        "Data\n"
        "====\n"
        "password:  7 bytes\n"
        "username:  5 bytes\n",
    ),
    (
        "describe pod web",
        "Name:             web-7d4b9-abcde\n"
        "Namespace:        default\n"
        "Service Account:  default\n"
        "Node:             node-1/172.18.0.3\n"
        "Start Time:       Wed, 01 Jan 2025 00:00:00 +0000\n"
        "Labels:           app=web\n"
        "Annotations:      <none>\n"
        "Status:           Running\n"
        "IP:               10.244.1.2\n"
        "IPs:\n"
        "  IP:           10.244.1.2\n"
        "Controlled By:  ReplicaSet/web-7d4b9\n"
        "Containers:\n"
        "  nginx:\n"
        "    Container ID:   minik8s://abc\n"
        "    Image:          nginx:1.27\n"
        "    Image ID:       docker.io/nginx@sha256:1\n"
        "    Port:           80/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "      Started:      Wed, 01 Jan 2025 00:00:00 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:\n"
        "      MODE:      prod\n"
        "      PASSWORD:  <set to the key 'password' in secret 'creds'>  Optional: false\n"
        "    Mounts:\n"
        "      /usr/share/nginx/html from html (ro)\n"
        "Conditions:\n"
        "  Type    Status\n"
        "  Ready   True \n"
        "Volumes:\n"
        "  html:\n"
        "    Type:        ConfigMap (a volume populated by a ConfigMap)\n"
        "    Name:        game\n"
        "    Optional:    false\n"
        "QoS Class:       BestEffort\n"
        "Node-Selectors:  <none>\n"
        "Tolerations:     <none>\n"
        "Events:          <none>\n",
    ),
    (
        "describe deploy web",
        "Name:                   web\n"
        "Namespace:              default\n"
        "CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000\n"
        "Labels:                 app=web\n"
        "Annotations:            <none>\n"
        "Selector:               app=web\n"
        "Replicas:               3 desired | 3 updated | 3 total | 2 available | 1 unavailable\n"
        "StrategyType:           RollingUpdate\n"
        "MinReadySeconds:        0\n"
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.27\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "OldReplicaSets:    <none>\n"
        "NewReplicaSet:     web-7d4b9 (3/3 replicas created)\n"
        "Events:\n"
        "  Type    Reason             Age   From                   Message\n"
        "  ----    ------             ----  ----                   -------\n"
        "  Normal  ScalingReplicaSet  5m    deployment-controller  Scaled up replica set web-7d4b9 to 3\n",
    ),
    (
        "describe svc web",
        "Name:              web\n"
        "Namespace:         default\n"
        "Labels:            <none>\n"
        "Annotations:       <none>\n"
        "Selector:          app=web\n"
        "Type:              ClusterIP\n"
        "IP Families:       <none>\n"
        "IP:                10.96.0.10\n"
        "IPs:               10.96.0.10\n"
        "Port:              <unset>  80/TCP\n"
        "TargetPort:        8080/TCP\n"
        "Endpoints:         10.244.1.2:8080,10.244.2.3:8080\n"  # from the EndpointSlices
        "Session Affinity:  None\n"
        "Events:            <none>\n",
    ),
    (
        "describe ns shop",
        "Name:         shop\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n",
    ),
    (
        "describe lease -n kube-node-lease node-1",
        "Name:         node-1\n"
        "Namespace:    kube-node-lease\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "API Version:  coordination.k8s.io/v1\n"
        "Kind:         Lease\n"
        "Metadata:\n"
        "  Creation Timestamp:  2025-01-01T00:00:00Z\n"
        "  Resource Version:    11\n"
        "  UID:                 uid-11\n"
        "Spec:\n"
        "  Holder Identity:         node-1\n"
        "  Lease Duration Seconds:  40\n"
        "Events:                    <none>\n",
    ),
    (
        "describe job pi",
        "Name:           pi\n"
        "Namespace:      default\n"
        "Selector:       batch.kubernetes.io/controller-uid=u1\n"
        "Labels:         <none>\n"
        "Annotations:    <none>\n"
        "Parallelism:    1\n"
        "Completions:    1\n"
        "Backoff Limit:  6\n"
        "Start Time:     Wed, 01 Jan 2025 00:00:00 +0000\n"
        "Completed At:   Wed, 01 Jan 2025 00:00:42 +0000\n"
        "Duration:       42s\n"
        "Pods Statuses:  0 Active / 1 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  <none>\n"
        "  Containers:\n"
        "   pi:\n"
        "    Image:         perl:5.34\n"
        "    Port:          <none>\n"
        "    Host Port:     <none>\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:            <none>\n",
    ),
]


@pytest.mark.parametrize(("command", "expected"), SNAPSHOTS, ids=[c[0] for c in SNAPSHOTS])
def test_describe_layout(client, command, expected):
    assert kubectl(client, command) == expected


def test_secret_values_never_shown(client):
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "kubernetes.io/service-account-token",
        "metadata": {
            "name": "tok",
            "namespace": "default",
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"token":"czNjcjN0LXQwazNu"}}'
            },
        },
        "data": {
            "token": base64.b64encode(b"s3cr3t-t0k3n").decode(),
            "ca.crt": base64.b64encode(b"-----BEGIN-----").decode(),
        },
    }
    client.add(secret)
    out = kubectl(client, "describe secret tok")
    assert "s3cr3t" not in out and "czNjcjN0" not in out
    assert "token:   12 bytes\n" in out
    assert "ca.crt:  15 bytes\n" in out


def test_name_prefix_matches_like_kubectl(client):
    out = kubectl(client, "describe pod web")
    assert out.startswith("Name:             web-7d4b9-abcde\n")


def test_several_objects_are_separated_by_a_blank_line(client):
    out = kubectl(client, "describe nodes")
    assert "\n\n\nName:               node-1\n" in out
    assert out.startswith("Name:               control-plane\nRoles:              control-plane\n")
    assert "Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n" in out
    assert "Unschedulable:      true\n" in out
    # describeNodeResource's "Name\t\tCPU Requests": an empty column after Name
    assert "  default                     web-7d4b9-abcde    0 (0%)        0 (0%)" in out


def test_node_allocated_resources_percentages(client):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "big", "namespace": "default"},
        "spec": {
            "nodeName": "node-1",
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "resources": {
                        "requests": {"cpu": "500m", "memory": "1Gi"},
                        "limits": {"cpu": "1", "memory": "2Gi"},
                    },
                }
            ],
        },
        "status": {"phase": "Running"},
    }
    client.add(pod)
    out = kubectl(client, "describe node node-1")
    assert (
        "  default                     big                500m (25%)    1 (50%)     1Gi (25%)        2Gi (50%)      0s\n"
        in out
    )
    assert "  cpu                500m (25%)  1 (50%)\n" in out
    assert "  memory             1Gi (25%)   2Gi (50%)\n" in out


def test_events_only_for_the_object(client):
    out = kubectl(client, "describe rs web-7d4b9")
    assert out.endswith("Events:            <none>\n")


def test_last_applied_annotation_is_hidden(client):
    kubectl(client, "annotate deploy web kubectl.kubernetes.io/last-applied-configuration={}")
    kubectl(client, "annotate deploy web team=shop")
    out = kubectl(client, "describe deploy web")
    assert "Annotations:            team: shop\n" in out
    assert "last-applied" not in out


def test_projected_and_downward_api_volumes_as_upstream_prints_them():
    from datetime import datetime, timezone

    from minik8s.kubectl.describe_base import PrefixWriter
    from minik8s.kubectl.describe_containers import describe_volumes

    volumes = [
        {
            "name": "kube-api-access-x2b9q",
            "projected": {
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": []}},
                    {"downwardAPI": {"items": []}},
                    {"secret": {"name": "creds", "optional": True}},
                ],
                "defaultMode": 420,
            },
        },
        {
            "name": "podinfo",
            "downwardAPI": {
                "items": [
                    {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                    {"path": "cpu", "resourceFieldRef": {"resource": "limits.cpu"}},
                ]
            },
        },
    ]
    w = PrefixWriter(datetime(2025, 1, 1, tzinfo=timezone.utc))
    describe_volumes(w, volumes, "")
    assert w.text() == (
        "Volumes:\n"
        "  kube-api-access-x2b9q:\n"
        "    Type:                    Projected (a volume that contains injected data from "
        "multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    ConfigMapOptional:       <nil>\n"
        "    DownwardAPI:             true\n"
        "    SecretName:              creds\n"
        "    SecretOptionalName:      true\n"
        "  podinfo:\n"
        "    Type:  DownwardAPI (a volume populated by information about the pod)\n"
        "    Items:\n"
        "      metadata.labels -> labels\n"
        "      limits.cpu -> cpu\n"
    )
