"""Each kubectl command has its own flags, as upstream's cobra commands do: an unknown flag, or
one that belongs to another command, is pflag's error ended by `FlagErrorFunc`'s usage hint for
that command, before anything is sent; each flag has upstream's kind (boolean, value, or a
`NoOptDefVal` like `--cascade`'s "background") and shorthand (`-p` is `--previous` for logs but
`--patch` for patch)."""

from __future__ import annotations

import copy

import pytest

from minik8s.kubectl import COMMANDS, kubectl
from minik8s.kubectl.cli import parse
from minik8s.kubectl.flag_tables import COMMAND_FLAGS
from minik8s.kubectl.flagset import SUBCOMMANDS, find_command, flag_set_for
from tests.kubectl import objects
from tests.kubectl.fake import FakeClient

PATHS = sorted(COMMAND_FLAGS)


@pytest.fixture
def client() -> FakeClient:
    c = FakeClient()
    for obj in (objects.DEPLOYMENT, objects.POD, objects.CONFIGMAP, objects.SERVICE):
        c.add(obj)
    c.loop.run_for(60)
    return c


def usage(path: str) -> str:
    return f"See '{' '.join(['kubectl', *path.split()])} --help' for usage.\n"


def test_every_command_has_a_table() -> None:
    """Every registered verb, and every subcommand `CommandPath` names, has its flags."""
    kubectl(FakeClient(), "version")  # registers the subcommands
    for verb in COMMANDS:
        assert verb in COMMAND_FLAGS
    for parent, names in SUBCOMMANDS.items():
        assert parent in COMMAND_FLAGS
        for name in names.values():
            assert f"{parent} {name}" in COMMAND_FLAGS


@pytest.mark.parametrize("path", PATHS)
def test_unknown_flags_are_rejected(client: FakeClient, path: str) -> None:
    """`kubectl <path> web --bogus` and `-Z`: upstream's two lines, and no request is sent."""
    before = copy.deepcopy(client.objects)
    words = [*path.split(), "web"] if path else []  # `kubectl --bogus`: the root's hint
    long_out = kubectl(client, [*words, "--bogus", "--image=nginx"])
    short_out = kubectl(client, [*words, "-Z"])
    if path and path.split()[0] not in COMMANDS:  # `top`: cobra finds no such command
        assert long_out == short_out == 'error: unknown command "top" for "kubectl"\n'
    else:
        assert long_out == "error: unknown flag: --bogus\n" + usage(path)
        assert short_out == "error: unknown shorthand flag: 'Z' in -Z\n" + usage(path)
    assert client.objects == before and client.calls == []


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        ("get pods --replicas=3", "unknown flag: --replicas"),
        ("logs web --show-labels", "unknown flag: --show-labels"),
        ("scale deploy web -r 3", "unknown shorthand flag: 'r' in -r"),
        ("exec web -p -- date", "unknown shorthand flag: 'p' in -p"),
        ("delete pod web --overwrite", "unknown flag: --overwrite"),
        ("describe pod web -o yaml", "unknown shorthand flag: 'o' in -o"),
        ("rollout status deploy/web --to-revision=1", "unknown flag: --to-revision"),
        ("create configmap c --image=nginx", "unknown flag: --image"),
        ("label pod web a=b --cascade", "unknown flag: --cascade"),
        ("cordon node-1 --force", "unknown flag: --force"),
    ],
)
def test_another_commands_flag_is_unknown(client: FakeClient, argv: str, error: str) -> None:
    path = " ".join(find_command(argv.split()))
    assert kubectl(client, argv) == f"error: {error}\n" + usage(path)
    assert client.calls == []


# (command, flag, shorthand, NoOptDefVal: None takes a value, True is a boolean)
KINDS = [
    ("get", "show-labels", "", True),
    ("get", "watch", "w", True),
    ("get", "label-columns", "L", None),
    ("get", "selector", "l", None),
    ("logs", "tail", "", None),
    ("logs", "follow", "f", True),
    ("logs", "previous", "p", True),
    ("logs", "container", "c", None),
    ("patch", "patch", "p", None),
    ("delete", "cascade", "", "background"),
    ("delete", "interactive", "i", True),
    ("delete", "grace-period", "", None),
    ("apply", "dry-run", "", "unchanged"),
    ("apply", "validate", "", "strict"),
    ("apply", "prune", "", True),
    ("scale", "replicas", "", None),
    ("create deployment", "replicas", "r", None),
    ("rollout undo", "to-revision", "", None),
    ("rollout status", "watch", "w", True),
    ("run", "restart", "", None),
    ("run", "labels", "l", None),
    ("run", "stdin", "i", True),
    ("expose", "port", "", None),
    ("expose", "labels", "l", None),
    ("expose", "selector", "", None),
    ("label", "overwrite", "", True),
    ("exec", "tty", "t", True),
    ("set env", "containers", "c", None),
    ("set env", "env", "e", None),
    ("events", "types", "", None),
    ("drain", "ignore-daemonsets", "", True),
    ("get", "namespace", "n", None),
    ("get", "v", "v", None),
    ("version", "insecure-skip-tls-verify", "", True),
    ("create rolebinding", "user", "", None),  # its own --user hides the global one
]


@pytest.mark.parametrize(("path", "name", "letter", "bare"), KINDS)
def test_flag_kinds_follow_upstream(path: str, name: str, letter: str, bare: object) -> None:
    flag = flag_set_for(path).formal[name]
    assert (flag.shorthand, flag.no_opt_def_val) == (letter, bare)


@pytest.mark.parametrize(
    ("argv", "flags"),
    [
        ("logs web -f --tail 5", {"follow": True, "tail": "5"}),
        ("apply -f x.yaml --dry-run", {"filename": "x.yaml", "dry-run": "unchanged"}),
        ("apply -f x.yaml --validate", {"filename": "x.yaml", "validate": "strict"}),
        ("set env deploy/web -e A=1 -c app", {"env": "A=1", "containers": "app"}),
        ("delete po x -i", {"interactive": True}),
        ("get pods -v 4 --as=alice --request-timeout=5s", {"v": "4", "as": "alice"}),
    ],
)
def test_command_lines_parse_with_their_commands_flags(argv: str, flags: dict) -> None:
    parsed = parse(argv.split()).flags
    assert {name: parsed[name] for name in flags} == flags


def test_a_bare_dry_run_is_client(client: FakeClient) -> None:
    """GetDryRunStrategy: the bare flag's "unchanged" is its NoOptDefVal, a deprecated client."""
    out = kubectl(client, "create configmap c --from-literal=a=b --dry-run")
    assert out == "configmap/c created (dry run)\n"
    assert kubectl(client, "create configmap c --from-literal=a=b --dry-run=false") == (
        "configmap/c created\n"
    )
    assert ("create", "configmaps", "c") in client.calls


def test_each_level_strips_its_own_flags() -> None:
    """cobra `Find`: an unknown flag before a subcommand takes the next word as its value."""
    assert find_command(["create", "--bogus", "deployment", "web"]) == ["create"]
    assert find_command(["create", "--edit", "deployment", "web"]) == ["create", "deployment"]
    assert find_command(["rollout", "-w", "status", "deploy/web"]) == ["rollout"]
    assert find_command(["-n", "shop", "rollout", "status", "-w", "deploy/web"]) == [
        "rollout",
        "status",
    ]
