"""`kubectl delete` against upstream's `delete.go` (Complete, Validate, PrintObj) and cmdutil
`GetCascadingStrategy`: flag checks, warnings and the printed lines."""

import pytest

from minik8s.api.errors import NotFound
from minik8s.cluster import Cluster


@pytest.fixture
def c():
    cluster = Cluster(seed=0)
    for name in ("a", "b"):
        cluster.kubectl(f"create configmap {name}")
    return cluster


def exists(c, name):
    try:
        c.client.get("configmaps", name, "default")
        return True
    except NotFound:
        return False


@pytest.mark.parametrize(
    "command, message",
    [
        (
            "delete cm a --force --grace-period=5",
            "error: --force and --grace-period greater than 0 cannot be specified together\n",
        ),
        (
            "delete cm a --now --grace-period=3",
            "error: --now and --grace-period cannot be specified together\n",
        ),
        ("delete cm --all -l x=y", "error: cannot set --all and --selector at the same time\n"),
        (
            "delete cm a -o yaml",
            "error: unexpected -o output mode: yaml. We only support '-o name'\n",
        ),
        (
            "delete cm a --cascade=sideways",
            'error: invalid cascade value (sideways). Must be "background", "foreground", or '
            '"orphan"\n',
        ),
        (
            "delete",
            "error: You must provide one or more resources by argument or filename.\n"
            "Example resource specifications include:\n   '-f rsrc.yaml'\n"
            "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
        ),
    ],
)
def test_refused_flag_combinations_delete_nothing(c, command, message):
    assert c.kubectl(command) == message
    assert exists(c, "a")


@pytest.mark.parametrize("value, replacement", [("false", "orphan"), ("true", "background")])
def test_boolean_cascade_values_are_deprecated(c, value, replacement):
    assert c.kubectl(f"delete cm a --cascade={value}") == (
        f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
        f'--cascade={replacement}.\nconfigmap "a" deleted\n'
    )


def test_force_with_grace_zero_warns_and_says_force_deleted(c):
    assert c.kubectl("delete cm a --grace-period=0 --force") == (
        "Warning: Immediate deletion does not wait for confirmation that the running resource "
        "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
        'configmap "a" force deleted\n'
    )


def test_output_name_and_dry_runs(c):
    assert c.kubectl("delete cm a --dry-run=client") == 'configmap "a" deleted (dry run)\n'
    assert c.kubectl("delete cm a --dry-run=server") == ('configmap "a" deleted (server dry run)\n')
    assert exists(c, "a")
    assert c.kubectl("delete cm zz --dry-run=client") == (
        'Error from server (NotFound): configmaps "zz" not found\n'
    )
    assert c.kubectl("delete cm a -o name") == "configmap/a\n"
    assert not exists(c, "a")


def test_a_namespace_flag_on_a_cluster_scoped_delete_warns_once(c):
    c.kubectl("create namespace x")
    c.kubectl("create namespace y")
    assert c.kubectl("delete ns x y -n default") == (
        "warning: deleting cluster-scoped resources, not scoped to the provided namespace\n"
        'namespace "x" deleted\nnamespace "y" deleted\n'
    )
    assert "warning" not in c.kubectl("delete cm b -n default")


def test_all_namespaces_deletes_each_object_in_its_own_namespace(c):
    c.kubectl("create namespace x")
    c.kubectl("create configmap c -n x")
    out = c.kubectl("delete cm -l nothing=here -A")
    assert out == "No resources found\n"
    c.client.patch("configmaps", "c", {"metadata": {"labels": {"app": "z"}}}, "x")
    c.client.patch("configmaps", "a", {"metadata": {"labels": {"app": "z"}}}, "default")
    assert c.kubectl("delete cm -l app=z -A") == 'configmap "a" deleted\nconfigmap "c" deleted\n'
    assert not exists(c, "a")
    with pytest.raises(NotFound):
        c.client.get("configmaps", "c", "x")
