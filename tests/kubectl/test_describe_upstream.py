# ruff: noqa: E501
"""`kubectl describe` details checked against upstream `describe.go`: the node's Lease section,
the Non-terminated Pods columns, huge pages, sorted selectors and `Terminating (lasts ...)`."""

import copy

import pytest

from minik8s.kubectl import kubectl
from tests.kubectl import objects


@pytest.fixture
def client():
    return objects.fake_client_with_objects()


def test_node_lease_section_between_unschedulable_and_conditions(client):
    lease = client.get("leases", "node-1", "kube-node-lease")
    lease["spec"]["renewTime"] = "2025-01-01T00:04:50.000000Z"
    client.update("leases", lease, "kube-node-lease")
    out = kubectl(client, "describe node node-1")
    assert (
        "Unschedulable:      false\n"
        "Lease:\n"
        "  HolderIdentity:  node-1\n"
        "  AcquireTime:     <unset>\n"
        "  RenewTime:       Wed, 01 Jan 2025 00:04:50 +0000\n"
        "Conditions:\n"
    ) in out


def test_node_without_lease_says_why(client):
    out = kubectl(client, "describe node control-plane")
    assert (
        "Unschedulable:      true\n"
        'Lease:              Failed to get lease: leases.coordination.k8s.io "control-plane" not found\n'
        "Conditions:\n"
    ) in out


def test_node_lease_without_holder(client):
    lease = client.get("leases", "node-1", "kube-node-lease")
    del lease["spec"]["holderIdentity"]
    lease["spec"]["acquireTime"] = "2025-01-01T00:00:01.000000Z"
    client.update("leases", lease, "kube-node-lease")
    out = kubectl(client, "describe node node-1")
    assert "  HolderIdentity:  <unset>\n  AcquireTime:     Wed, 01 Jan 2025 00:00:01 +0000\n" in out


def test_non_terminated_pods_have_an_empty_column_after_name(client):
    out = kubectl(client, "describe node node-1")
    assert (
        "Non-terminated Pods:          (1 in total)\n"
        "  Namespace                   Name               CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n"
        "  ---------                   ----               ------------  ----------  ---------------  -------------  ---\n"
        "  default                     web-7d4b9-abcde    0 (0%)        0 (0%)      0 (0%)           0 (0%)         5m\n"
    ) in out


def test_huge_pages_and_extended_resources_are_allocated_rows(client):
    node = client.get("nodes", "node-1")
    node["status"]["allocatable"].update(
        {"hugepages-2Mi": "0", "hugepages-1Gi": "0", "example.com/gpu": "2"}
    )
    node["spec"]["providerID"] = "kind://docker/kind/node-1"
    client.update("nodes", node)
    pod = copy.deepcopy(objects.POD)
    pod["metadata"]["name"] = "gpu"
    pod["spec"]["containers"][0]["resources"] = {
        "requests": {"example.com/gpu": "1", "ephemeral-storage": "1Gi"},
        "limits": {"example.com/gpu": "1"},
    }
    client.add(pod)
    out = kubectl(client, "describe node node-1")
    assert (
        "PodCIDRs:                     10.244.1.0/24\nProviderID:                   kind://docker/kind/node-1\n"
        in out
    )
    assert out.endswith(
        "  Resource           Requests  Limits\n"
        "  --------           --------  ------\n"
        "  cpu                0 (0%)    0 (0%)\n"
        "  memory             0 (0%)    0 (0%)\n"
        "  ephemeral-storage  1Gi (0%)  0 (0%)\n"
        "  hugepages-1Gi      0 (0%)    0 (0%)\n"
        "  hugepages-2Mi      0 (0%)    0 (0%)\n"
        "  example.com/gpu    1         1\n"
        "Events:              <none>\n"
    )


def test_describe_selector_sorted_by_key(client):
    for resource in ("deployments", "replicasets"):
        obj = client.get(resource, "web" if resource == "deployments" else "web-7d4b9")
        obj["spec"]["selector"] = {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "aaa", "operator": "Exists"}],
        }
        client.update(resource, obj)
    assert "Selector:               aaa,app=web\n" in kubectl(client, "describe deploy web")
    assert "Selector:       aaa,app=web\n" in kubectl(client, "describe rs web-7d4b9")


@pytest.mark.parametrize(
    ("deletion", "lasts"),
    [
        # translateTimestampSince(deletionTimestamp): HumanDuration(now - t); during the grace
        # period t lies ahead, so upstream prints <invalid> (kubernetes/kubernetes#74790).
        ("2025-01-01T00:05:30Z", "<invalid>"),
        ("2025-01-01T00:05:02Z", "<invalid>"),
        # up to two seconds ahead counts as now; int(seconds) truncates toward zero
        ("2025-01-01T00:05:01.500000Z", "0s"),
        ("2025-01-01T00:05:00Z", "0s"),
        ("2025-01-01T00:04:20Z", "40s"),
    ],
)
def test_terminating_lasts_is_time_since_the_deletion_timestamp(client, deletion, lasts):
    pod = client.get("pods", "web-7d4b9-abcde")
    pod["metadata"]["deletionTimestamp"] = deletion
    pod["metadata"]["deletionGracePeriodSeconds"] = 30
    client.update("pods", pod)
    out = kubectl(client, "describe pod web-7d4b9-abcde")
    assert (
        f"Status:                    Terminating (lasts {lasts})\nTermination Grace Period:  30s\n"
        in out
    )
