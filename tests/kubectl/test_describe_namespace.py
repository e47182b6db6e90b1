"""`kubectl describe namespace` of a terminating namespace: its deletion conditions, as
upstream's `describeNamespace` prints them (RFC 1123Z times)."""

from minik8s import Cluster


def test_terminating_namespace_shows_its_conditions():
    c = Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "shop"},
            "spec": {
                "terminationGracePeriodSeconds": 20,
                "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}],
            },
        }
    )
    c.run(5)
    assert "Conditions:" not in c.kubectl("describe ns shop")
    c.delete("namespaces", "shop")
    c.run(6)
    lines = c.kubectl("describe ns shop").splitlines()
    start = lines.index("Conditions:")
    assert lines[start + 1].split() == ["Type", "Status", "LastTransitionTime", "Reason", "Message"]
    rows = {line.split()[0]: line for line in lines[start + 3 : start + 8]}
    remaining = rows["NamespaceContentRemaining"]
    assert "True" in remaining and "SomeResourcesRemain" in remaining
    assert remaining.endswith("Some resources are remaining: pods. has 1 resource instances")
    assert "+0000" in remaining  # RFC 1123Z
