"""The simulated runtime's ImageService (`runtime.v1.ImageService`): a node-local image store.

Pulls succeed for any image but those `catalog.pull_error` rejects, and take
`catalog.pull_seconds` of virtual time (only the registry round trip when the image's layers are
already there). A private registry's images need an `AuthConfig` whose `server_address` is that
registry's host (`catalog.PRIVATE_REGISTRIES`). A node starts with the sandbox image, the pause
container's (`SANDBOX_IMAGE`), as kind's node image preloads it and kubeadm pulls it with the
control plane's images: containerd needs it for every `RunPodSandbox`. Left out: layers, garbage
collection (which never removes the sandbox image: the kubelet pins it), checking the
credentials themselves (any auth for the host is accepted).
"""

from __future__ import annotations

from minik8s.cri import catalog
from minik8s.cri.api import AuthConfig, Image, ImagePullError, ImageSpec, PodSandboxConfig


def auth_host(auth: AuthConfig | None) -> str:
    """The registry host an auth is for (`https://registry.example.com/v1/` → the host)."""
    if auth is None:
        return ""
    server = auth.server_address.split("://", 1)[-1]
    return server.split("/", 1)[0]


# containerd's `sandbox_image` as kubeadm (`constants.PauseVersion`) and kind set it for
# Kubernetes v1.31.
SANDBOX_IMAGE = "registry.k8s.io/pause:3.10"


class SimulatedImageService:
    """Images on one simulated node."""

    def __init__(self) -> None:
        self.images: dict[str, Image] = {}
        self.pull_image(ImageSpec(SANDBOX_IMAGE))  # preloaded

    def pull_image(
        self,
        image: ImageSpec,
        auth: AuthConfig | None = None,
        sandbox_config: PodSandboxConfig | None = None,
    ) -> str:
        """Pull an image into the node's store; `ImagePullError` if the registry has none."""
        failure = catalog.pull_error(image.image, auth_host(auth))
        if failure is not None:
            error = ImagePullError(failure[1])
            error.code = failure[0]
            raise error
        ref = catalog.parse_image(image.image)
        self.images[ref.name] = Image(
            catalog.image_id(image.image),
            [ref.name],
            [catalog.image_ref(image.image)],
            catalog.lookup(image.image).size,
        )
        return catalog.image_ref(image.image)

    def pull_seconds(self, image: ImageSpec) -> float:
        """Virtual seconds a pull of `image` takes (layers already present: the latency only)."""
        if catalog.parse_image(image.image).name in self.images:
            return catalog.PULL_LATENCY / 2
        return catalog.pull_seconds(image.image)

    def image_status(self, image: ImageSpec) -> Image | None:
        """The image if present on the node."""
        return self.images.get(catalog.parse_image(image.image).name)

    def list_images(self, filter: ImageSpec | None = None) -> list[Image]:
        """Images on the node."""
        if filter is not None:
            found = self.image_status(filter)
            return [found] if found else []
        return list(self.images.values())

    def remove_image(self, image: ImageSpec) -> None:
        """Delete an image from the node."""
        self.images.pop(catalog.parse_image(image.image).name, None)
