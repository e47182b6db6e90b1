"""NodeResourcesFit Filter, after upstream's fit_test.go (`TestEnoughRequests`)."""
# ruff: noqa: E501  (upstream test tables, one case per line)

import pytest

from minik8s.scheduler.framework import Code, CycleState
from minik8s.scheduler.plugins.noderesources.fit import Fit
from minik8s.scheduler.types import PodInfo, is_extended_resource_name, is_scalar_resource_name
from tests.scheduler.builders import infos, node, pod

EXT_A = "example.com/aaa"
EXT_B = "example.com/bbb"
K8S_IO_A = "kubernetes.io/something"
K8S_IO_B = "subdomain.kubernetes.io/something"


def fit_status(incoming, existing, allocatable):
    nodes = infos(
        [node("machine1", allocatable)],
        [dict(p, spec={**p["spec"], "nodeName": "machine1"}) for p in existing],
    )
    return Fit({}).filter(CycleState(), PodInfo(incoming), nodes[0])


ALLOC = {"cpu": "10m", "memory": "20", "pods": "32", EXT_A: "5"}


@pytest.mark.parametrize(
    "name,incoming,existing,reasons,code",
    [
        ("no resources requested always fits", pod({}), [pod({"cpu": "10m", "memory": "20"})], [], None),
        ("too many resources fails", pod({"cpu": "1m", "memory": "1"}), [pod({"cpu": "10m", "memory": "20"})],
         ["Insufficient cpu", "Insufficient memory"], Code.Unschedulable),
        ("too many resources fails due to init container cpu", pod({"cpu": "1m", "memory": "1"}, initContainers=[
            {"name": "i", "image": "x", "resources": {"requests": {"cpu": "3m", "memory": "1"}}}]),
         [pod({"cpu": "8m", "memory": "19"})], ["Insufficient cpu"], Code.Unschedulable),
        ("init container max, not sum", pod({"cpu": "1m", "memory": "1"}, initContainers=[
            {"name": "i", "image": "x", "resources": {"requests": {"cpu": "2m", "memory": "1"}}},
            {"name": "j", "image": "x", "resources": {"requests": {"cpu": "2m", "memory": "1"}}}]),
         [pod({"cpu": "8m", "memory": "19"})], [], None),
        ("too many resources fails due to highest init container memory", pod({"cpu": "1m", "memory": "1"}, initContainers=[
            {"name": "i", "image": "x", "resources": {"requests": {"cpu": "1m", "memory": "3"}}}]),
         [pod({"cpu": "9m", "memory": "19"})], ["Insufficient memory"], Code.Unschedulable),
        ("both resources fit", pod({"cpu": "1m", "memory": "1"}), [pod({"cpu": "5m", "memory": "5"})], [], None),
        ("one resource memory fits", pod({"cpu": "2m", "memory": "1"}), [pod({"cpu": "9m", "memory": "5"})],
         ["Insufficient cpu"], Code.Unschedulable),
        ("equal edge case", pod({"cpu": "5m", "memory": "4"}), [pod({"cpu": "5m", "memory": "16"})], [], None),
        ("extended resource fits", pod({EXT_A: "1"}), [pod({})], [], None),
        ("extended resource capacity enforced", pod({EXT_A: "10"}), [pod({})],
         [f"Insufficient {EXT_A}"], Code.UnschedulableAndUnresolvable),
        ("extended resource allocatable enforced", pod({EXT_A: "1"}), [pod({EXT_A: "5"})],
         [f"Insufficient {EXT_A}"], Code.Unschedulable),
        ("request above allocatable is unresolvable", pod({"cpu": "11m"}), [], ["Insufficient cpu"],
         Code.UnschedulableAndUnresolvable),
        ("overhead counts", pod({"cpu": "1m", "memory": "1"}, overhead={"cpu": "3m"}), [pod({"cpu": "8m", "memory": "10"})],
         ["Insufficient cpu"], Code.Unschedulable),
        ("kubernetes.io resource capacity enforced", pod({"cpu": "1m", "memory": "1", K8S_IO_A: "10"}), [pod({})],
         [f"Insufficient {K8S_IO_A}"], Code.UnschedulableAndUnresolvable),
        ("kubernetes.io resource capacity enforced for init container", pod({}, initContainers=[
            {"name": "i", "image": "x", "resources": {"requests": {"cpu": "1m", "memory": "1", K8S_IO_B: "10"}}}]),
         [pod({})], [f"Insufficient {K8S_IO_B}"], Code.UnschedulableAndUnresolvable),
    ],
)  # fmt: skip
def test_enough_requests(name, incoming, existing, reasons, code):
    status = fit_status(incoming, existing, ALLOC)
    if not reasons:
        assert status is None
    else:
        assert status.reasons == reasons
        assert status.code == code


def test_too_many_pods():
    status = fit_status(
        pod({"cpu": "1m"}), [pod({}), pod({})], {"cpu": "10m", "memory": "20", "pods": "2"}
    )
    assert status.reasons == ["Too many pods"]
    assert status.code == Code.Unschedulable
    status = fit_status(pod({"cpu": "20m"}), [pod({})], {"cpu": "10m", "memory": "20", "pods": "1"})
    assert status.reasons == ["Too many pods", "Insufficient cpu"]


def test_ignored_resources():
    plugin = Fit({"ignoredResources": [EXT_A]})
    nodes = infos([node("m", ALLOC)])
    assert plugin.filter(CycleState(), PodInfo(pod({EXT_A: "10"})), nodes[0]) is None


@pytest.mark.parametrize(
    "name,args,requests,reasons",
    [
        ("skip checking ignored extended resource", {"ignoredResources": [EXT_B]},
         {"cpu": "1m", "memory": "1", EXT_B: "1"}, []),
        ("skip checking ignored extended resource via resource groups", {"ignoredResourceGroups": ["example.com"]},
         {"cpu": "1m", "memory": "1", EXT_B: "1", K8S_IO_A: "1"}, [f"Insufficient {K8S_IO_A}"]),
        # ignoredResources are exact names: a domain there ignores nothing (fitsRequest)
        ("a group name in ignoredResources ignores nothing", {"ignoredResources": ["example.com"]},
         {"cpu": "1m", "memory": "1", EXT_B: "1"}, [f"Insufficient {EXT_B}"]),
        # only extended resources can be ignored, kubernetes.io/ ones never
        ("kubernetes.io resources are never ignored", {"ignoredResources": [K8S_IO_A], "ignoredResourceGroups": ["kubernetes.io"]},
         {K8S_IO_A: "1"}, [f"Insufficient {K8S_IO_A}"]),
    ],
)  # fmt: skip
def test_ignored_resources_and_groups(name, args, requests, reasons):
    """upstream fit_test.go rows with `NodeResourcesFitArgs` (node without the resources)."""
    target = infos([node("m", {"cpu": "10m", "memory": "20", "pods": "32"})])[0]
    status = Fit(args).filter(CycleState(), PodInfo(pod(requests)), target)
    assert (status.reasons if status else []) == reasons


def test_ignored_resource_group_with_a_slash_is_invalid():
    with pytest.raises(ValueError) as err:
        Fit({"ignoredResourceGroups": ["example.com/foo"]})
    assert str(err.value) == (
        'ignoredResourceGroups[0]: Invalid value: "example.com/foo": '
        "resource group name can't contain '/'"
    )


@pytest.mark.parametrize(
    "name,scalar,extended",
    [
        ("cpu", False, False), ("pods", False, False), ("hugepages-2Mi", True, False),
        ("attachable-volumes-csi-x", True, False), ("example.com/aaa", True, True),
        (K8S_IO_A, True, False), (K8S_IO_B, True, False), ("requests.example.com/x", False, False),
    ],
)  # fmt: skip
def test_scalar_and_extended_resource_names(name, scalar, extended):
    """v1helper `IsScalarResourceName` / `IsExtendedResourceName`."""
    assert is_scalar_resource_name(name) is scalar
    assert is_extended_resource_name(name) is extended
