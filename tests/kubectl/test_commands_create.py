"""Imperative creation: `create deployment|configmap|secret generic`, `run`, `expose`, worded
like upstream (`create_deployment.go`, `create_configmap.go`, `create_secret.go`, `run.go`,
`expose.go`, `generate/versioned/{run,service}.go`)."""

import base64

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.kubectl import generators as gen
from minik8s.kubectl.polymorphic import make_labels, map_based_selector, ports_and_protocols


@pytest.mark.parametrize(
    ("image", "name"),
    [
        ("nginx", "nginx"),
        ("nginx:1.27", "nginx"),
        ("registry.k8s.io/pause:3.9", "pause"),
        ("docker.io/library/busybox@sha256:abcd", "busybox"),
        ("localhost:5000/team/api:v2", "api"),
    ],
)
def test_container_name_from_image(image, name):
    assert gen.container_name(image) == name


def test_sanitized_container_name_gets_a_deterministic_suffix():
    name = gen.container_name("my_app.v2:1")
    assert name.startswith("my-app-v2-") and len(name) == len("my-app-v2-") + 5
    assert name == gen.container_name("my_app.v2:1")


def test_deployment_generator():
    obj = gen.deployment("web", ["nginx:1.27", "busybox"], 3, 80, [])
    assert obj["metadata"] == {"name": "web", "labels": {"app": "web"}}
    assert obj["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert obj["spec"]["replicas"] == 3
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["nginx", "busybox"]
    assert containers[0]["ports"] == [{"containerPort": 80}] and "ports" not in containers[1]


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("", "no label spec passed"),
        ("a", "unexpected label spec: a"),
        ("a=b=c", "unexpected label spec: a=b=c"),
        ("=b", "unexpected empty label key"),
    ],
)
def test_parse_labels_errors(spec, error):
    with pytest.raises(ValueError) as err:
        gen.parse_labels(spec)
    assert str(err.value) == error


@given(st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True),
                       st.from_regex(r"[a-z0-9]{0,5}", fullmatch=True), min_size=1))  # fmt: skip
def test_make_labels_round_trips(labels):
    assert gen.parse_labels(make_labels(labels)) == labels


def test_literal_sources():
    assert gen.parse_literal_source("k=v=w") == ("k", "v=w")
    assert gen.parse_literal_source("k='quoted'") == ("k", "quoted")
    for bad in ("=v", "novalue"):
        with pytest.raises(ValueError, match=f"invalid literal source {bad}, expected key=value"):
            gen.parse_literal_source(bad)


def test_secret_data_is_base64():
    obj = gen.secret("s", gen.DataSources(["user=admin", "pw=a b"]))
    assert {k: base64.b64decode(v).decode() for k, v in obj["data"].items()} == {
        "user": "admin",
        "pw": "a b",
    }
    with pytest.raises(ValueError, match="cannot add key user, another key by that name"):
        gen.secret("s", gen.DataSources(["user=a", "user=b"]))


def test_service_generator_ports():
    svc = gen.service({"selector": "app=web", "default-name": "web", "ports": "80,443",
                       "protocols": {"443": "UDP"}})  # fmt: skip
    assert svc["spec"]["ports"] == [
        {"name": "port-1", "port": 80, "protocol": "TCP", "targetPort": 80},
        {"name": "port-2", "port": 443, "protocol": "UDP", "targetPort": 443},
    ]
    named = gen.service({"selector": "a=b", "name": "x", "port": "80", "target-port": "http"})
    assert named["spec"]["ports"][0]["targetPort"] == "http"


def test_expose_introspection():
    deploy = gen.deployment("web", ["nginx"], 1, 80, [])
    assert map_based_selector(deploy) == "app=web"
    assert ports_and_protocols(deploy) == (["80"], {"80": "TCP"})
    deploy["spec"]["selector"] = {"matchLabels": {}}
    with pytest.raises(ValueError, match="invalid deployment: no selectors"):
        map_based_selector(deploy)
    with pytest.raises(ValueError, match="the pod has no labels and cannot be exposed"):
        map_based_selector({"kind": "Pod", "metadata": {}})


# -- dry run: the well-known YAML skeletons ------------------------------------------------------

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""

POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: nginx
  name: nginx
spec:
  containers:
  - image: nginx
    name: nginx
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""


@pytest.fixture
def cluster():
    return Cluster(nodes=2, seed=0)


def test_dry_run_client_yaml(cluster):
    assert cluster.kubectl("create deployment web --image=nginx --dry-run=client -o yaml") == (
        DEPLOYMENT_YAML
    )
    assert cluster.kubectl("run nginx --image=nginx --dry-run=client -o yaml") == POD_YAML
    assert cluster.kubectl("create deployment web --image=nginx --dry-run=client") == (
        "deployment.apps/web created (dry run)\n"
    )
    assert cluster.kubectl("create deployment web --image=nginx --dry-run=server") == (
        "deployment.apps/web created (server dry run)\n"
    )
    assert cluster.kubectl("run nginx --image=nginx --dry-run=client -o name") == "pod/nginx\n"
    assert cluster.get("deployments") == [] and cluster.get("pods") == []
    assert cluster.kubectl("run x --image=nginx --dry-run=maybe") == (
        'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n'
    )


def test_create_deployment_expose_and_reach_it(cluster):
    assert cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2 --port=80") == (
        "deployment.apps/web created\n"
    )
    assert cluster.kubectl("expose deployment web --port=8080 --target-port=80") == (
        "service/web exposed\n"
    )
    cluster.settle()
    svc = cluster.get("services", "web")
    assert svc["spec"]["selector"] == {"app": "web"}
    assert svc["metadata"]["labels"] == {"app": "web"}
    assert svc["spec"]["ports"][0] == {"port": 8080, "protocol": "TCP", "targetPort": 80}
    response = cluster.request("http://web.default:8080/")
    assert response.status == 200 and response.pod.startswith("web-")
    deploy = cluster.get("deployments", "web")
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert (container["name"], container["ports"][0]["containerPort"]) == ("nginx", 80)


def test_expose_copies_the_ports_and_names_a_second_service(cluster):
    cluster.kubectl("create deployment web --image=nginx --port=80")
    assert cluster.kubectl("expose deploy/web --name=web-np --type=NodePort") == (
        "service/web-np exposed\n"
    )
    svc = cluster.get("services", "web-np")
    assert svc["spec"]["type"] == "NodePort" and svc["spec"]["ports"][0]["port"] == 80
    assert (
        cluster.kubectl("expose service web-np --name=copy --port=81") == "service/copy exposed\n"
    )
    assert cluster.get("services", "copy")["spec"]["selector"] == {"app": "web"}


def test_expose_errors(cluster):
    cluster.kubectl("create deployment web --image=nginx")
    cluster.kubectl("create configmap cfg --from-literal=a=1")
    assert cluster.kubectl("expose deployment web") == (
        "error: couldn't find port via --port flag or introspection\n"
        "See 'kubectl expose -h' for help and examples\n"
    )
    assert cluster.kubectl("expose configmap cfg --port=80") == "error: cannot expose a ConfigMap\n"
    assert cluster.kubectl("expose deployment nope --port=80") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )
    cluster.kubectl("expose deployment web --port=80")
    assert cluster.kubectl("expose deployment web --port=80") == (
        'Error from server (AlreadyExists): services "web" already exists\n'
    )
    assert cluster.kubectl("expose").startswith(
        "error: You must provide one or more resources by argument or filename."
    )


def test_create_deployment_errors(cluster):
    assert cluster.kubectl("create deployment web") == ('error: required flag(s) "image" not set\n')
    assert cluster.kubectl("create deployment --image=nginx") == (
        "error: exactly one NAME is required, got 0\n"
        "See 'kubectl create deployment -h' for help and examples\n"
    )
    assert cluster.kubectl("create deploy a --image=x --image=y -- sleep 1") == (
        "error: cannot specify multiple --image options and command\n"
    )
    assert cluster.kubectl("create deployment web --image=nginx --replicas=two") == (
        'error: invalid argument "two" for "-r, --replicas" flag: strconv.ParseInt: parsing '
        '"two": invalid syntax\n'
        "See 'kubectl create deployment --help' for usage.\n"
    )
    cluster.kubectl("create deployment web --image=nginx")
    assert cluster.kubectl("create deployment web --image=nginx") == (
        'error: failed to create deployment: deployments.apps "web" already exists\n'
    )
    assert cluster.kubectl("create deployment Web --image=nginx").startswith(
        'error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: '
    )


def test_run_pod(cluster):
    out = cluster.kubectl(
        "run api --image=busybox --restart=Never --port=8080 --labels=app=api,tier=back "
        "--env=MODE=test --env=LEVEL=3 -- sh -c 'echo up; sleep 3600'"
    )
    assert out == "pod/api created\n"
    pod = cluster.get("pods", "api")
    container = pod["spec"]["containers"][0]
    assert pod["metadata"]["labels"] == {"app": "api", "tier": "back"}
    assert pod["spec"]["restartPolicy"] == "Never"
    assert container["name"] == "api" and container["args"] == ["sh", "-c", "echo up; sleep 3600"]
    assert container["env"] == [{"name": "MODE", "value": "test"}, {"name": "LEVEL", "value": "3"}]
    assert container["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]
    cluster.settle()
    assert cluster.kubectl("logs api") == "up\n"
    assert cluster.kubectl("exec api -- printenv MODE") == "test\n"


def test_run_with_command_and_expose(cluster):
    assert cluster.kubectl("run web --image=nginx --port=80 --expose") == (
        "service/web created\npod/web created\n"
    )
    assert cluster.get("services", "web")["spec"]["selector"] == {"run": "web"}
    cluster.kubectl("run sleeper --image=busybox --command -- sleep 3600")
    assert cluster.get("pods", "sleeper")["spec"]["containers"][0]["command"] == ["sleep", "3600"]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("run x", 'error: required flag(s) "image" not set'),
        ("run --image=nginx", "error: NAME is required for run"),
        ("run x --image=NGINX", 'error: Invalid image name "NGINX": invalid reference format'),
        ("run x --image=nginx --restart=Sometimes", "error: invalid restart policy: Sometimes"),
        ("run x --image=nginx --env=1X=a", "error: invalid env: 1X=a"),
        ("run x --image=nginx --expose", "error: --port must be set when exposing a service"),
        ("run x --image=nginx -t",
         "error: -i/--stdin is required for containers with -t/--tty=true"),
        ("run x --image=nginx --rm", "error: --rm should only be used for attached containers"),
        ("run x --image=nginx --image-pull-policy=Sometimes",
         "error: invalid image pull policy: Sometimes"),
    ],
)  # fmt: skip
def test_run_errors(cluster, line, error):
    assert cluster.kubectl(line) == error + "\n"
    assert cluster.get("pods") == []


def test_create_configmap_and_secret(cluster):
    assert cluster.kubectl(
        "create configmap game --from-literal=lives=3 --from-literal=mode='hard'"
    ) == ("configmap/game created\n")
    assert cluster.get("configmaps", "game")["data"] == {"lives": "3", "mode": "hard"}
    assert cluster.kubectl("create cm game --from-literal=a=1") == (
        'error: failed to create configmap: configmaps "game" already exists\n'
    )
    assert cluster.kubectl("create cm x --from-literal=a=1 --from-literal=a=2") == (
        'error: cannot add key "a", another key by that name already exists in Data for '
        'ConfigMap "x"\n'
    )
    assert cluster.kubectl("create cm x --from-literal='a b=1'").startswith(
        'error: "a b" is not a valid key name for a ConfigMap: a valid config key must consist'
    )
    assert cluster.kubectl("create secret generic db --from-literal=password=s3cret") == (
        "secret/db created\n"
    )
    secret = cluster.get("secrets", "db")
    assert base64.b64decode(secret["data"]["password"]) == b"s3cret"
    assert secret["type"] == "Opaque"
    assert cluster.kubectl("create secret generic db --from-literal=a=b") == (
        'error: failed to create secret secrets "db" already exists\n'
    )
    dry = yaml.safe_load(
        cluster.kubectl("create secret generic t --from-literal=k=v --dry-run=client -o yaml")
    )
    assert dry == {"apiVersion": "v1", "data": {"k": "dg=="}, "kind": "Secret",
                   "metadata": {"creationTimestamp": None, "name": "t"}}  # fmt: skip


def test_create_in_a_namespace(cluster):
    cluster.kubectl("create namespace shop")
    assert cluster.kubectl("create deployment web --image=nginx -n shop") == (
        "deployment.apps/web created\n"
    )
    assert cluster.get("deployments", "web", namespace="shop")["metadata"]["namespace"] == "shop"


def test_bad_output_format_creates_nothing(cluster):
    assert cluster.kubectl("create deployment web --image=nginx -o table").startswith(
        'error: unable to match a printer suitable for the output format "table", allowed '
        "formats are: go-template,"
    )
    assert cluster.get("deployments") == []
    created = yaml.safe_load(cluster.kubectl("create configmap c --from-literal=a=1 -o yaml"))
    assert created["metadata"]["uid"] and created["data"] == {"a": "1"}


def test_expose_short_l_means_labels(cluster):
    cluster.kubectl("create deployment web --image=nginx --port=80")
    assert cluster.kubectl("expose deploy web -l team=a --selector=app=web") == (
        "service/web exposed\n"
    )
    svc = cluster.get("services", "web")
    assert svc["metadata"]["labels"] == {"team": "a"} and svc["spec"]["selector"] == {"app": "web"}
    cluster.kubectl("run solo --image=nginx -l tier=x")
    assert cluster.get("pods", "solo")["metadata"]["labels"] == {"tier": "x"}
