"""`imagePullSecrets` checked by the simulated pull (upstream `getPullSecretsForPod`, the
credential keyring, containerd's "pull access denied")."""

import base64
import json

import minik8s
from minik8s.cri.api import AuthConfig, ImageSpec
from minik8s.cri.catalog import pull_error
from minik8s.kubelet.pull_secrets import registry_host

IMAGE = "registry.example.com/team/app:1.0"
DENIED = (
    'Failed to pull image "registry.example.com/team/app:1.0": rpc error: code = Unknown desc = '
    'failed to pull and unpack image "registry.example.com/team/app:1.0": failed to resolve '
    'reference "registry.example.com/team/app:1.0": pull access denied, repository does not '
    "exist or may require authorization: server message: insufficient_scope: "
    "authorization failed"
)


def pull_secret(name="regcred", server="registry.example.com"):
    config = {"auths": {server: {"username": "dev", "password": "hunter2", "auth": "ZGV2Omh1"}}}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "type": "kubernetes.io/dockerconfigjson",
        "data": {".dockerconfigjson": base64.b64encode(json.dumps(config).encode()).decode()},
    }


def pod(secrets=None, image=IMAGE):
    spec = {"containers": [{"name": "app", "image": image}]}
    if secrets is not None:
        spec["imagePullSecrets"] = [{"name": s} for s in secrets]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"}, "spec": spec}


def events(c):
    return [(e["reason"], e["message"]) for e in c.get("events")]


def waiting(c):
    return c.get("pod", "app")["status"]["containerStatuses"][0]["state"].get("waiting", {})


def test_private_image_without_secret_fails():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(pod())
    c.run(3)
    assert ("Failed", DENIED) in events(c)
    assert ("Failed", "Error: ErrImagePull") in events(c)
    assert waiting(c)["reason"] == "ErrImagePull"
    c.run(10)  # the pod worker's retry (10 s) writes the back-off its last sync ran into
    assert waiting(c)["reason"] == "ImagePullBackOff"
    assert ("Failed", "Error: ImagePullBackOff") in events(c)
    assert c.get("pod", "app")["status"]["phase"] == "Pending"


def test_private_image_with_secret_runs():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(pull_secret())
    c.apply(pod(["regcred"]))
    c.settle()
    status = c.get("pod", "app")["status"]
    assert status["phase"] == "Running"
    assert not [e for e in events(c) if e[0] == "Failed"]
    assert all("hunter2" not in message for _, message in events(c))


def test_secret_for_another_registry_is_denied():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(pull_secret(server="https://index.docker.io/v1/"))
    c.apply(pod(["regcred"]))
    c.run(3)
    assert ("Failed", DENIED) in events(c)


def test_missing_pull_secret_warns_and_fails():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(pod(["nope"]))
    c.run(3)
    message = (
        "Unable to retrieve some image pull secrets (nope); "
        "attempting to pull the image may not succeed."
    )
    assert ("FailedToRetrieveImagePullSecret", message) in events(c)
    assert ("Failed", DENIED) in events(c)


def test_public_images_need_no_secret():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply(pod(image="nginx:1.27"))
    c.settle()
    assert c.get("pod", "app")["status"]["phase"] == "Running"


def test_catalog_and_auth_hosts():
    assert pull_error(IMAGE) is not None
    assert pull_error(IMAGE, "registry.example.com") is None
    assert pull_error("nginx:1.27") is None
    assert registry_host("https://registry.example.com/v1/") == "registry.example.com"
    assert "hunter2" not in repr(AuthConfig("dev", "hunter2", "x", "registry.example.com"))
    assert ImageSpec(IMAGE).image == IMAGE


def test_docker_hub_credentials_match_docker_io_images():
    """`kubectl create secret docker-registry` defaults to `https://index.docker.io/v1/`, the
    keyring's `defaultRegistryHost`, which serves every Docker Hub image name."""
    from minik8s.kubelet.pull_secrets import pull_auth

    c = minik8s.Cluster(nodes=1, seed=0)
    c.kubectl("create secret docker-registry hub --docker-username=u --docker-password=p")
    spec = pod(["hub"], image="myuser/private:1")
    spec["metadata"]["namespace"] = "default"
    auth, missing = pull_auth(c.client, spec, "myuser/private:1")
    assert missing == [] and auth is not None and auth.username == "u"
    assert registry_host("https://index.docker.io/v1/") == "docker.io"
    assert pull_auth(c.client, spec, "registry.example.com/team/app:1.0")[0] is None
