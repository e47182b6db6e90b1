"""What simulated images are: a small catalog of well-known images and image-name parsing.

Image names follow the distribution reference grammar (`docker/distribution/reference`
`ParseNormalizedNamed`): `nginx` is `docker.io/library/nginx:latest`. Each catalog entry gives
the image's ENTRYPOINT and CMD (as its image config does), its compressed size (which sets the
simulated pull time) and its behaviour: a web server (`nginx`, `httpd`, `http-echo`, `agnhost`),
a `shell` image (busybox, alpine: exits at once without a command) or a `server` that runs until
stopped. Images not in the catalog run until stopped. Images that cannot exist (tag
`doesnotexist`, an unknown registry) fail to pull, as the registry would say. Images under a
private registry (`PRIVATE_REGISTRIES`: `registry.example.com/...`) pull only with an auth for
that registry (from the pod's `imagePullSecrets`); without one the registry denies access.
Left out: manifests lists/platforms, real digests (they are sha256 of the name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

DEFAULT_DOMAIN = "docker.io"
KNOWN_REGISTRIES = {
    "docker.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "quay.io",
    "ghcr.io",
    "mcr.microsoft.com",
    "public.ecr.aws",
    "registry.gitlab.com",
}
PRIVATE_REGISTRIES = {"registry.example.com"}  # pulls need credentials for the host
KNOWN_REGISTRIES |= PRIVATE_REGISTRIES
MISSING_TAGS = {"doesnotexist", "does-not-exist", "nonexistent", "notfound"}
PULL_BANDWIDTH = 50_000_000  # bytes per virtual second
PULL_LATENCY = 1.0  # seconds per pull before the first byte


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference."""

    domain: str
    path: str
    tag: str
    digest: str = ""

    @property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}"

    @property
    def name(self) -> str:
        """The fully qualified name, as containerd reports it (`docker.io/library/nginx:1.27`)."""
        return self.repository + (f"@{self.digest}" if self.digest else f":{self.tag}")

    @property
    def short(self) -> str:
        """The catalog key: the path without `library/` for Docker Hub."""
        if self.domain == DEFAULT_DOMAIN and self.path.startswith("library/"):
            return self.path[len("library/") :]
        return self.path if self.domain == DEFAULT_DOMAIN else self.repository


@lru_cache(maxsize=4096)  # pure, and a node asks for the same few names on every pod
def parse_image(image: str) -> ImageRef:
    """Normalize an image name like `ParseNormalizedNamed` + `TagNameOnly`."""
    rest, _, digest = image.partition("@")
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, remainder
    else:
        domain, path = DEFAULT_DOMAIN, rest
    if domain == "index.docker.io":
        domain = DEFAULT_DOMAIN
    name, colon, tag = path.rpartition(":")
    if not colon or "/" in tag:
        name, tag = path, "latest"
    if domain == DEFAULT_DOMAIN and "/" not in name:
        name = f"library/{name}"
    return ImageRef(domain, name, tag, digest)


@dataclass(frozen=True)
class ImageEntry:
    """One image's config and behaviour."""

    behaviour: str  # nginx | httpd | http-echo | agnhost | shell | server
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    size: int = 50_000_000
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"


PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CATALOG: dict[str, ImageEntry] = {
    "nginx": ImageEntry(
        "nginx",
        ["/docker-entrypoint.sh"],
        ["nginx", "-g", "daemon off;"],
        72_000_000,
        {"NGINX_VERSION": "1.27.3"},
    ),
    "httpd": ImageEntry("httpd", [], ["httpd-foreground"], 58_000_000, {}, "/usr/local/apache2"),
    "hashicorp/http-echo": ImageEntry("http-echo", ["/http-echo"], [], 4_000_000),
    "registry.k8s.io/e2e-test-images/agnhost": ImageEntry(
        "agnhost", ["/agnhost"], ["pause"], 60_000_000
    ),
    "busybox": ImageEntry("shell", [], ["sh"], 2_200_000),
    "alpine": ImageEntry("shell", [], ["/bin/sh"], 3_600_000),
    "ubuntu": ImageEntry("shell", [], ["/bin/bash"], 29_000_000),
    "debian": ImageEntry("shell", [], ["bash"], 49_000_000),
    "registry.k8s.io/pause": ImageEntry("server", ["/pause"], [], 320_000),
    "redis": ImageEntry("server", ["docker-entrypoint.sh"], ["redis-server"], 45_000_000),
    "postgres": ImageEntry("server", ["docker-entrypoint.sh"], ["postgres"], 150_000_000),
    "mysql": ImageEntry("server", ["docker-entrypoint.sh"], ["mysqld"], 170_000_000),
    "python": ImageEntry("shell", [], ["python3"], 380_000_000),
    "perl": ImageEntry("shell", [], ["perl"], 330_000_000),
}
UNKNOWN = ImageEntry("server")


def lookup(image: str) -> ImageEntry:
    """The catalog entry for `image` (any tag), or a generic run-until-stopped image."""
    return CATALOG.get(parse_image(image).short, UNKNOWN)


@lru_cache(maxsize=4096)
def image_id(image: str) -> str:
    """A deterministic `sha256:` image id."""
    ref = parse_image(image)
    return "sha256:" + hashlib.sha256(f"{ref.repository}:{ref.tag}".encode()).hexdigest()


@lru_cache(maxsize=4096)
def image_ref(image: str) -> str:
    """The repo digest a pull returns (`docker.io/library/nginx@sha256:…`)."""
    ref = parse_image(image)
    digest = ref.digest or "sha256:" + hashlib.sha256(ref.name.encode()).hexdigest()
    return f"{ref.repository}@{digest}"


def pull_error(image: str, auth_server: str = "") -> tuple[str, str] | None:
    """(gRPC code, containerd's message) when `image` cannot be pulled, else None.

    `auth_server` is the registry host the pull has credentials for ("" for none).
    """
    ref = parse_image(image)
    what = f'failed to pull and unpack image "{ref.name}": failed to resolve reference "{ref.name}"'
    if ref.domain not in KNOWN_REGISTRIES and not ref.domain.startswith("localhost"):
        url = f"https://{ref.domain}/v2/{ref.path}/manifests/{ref.tag}"
        host = ref.domain.split(":")[0]
        return "Unknown", (
            f'{what}: failed to do request: Head "{url}": dial tcp: lookup {host}: no such host'
        )
    if ref.domain in PRIVATE_REGISTRIES and auth_server != ref.domain:
        return "Unknown", (
            f"{what}: pull access denied, repository does not exist or may require authorization:"
            " server message: insufficient_scope: authorization failed"
        )
    if ref.tag in MISSING_TAGS or any(word in ref.path for word in MISSING_TAGS):
        return "NotFound", f"{what}: {ref.name}: not found"
    return None


def pull_seconds(image: str) -> float:
    """How long pulling `image` takes: a fixed latency plus its size over the bandwidth."""
    return round(PULL_LATENCY + lookup(image).size / PULL_BANDWIDTH, 3)


def version_of(image: str, default: str) -> str:
    """The version in the image's tag (`nginx:1.25.3` → `1.25.3`), else `default`."""
    tag = parse_image(image).tag
    return tag.split("-")[0] if tag[:1].isdigit() and tag.count(".") == 2 else default
