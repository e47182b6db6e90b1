"""The simulated ImageService's private registry (`catalog.PRIVATE_REGISTRIES`)."""

import pytest

from minik8s.cri.api import AuthConfig, CRIError, ImageSpec
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.sim import EventLoop

IMAGE = ImageSpec("registry.example.com/team/app:1.0")


@pytest.fixture
def rt():
    return SimulatedRuntime(EventLoop(), "node-1")


def test_pull_without_auth_is_denied(rt):
    with pytest.raises(CRIError) as err:
        rt.pull_image(IMAGE)
    assert "pull access denied" in err.value.message
    assert err.value.code == "Unknown"
    assert rt.image_status(IMAGE) is None


def test_pull_with_auth_for_another_host_is_denied(rt):
    with pytest.raises(CRIError):
        rt.pull_image(IMAGE, AuthConfig("u", "p", "", "https://index.docker.io/v1/"))


@pytest.mark.parametrize("server", ["registry.example.com", "https://registry.example.com/v2/"])
def test_pull_with_auth_succeeds(rt, server):
    ref = rt.pull_image(IMAGE, AuthConfig("u", "p", "", server))
    assert ref.startswith("registry.example.com/team/app@sha256:")
    assert rt.image_status(IMAGE) is not None
