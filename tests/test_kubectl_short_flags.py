"""kubectl's shorthands parse as pflag's `parseSingleShortArg` does: `-A=false` sets the boolean
to false, `-n=shop` / `-nshop` / `-n shop` are the namespace "shop", `-l=app=web` is the selector
"app=web", shorthands combine (`-it`, `-Aowide`), and `-p` is `--patch` for `patch` but
`--previous` for `logs`. Flag errors print as kubectl's `FlagErrorFunc` wraps them."""

from __future__ import annotations

import json

import pytest

from minik8s.kubectl import kubectl
from minik8s.kubectl.cli import parse
from minik8s.kubectl.flagset import find_command
from tests.kubectl import objects
from tests.kubectl.fake import FakeClient


@pytest.fixture
def client() -> FakeClient:
    c = FakeClient()
    for obj in (objects.DEPLOYMENT, objects.POD, objects.CONFIGMAP):
        c.add(obj)
    c.loop.run_for(60)
    return c


@pytest.mark.parametrize(
    ("argv", "flags"),
    [
        ("get pods -A=false", {"all-namespaces": "false"}),
        ("get pods -A=true", {"all-namespaces": "true"}),
        ("get pods -A", {"all-namespaces": True}),
        ("get pods -n=shop", {"namespace": "shop"}),
        ("get pods -nshop", {"namespace": "shop"}),
        ("get pods -n shop", {"namespace": "shop"}),
        ("get pods -o=yaml", {"output": "yaml"}),
        ("get pods -oyaml", {"output": "yaml"}),
        ("get pods -l=app=web", {"selector": "app=web"}),
        ("get pods -lapp=web", {"selector": "app=web"}),
        ("get pods -l==web", {"selector": "=web"}),  # only the first '=' separates
        ("get pods -Aowide", {"all-namespaces": True, "output": "wide"}),
        ("get pods -wA=false", {"watch": True, "all-namespaces": "false"}),
        ("get pods -L=tier", {"label-columns": "tier"}),
        ("exec web -it -c=app", {"stdin": True, "tty": True, "container": "app"}),
        ("logs web -p", {"previous": True}),
        ("logs web -p=false", {"previous": "false"}),
        ("patch deploy web -p={}", {"patch": "{}"}),
        ("patch deploy web -p {}", {"patch": "{}"}),
        ("run web --image=nginx -l=app=web", {"image": "nginx", "labels": "app=web"}),
        ("delete po x --cascade", {"cascade": "background"}),
    ],
)
def test_short_flags(argv: str, flags: dict[str, str | bool]) -> None:
    args = parse(argv.split())
    assert args.flags == flags
    assert "=" not in "".join(args.positional)


def test_a_false_lists_one_namespace(client: FakeClient) -> None:
    one = kubectl(client, "get cm")
    assert kubectl(client, "get cm -A=false") == one
    assert kubectl(client, "get cm -A=0") == one
    assert kubectl(client, "get cm -A=true") == kubectl(client, "get cm -A")
    assert kubectl(client, "get cm -A").startswith("NAMESPACE")
    assert kubectl(client, "get cm -A=x") == (
        'error: invalid argument "x" for "-A, --all-namespaces" flag: strconv.ParseBool: '
        'parsing "x": invalid syntax\n'
        "See 'kubectl get --help' for usage.\n"
    )


def test_equals_forms_reach_the_command(client: FakeClient) -> None:
    assert kubectl(client, "get cm -n=shop") == "No resources found in shop namespace.\n"
    assert kubectl(client, "get cm -nshop") == "No resources found in shop namespace.\n"
    assert json.loads(kubectl(client, "get cm game -o=json"))["metadata"]["name"] == "game"
    assert kubectl(client, "get deploy -l=app=web -o=name") == "deployment.apps/web\n"
    assert kubectl(client, "get deploy -l=app=db") == ("No resources found in default namespace.\n")


def test_patch_short_flag(client: FakeClient) -> None:
    out = kubectl(client, ["patch", "deploy", "web", '-p={"spec":{"replicas":4}}'])
    assert out == "deployment.apps/web patched\n"
    assert client.get("deployments", "web")["spec"]["replicas"] == 4
    assert kubectl(client, ["patch", "deploy", "web", '-p{"spec":{"replicas":5}}']) == out
    assert client.get("deployments", "web")["spec"]["replicas"] == 5
    assert kubectl(client, "patch deploy web -p") == (
        "error: flag needs an argument: 'p' in -p\nSee 'kubectl patch --help' for usage.\n"
    )


@pytest.mark.parametrize(
    ("argv", "printed"),
    [
        ("get pods -n", "flag needs an argument: 'n' in -n\nSee 'kubectl get --help'"),
        ("get pods -An", "flag needs an argument: 'n' in -n\nSee 'kubectl get --help'"),
        ("get pods --namespace", "flag needs an argument: --namespace\nSee 'kubectl get"),
        ("get pods -x", "unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help'"),
        ("get pods -Ax=1", "unknown shorthand flag: 'x' in -x=1\nSee 'kubectl get --help'"),
        ("get pods -A=", "unknown shorthand flag: '=' in -=\nSee 'kubectl get --help'"),
        ("get pods ---x", "bad flag syntax: ---x\nSee 'kubectl get --help'"),
        ("-x", "unknown shorthand flag: 'x' in -x\nSee 'kubectl --help'"),
        ("create deployment web -x", "'x' in -x\nSee 'kubectl create deployment --help'"),
        ("create deploy web -x", "'x' in -x\nSee 'kubectl create deployment --help'"),
        ("create secret tls t -x", "See 'kubectl create secret tls --help'"),
        ("rollout status deploy/web -x", "See 'kubectl rollout status --help'"),
        ("-n shop get -x", "See 'kubectl get --help'"),
    ],
)
def test_flag_errors(client: FakeClient, argv: str, printed: str) -> None:
    out = kubectl(client, argv)
    assert out.startswith("error: ") and f"{printed}" in out and out.endswith(" for usage.\n")


def test_unknown_command_comes_before_flag_errors(client: FakeClient) -> None:
    assert kubectl(client, "frobnicate -x") == 'error: unknown command "frobnicate" for "kubectl"\n'


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        ("get pods -n shop", ["get"]),
        ("-n shop get pods", ["get"]),
        ("create cm x --from-literal=a=b", ["create", "configmap"]),
        ("create secret generic s", ["create", "secret", "generic"]),
        ("create service nodeport s", ["create", "service", "nodeport"]),
        ("create -f x.yaml", ["create"]),
        ("rollout undo deploy/web", ["rollout", "undo"]),
        ("top pods", ["top", "pod"]),
        ("", []),
    ],
)
def test_find_command(argv: str, path: list[str]) -> None:
    assert find_command(argv.split()) == path
