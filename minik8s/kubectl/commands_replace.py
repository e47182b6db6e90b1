"""kubectl replace -f FILE.

Mirrors `k8s.io/kubectl/pkg/cmd/replace/replace.go` with cli-runtime `Helper.Replace(ns, name,
overwrite=true, obj)`: an object without a resourceVersion is sent with the live one (a GET
first, so a missing object is NotFound), one with a stale resourceVersion is a Conflict; errors
are worded `error when replacing "FILE": ...` and success `deployment.apps/web replaced`, with
`(dry run)` / `(server dry run)` and `-o name`; `--force` (delete, wait, create) is in
`replace_force`. Leaves out `--save-config`, `--raw` and `-k`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.kubectl.apply import display_name, resolve_namespace
from minik8s.kubectl.cli import Args, bool_flag, register
from minik8s.kubectl.commands import each_manifest
from minik8s.kubectl.commands_create import get_dry_run_strategy, usage_error
from minik8s.kubectl.replace_force import force_replace, replace_delete_options

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


def replace_object(
    client: Client, info: kinds.ResourceInfo, obj: Obj, ns: str | None, dry_run: bool = False
) -> Obj:
    """`Helper.Replace` with overwrite: fill in the live resourceVersion when none is given."""
    meta = obj.setdefault("metadata", {})
    if not meta.get("resourceVersion"):
        live = client.get(info.plural, meta.get("name", ""), ns)
        meta["resourceVersion"] = live["metadata"]["resourceVersion"]
    return client.update(info.plural, obj, ns, dry_run=dry_run, field_validation="Strict")


@register("replace")
def replace(client: Client, args: Args) -> str:
    """`kubectl replace -f FILE [--dry-run=client|server] [-o name] [--force]`."""
    dry_run = get_dry_run_strategy(args)
    delete_opts = replace_delete_options(args, dry_run)
    if not args.multi.get("filename") and args.manifest is None:
        raise usage_error("Must specify --filename to replace", "replace")
    if bool_flag(args, "force", False):
        return force_replace(client, args, delete_opts)
    output = args.flag("output", "") or ""
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        ns = resolve_namespace(info, obj, args.namespace_given)
        name = obj["metadata"].get("name", "")
        if dry_run != "client":
            replace_object(client, info, obj, ns, dry_run=dry_run == "server")
        shown = display_name(info, name)
        return f"{shown}\n" if output == "name" else f"{shown} replaced{suffix}\n"

    return each_manifest(client, args, "replacing", action)
