"""`kubectl label --list` / `kubectl annotate --list` against upstream label.go / annotate.go:
`key=value` lines, a `Listing labels for Kind.group/name:` header (and a one-space indent) unless
a single object was named, the changes applied locally only, `--list and --output` refused."""

import pytest

from minik8s.cluster import Cluster


@pytest.fixture(scope="module")
def c():
    cluster = Cluster(seed=0)
    cluster.kubectl("create configmap a")
    cluster.kubectl("create configmap b")
    cluster.kubectl("label cm a tier=web app=shop")
    cluster.kubectl("label cm b app=db")
    cluster.kubectl("annotate cm a note=hello")
    cluster.kubectl("create namespace prod")
    cluster.kubectl("label ns prod env=prod")
    return cluster


def test_one_named_object_prints_bare_lines_sorted(c):
    assert c.kubectl("label cm a --list") == "app=shop\ntier=web\n"
    assert c.kubectl("label configmap/a --list") == "app=shop\ntier=web\n"


def test_several_objects_get_a_header_with_kind_dot_group(c):
    assert c.kubectl("label cm a b --list") == (
        "Listing labels for ConfigMap./a:\n app=shop\n tier=web\n"
        "Listing labels for ConfigMap./b:\n app=db\n"
    )
    assert c.kubectl("label cm -l app=db --list") == "Listing labels for ConfigMap./b:\n app=db\n"


def test_cluster_scoped_and_grouped_kinds(c):
    assert "env=prod\n" in c.kubectl("label ns prod --list")
    c.kubectl("create deployment web --image=nginx")
    c.kubectl("label deploy web tier=front")
    assert c.kubectl("label deploy --all --list") == (
        "Listing labels for Deployment.apps/web:\n app=web\n tier=front\n"
    )


def test_changes_are_listed_but_not_sent(c):
    before = c.client.get("configmaps", "a", "default")["metadata"]["resourceVersion"]
    assert c.kubectl("label cm a extra=1 tier- --list") == "app=shop\nextra=1\n"
    after = c.client.get("configmaps", "a", "default")["metadata"]
    assert after["resourceVersion"] == before
    assert after["labels"] == {"app": "shop", "tier": "web"}


def test_overwrite_is_still_checked(c):
    assert c.kubectl("label cm a tier=db --list") == (
        "error: 'tier' already has a value (web), and --overwrite is false\n"
    )
    assert c.kubectl("label cm a tier=db --list --overwrite") == "app=shop\ntier=db\n"


def test_list_and_output_are_exclusive_and_no_update_is_needed(c):
    assert c.kubectl("label cm a --list -o name") == (
        "error: --list and --output may not be specified together\n"
    )
    assert c.kubectl("label cm a") == "error: at least one label update is required\n"
    assert c.kubectl("label cm nope --list") == (
        'Error from server (NotFound): configmaps "nope" not found\n'
    )


def test_annotate_lists_the_same_way(c):
    assert c.kubectl("annotate cm a --list") == "note=hello\n"
    assert c.kubectl("annotate cm a b --list") == (
        "Listing annotations for ConfigMap./a:\n note=hello\n"
        "Listing annotations for ConfigMap./b:\n"
    )
