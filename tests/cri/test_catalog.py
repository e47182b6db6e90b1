"""Image names normalize like docker/distribution; missing images fail like containerd."""

import pytest

from minik8s.cri import catalog


@pytest.mark.parametrize(
    "image, name",
    [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.27", "docker.io/library/nginx:1.27"),
        ("hashicorp/http-echo", "docker.io/hashicorp/http-echo:latest"),
        ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("index.docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"),
    ],
)
def test_parse_image(image, name):
    assert catalog.parse_image(image).name == name


def test_missing_images():
    code, message = catalog.pull_error("nginx:doesnotexist")
    assert code == "NotFound"
    assert message.endswith("docker.io/library/nginx:doesnotexist: not found")
    code, message = catalog.pull_error("registry.invalid/app:v1")
    assert code == "Unknown" and "no such host" in message
    assert catalog.pull_error("nginx:1.27") is None


def test_pull_time_grows_with_size():
    assert catalog.pull_seconds("busybox:1.36") < catalog.pull_seconds("nginx:1.27")
    assert catalog.pull_seconds("nginx:1.27") == 2.44
