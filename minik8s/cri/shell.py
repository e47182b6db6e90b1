"""A tiny shell for simulated containers: `sh -c '...'` scripts and `kubectl exec` commands.

Mirrors what busybox `sh` does with the commands course manifests use: `echo`, `sleep N`,
`cat FILE`, `env`/`printenv`, `exit N`, `true`/`false`/`:`, `touch`, `rm`, `mkdir`, `ls`,
`test`/`[`, `hostname`, `date`, `nslookup NAME` (the cluster's DNS, through the container's
/etc/resolv.conf), plus the grammar of `shell_parse`. A script runs as a generator that yields
the virtual seconds it sleeps and returns its exit code, so a runtime resumes it on its event
loop. Error messages follow busybox (`sh: foo: not found`, exit 127).
ExecSync of a binary that is none of these fails to start (`exec_not_found`), as runc's does
(`exec: "foo": executable file not found in $PATH`, for a path `stat /x/foo: no such file …`).
Left out: everything else a shell does (pipes, globbing, field splitting, arithmetic, traps).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Generator, MutableMapping
from dataclasses import dataclass, field

from minik8s.cri.shell_parse import (
    Command,
    CommandList,
    Compound,
    ShellSyntaxError,
    Word,
    parse,
)

Script = Generator[float, None, int]  # yields sleep durations, returns the exit code
VAR = re.compile(r"\$(\?|[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})")
SHELLS = {"sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/env"}
MAX_LOOP = 100_000  # iterations of a loop that never sleeps before the shell gives up


class ExitShell(Exception):
    def __init__(self, code: int):
        self.code = code


@dataclass
class Context:
    """What a script sees: its env, the container's files, the clock, where output goes."""

    env: MutableMapping[str, str]
    files: MutableMapping[str, str]
    write: Callable[[str, str], None] = field(repr=False)  # (stream, text)
    date: Callable[[], str] = field(repr=False, default=lambda: "Wed Jan  1 00:00:00 UTC 2025")
    status: int = 0
    # (name, the container's /etc/resolv.conf) → (what `nslookup` prints, whether it found it);
    # None: no DNS server answers (a runtime that is not wired to a cluster)
    resolve: Callable[[str, str], tuple[str, bool]] | None = field(repr=False, default=None)


def expand(word: Word, ctx: Context) -> str:
    """The word's value with `$VAR`, `${VAR}` and `$?` substituted where quoting allows."""

    def var(match: re.Match[str]) -> str:
        name = match.group(1).strip("{}")
        return str(ctx.status) if name == "?" else ctx.env.get(name, "")

    return "".join(VAR.sub(var, text) if live else text for text, live in word.parts)


def run_script(script: str, ctx: Context) -> Script:
    """Run a `sh -c` script; yields sleeps, returns the exit code."""
    try:
        tree = parse(script)
    except ShellSyntaxError as err:
        ctx.write("stderr", f"sh: {err}\n")
        return 2
    try:
        return (yield from run_list(tree, ctx))
    except ExitShell as done:
        return done.code


def run_argv(argv: list[str], ctx: Context) -> Script:
    """Run a container's command line: `sh -c SCRIPT`, or one command without a shell."""
    if len(argv) >= 3 and argv[0] in SHELLS and argv[1] in ("-c", "-ec", "-xc"):
        return (yield from run_script(argv[2], ctx))
    if argv and argv[0] in SHELLS and len(argv) >= 2 and argv[0].endswith("env"):
        argv = argv[1:]
    try:
        return (yield from builtin(argv, ctx))
    except ExitShell as done:
        return done.code


def run_list(tree: CommandList, ctx: Context) -> Script:
    """Run commands joined by `;`, `&&`, `||`."""
    for connector, node in tree.items:
        if (connector == "&&" and ctx.status != 0) or (connector == "||" and ctx.status == 0):
            continue
        if isinstance(node, CommandList):
            ctx.status = yield from run_list(node, ctx)
        elif isinstance(node, Compound):
            ctx.status = yield from run_compound(node, ctx)
        else:
            ctx.status = yield from run_command(node, ctx)
    return ctx.status


def run_compound(node: Compound, ctx: Context) -> Script:
    status = 0
    if node.kind == "if":
        branches, otherwise = node.parts
        for cond, body in branches:
            if (yield from run_list(cond, ctx)) == 0:
                return (yield from run_list(body, ctx))
        return (yield from run_list(otherwise, ctx)) if otherwise.items else 0
    if node.kind == "for":
        var, values, body = node.parts
        for value in [expand(w, ctx) for w in values]:
            ctx.env[expand(var, ctx)] = value
            status = yield from run_list(body, ctx)
        return status
    cond, body = node.parts
    for _ in range(MAX_LOOP):
        ok = (yield from run_list(cond, ctx)) == 0
        if ok != (node.kind == "while"):
            return status
        status = yield from run_list(body, ctx)
        yield 0.0  # let the loop breathe: a tight loop still ends when the container is killed
    return status


def run_command(cmd: Command, ctx: Context) -> Script:
    argv = [expand(w, ctx) for w in cmd.words]
    if not argv:
        return 0
    if cmd.redirect is None:
        return (yield from builtin(argv, ctx))
    mode, target = cmd.redirect
    path = expand(target, ctx)
    captured: list[str] = []
    outer = ctx.write
    ctx.write = lambda stream, text: (
        captured.append(text) if stream == "stdout" else outer(stream, text)
    )
    try:
        status = yield from builtin(argv, ctx)
    finally:
        ctx.write = outer
    if path != "/dev/null":
        prefix = ctx.files.get(path, "") if mode == ">>" else ""
        ctx.files[path] = prefix + "".join(captured)
    return status


def builtin(argv: list[str], ctx: Context) -> Script:
    """Run one simple command."""
    name, args = posixpath.basename(argv[0]), argv[1:]
    out = ctx.write
    if name == "sleep":
        seconds = parse_duration(args[0] if args else "")
        if seconds is None:
            out("stderr", f"sleep: invalid number '{args[0] if args else ''}'\n")
            return 1
        yield seconds
        return 0
    if name == "exit":
        raise ExitShell(int(args[0]) % 256 if args and args[0].lstrip("-").isdigit() else 0)
    if name == "echo":
        newline = not (args and args[0] == "-n")
        out("stdout", " ".join(args[0 if newline else 1 :]) + ("\n" if newline else ""))
        return 0
    if name == "cat":
        status = 0
        for path in args:
            if path in ctx.files:
                out("stdout", ctx.files[path])
            else:
                out("stderr", f"cat: can't open '{path}': No such file or directory\n")
                status = 1
        return status
    simple = SIMPLE.get(name)
    if simple is not None:
        return simple(args, ctx)
    out("stderr", f"sh: {argv[0]}: not found\n")
    return 127


def parse_duration(text: str) -> float | None:
    """busybox sleep's argument: seconds, with an optional s/m/h/d suffix."""
    match = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", text)
    if not match:
        return None
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def _env(args: list[str], ctx: Context) -> int:
    if args:
        if args[0] not in ctx.env:
            return 1
        ctx.write("stdout", ctx.env[args[0]] + "\n")
        return 0
    ctx.write("stdout", "".join(f"{k}={v}\n" for k, v in ctx.env.items()))
    return 0


def _touch(args: list[str], ctx: Context) -> int:
    for path in args:
        ctx.files.setdefault(path, "")
    return 0


def _rm(args: list[str], ctx: Context) -> int:
    force = any(a.startswith("-") and "f" in a for a in args)
    status = 0
    for path in (a for a in args if not a.startswith("-")):
        if ctx.files.pop(path, None) is None and not force:
            ctx.write("stderr", f"rm: can't remove '{path}': No such file or directory\n")
            status = 1
    return status


def _ls(args: list[str], ctx: Context) -> int:
    paths = [a for a in args if not a.startswith("-")] or [ctx.env.get("PWD", "/")]
    for path in paths:
        if path in ctx.files:
            ctx.write("stdout", path + "\n")
            continue
        prefix = path.rstrip("/") + "/"
        names = sorted({p[len(prefix) :].split("/")[0] for p in ctx.files if p.startswith(prefix)})
        if not names:
            ctx.write("stderr", f"ls: {path}: No such file or directory\n")
            return 1
        ctx.write("stdout", "".join(n + "\n" for n in names))
    return 0


def _test(args: list[str], ctx: Context) -> int:
    if args and args[-1] == "]":
        args = args[:-1]
    negate = bool(args) and args[0] == "!"
    args = args[1:] if negate else args
    if len(args) == 2 and args[0] in ("-f", "-e", "-s", "-r"):
        ok = args[1] in ctx.files and (args[0] != "-s" or ctx.files[args[1]] != "")
    elif len(args) == 2 and args[0] == "-d":
        ok = any(p.startswith(args[1].rstrip("/") + "/") for p in ctx.files)
    elif len(args) == 2 and args[0] in ("-z", "-n"):
        ok = (args[1] == "") == (args[0] == "-z")
    elif len(args) == 3 and args[1] in ("=", "==", "!="):
        ok = (args[0] == args[2]) == (args[1] != "!=")
    elif len(args) == 3 and args[1] in ("-eq", "-ne", "-lt", "-gt", "-le", "-ge"):
        a, b = int(args[0]), int(args[2])
        ok = {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-gt": a > b, "-le": a <= b}.get(
            args[1], a >= b
        )
    else:
        ok = len(args) == 1 and args[0] != ""
    return 0 if ok != negate else 1


def _nslookup(args: list[str], ctx: Context) -> int:
    """`nslookup NAME`: ask the nameserver of the container's /etc/resolv.conf, with its search
    path (bind's output; exit 1 when the name is not found)."""
    names = [a for a in args if not a.startswith("-")]
    if not names:
        ctx.write("stderr", "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n")
        return 1
    if ctx.resolve is None:
        ctx.write("stdout", ";; connection timed out; no servers could be reached\n\n")
        return 1
    text, found = ctx.resolve(names[0], ctx.files.get("/etc/resolv.conf", ""))
    ctx.write("stdout", text + "\n")
    return 0 if found else 1


def _print(ctx: Context, line: str) -> int:
    ctx.write("stdout", line + "\n")
    return 0


SIMPLE: dict[str, Callable[[list[str], Context], int]] = {
    "true": lambda args, ctx: 0,
    ":": lambda args, ctx: 0,
    "false": lambda args, ctx: 1,
    "env": _env,
    "printenv": _env,
    "touch": _touch,
    "rm": _rm,
    "mkdir": lambda args, ctx: 0,
    "ls": _ls,
    "test": _test,
    "[": _test,
    "hostname": lambda args, ctx: _print(ctx, ctx.env.get("HOSTNAME", "")),
    "date": lambda args, ctx: _print(ctx, ctx.date()),
    "nslookup": _nslookup,
}


BINARIES = {"sleep", "echo", "cat"} | set(SIMPLE) - {":"}  # what exec finds in $PATH


def is_executable(argv: list[str]) -> bool:
    """Whether exec finds `argv[0]` (a shell or a command this shell knows; not `exit`)."""
    return bool(argv) and (argv[0] in SHELLS or posixpath.basename(argv[0]) in SHELLS | BINARIES)


def exec_not_found(container_id: str, cmd: list[str]) -> str:
    """containerd's ExecSync error for a binary that is not in the image: runc's `LookPath`
    searches $PATH for a bare name and stats a path; the exec id is containerd's own (upstream
    random, here derived from the container and the command)."""
    name = cmd[0] if cmd else ""
    exec_id = hashlib.sha256(f"exec/{container_id}/{cmd}".encode()).hexdigest()
    quoted = json.dumps(name)  # Go's strconv.Quote for the plain names seen here
    why = "executable file not found in $PATH"
    if "/" in name:
        why = f"stat {name}: no such file or directory"
    return (
        f'failed to exec in container: failed to start exec "{exec_id}": OCI runtime exec '
        f"failed: exec failed: unable to start container process: exec: {quoted}: {why}: unknown"
    )


def run_to_end(script: Script, timeout: float | None = None) -> tuple[int, float, bool]:
    """Drive a script without a clock (exec): (exit code, seconds slept, timed out?)."""
    slept = 0.0
    try:
        while True:
            slept += next(script)
            if timeout is not None and timeout > 0 and slept > timeout:
                script.close()
                return -1, slept, True
    except StopIteration as stop:
        return int(stop.value or 0), slept, False
