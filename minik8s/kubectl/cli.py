"""Parsing a kubectl command line and dispatching it to a subcommand.

Mirrors the shape of `k8s.io/kubectl/pkg/cmd/cmd.go` (one cobra command per verb, each with its
own flags plus the root's persistent ones: `minik8s.kubectl.flagset`, parsed as pflag does:
`minik8s.kubectl.pflag`) and `cmdutil.CheckErr` (how errors are printed: `Error from server
(NotFound): ...` for API errors, `error: ...` for the rest). Subcommands live in `COMMANDS`; other
modules add theirs with `register("logs")`. Leaves out kubeconfig and contexts; most flags are
accepted and ignored.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from minik8s.api import errors, kinds
from minik8s.kubectl.flagset import find_command, flag_error, flag_set_for, shorthand
from minik8s.kubectl.pflag import FlagError

if TYPE_CHECKING:
    from minik8s.client.client import Client


@dataclass
class Args:
    """A parsed command line: the verb, its positional words, flags, and words after `--`."""

    command: str
    positional: list[str] = field(default_factory=list)
    flags: dict[str, str | bool] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)
    manifest: str | None = None
    command_path: list[str] = field(default_factory=list)  # cobra `CommandPath` words

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
        raise flag_value_error(
            args, name, value, f'strconv.ParseBool: parsing "{value}": invalid syntax'
        )
    return BOOLEANS[value]


def flag_value_error(args: Args, name: str, value: str, reason: str, shown: str = "") -> ValueError:
    """pflag's `invalid argument` error for a bad flag value, ended by cobra's usage hint
    (`FlagErrorFunc`: `See 'kubectl rollout status --help' for usage.`)."""
    command = args.command_path or [args.command]
    display = shown or flag_display_name(name, command)
    message = f'invalid argument "{value}" for "{display}" flag: {reason}'
    return flag_error(message, command)


def bool_flags(args: Args, names: tuple[str, ...]) -> dict[str, bool]:
    """The given boolean flags, parsed in command-line order as pflag does (so the first bad
    value is the error), before the command runs; absent ones are left out (false)."""
    return {name: bool_flag(args, name, False) for name in args.flags if name in names}


def flag_display_name(name: str, command: list[str]) -> str:
    """How pflag names a flag of `command` in its errors: `-w, --watch` when it has a
    shorthand there."""
    letter = shorthand(name, command)
    return f"-{letter}, --{name}" if letter else f"--{name}"


def _set(args: Args, name: str, value: str | bool) -> None:
    args.flags[name] = value
    if isinstance(value, str):
        args.multi.setdefault(name, []).append(value)


def parse(argv: list[str]) -> Args:
    """Split argv into verb, positionals and flags (flags may appear anywhere), as cobra finds
    the command and pflag parses its flags; a bad command line raises pflag's error."""
    command = find_command(argv)
    try:
        parsed = flag_set_for(" ".join(command)).parse(argv)
    except FlagError as err:
        raise flag_error(str(err), command) from None
    dash = parsed.args_len_at_dash
    words = parsed.args if dash < 0 else parsed.args[:dash]
    args = Args(command=words[0] if words else "", positional=words[1:], command_path=command)
    args.rest = [] if dash < 0 else parsed.args[dash:]
    for name, value in parsed.flags:
        _set(args, name, value)
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
    except ValueError as err:  # cobra finds the command before it parses the flags
        verb = find_command(argv)[:1]
        return unknown_command(verb[0]) if verb and verb[0] not in COMMANDS else format_error(err)
    parsed.manifest = manifest
    if not parsed.command:
        return "kubectl controls the Kubernetes cluster manager.\n"
    command = COMMANDS.get(parsed.command)
    if command is None:
        return unknown_command(parsed.command)
    heard = getattr(client, "warnings", None)
    seen = len(heard) if heard is not None else 0
    try:
        out = command(client, parsed)
    except (errors.StatusError, LookupError, ValueError) as err:
        out = format_error(err)
    return server_warnings(heard, seen) + out


def unknown_command(verb: str) -> str:
    """cobra's `unknown command` error for a verb kubectl does not have."""
    return f'error: unknown command "{verb}" for "kubectl"\n'


def server_warnings(heard: list[str] | None, seen: int) -> str:
    """The `Warning:` headers the API server sent during one command, as kubectl writes them to
    stderr (client-go's default warning handler); they are taken off the client's list."""
    if not heard or len(heard) <= seen:
        return ""
    new = heard[seen:]
    del heard[seen:]
    return "".join(f"Warning: {warning}\n" for warning in new)
