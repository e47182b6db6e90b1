# ruff: noqa: E501
"""The storage pieces of `kubectl describe pv/pvc` (`printVolumeNodeAffinity`, the claim's
`Conditions:` table), after upstream describe.go and describe_test.go's PV cases."""

from datetime import UTC, datetime

from minik8s.kubectl.describe_base import PrefixWriter
from minik8s.kubectl.describe_storage import print_claim_conditions, print_volume_node_affinity

NOW = datetime(2025, 1, 1, 0, 10, tzinfo=UTC)


def render(fn, arg):
    w = PrefixWriter(NOW)
    fn(w, arg)
    return w.text()


def test_node_affinity_none():
    assert render(print_volume_node_affinity, None) == "Node Affinity:  <none>\n"
    assert render(print_volume_node_affinity, {"required": {"nodeSelectorTerms": []}}) == (
        "Node Affinity:     \n  Required Terms:  <none>\n"
    )


def test_node_affinity_terms():
    """describe_test.go `TestPersistentVolumeDescriber` "test9"-like terms."""
    affinity = {
        "required": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "foo", "operator": "In", "values": ["val1", "val2"]},
                        {"key": "foo", "operator": "Exists"},
                    ]
                },
                {"matchExpressions": []},
            ]
        }
    }
    assert render(print_volume_node_affinity, affinity) == (
        "Node Affinity:     \n"
        "  Required Terms:  \n"
        "    Term 0:        foo in [val1, val2]\n"
        "                   foo exists\n"
        "    Term 1:        <none>\n"
    )


def test_claim_conditions_table():
    status = {
        "conditions": [
            {
                "type": "FileSystemResizePending",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": "2025-01-01T00:00:05Z",
                "message": "Waiting for user to (re-)start a pod to finish file system resize "
                "of volume on node.",
            }
        ]
    }
    lines = render(print_claim_conditions, status).splitlines()
    assert lines[0] == "Conditions:"
    assert lines[1].split() == [
        "Type", "Status", "LastProbeTime", "LastTransitionTime", "Reason", "Message",
    ]  # fmt: skip
    assert lines[3].startswith(
        "  FileSystemResizePending   True    Mon, 01 Jan 0001 00:00:00 +0000"
    )
    assert "Wed, 01 Jan 2025 00:00:05 +0000" in lines[3]
    assert lines[3].endswith(
        "Waiting for user to (re-)start a pod to finish file system resize of volume on node."
    )
    assert render(print_claim_conditions, {}) == ""
