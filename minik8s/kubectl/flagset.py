"""kubectl's flags as one pflag `FlagSet` per verb, and cobra's `CommandPath` for flag errors.

Mirrors the flag definitions spread over `k8s.io/kubectl/pkg/cmd/...` (persistent `-n`, `-s`,
`-v`; `-o`, `-l`, `-f`, `-w`, `-A`, ...) and `templates.FlagErrorFunc` (`See 'kubectl get --help'
for usage.`). Leaves out per-command flag sets: every verb knows every flag below, long flags not
listed are booleans, and a shorthand whose meaning depends on the verb (`logs -p` is
`--previous`, `patch -p` is `--patch`, `run -l` is `--labels`) is looked up by verb.
"""

from __future__ import annotations

from functools import cache

from minik8s.kubectl.pflag import Flag, FlagSet

# Flags that take a value (`-n x`, `--namespace=x`, `-nx`, `-n=x`), with their shorthand.
VALUE_FLAGS = {
    "namespace": "n",
    "output": "o",
    "selector": "l",
    "filename": "f",
    "container": "c",
    "label-columns": "L",
    "replicas": "r",
    "kustomize": "k",
    "server": "s",
    "v": "v",
}
VALUE_FLAGS.update(
    dict.fromkeys(
        "grace-period field-selector chunk-size tail since timeout to-revision revision image "
        "from-literal from-file from-env-file type sort-by current-replicas resource-version patch "
        "port target-port protocol name restart labels env annotations image-pull-policy "
        "cluster-ip request-timeout schedule from tcp clusterip external-name node-port cert key "
        "docker-username docker-password docker-email docker-server".split(),
        "",
    )
)
# Boolean flags with a shorthand (bare: true; `-A=false`, `--watch=0`: parsed by `bool_flag`).
SHORT_BOOLEANS = {
    "A": "all-namespaces",
    "w": "watch",
    "p": "previous",
    "i": "stdin",
    "t": "tty",
    "R": "recursive",
    "q": "quiet",
    "h": "help",
}
SHORTHANDS = {name: letter for letter, name in SHORT_BOOLEANS.items()}
# Flags whose bare form has a value other than true (pflag `NoOptDefVal`).
OPTIONAL_VALUES = {"cascade": "background"}
# Shorthands whose meaning depends on the verb.
VERB_SHORT_FLAGS = {("run", "l"): "labels", ("expose", "l"): "labels", ("patch", "p"): "patch"}


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


def _flags(verb: str) -> list[Flag]:
    flags = [Flag(name, letter) for name, letter in VALUE_FLAGS.items()]
    flags += [Flag(name, letter, True) for letter, name in SHORT_BOOLEANS.items()]
    flags += [Flag(name, "", default) for name, default in OPTIONAL_VALUES.items()]
    for (for_verb, letter), name in VERB_SHORT_FLAGS.items():
        if for_verb == verb:
            flags.append(Flag(name, letter, None if name in VALUE_FLAGS else True))
    return flags


@cache
def flag_set_for(verb: str) -> FlagSet:
    """The flags `kubectl VERB` knows (shared; callers must not change it)."""
    return FlagSet(_flags(verb), unknown_long_is_bool=True)


def find_command(argv: list[str]) -> list[str]:
    """cobra `Find`: the verb and any subcommand words, e.g. `["create", "secret", "tls"]`."""
    words = flag_set_for("").strip_flags(argv)
    path = words[:1]
    for word in words[1:]:
        names = SUBCOMMANDS.get(" ".join(path))
        if not names or word not in names:
            break
        path.append(names[word])
    return path


def flag_error(message: str, command: list[str]) -> ValueError:
    """`FlagErrorFunc` then `CheckErr`: the pflag error and where to find usage."""
    path = " ".join(["kubectl", *command])
    return ValueError(f"error: {message}\nSee '{path} --help' for usage.")
