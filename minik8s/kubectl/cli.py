"""Parsing a kubectl command line and dispatching it to a subcommand.

Mirrors the shape of `k8s.io/kubectl/pkg/cmd/cmd.go` (one cobra command per verb, persistent
`-n/--namespace`) and `cmdutil.CheckErr` (how errors are printed: `Error from server (NotFound):
...` for API errors, `error: ...` for the rest). Subcommands live in `COMMANDS`; other modules add
theirs with `register("logs")`. Leaves out kubeconfig, contexts and most flags.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from minik8s.api import errors, kinds

if TYPE_CHECKING:
    from minik8s.client.client import Client

# Flags that take a value (`-n x`, `--namespace=x`, `-nx`); every other flag is boolean.
VALUE_FLAGS = {
    "n": "namespace",
    "namespace": "namespace",
    "o": "output",
    "output": "output",
    "l": "selector",
    "selector": "selector",
    "f": "filename",
    "filename": "filename",
    "replicas": "replicas",
    "cascade": "cascade",
    "grace-period": "grace-period",
    "field-selector": "field-selector",
    "chunk-size": "chunk-size",
    "c": "container",
    "container": "container",
    "tail": "tail",
    "since": "since",
    "timeout": "timeout",
    "to-revision": "to-revision",
    "revision": "revision",
    "image": "image",
    "from-literal": "from-literal",
    "from-file": "from-file",
    "from-env-file": "from-env-file",
    "type": "type",
    "sort-by": "sort-by",
    "L": "label-columns",
    "label-columns": "label-columns",
    "current-replicas": "current-replicas",
    "resource-version": "resource-version",
    "patch": "patch",
    "r": "replicas",
    "port": "port",
    "target-port": "target-port",
    "protocol": "protocol",
    "name": "name",
    "restart": "restart",
    "labels": "labels",
    "env": "env",
    "annotations": "annotations",
    "image-pull-policy": "image-pull-policy",
    "cluster-ip": "cluster-ip",
    "request-timeout": "request-timeout",
    "schedule": "schedule",
    "from": "from",
    "tcp": "tcp",
    "clusterip": "clusterip",
    "external-name": "external-name",
    "node-port": "node-port",
    "cert": "cert",
    "key": "key",
    "docker-username": "docker-username",
    "docker-password": "docker-password",
    "docker-email": "docker-email",
    "docker-server": "docker-server",
}
# Short flags whose meaning depends on the verb: `run -l` and `expose -l` are `--labels`.
VERB_SHORT_FLAGS = {("run", "l"): "labels", ("expose", "l"): "labels"}
SHORT_BOOLEANS = {
    "A": "all-namespaces",
    "w": "watch",
    "p": "previous",
    "i": "stdin",
    "t": "tty",
    "R": "recursive",
}
SHORTHANDS = {name: letter for letter, name in SHORT_BOOLEANS.items()}


@dataclass
class Args:
    """A parsed command line: the verb, its positional words, flags, and words after `--`."""

    command: str
    positional: list[str] = field(default_factory=list)
    flags: dict[str, str | bool] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)
    manifest: str | None = None

    @property
    def namespace(self) -> str:
        """`-n` or `default`."""
        return str(self.flags.get("namespace") or "default")

    @property
    def namespace_given(self) -> str | None:
        """`-n` when it was given."""
        value = self.flags.get("namespace")
        return str(value) if value else None

    @property
    def all_namespaces(self) -> bool:
        """`-A`, a pflag boolean (`-A`, `--all-namespaces=false`)."""
        return bool_flag(self, "all-namespaces", False)

    def flag(self, name: str, default: str | None = None) -> str | None:
        """A value flag as a string (None when absent)."""
        value = self.flags.get(name)
        return default if value is None or isinstance(value, bool) else value

    def __repr__(self) -> str:
        return f"<Args {self.command} {self.positional} {self.flags}>"


# strconv.ParseBool, which pflag's boolean flags use: exactly these spellings.
BOOLEANS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True}
BOOLEANS.update({"0": False, "f": False, "F": False, "FALSE": False, "false": False})
BOOLEANS["False"] = False


def bool_flag(args: Args, name: str, default: bool) -> bool:
    """A pflag boolean: `--name`, `--name=false`; a bad value is upstream's parse error."""
    value = args.flags.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value not in BOOLEANS:
        raise ValueError(
            f'error: invalid argument "{value}" for "{flag_display_name(name)}" flag: '
            f'strconv.ParseBool: parsing "{value}": invalid syntax'
        )
    return BOOLEANS[value]


def bool_flags(args: Args, names: tuple[str, ...]) -> dict[str, bool]:
    """The given boolean flags, parsed in command-line order as pflag does (so the first bad
    value is the error), before the command runs; absent ones are left out (false)."""
    return {name: bool_flag(args, name, False) for name in args.flags if name in names}


def flag_display_name(name: str) -> str:
    """How pflag names a flag in its errors: `-w, --watch` when it has a shorthand."""
    letter = SHORTHANDS.get(name)
    return f"-{letter}, --{name}" if letter else f"--{name}"


def _set(args: Args, name: str, value: str | bool) -> None:
    args.flags[name] = value
    if isinstance(value, str):
        args.multi.setdefault(name, []).append(value)


def parse(argv: list[str]) -> Args:
    """Split argv into verb, positionals and flags (flags may appear anywhere)."""
    args = Args(command="")
    words: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            args.rest = argv[i:]
            break
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            canonical = VALUE_FLAGS.get(name)
            if name == "cascade" and not eq:
                value, eq = "background", "="  # NoOptDefVal, as upstream
            if canonical and not eq:
                if i >= len(argv):
                    raise ValueError(f"error: flag needs an argument: --{name}")
                value, i = argv[i], i + 1
            _set(args, canonical or name, value if (canonical or eq) else True)
        elif word.startswith("-") and len(word) > 1:
            name, value = word[1], word[2:].lstrip("=")
            if name in VALUE_FLAGS:
                if not value:
                    if i >= len(argv):
                        raise ValueError(f"error: flag needs an argument: '{name}' in -{name}")
                    value, i = argv[i], i + 1
                verb = words[0] if words else ""
                _set(args, VERB_SHORT_FLAGS.get((verb, name), VALUE_FLAGS[name]), value)
            else:
                for letter in word[1:]:
                    _set(args, SHORT_BOOLEANS.get(letter, letter), True)
        else:
            words.append(word)
    if words:
        args.command, args.positional = words[0], words[1:]
    return args


Command = Callable[["Client", Args], str]
COMMANDS: dict[str, Command] = {}


def register(name: str) -> Callable[[Command], Command]:
    """Add a subcommand: `@register("logs") def logs(client, args) -> str`."""

    def add(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return add


def format_error(err: Exception) -> str:
    """How kubectl prints an error (`cmdutil.CheckErr`), with a trailing newline."""
    if isinstance(err, errors.StatusError):
        return f"Error from server ({err.reason}): {err.message}\n"
    message = str(err.args[0]) if err.args else str(err)
    if isinstance(err, kinds.UnknownResource) or not message.startswith("error: "):
        message = f"error: {message}"
    return message if message.endswith("\n") else message + "\n"  # as cmdutil's fatal()


def kubectl(client: Client, args: str | list[str], manifest: str | None = None) -> str:
    """Run one kubectl command line against `client`; returns what kubectl would print."""
    from minik8s.kubectl import (  # noqa: F401 - register subcommands
        commands,
        commands_create,
        commands_delete,
        commands_edit,
        commands_meta,
        commands_replace,
        commands_scale,
        node_commands,
        rollout,
    )

    argv = shlex.split(args) if isinstance(args, str) else list(args)
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    try:
        parsed = parse(argv)
    except ValueError as err:
        return format_error(err)
    parsed.manifest = manifest
    if not parsed.command:
        return "kubectl controls the Kubernetes cluster manager.\n"
    command = COMMANDS.get(parsed.command)
    if command is None:
        return f'error: unknown command "{parsed.command}" for "kubectl"\n'
    heard = getattr(client, "warnings", None)
    seen = len(heard) if heard is not None else 0
    try:
        out = command(client, parsed)
    except (errors.StatusError, LookupError, ValueError) as err:
        out = format_error(err)
    return server_warnings(heard, seen) + out


def server_warnings(heard: list[str] | None, seen: int) -> str:
    """The `Warning:` headers the API server sent during one command, as kubectl writes them to
    stderr (client-go's default warning handler); they are taken off the client's list."""
    if not heard or len(heard) <= seen:
        return ""
    new = heard[seen:]
    del heard[seen:]
    return "".join(f"Warning: {warning}\n" for warning in new)
