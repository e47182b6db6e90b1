"""`SetDefaults_ResourceList` (quantities rounded up to milli precision), with rows ported from
upstream `pkg/apis/core/v1/defaults_test.go` (`TestSetMinimumScalePod`,
`TestSetDefaultRequestsPod`, `TestDefaultRequestIsNotSetForReplicationController`,
`TestSetDefaultServiceLoadbalancerIPMode`), and the image tag the pull-policy default reads."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.defaults import apply_defaults, apply_status_defaults
from minik8s.api.defaults.image import image_tag
from minik8s.api.defaults.resources import rounded_resource_list
from minik8s.api.quantity import parse_quantity

Obj = dict[str, Any]


def pod(resources: Obj, init: bool = False) -> Obj:
    container = {"name": "c", "image": "busybox:1.36", "resources": resources}
    spec: Obj = {"containers": [container]}
    if init:
        spec["initContainers"] = [{**container, "name": "i"}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def test_set_minimum_scale_pod() -> None:
    """TestSetMinimumScalePod: 1n is rounded up to 1m; the request copied from a 2n limit too."""
    out = apply_defaults(pod({"requests": {"memory": "1n"}, "limits": {"cpu": "2n"}}))
    resources = out["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"memory": "1m", "cpu": "1m"}, "limits": {"cpu": "1m"}}


def test_set_default_requests_pod() -> None:
    """TestSetDefaultRequestsPod: requests default to limits, an explicit 0 request is kept."""
    limits = {"cpu": "100m", "memory": "1Gi"}
    out = apply_defaults(pod({"requests": {"memory": "0"}, "limits": limits}, init=True))
    for kind in ("containers", "initContainers"):
        requests = out["spec"][kind][0]["resources"]["requests"]
        assert requests == {"memory": "0", "cpu": "100m"}
    bare = apply_defaults(pod({}, init=True))
    assert bare["spec"]["containers"][0]["resources"] == {}


def test_default_request_is_not_set_for_templates() -> None:
    """TestDefaultRequestIsNotSetForReplicationController (here a Deployment's template); its
    lists are still rounded."""
    template = {
        "metadata": {"labels": {"a": "b"}},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "x:1",
                    "resources": {"limits": {"cpu": "100m", "memory": "1u"}},
                }
            ]
        },
    }
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": template},
    }
    resources = apply_defaults(deploy)["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources == {"limits": {"cpu": "100m", "memory": "1m"}}


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [("100u", "1m"), ("1500u", "2m"), ("0.0001", "1m"), ("1.5Gi", "1.5Gi"), ("250m", "250m")],
)
def test_only_sub_milli_quantities_change(given_value: str, expected: str) -> None:
    rounded = rounded_resource_list({"cpu": given_value})
    assert (rounded or {"cpu": given_value})["cpu"] == expected


def test_pv_pvc_and_overhead_lists_are_rounded() -> None:
    pv = apply_defaults(
        {
            "kind": "PersistentVolume",
            "metadata": {"name": "v"},
            "spec": {"capacity": {"storage": "1n"}},
        }
    )
    assert pv["spec"]["capacity"] == {"storage": "1m"}
    pvc = apply_defaults(
        {
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "c"},
            "spec": {"resources": {"requests": {"storage": "5u"}, "limits": {"storage": "1Gi"}}},
        }
    )
    assert pvc["spec"]["resources"] == {"requests": {"storage": "1m"}, "limits": {"storage": "1Gi"}}
    p = pod({})
    p["spec"]["overhead"] = {"cpu": "10u"}
    assert apply_defaults(p)["spec"]["overhead"] == {"cpu": "1m"}


def test_node_status_lists_are_rounded_copy_on_write() -> None:
    capacity = {"cpu": "2", "memory": "7u"}
    node = {"kind": "Node", "metadata": {"name": "n"}, "status": {"capacity": capacity}}
    apply_status_defaults(node)
    assert node["status"]["capacity"] == {"cpu": "2", "memory": "1m"}
    assert node["status"]["allocatable"] == {"cpu": "2", "memory": "1m"}
    assert capacity == {"cpu": "2", "memory": "7u"}


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["n", "u", "m", "", "k"]))
def test_rounding_is_the_least_milli_multiple_not_below(mantissa: int, suffix: str) -> None:
    text = f"{mantissa}{suffix}"
    rounded = (rounded_resource_list({"x": text}) or {"x": text})["x"]
    before, after = parse_quantity(text).as_decimal(), parse_quantity(rounded).as_decimal()
    assert after >= before
    assert after - before < parse_quantity("1m").as_decimal()
    assert (after * 1000) == (after * 1000).to_integral_value()


# TestSetDefaultServiceLoadbalancerIPMode (the gate is on in 1.31)
def lb_service(ingress: list[Obj], type_: str = "LoadBalancer") -> Obj:
    return {
        "kind": "Service",
        "metadata": {"name": "s"},
        "spec": {"type": type_, "ports": [{"port": 80}]},
        "status": {"loadBalancer": {"ingress": ingress}},
    }


@pytest.mark.parametrize(
    ("ingress", "expected_modes"),
    [
        ([{"ip": "1.2.3.4"}], ["VIP"]),
        ([{"ip": "1.2.3.4", "ipMode": "Proxy"}], ["Proxy"]),
        ([{"hostname": "lb.example.com"}], [None]),
    ],
)
def test_set_default_service_load_balancer_ip_mode(
    ingress: list[Obj], expected_modes: list
) -> None:
    out = apply_defaults(lb_service(ingress))
    assert [p.get("ipMode") for p in out["status"]["loadBalancer"]["ingress"]] == expected_modes


def test_ip_mode_is_not_defaulted_off_load_balancers() -> None:
    out = apply_defaults(lb_service([{"ip": "1.2.3.4"}], type_="NodePort"))
    assert out["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4"}]


# kubelet `parsers.ParseImageName`: a reference that does not parse has no tag
@pytest.mark.parametrize(
    ("image", "tag"),
    [
        ("nginx", "latest"),
        ("nginx:1.25", "1.25"),
        ("localhost:5000/team/app", "latest"),
        ("nginx@sha256:" + "a" * 64, ""),
        ("nginx:latest@sha256:" + "a" * 64, "latest"),
        ("NGINX", ""),  # "repository name must be lowercase"
        ("MyRegistry.io/app", "latest"),  # (a domain may have capitals)
        ("nginx@sha256:abc", ""),  # a digest of the wrong length
        ("a" * 64, ""),  # "cannot specify 64-byte hexadecimal strings"
        ("nginx:bad tag", ""),
        ("", ""),
    ],
)
def test_image_tag_follows_the_reference_grammar(image: str, tag: str) -> None:
    assert image_tag(image) == tag


def test_unparsable_image_pulls_if_not_present() -> None:
    out = apply_defaults(pod({}))
    assert out["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"  # busybox:1.36
    upper = pod({})
    upper["spec"]["containers"][0]["image"] = "BusyBox"
    assert apply_defaults(upper)["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
