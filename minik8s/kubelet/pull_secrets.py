"""The credentials for an image pull, mirroring `getPullSecretsForPod` in
`pkg/kubelet/kubelet_pods.go` and the keyring of `pkg/credentialprovider` (`.dockerconfigjson`
`auths` entries matched by registry host).

A missing pull secret is the `FailedToRetrieveImagePullSecret` warning, and the pull goes on
without it. Left out: `.dockercfg` secrets, path-prefix and wildcard matching, trying every
matching credential in turn, credential provider plugins.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import AuthConfig
from minik8s.cri.catalog import parse_image
from minik8s.kubelet.object_manager import NotRegistered
from minik8s.kubelet.sources import get_source, source_data

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.kubelet.object_manager import ObjectManagers

Obj = dict[str, Any]
DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson"


DEFAULT_REGISTRY_HOST = "index.docker.io"  # credentialprovider `defaultRegistryHost`


def registry_host(server: str) -> str:
    """The host of an `auths` key (`https://registry.example.com/v1/` → `registry.example.com`);
    Docker Hub's `index.docker.io` is the `docker.io` of image names (`isDefaultRegistryMatch`)."""
    host = server.split("://", 1)[-1].split("/", 1)[0]
    return "docker.io" if host == DEFAULT_REGISTRY_HOST else host


def _auths(secret: Obj) -> dict[str, Obj]:
    if secret.get("type") != DOCKER_CONFIG_JSON:
        return {}
    try:
        config = json.loads(source_data("secret", secret).get(".dockerconfigjson", "{}"))
    except ValueError:
        return {}
    auths = config.get("auths") if isinstance(config, dict) else None
    return auths if isinstance(auths, dict) else {}


def pull_auth(
    client: Client, pod: Obj, image: str, objects: ObjectManagers | None = None
) -> tuple[AuthConfig | None, list[str]]:
    """The auth for pulling `image` from the pod's `imagePullSecrets`, and the secrets missing
    (any error of the secret manager, `objects`; GETs without it)."""
    namespace = pod["metadata"]["namespace"]
    domain = parse_image(image).domain
    found: AuthConfig | None = None
    missing = []
    for ref in pod.get("spec", {}).get("imagePullSecrets") or []:
        try:
            secret = get_source(client, "secret", ref.get("name", ""), namespace, objects)
        except NotRegistered:
            secret = None
        if secret is None:
            missing.append(ref.get("name", ""))
            continue
        for server, entry in _auths(secret).items():
            if found is None and registry_host(server) == domain and isinstance(entry, dict):
                found = AuthConfig(
                    str(entry.get("username", "")),
                    str(entry.get("password", "")),
                    str(entry.get("auth", "")),
                    server,
                )
    return found, missing


def missing_message(missing: list[str]) -> str:
    """The `FailedToRetrieveImagePullSecret` event message."""
    names = ", ".join(missing)
    return (
        f"Unable to retrieve some image pull secrets ({names}); "
        "attempting to pull the image may not succeed."
    )
