"""How pods consume ConfigMaps and Secrets, as upstream v1.31's kubelet does: configmap/secret
volume `MakePayload` (`binaryData` files, `items` naming a missing key), `makeEnvironmentVariables`
(`envFrom` keys taken as they are, `CreateContainerConfigError` messages, `$(VAR)` expansion)."""

import base64

import pytest

import minik8s


def b64(text):
    return base64.b64encode(text.encode()).decode()


def app(volumes=(), mounts=(), env=(), env_from=()):
    container = {"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 36000"]}
    container |= {"env": list(env), "envFrom": list(env_from), "volumeMounts": list(mounts)}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "app"},
        "spec": {"containers": [container], "volumes": list(volumes)},
    }


@pytest.fixture
def cluster():
    c = minik8s.Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"},
             "data": {"color": "blue", "app.properties": "a=1", "1bad": "x"},
             "binaryData": {"logo.bin": b64("PNG")}})  # fmt: skip
    c.apply({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "sec"},
             "data": {"password": b64("s3cret")}})  # fmt: skip
    return c


def waiting(c):
    status = c.get("pods", "app")["status"]["containerStatuses"][0]["state"]
    return status.get("waiting", {})


def test_configmap_volume_projects_binary_data(cluster):
    cluster.apply(app([{"name": "v", "configMap": {"name": "cm"}}],
                      [{"name": "v", "mountPath": "/etc/cm"}]))  # fmt: skip
    cluster.settle()
    assert cluster.kubectl("exec app -- cat /etc/cm/logo.bin") == "PNG"
    assert cluster.kubectl("exec app -- cat /etc/cm/color") == "blue"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"configMap": {"name": "cm", "items": [{"key": "nope", "path": "n"}]}},
         'MountVolume.SetUp failed for volume "v" : configmap references non-existent config '
         "key: nope"),
        ({"secret": {"secretName": "sec", "items": [{"key": "nope", "path": "n"}]}},
         'MountVolume.SetUp failed for volume "v" : references non-existent secret key: nope'),
    ],
)  # fmt: skip
def test_items_naming_a_missing_key_fail_the_mount(cluster, source, message):
    cluster.apply(app([{"name": "v", **source}], [{"name": "v", "mountPath": "/etc/v"}]))
    cluster.settle()
    pod = cluster.get("pods", "app")
    assert pod["status"]["phase"] == "Pending"
    assert message in cluster.kubectl("get events")


def test_optional_items_skip_a_missing_key(cluster):
    items = [{"key": "nope", "path": "n"}, {"key": "color", "path": "c"}]
    source = {"name": "cm", "items": items, "optional": True}
    cluster.apply(app([{"name": "v", "configMap": source}], [{"name": "v", "mountPath": "/etc/v"}]))
    cluster.settle()
    assert cluster.get("pods", "app")["status"]["phase"] == "Running"
    assert cluster.kubectl("exec app -- cat /etc/v/c") == "blue"
    assert "No such file" in cluster.kubectl("exec app -- cat /etc/v/n")


def test_env_from_takes_every_key_as_v1_31_does(cluster):
    """v1.31 no longer skips keys that are not C identifiers (no InvalidEnvironmentVariableNames
    event): `app.properties` and `1bad` reach the container; `binaryData` never does."""
    cluster.apply(app(env_from=[{"configMapRef": {"name": "cm"}}, {"secretRef": {"name": "sec"},
                                                                  "prefix": "S_"}]))  # fmt: skip
    cluster.settle()
    assert cluster.get("pods", "app")["status"]["phase"] == "Running"
    assert cluster.kubectl("exec app -- printenv app.properties") == "a=1\n"
    assert cluster.kubectl("exec app -- printenv 1bad") == "x\n"
    assert cluster.kubectl("exec app -- printenv S_password") == "s3cret\n"
    assert "logo.bin" not in cluster.kubectl("exec app -- env")
    assert "InvalidEnvironmentVariableNames" not in cluster.kubectl("get events")


@pytest.mark.parametrize(
    ("env", "env_from", "message"),
    [
        ([], [{"configMapRef": {"name": "gone"}}], 'configmap "gone" not found'),
        ([], [{"secretRef": {"name": "gone"}}], 'secret "gone" not found'),
        ([{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k"}}}], [],
         "couldn't find key k in ConfigMap default/cm"),
        ([{"name": "A", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "k"}}}], [],
         "couldn't find key k in Secret default/sec"),
        ([{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "logo.bin"}}}], [],
         "couldn't find key logo.bin in ConfigMap default/cm"),
    ],
)  # fmt: skip
def test_create_container_config_errors(cluster, env, env_from, message):
    cluster.apply(app(env=env, env_from=env_from))
    cluster.settle()
    assert waiting(cluster) == {"reason": "CreateContainerConfigError", "message": message}
    assert f"Error: {message}" in cluster.kubectl("get events")


def test_optional_refs_are_skipped(cluster):
    env = [
        {"name": "A", "valueFrom": {"configMapKeyRef": {"name": "gone", "key": "k",
                                                         "optional": True}}},
        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "k",
                                                      "optional": True}}},
        {"name": "C", "value": "[$(A)][$(color)][$$(color)]"},
    ]  # fmt: skip
    cluster.apply(app(env=env, env_from=[{"configMapRef": {"name": "gone", "optional": True}},
                                         {"configMapRef": {"name": "cm"}}]))  # fmt: skip
    cluster.settle()
    assert cluster.get("pods", "app")["status"]["phase"] == "Running"
    assert cluster.kubectl("exec app -- printenv C") == "[$(A)][blue][$(color)]\n"
    assert "A=" not in cluster.kubectl("exec app -- env").replace("_A=", "")


def resource_env(name, resource, divisor=None, container=None):
    ref = {"resource": resource}
    if divisor:
        ref["divisor"] = divisor
    if container:
        ref["containerName"] = container
    return {"name": name, "valueFrom": {"resourceFieldRef": ref}}


def test_resource_field_ref_env(cluster):
    """`ExtractContainerResourceValue`: values rounded up to the divisor; unset limits are the
    node's allocatable (`defaultPodLimitsForDownwardAPI`: cpu 4, memory 16284Mi here)."""
    pod = app(env=[
        resource_env("CPU_REQ", "requests.cpu", "1m"),
        resource_env("CPU_LIM", "limits.cpu"),
        resource_env("MEM_LIM", "limits.memory", "1Mi"),
        resource_env("MEM_REQ", "requests.memory"),
        resource_env("NODE_CPU", "limits.cpu", container="side"),
        resource_env("NODE_MEM", "limits.memory", "1Mi", container="side"),
    ])  # fmt: skip
    pod["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": "250m", "memory": "100M"},
        "limits": {"cpu": "1500m", "memory": "129Mi"},
    }
    pod["spec"]["containers"].append({"name": "side", "image": "busybox:1.36"})
    cluster.apply(pod)
    cluster.settle()
    env = cluster.kubectl("exec app -c app -- env")
    for line in ("CPU_REQ=250", "CPU_LIM=2", "MEM_LIM=129", "MEM_REQ=100000000",
                 "NODE_CPU=4", "NODE_MEM=16284"):  # fmt: skip
        assert f"{line}\n" in env


def test_downward_api_volume(cluster):
    pod = app(
        [{"name": "info", "downwardAPI": {"items": [
            {"path": "notes", "fieldRef": {"fieldPath": "metadata.annotations"}},
            {"path": "mem", "resourceFieldRef": {"containerName": "app",
                                                 "resource": "limits.memory", "divisor": "1Mi"}},
        ]}}],
        [{"name": "info", "mountPath": "/etc/info"}],
    )  # fmt: skip
    pod["metadata"]["annotations"] = {"zone": "eu", "note": 'say "hi"\n'}
    cluster.apply(pod)
    cluster.settle()
    notes = cluster.kubectl("exec app -- cat /etc/info/notes")
    assert notes.endswith('\nnote="say \\"hi\\"\\n"\nzone="eu"')
    assert cluster.kubectl("exec app -- cat /etc/info/mem") == "16284"


def test_projected_volume_aggregates_its_sources_errors(cluster):
    sources = [
        {"configMap": {"name": "gone"}},
        {"secret": {"name": "sec", "items": [{"key": "nope", "path": "n"}]}},
        {"configMap": {"name": "cm", "items": [{"key": "color", "path": "c"}]}},
    ]
    cluster.apply(app([{"name": "all", "projected": {"sources": sources}}],
                      [{"name": "all", "mountPath": "/etc/all"}]))  # fmt: skip
    cluster.settle()
    assert cluster.get("pods", "app")["status"]["phase"] == "Pending"
    assert (
        'MountVolume.SetUp failed for volume "all" : [configmap "gone" not found, references '
        "non-existent secret key: nope]"
    ) in cluster.kubectl("get events -o custom-columns=M:.message")
    cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "gone"},
                   "data": {"g": "1"}})  # fmt: skip
    cluster.apply({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "sec"},
                   "stringData": {"nope": "found"}})  # fmt: skip
    cluster.run(30)
    assert cluster.get("pods", "app")["status"]["phase"] == "Running"
    assert cluster.kubectl("exec app -- cat /etc/all/n") == "found"
    assert cluster.kubectl("exec app -- cat /etc/all/g") == "1"
