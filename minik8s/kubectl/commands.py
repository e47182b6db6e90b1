"""The built-in kubectl subcommands get, describe, apply and create.

Mirrors `k8s.io/kubectl/pkg/cmd/{get,describe,apply,create}` for their messages
(`deployment.apps/web created`, `configured (dry run)`), apply's `-o yaml|json` (the applied
objects printed once all succeeded, several as a `List`) and errors (`error when creating
"STDIN": ...`). Leaves out `--prune`, `--record` and `edit`; the `create` generators live in
`commands_create` and `commands_create_more`, `delete` in `commands_delete`, `scale` in
`commands_scale`, `replace` in `commands_replace`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import apply_object, display_name, resolve_namespace
from minik8s.kubectl.cli import Args, bool_flags, format_error, register
from minik8s.kubectl.describe import run_describe
from minik8s.kubectl.flag_values import int_flag
from minik8s.kubectl.get import GetOptions, parse_resource_args, run_get
from minik8s.kubectl.get_watch import WatchOptions, parse_request_timeout, run_get_watch
from minik8s.kubectl.manifest import ManifestError, load_manifests_with_source

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
GET_BOOLEANS = ("watch", "watch-only", "output-watch-events", "no-headers", "show-labels")


@register("get")
def get(client: Client, args: Args) -> str:
    """`kubectl get`."""
    booleans = bool_flags(args, GET_BOOLEANS)  # pflag parses them before the command runs
    requests, multiple = parse_resource_args(args.positional)
    opts = GetOptions(
        namespace=args.namespace,
        all_namespaces=args.all_namespaces,
        output=args.flag("output", "") or "",
        selector=args.flag("selector"),
        field_selector=args.flag("field-selector"),
        show_labels=booleans.get("show-labels", False),
        label_columns=[
            key
            for value in args.multi.get("label-columns") or []
            for key in value.split(",")
            if key
        ],
        sort_by=args.flag("sort-by", "") or "",
        no_headers=booleans.get("no-headers", False),
        requests=requests,
        multiple_types=multiple,
        chunk_size=int_flag(args, "chunk-size", 500),
    )
    if booleans.get("watch") or booleans.get("watch-only"):
        watch = WatchOptions(
            watch_only=booleans.get("watch-only", False),
            output_watch_events=booleans.get("output-watch-events", False),
            request_timeout=parse_request_timeout(args.flag("request-timeout")),
        )
        return run_get_watch(client, opts, watch)
    return run_get(client, opts)


@register("describe")
def describe(client: Client, args: Args) -> str:
    """`kubectl describe`."""
    if not args.positional:
        raise ValueError(
            "error: You must specify the type of resource to describe. "
            'Use "kubectl api-resources" for a complete list of supported resources.'
        )
    resource, *names = args.positional
    return run_describe(
        client, resource, names, args.namespace, args.all_namespaces, args.flag("selector")
    )


def manifests(args: Args) -> list[tuple[Obj, str]]:
    """The objects of every `-f` (`-` is the given manifest), each with where it came from."""
    files = args.multi.get("filename") or []
    if not files and args.manifest is None:
        raise ValueError("error: must specify one of -f and -k")
    found: list[tuple[Obj, str]] = []
    for name in files:
        if name == "-":
            if args.manifest is None:
                raise ManifestError("error: no manifest given for -f - (pass manifest=...)")
            found.extend(load_manifests_with_source(args.manifest, "STDIN"))
        else:
            found.extend(load_manifests_with_source(name))
    if not files and args.manifest is not None:
        found.extend(load_manifests_with_source(args.manifest, "STDIN"))
    return found


def info_for(obj: Obj, source: str) -> kinds.ResourceInfo:
    """The resource of a manifest's object; kubectl's mapping error names its source."""
    try:
        return kinds.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    except kinds.UnknownResource as err:
        meta = obj.get("metadata") or {}
        raise kinds.UnknownResource(
            f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
            f'"{meta.get("namespace", "")}" from "{source}": {err}\n'
            "ensure CRDs are installed first"
        ) from None


def each_manifest(client: Client, args: Args, verb: str, action: Any) -> str:
    """Run `action(info, obj)` on each manifest object; its lines, then the errors."""
    out, errs = visit_manifests(args, verb, action)
    return "".join(out) + "".join(errs)


def visit_manifests(args: Args, verb: str, action: Any) -> tuple[list[str], list[str]]:
    """The `-f` builder with `ContinueOnError`: (lines printed, errors kept for the end)."""
    out: list[str] = []
    errs: list[str] = []
    for obj, source in manifests(args):
        try:
            info = info_for(obj, source)
            out.append(action(info, obj))
        except errors.StatusError as err:
            during = getattr(err, "during", verb)
            errs.append(
                f'Error from server ({err.reason}): error when {during} "{source}": {err.message}\n'
            )
        except (LookupError, ValueError) as err:
            errs.append(format_error(err))
    return out, errs


@register("apply")
def apply(client: Client, args: Args) -> str:
    """`kubectl apply -f FILE` (or `manifest=`) [--dry-run=client|server] [-o yaml|json|name]."""

    from minik8s.kubectl.commands_create import get_dry_run_strategy, output_format

    dry_run = get_dry_run_strategy(args)
    output = output_format(args)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    applied: list[Obj] = []  # `-o yaml|json`: printed once all are applied

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        warnings: list[str] = []  # kubectl writes them to stderr before the object's line
        live, word = apply_object(
            client, obj, args.namespace_given, dry_run=dry_run, warnings=warnings
        )
        if output in ("yaml", "json"):  # `shouldPrintObject`: no per-object line
            applied.append(live)
            return "".join(warnings)
        shown = display_name(info, live["metadata"]["name"])
        line = f"{shown}\n" if output == "name" else f"{shown} {word}{suffix}\n"
        return "".join(warnings) + line

    out, errs = visit_manifests(args, "creating", action)
    if applied and not errs:  # `printObjects` runs only when every apply succeeded
        out.append(print_applied(applied, output))
    return "".join(out) + "".join(errs)


def print_applied(objs: list[Obj], output: str) -> str:
    """apply's `printObjects`: one object as it is, several as a `v1` `List`."""
    from minik8s.kubectl.get import to_yaml

    doc = objs[0]
    if len(objs) > 1:
        doc = {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {}}
    if output == "json":
        return json.dumps(doc, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    return to_yaml(doc)


@register("create")
def create(client: Client, args: Args) -> str:
    """`kubectl create -f FILE`, `create namespace|deployment|configmap|secret generic NAME`."""
    from minik8s.kubectl.commands_create import CREATE_SUBCOMMANDS
    from minik8s.kubectl.commands_create_more import MORE_SUBCOMMANDS

    subcommands = {**CREATE_SUBCOMMANDS, **MORE_SUBCOMMANDS}
    if args.positional and args.positional[0] in subcommands:
        return subcommands[args.positional[0]](client, args, args.positional[1:])

    from minik8s.kubectl.commands_create import get_dry_run_strategy

    dry_run = get_dry_run_strategy(args)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        ns = resolve_namespace(info, obj, args.namespace_given)
        if dry_run != "client":
            obj = client.create(
                info.plural, obj, ns, dry_run=dry_run == "server", field_validation="Strict"
            )
        shown = display_name(info, obj["metadata"].get("name", ""))
        return f"{shown}\n" if args.flag("output") == "name" else f"{shown} created{suffix}\n"

    return each_manifest(client, args, "creating", action)
