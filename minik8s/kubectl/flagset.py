"""kubectl's flags as one pflag `FlagSet` per cobra command, cobra's `Find` and `CommandPath`,
and `templates.FlagErrorFunc` for flag errors.

Mirrors how cobra parses a kubectl command line: `Command.Find` walks down from the root,
stripping each level's flags (`stripFlags`, `argsMinusFirstX`) to find the next subcommand word;
the command found parses the whole line with its own flags plus the root's persistent ones
(`kubectl get pods --replicas=3` is `unknown flag: --replicas`), and a flag error reads
`See 'kubectl get --help' for usage.` The tables are `minik8s.kubectl.flag_tables`. Leaves out
the root's unknown-command check (every first word is taken as the verb; `cli.kubectl` names an
unknown one) and pflag's deprecation notices (`drain --delete-local-data`).
"""

from __future__ import annotations

from functools import cache

from minik8s.kubectl.flag_tables import COMMAND_FLAGS, GLOBAL, GROUPS
from minik8s.kubectl.pflag import Flag, FlagSet


def _names(words: str, **aliases: str) -> dict[str, str]:
    return {**{word: word for word in words.split()}, **aliases}


# Subcommands (and their aliases) that `CommandPath` names: `kubectl create deployment`.
SUBCOMMANDS: dict[str, dict[str, str]] = {
    "create": _names(
        "clusterrole clusterrolebinding configmap cronjob deployment ingress job namespace "
        "poddisruptionbudget priorityclass quota role rolebinding secret service serviceaccount "
        "token",
        cm="configmap",
        cj="cronjob",
        deploy="deployment",
        ing="ingress",
        ns="namespace",
        pdb="poddisruptionbudget",
        pc="priorityclass",
        resourcequota="quota",
        sa="serviceaccount",
        svc="service",
    ),
    "create secret": _names("docker-registry generic tls"),
    "create service": _names("clusterip externalname loadbalancer nodeport"),
    "rollout": _names("history pause restart resume status undo"),
    "set": _names("env image resources selector serviceaccount subject"),
    "top": _names("node pod", nodes="node", no="node", pods="pod", po="pod"),
}


def parse_table(table: str) -> list[Flag]:
    """The flags a `flag_tables` string lists: `x:name` (shorthand), `name!` (boolean),
    `name=value` (the bare flag's value), `@group` (a group's flags)."""
    flags: list[Flag] = []
    for word in table.split():
        if word.startswith("@"):
            flags += parse_table(GROUPS[word[1:]])
            continue
        letter, _, rest = word.rpartition(":")
        name, eq, bare = rest.partition("=")
        if name.endswith("!"):
            flags.append(Flag(name[:-1], letter, True))
        else:
            flags.append(Flag(name, letter, bare if eq else None))
    return flags


@cache
def flag_set_for(command: str) -> FlagSet:
    """The flags `kubectl COMMAND` knows, COMMAND being a `CommandPath` without "kubectl"
    ("get", "create secret tls"; a command kubectl lacks has the root's). A local flag hides
    an inherited one of the same name (`create rolebinding --user`), as cobra's
    `mergePersistentFlags` adds only names not yet defined. Shared: do not change it."""
    flags = parse_table(COMMAND_FLAGS.get(command, ""))
    local = {flag.name for flag in flags}
    return FlagSet(flags + [flag for flag in parse_table(GLOBAL) if flag.name not in local])


def find_command(argv: list[str]) -> list[str]:
    """cobra `Find`: the verb and any subcommand words, e.g. `["create", "secret", "tls"]`.
    Each level strips its own flags to find the next word (`stripFlags`), then drops that word
    (`argsMinusFirstX`); aliases are named as their command (`create deploy` is `deployment`)."""
    path: list[str] = []
    args = list(argv)
    while True:
        at = flag_set_for(" ".join(path)).first_word(args)
        if at is None:
            return path
        word = args.pop(at)
        if path:
            names = SUBCOMMANDS.get(" ".join(path), {})
            if word not in names:
                return path
            word = names[word]
        path.append(word)


def flag_error(message: str, command: list[str]) -> ValueError:
    """`FlagErrorFunc` then `CheckErr`: the pflag error and where to find usage."""
    path = " ".join(["kubectl", *command])
    return ValueError(f"error: {message}\nSee '{path} --help' for usage.")


def shorthand(name: str, command: list[str]) -> str:
    """The one-letter shorthand of `--name` for this command, or ""."""
    flag = flag_set_for(" ".join(command)).formal.get(name)
    return flag.shorthand if flag else ""
