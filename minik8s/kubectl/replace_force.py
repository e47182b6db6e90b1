"""`k8s.io/kubectl/pkg/cmd/replace/replace.go` (v1.31) `forceReplace`: `kubectl replace --force`
deletes the objects of the files, waits until they are gone and creates them again.

`ReplaceOptions.Complete` and `Validate` as they concern it: the delete flags as `NewDeleteFlags`
gives them to other commands (`--wait` false, `--cascade`, `--grace-period`, `--timeout`), NotFound
ignored (replace creates what is missing), `--grace-period=0` turned into 1 with a wait; the
`deleted` lines (never `force deleted`: replace does not run delete's `Complete`), then a GET every
second until each object is NotFound (`--timeout`, 0 meaning five minutes: `timed out waiting for
the condition`), then a create per object printed as `replaced`. Time is virtual: the polling runs
the cluster's loop. Leaves out `--raw`, `--subresource`, `--save-config` and `-k`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import display_name, resolve_namespace
from minik8s.kubectl.cli import Args, bool_flag, format_error
from minik8s.kubectl.commands import info_for, manifests
from minik8s.kubectl.commands_delete import (
    DeleteOptions,
    cascading_strategy,
    delete_one,
)
from minik8s.kubectl.delete_wait import effective_timeout, parse_timeout, wait_for_deletion
from minik8s.kubectl.flag_values import int_flag

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
POLL_INTERVAL = 1.0  # wait.PollImmediate(1*time.Second, ...)
DEFAULT_TIMEOUT = 300.0  # "if timeout == 0 { timeout = 5 * time.Minute }"


def replace_delete_options(args: Args, dry_run: str) -> DeleteOptions:
    """`Complete` (the delete flags of `replace`) then `Validate`'s checks on them."""
    propagation, warnings = cascading_strategy(str(args.flag("cascade", "background")))
    grace = int_flag(args, "grace-period", -1)
    wait = bool_flag(args, "wait", False)
    if grace == 0:  # "we convert --grace-period=0 into --grace-period=1 and wait"
        grace, wait = 1, True
    timeout = parse_timeout(args)
    force = bool_flag(args, "force", False)
    if grace >= 0 and not force:
        raise ValueError("error: --grace-period must have --force specified")
    if timeout != 0 and not force:
        raise ValueError("error: --timeout must have --force specified")
    if force and dry_run != "none":
        raise ValueError("error: --dry-run can not be used when --force is set")
    output = args.flag("output", "") or ""
    return DeleteOptions(propagation, grace, "none", output, warnings, False, wait, timeout)


def force_replace(client: Client, args: Args, opts: DeleteOptions) -> str:
    """`forceReplace`: the delete lines, the wait, then the `replaced` lines and errors."""
    targets: list[tuple[Obj, kinds.ResourceInfo, str | None]] = []
    printed = opts.warnings
    for obj, source in manifests(args):
        info = info_for(obj, source)
        ns = resolve_namespace(info, obj, args.namespace_given)
        targets.append((obj, info, ns))
        try:
            printed += delete_one(client, info, obj["metadata"]["name"], ns, opts)
        except errors.NotFound:
            continue  # "Replace will create a resource if it doesn't exist already"
        except errors.StatusError as err:
            return printed + (
                f'Error from server ({err.reason}): error when deleting "{source}": {err.message}\n'
            )
    if not targets:
        return printed + "No resources found\nerror: no objects passed to replace\n"
    if opts.wait:
        failed = wait_for_deletion(client, opts.deleted, effective_timeout(opts.timeout))
        if failed:
            return printed + failed
    timeout = opts.timeout or DEFAULT_TIMEOUT
    for obj, info, ns in targets:
        if not poll_until_not_found(client, info, obj["metadata"]["name"], ns, timeout):
            return printed + "error: timed out waiting for the condition\n"
    return printed + _create_all(client, targets, opts.output)


def poll_until_not_found(
    client: Client, info: kinds.ResourceInfo, name: str, ns: str | None, timeout: float
) -> bool:
    """`wait.PollImmediate(1s, timeout, ...)` on `info.Get()`: True once it is NotFound."""
    loop = client.loop
    deadline = loop.now + timeout
    while True:
        try:
            client.get(info.plural, name, ns)
        except errors.NotFound:
            return True
        if loop.now >= deadline:
            return False
        loop.run(until=min(loop.now + POLL_INTERVAL, deadline))


def _create_all(
    client: Client, targets: list[tuple[Obj, kinds.ResourceInfo, str | None]], output: str
) -> str:
    """The second builder's visit: create each object; its line, errors at the end."""
    out: list[str] = []
    errs: list[str] = []
    for obj, info, ns in targets:
        meta = {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}
        try:  # `Helper.Create(ns, modify=true, obj)` clears the resourceVersion
            created = client.create(
                info.plural, {**obj, "metadata": meta}, ns, field_validation="Strict"
            )
        except (errors.StatusError, ValueError) as err:
            errs.append(format_error(err))
            continue
        shown = display_name(info, created["metadata"]["name"])
        out.append(f"{shown}\n" if output == "name" else f"{shown} replaced\n")
    return "".join(out) + "".join(errs)
