"""What a simulated container's process does, decided from its argv and image (the simulated
runtime's stand-in for actually executing a binary).

`resolve_argv` merges Kubernetes' `command`/`args` with the image's ENTRYPOINT/CMD as containerd
does. `classify` says which kind of process that is: a `script` for the simulated shell, a
`web` server, a process that exits 0 at once (`exit0`: a shell with no stdin), `stress` (the
`polinux/stress` memory hog of the resource-limits docs, OOM-killed above its memory limit) or
one that runs until stopped (`forever`). `env_mapping` turns the config's env into the mapping
the process reads, once per env list the kubelet shares among containers.
Left out: everything a real binary would do beyond that.
"""

from __future__ import annotations

import posixpath
import re
from collections import OrderedDict

from minik8s.cri import catalog, webservers
from minik8s.cri.api import ContainerConfig, KeyValue
from minik8s.cri.shell import SHELLS

EXEC_COMMANDS = {"sleep", "echo", "cat", "env", "printenv", "true", "false", "ls", "date"}
EXEC_COMMANDS |= {"hostname", "touch", "exit", "test"}
WEB_BINARIES = {"nginx", "httpd", "httpd-foreground", "http-echo", "agnhost"}
UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def resolve_argv(config: ContainerConfig, entry: catalog.ImageEntry) -> list[str]:
    """Kubernetes' command/args over the image's ENTRYPOINT/CMD."""
    if config.command:
        return config.command + config.args
    return entry.entrypoint + (config.args or entry.cmd)


def classify(argv: list[str], entry: catalog.ImageEntry, config: ContainerConfig) -> str:
    """What the process does: `script`, `web`, `exit0`, `stress` or `forever`."""
    args = argv[1:] if argv and argv[0].endswith("docker-entrypoint.sh") else argv
    first = posixpath.basename(args[0]) if args else ""
    if (args and args[0] in SHELLS) or first in ("sh", "bash", "ash"):
        if any(a in ("-c", "-ec", "-xc") for a in args[1:2]):
            return "script"
        return "forever" if (config.stdin or config.tty) else "exit0"
    if first in EXEC_COMMANDS:
        return "script"
    if first == "stress":
        return "stress"
    if entry.behaviour in webservers.SERVERS and (first in WEB_BINARIES or not args):
        return "web"
    if entry.behaviour == "shell" and len(args) <= 1:
        return "forever" if (config.stdin or config.tty) else "exit0"
    return "forever"


def stress_bytes(argv: list[str]) -> int:
    """The memory `stress --vm-bytes N` allocates (0 without `--vm`)."""
    for flag, value in zip(argv, argv[1:], strict=False):
        if flag == "--vm-bytes":
            match = re.fullmatch(r"(\d+)([BKMG]?)", value.upper())
            if match:
                return int(match.group(1)) * UNITS[match.group(2)]
    return 256 * 1024**2 if "--vm" in argv else 0


def memory_limit(config: ContainerConfig) -> int:
    """The container's memory limit in bytes (0: none)."""
    return config.linux.resources.memory_limit_in_bytes if config.linux else 0


SHARED_ENVS = 64  # env lists remembered (the kubelet hands the same list to many containers)
_env_maps: OrderedDict[int, tuple[list[KeyValue], dict[str, str]]] = OrderedDict()


def env_mapping(envs: list[KeyValue]) -> dict[str, str]:
    """`envs` as a mapping, built once per list object: the kubelet shares one list (a
    namespace's service variables) among many containers, so the result is shared too and only
    ever read (a `ChainMap` writes to its first layer). The cache holds the list, so an id is
    not reused while its entry lives."""
    found = _env_maps.get(id(envs))
    if found is not None and found[0] is envs:
        _env_maps.move_to_end(id(envs))
        return found[1]
    mapping = {kv.key: kv.value for kv in envs}
    _env_maps[id(envs)] = (envs, mapping)
    if len(_env_maps) > SHARED_ENVS:
        _env_maps.popitem(last=False)
    return mapping
