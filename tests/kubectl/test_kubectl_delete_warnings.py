"""`kubectl delete` prints the warnings of `Complete` (the deprecated boolean `--cascade`, the
immediate-deletion warning of `--force --grace-period=0`) before anything else, also before
`No resources found` (delete.go `DeleteResult` prints that line only after the visit)."""

import pytest

from minik8s.cluster import Cluster

CASCADE_TRUE = (
    "warning: --cascade=true is deprecated (boolean value) and can be replaced with "
    "--cascade=background.\n"
)
FORCE = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource "
    "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
)


@pytest.fixture(scope="module")
def c() -> Cluster:
    return Cluster(seed=0)


def test_cascade_warning_comes_before_no_resources_found(c: Cluster) -> None:
    out = c.kubectl("delete cm -l nothing=here --cascade=true")
    assert out == CASCADE_TRUE + "No resources found\n"


def test_force_warning_comes_before_no_resources_found(c: Cluster) -> None:
    out = c.kubectl("delete pods --all --force --grace-period=0")
    assert out == FORCE + "No resources found\n"


def test_both_warnings_in_order(c: Cluster) -> None:
    out = c.kubectl("delete cm -l none=x --cascade=true --force --grace-period=0")
    assert out == CASCADE_TRUE + FORCE + "No resources found\n"


def test_force_is_a_pflag_boolean(c: Cluster) -> None:
    c.kubectl("create configmap kept")
    assert c.kubectl("delete cm kept --force=false --grace-period=0 --wait=false") == (
        'configmap "kept" deleted\n'  # --grace-period=0 without --force means 1: no warning
    )
    assert c.kubectl("delete cm x --force=maybe") == (
        'error: invalid argument "maybe" for "--force" flag: strconv.ParseBool: parsing '
        '"maybe": invalid syntax\n'
        "See 'kubectl delete --help' for usage.\n"
    )
