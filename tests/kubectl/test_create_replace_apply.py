"""kubectl create job|cronjob|namespace|service, replace, apply and patch --dry-run on a real
Cluster: upstream v1.31's generated objects (as `--dry-run=client -o yaml` prints them), printed
lines and error texts (create_job.go, create_cronjob.go, create_namespace.go, create_service.go,
replace.go, apply.go, patch.go)."""

from __future__ import annotations

import pytest
import yaml

from minik8s import Cluster
from minik8s.kubectl import kubectl

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.25}]
"""
CFG = """
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
"""


def run(c: Cluster, command: str, manifest: str) -> str:
    """A command reading `-f -` from `manifest`."""
    return kubectl(c.client, command, manifest=manifest)


@pytest.fixture
def c() -> Cluster:
    return Cluster(nodes=1, seed=0)


def test_create_job_dry_run_yaml(c):
    assert c.kubectl("create job j --image=busybox --dry-run=client -o yaml") == (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  creationTimestamp: null\n  name: j\n"
        "spec:\n  template:\n    metadata:\n      creationTimestamp: null\n    spec:\n"
        "      containers:\n      - image: busybox\n        name: j\n        resources: {}\n"
        "      restartPolicy: Never\nstatus: {}\n"
    )


def test_create_job_with_command_and_errors(c):
    assert c.kubectl("create job j --image=busybox -- sleep 5") == "job.batch/j created\n"
    container = c.get("jobs", "j")["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["sleep", "5"] and container["name"] == "j"
    assert c.kubectl("create job j --image=busybox") == (
        'error: failed to create job: jobs.batch "j" already exists\n'
    )
    assert c.kubectl("create job k") == "error: either --image or --from must be specified\n"
    assert c.kubectl("create job k --image=a --from=cronjob/x") == (
        "error: either --image or --from must be specified\n"
    )
    assert c.kubectl("create job k l --image=a") == (
        "error: exactly one NAME is required, got 2\nSee 'kubectl create job -h' for help and "
        "examples\n"
    )


def test_create_cronjob_and_a_job_from_it(c):
    out = c.kubectl(
        "create cronjob cj --image=busybox --schedule='*/5 * * * *' --dry-run=client -o yaml"
    )
    view = yaml.safe_load(out)
    assert view["spec"] == {
        "jobTemplate": {
            "metadata": {"creationTimestamp": None, "name": "cj"},
            "spec": {
                "template": {
                    "metadata": {"creationTimestamp": None},
                    "spec": {
                        "containers": [{"image": "busybox", "name": "cj", "resources": {}}],
                        "restartPolicy": "OnFailure",
                    },
                }
            },
        },
        "schedule": "*/5 * * * *",
    }
    assert view["status"] == {}
    assert c.kubectl("create cronjob cj") == (
        'error: required flag(s) "image", "schedule" not set\n'
    )
    assert c.kubectl(
        "create cronjob cj --image=busybox --schedule='*/5 * * * *' --restart=Never"
    ) == ("cronjob.batch/cj created\n")
    assert c.kubectl("create job manual --from=cronjob/cj") == "job.batch/manual created\n"
    job = c.get("jobs", "manual")
    assert job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    ref = job["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("CronJob", "cj", True)
    assert "blockOwnerDeletion" not in ref
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_create_namespace(c):
    assert c.kubectl("create namespace team --dry-run=client -o yaml") == (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: team\n"
        "spec: {}\nstatus: {}\n"
    )
    assert c.kubectl("create ns team") == "namespace/team created\n"
    assert c.kubectl("create ns team") == (
        'Error from server (AlreadyExists): namespaces "team" already exists\n'
    )
    assert c.kubectl("create namespace") == (
        "error: exactly one NAME is required, got 0\n"
        "See 'kubectl create namespace -h' for help and examples\n"
    )


def test_create_service_clusterip_dry_run_yaml(c):
    assert c.kubectl("create service clusterip my-cs --tcp=5678:8080 --dry-run=client -o yaml") == (
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n"
        "    app: my-cs\n  name: my-cs\nspec:\n  ports:\n  - name: 5678-8080\n    port: 5678\n"
        "    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: my-cs\n"
        "  type: ClusterIP\nstatus:\n  loadBalancer: {}\n"
    )


def test_create_service_kinds_and_errors(c):
    assert c.kubectl("create service nodeport np --tcp=80,81:http") == "service/np created\n"
    ports = c.get("services", "np")["spec"]["ports"]
    assert [(p["name"], p["port"], p["targetPort"]) for p in ports] == [
        ("80", 80, 80),
        ("81-http", 81, "http"),
    ]
    assert c.get("services", "np")["spec"]["type"] == "NodePort"
    assert c.kubectl("create service externalname ext --external-name bar.com") == (
        "service/ext created\n"
    )
    assert c.get("services", "ext")["spec"]["externalName"] == "bar.com"
    assert c.kubectl("create service clusterip h --clusterip=None") == "service/h created\n"
    assert c.get("services", "h")["spec"]["clusterIP"] == "None"
    for command, error in [
        ("create service clusterip s", "at least one tcp port specifier must be provided"),
        ("create service externalname s", 'required flag(s) "external-name" not set'),
        ("create service externalname s --external-name=Bad_Name",
         "invalid service external name Bad_Name"),
        ("create service clusterip s --tcp=abc",
         'strconv.ParseUint: parsing "abc": invalid syntax'),
        ("create service clusterip s --tcp=70000",
         'strconv.ParseUint: parsing "70000": value out of range'),
    ]:  # fmt: skip
        assert c.kubectl(command) == f"error: {error}\n", command
    assert c.kubectl("create service clusterip np --tcp=80") == (
        'error: failed to create ClusterIP service: services "np" already exists\n'
    )
    # Only `create service clusterip` has --clusterip (ServiceOptions.Validate's
    # "ClusterIP=None can only be used with ClusterIP service type" is out of the CLI's reach).
    assert c.kubectl("create service nodeport s --clusterip=None --tcp=80") == (
        "error: unknown flag: --clusterip\n"
        "See 'kubectl create service nodeport --help' for usage.\n"
    )


def test_replace(c, tmp_path):
    c.apply(WEB)
    path = tmp_path / "web.yaml"
    path.write_text(WEB.replace("replicas: 2", "replicas: 4") + "---\n" + CFG)
    assert c.kubectl(f"replace -f {path}") == (
        "deployment.apps/web replaced\n"
        f'Error from server (NotFound): error when replacing "{path}": configmaps "cfg" not found\n'
    )
    assert c.get("deployments", "web")["spec"]["replicas"] == 4
    stale = WEB.replace("metadata: {name: web}", "metadata: {name: web, resourceVersion: '1'}")
    assert run(c, "replace -f -", stale).startswith(
        'Error from server (Conflict): error when replacing "STDIN": Operation cannot be '
        'fulfilled on deployments.apps "web"'
    )
    assert run(c, "replace -f - --dry-run=client", WEB) == (
        "deployment.apps/web replaced (dry run)\n"
    )
    assert run(c, "replace -f - --dry-run=server -o name", WEB) == ("deployment.apps/web\n")
    assert c.get("deployments", "web")["spec"]["replicas"] == 4
    assert c.kubectl("replace") == (
        "error: Must specify --filename to replace\nSee 'kubectl replace -h' for help and "
        "examples\n"
    )


def test_apply_dry_run_sends_nothing(c):
    c.apply(WEB)
    changed = WEB.replace("replicas: 2", "replicas: 5") + "---\n" + CFG
    assert run(c, "apply -f - --dry-run=client", changed) == (
        "deployment.apps/web configured (dry run)\nconfigmap/cfg created (dry run)\n"
    )
    assert run(c, "apply -f - --dry-run=server", changed) == (
        "deployment.apps/web configured (server dry run)\nconfigmap/cfg created (server dry run)\n"
    )
    assert c.get("deployments", "web")["spec"]["replicas"] == 2
    assert c.kubectl("get cm cfg") == 'Error from server (NotFound): configmaps "cfg" not found\n'
    # an unchanged object is still "configured" under a client dry run (no patch is computed)
    assert run(c, "apply -f - --dry-run=client", WEB) == (
        "deployment.apps/web configured (dry run)\n"
    )
    assert run(c, "apply -f - -o name", changed) == "deployment.apps/web\nconfigmap/cfg\n"


def test_apply_warns_about_a_missing_last_applied_annotation(c):
    assert run(c, "create -f -", CFG) == "configmap/cfg created\n"
    assert run(c, "apply -f -", CFG) == (
        "Warning: resource configmaps/cfg is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
        "kubectl apply. kubectl apply should only be used on resources created declaratively by "
        "either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\nconfigmap/cfg configured\n"
    )
    assert run(c, "apply -f -", CFG) == "configmap/cfg unchanged\n"


def test_patch_dry_runs_and_name_output(c):
    c.apply(WEB)
    merge = """--type merge -p '{"spec":{"replicas":3}}'"""
    assert c.kubectl(f"patch deploy web {merge} --dry-run=client") == (
        "deployment.apps/web patched (dry run)\n"
    )
    assert c.kubectl("""patch deploy web -p '{"spec":{"replicas":2}}' --dry-run=client""") == (
        "deployment.apps/web patched (no change) (dry run)\n"
    )
    assert c.kubectl(f"patch deploy web {merge} --dry-run=server") == (
        "deployment.apps/web patched (server dry run)\n"
    )
    assert c.get("deployments", "web")["spec"]["replicas"] == 2
    assert c.kubectl(f"patch deploy web {merge} -o name") == "deployment.apps/web\n"
    assert c.get("deployments", "web")["spec"]["replicas"] == 3


def test_create_from_a_file_dry_runs_and_name_output(c):
    assert run(c, "create -f - --dry-run=client", CFG) == "configmap/cfg created (dry run)\n"
    assert run(c, "create -f - --dry-run=server", CFG) == (
        "configmap/cfg created (server dry run)\n"
    )
    assert c.kubectl("get cm cfg") == 'Error from server (NotFound): configmaps "cfg" not found\n'
    assert run(c, "create -f - -o name", CFG) == "configmap/cfg\n"
    assert c.get("configmaps", "cfg")["data"] == {"a": "1"}
