"""kubectl delete, mirroring `k8s.io/kubectl/pkg/cmd/delete/{delete.go,delete_flags.go}`.

`Complete` and `Validate` (`--now`, `--grace-period`, `--force`, `--cascade` with its deprecated
boolean values, `-o name`, `--all` / `-l`), `DeleteResult` (one DELETE per object, its line printed
at once: `pod "web" deleted`, `force deleted`, `(dry run)`, `(server dry run)`, `-o name`; `No
resources found`), then, unless `--wait=false` or a dry run, the wait until every deleted object is
gone (`delete_wait`, `--timeout`, 0 meaning a week). An error while deleting skips the wait, as
upstream. Leaves out `--raw`, `--interactive`, `--field-selector`, `-k` and `--recursive`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import resolve_namespace
from minik8s.kubectl.cli import BOOLEANS, Args, bool_flag, format_error, register
from minik8s.kubectl.commands import visit_manifests
from minik8s.kubectl.commands_create import get_dry_run_strategy
from minik8s.kubectl.delete_wait import (
    Deleted,
    effective_timeout,
    parse_timeout,
    wait_for_deletion,
)
from minik8s.kubectl.flag_values import int_flag
from minik8s.kubectl.get import parse_resource_args

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
_CASCADE = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
# strconv.ParseBool's words
MISSING_RESOURCE = (
    "error: You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n   '<resource>'"
)
FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running "
    "resource has been terminated. The resource may continue to run on the cluster "
    "indefinitely.\n"
)


@dataclass
class DeleteOptions:
    """What `kubectl delete`'s `Complete` and `Validate` make of its flags."""

    propagation: str
    grace: int
    dry_run: str
    output: str
    warnings: str
    warn_cluster_scope: bool  # `-n` was given: say so once when it does not apply
    wait: bool = True
    timeout: float = 0.0  # seconds; 0: a week
    deleted: list[Deleted] = field(default_factory=list)


def cascading_strategy(value: str) -> tuple[str, str]:
    """`parseCascadingFlag`: the policy, and the warning for a boolean value."""
    if value not in BOOLEANS:
        if value not in _CASCADE:
            raise ValueError(
                f'error: invalid cascade value ({value}). Must be "background", "foreground", '
                'or "orphan"'
            )
        return _CASCADE[value], ""
    replacement = "background" if BOOLEANS[value] else "orphan"
    warning = (
        f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
        f"--cascade={replacement}.\n"
    )
    return _CASCADE[replacement], warning


def delete_options(args: Args) -> DeleteOptions:
    """`DeleteOptions.Complete` and `Validate`: flag combinations upstream refuses."""
    wait = bool_flag(args, "wait", True)  # pflag parses these before the command runs
    timeout = parse_timeout(args)
    propagation, warnings = cascading_strategy(str(args.flag("cascade", "background")))
    grace = _grace_period(args)
    output = args.flag("output", "") or ""
    if output not in ("", "name"):
        raise ValueError(f"error: unexpected -o output mode: {output}. We only support '-o name'")
    if bool_flag(args, "all", False) and args.flag("selector"):
        raise ValueError("error: cannot set --all and --selector at the same time")
    if bool_flag(args, "all", False) and args.flag("field-selector"):
        raise ValueError("error: cannot set --all and --field-selector at the same time")
    force = bool_flag(args, "force", False)
    if force and grace > 0:
        raise ValueError(
            "error: --force and --grace-period greater than 0 cannot be specified together"
        )
    if force and grace == 0:
        warnings += FORCE_WARNING
    warn_cluster_scope = bool(args.namespace_given) and not args.all_namespaces
    dry_run = get_dry_run_strategy(args)
    return DeleteOptions(
        propagation, grace, dry_run, output, warnings, warn_cluster_scope, wait, timeout
    )


def _grace_period(args: Args) -> int:
    """`--grace-period` (-1: the object's own), `--now` (1), `--force` (0; 1 without it)."""
    grace = int_flag(args, "grace-period", -1)
    if bool_flag(args, "now", False):
        if grace != -1:
            raise ValueError("error: --now and --grace-period cannot be specified together")
        grace = 1
    force = bool_flag(args, "force", False)
    if grace == 0 and not force:
        grace = 1  # --grace-period=0 without --force means 1
    if force and grace < 0:
        grace = 0
    return grace


def delete_one(
    client: Client, info: kinds.ResourceInfo, name: str, ns: str | None, opts: DeleteOptions
) -> str:
    """`DeleteResult` for one object (its UID kept for the wait), then `PrintObj`."""
    warning = ""
    if opts.warn_cluster_scope and not info.namespaced:
        warning = (
            "warning: deleting cluster-scoped resources, not scoped to the provided namespace\n"
        )
        opts.warn_cluster_scope = False
    if opts.dry_run == "client":
        client.get(info.plural, name, ns)  # the builder fetches it: NotFound still shows
    else:
        response = client.delete(
            info.plural,
            name,
            ns,
            propagation_policy=opts.propagation,
            grace_period_seconds=None if opts.grace < 0 else opts.grace,
            dry_run=opts.dry_run == "server",
        )
        uid = ((response or {}).get("metadata") or {}).get("uid")
        opts.deleted.append(Deleted(info.plural, name, ns, uid))
    return warning + print_deleted(info, name, opts)


def print_deleted(info: kinds.ResourceInfo, name: str, opts: DeleteOptions) -> str:
    """`DeleteOptions.PrintObj`: `kind.group "name" deleted` or `kind.group/name`."""
    kind = f"{info.kind.lower()}{'.' + info.group if info.group else ''}"
    if opts.output == "name":
        return f"{kind}/{name}\n"
    operation = "force deleted" if opts.grace == 0 else "deleted"
    operation += {"client": " (dry run)", "server": " (server dry run)"}.get(opts.dry_run, "")
    return f'{kind} "{name}" {operation}\n'


def finish(client: Client, opts: DeleteOptions, out: list[str], errs: list[str]) -> str:
    """The end of `DeleteResult`: errors skip the wait; otherwise wait unless told not to."""
    printed = opts.warnings + "".join(out) + "".join(errs)
    if errs or not opts.deleted or not opts.wait or opts.dry_run != "none":
        return printed
    return printed + wait_for_deletion(client, opts.deleted, effective_timeout(opts.timeout))


@register("delete")
def delete(client: Client, args: Args) -> str:
    """`kubectl delete TYPE NAME... | TYPE/NAME | -f FILE | TYPE -l sel | TYPE --all`."""
    from_files = args.multi.get("filename") or (args.manifest is not None and not args.positional)
    if not from_files and not args.positional:
        raise ValueError(MISSING_RESOURCE)
    opts = delete_options(args)
    if from_files:

        def action(info: kinds.ResourceInfo, obj: Obj) -> str:
            ns = resolve_namespace(info, obj, args.namespace_given)
            return delete_one(client, info, obj["metadata"]["name"], ns, opts)

        out, errs = visit_manifests(args, "deleting", action)
        return finish(client, opts, out, errs)
    out, errs = [], []
    selecting = bool_flag(args, "all", False) or bool(args.flag("selector"))
    ignore_not_found = bool_flag(args, "ignore-not-found", selecting)  # upstream's Complete
    for info, name, ns in _targets(client, args):
        try:
            out.append(delete_one(client, info, name, ns, opts))
        except errors.NotFound as err:
            if not ignore_not_found:
                errs.append(format_error(err))
    if not out and not errs and selecting:
        return opts.warnings + "No resources found\n"  # Complete warned before the visit
    return finish(client, opts, out, errs)


def _targets(client: Client, args: Args) -> list[tuple[kinds.ResourceInfo, str, str | None]]:
    """`TYPE NAME...` as given, or what `TYPE -l SEL` / `TYPE --all` lists."""
    requests, _ = parse_resource_args(args.positional)
    targets: list[tuple[kinds.ResourceInfo, str, str | None]] = []
    for info, names in requests:
        ns = None if not info.namespaced else args.namespace
        if names:
            targets.extend((info, name, ns) for name in names)
            continue
        if not (bool_flag(args, "all", False) or args.flag("selector")):
            raise ValueError("error: resource(s) were provided, but no name was specified")
        scope = None if args.all_namespaces else ns
        listed = client.list(info.plural, scope, label_selector=args.flag("selector"))
        for o in listed.get("items") or []:
            item_ns = o["metadata"].get("namespace") if info.namespaced else None
            targets.append((info, o["metadata"]["name"], item_ns))
    return targets
