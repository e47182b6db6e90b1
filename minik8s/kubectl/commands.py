"""The built-in kubectl subcommands get, describe, apply, create and delete.

Mirrors `k8s.io/kubectl/pkg/cmd/{get,describe,apply,create,delete}` for their messages
(`deployment.apps/web created`, `configured (dry run)`, `pod "web" deleted`,
`pod "web" force deleted`) and errors (`error when creating "STDIN": ...`). Leaves out `--wait`,
`--prune`, `--record` and `edit`; the `create` generators live in `commands_create` and
`commands_create_more`, `scale` in `commands_scale`, `replace` in `commands_replace`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import apply_object, display_name, resolve_namespace
from minik8s.kubectl.cli import Args, format_error, register
from minik8s.kubectl.describe import run_describe
from minik8s.kubectl.get import GetOptions, parse_resource_args, run_get
from minik8s.kubectl.get_watch import WatchOptions, parse_request_timeout, run_get_watch
from minik8s.kubectl.manifest import ManifestError, load_manifests_with_source

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


@register("get")
def get(client: Client, args: Args) -> str:
    """`kubectl get`."""
    requests, multiple = parse_resource_args(args.positional)
    opts = GetOptions(
        namespace=args.namespace,
        all_namespaces=args.all_namespaces,
        output=args.flag("output", "") or "",
        selector=args.flag("selector"),
        field_selector=args.flag("field-selector"),
        show_labels=bool(args.flags.get("show-labels")),
        label_columns=[
            key
            for value in args.multi.get("label-columns") or []
            for key in value.split(",")
            if key
        ],
        sort_by=args.flag("sort-by", "") or "",
        no_headers=bool(args.flags.get("no-headers")),
        requests=requests,
        multiple_types=multiple,
        chunk_size=_chunk_size(args.flag("chunk-size")),
    )
    if _flag_true(args, "watch") or _flag_true(args, "watch-only"):
        watch = WatchOptions(
            watch_only=_flag_true(args, "watch-only"),
            output_watch_events=_flag_true(args, "output-watch-events"),
            request_timeout=parse_request_timeout(args.flag("request-timeout")),
        )
        return run_get_watch(client, opts, watch)
    return run_get(client, opts)


def _flag_true(args: Args, name: str) -> bool:
    """A boolean flag given as `--name` or `--name=true`."""
    value = args.flags.get(name)
    return value is True or value == "true"


def _chunk_size(value: str | None) -> int:
    """`--chunk-size` (an int64 flag, default 500)."""
    if value is None:
        return 500
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        raise ValueError(
            f'error: invalid argument "{value}" for "--chunk-size" flag: '
            f'strconv.ParseInt: parsing "{value}": invalid syntax'
        )
    return int(value)


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


def _manifests(args: Args) -> list[tuple[Obj, str]]:
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


def _info_for(obj: Obj, source: str) -> kinds.ResourceInfo:
    try:
        return kinds.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    except kinds.UnknownResource as err:
        meta = obj.get("metadata") or {}
        raise kinds.UnknownResource(
            f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
            f'"{meta.get("namespace", "")}" from "{source}": {err}\n'
            "ensure CRDs are installed first"
        ) from None


def _each_manifest(client: Client, args: Args, verb: str, action: Any) -> str:
    out: list[str] = []
    errs: list[str] = []
    for obj, source in _manifests(args):
        try:
            info = _info_for(obj, source)
            out.append(action(info, obj))
        except errors.StatusError as err:
            during = getattr(err, "during", verb)
            errs.append(
                f'Error from server ({err.reason}): error when {during} "{source}": {err.message}\n'
            )
        except (LookupError, ValueError) as err:
            errs.append(format_error(err))
    return "".join(out) + "".join(errs)


@register("apply")
def apply(client: Client, args: Args) -> str:
    """`kubectl apply -f FILE` (or `manifest=` text) [--dry-run=client|server] [-o name]."""

    from minik8s.kubectl.commands_create import _dry_run

    dry_run = _dry_run(args)
    output = args.flag("output", "") or ""
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        warnings: list[str] = []  # kubectl writes them to stderr before the object's line
        live, word = apply_object(
            client, obj, args.namespace_given, dry_run=dry_run, warnings=warnings
        )
        shown = display_name(info, live["metadata"]["name"])
        line = f"{shown}\n" if output == "name" else f"{shown} {word}{suffix}\n"
        return "".join(warnings) + line

    return _each_manifest(client, args, "creating", action)


@register("create")
def create(client: Client, args: Args) -> str:
    """`kubectl create -f FILE`, `create namespace|deployment|configmap|secret generic NAME`."""
    from minik8s.kubectl.commands_create import CREATE_SUBCOMMANDS
    from minik8s.kubectl.commands_create_more import MORE_SUBCOMMANDS

    subcommands = {**CREATE_SUBCOMMANDS, **MORE_SUBCOMMANDS}
    if args.positional and args.positional[0] in subcommands:
        return subcommands[args.positional[0]](client, args, args.positional[1:])

    from minik8s.kubectl.commands_create import _dry_run

    dry_run = _dry_run(args)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        ns = resolve_namespace(info, obj, args.namespace_given)
        if dry_run != "client":
            obj = client.create(
                info.plural, obj, ns, dry_run=dry_run == "server", field_validation="Strict"
            )
        shown = display_name(info, obj["metadata"].get("name", ""))
        return f"{shown}\n" if args.flag("output") == "name" else f"{shown} created{suffix}\n"

    return _each_manifest(client, args, "creating", action)


_CASCADE = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
_BOOLEANS = {"1": True, "t": True, "T": True, "true": True, "TRUE": True, "True": True}
_BOOLEANS.update({"0": False, "f": False, "F": False, "false": False, "FALSE": False})
_BOOLEANS["False"] = False
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


def _cascading_strategy(value: str) -> tuple[str, str]:
    """cmdutil `GetCascadingStrategy`: the policy, and the warning for a boolean value."""
    if value not in _BOOLEANS:
        if value not in _CASCADE:
            raise ValueError(
                f'error: invalid cascade value ({value}). Must be "background", "foreground", '
                'or "orphan"'
            )
        return _CASCADE[value], ""
    replacement = "background" if _BOOLEANS[value] else "orphan"
    warning = (
        f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
        f"--cascade={replacement}.\n"
    )
    return _CASCADE[replacement], warning


def _delete_options(args: Args) -> DeleteOptions:
    """`DeleteOptions.Complete` and `Validate`: flag combinations upstream refuses."""
    propagation, warnings = _cascading_strategy(str(args.flag("cascade", "background")))
    grace = _grace_period(args)
    output = args.flag("output", "") or ""
    if output not in ("", "name"):
        raise ValueError(f"error: unexpected -o output mode: {output}. We only support '-o name'")
    if args.flags.get("all") and args.flag("selector"):
        raise ValueError("error: cannot set --all and --selector at the same time")
    if args.flags.get("all") and args.flag("field-selector"):
        raise ValueError("error: cannot set --all and --field-selector at the same time")
    force = bool(args.flags.get("force"))
    if force and grace > 0:
        raise ValueError(
            "error: --force and --grace-period greater than 0 cannot be specified together"
        )
    if force and grace == 0:
        warnings += FORCE_WARNING
    from minik8s.kubectl.commands_create import _dry_run

    dry_run = _dry_run(args)
    warn_cluster_scope = bool(args.namespace_given) and not args.all_namespaces
    return DeleteOptions(propagation, grace, dry_run, output, warnings, warn_cluster_scope)


def _delete_one(
    client: Client, info: kinds.ResourceInfo, name: str, ns: str | None, opts: DeleteOptions
) -> str:
    """`DeleteResult` for one object, then `PrintObj`."""
    warning = ""
    if opts.warn_cluster_scope and not info.namespaced:
        warning = (
            "warning: deleting cluster-scoped resources, not scoped to the provided namespace\n"
        )
        opts.warn_cluster_scope = False
    if opts.dry_run == "client":
        client.get(info.plural, name, ns)  # the builder fetches it: NotFound still shows
    else:
        client.delete(
            info.plural,
            name,
            ns,
            propagation_policy=opts.propagation,
            grace_period_seconds=None if opts.grace < 0 else opts.grace,
            dry_run=opts.dry_run == "server",
        )
    kind = f"{info.kind.lower()}{'.' + info.group if info.group else ''}"
    if opts.output == "name":
        return f"{warning}{kind}/{name}\n"
    operation = "force deleted" if opts.grace == 0 else "deleted"
    operation += {"client": " (dry run)", "server": " (server dry run)"}.get(opts.dry_run, "")
    return f'{warning}{kind} "{name}" {operation}\n'


def _grace_period(args: Args) -> int:
    """`--grace-period` (-1: the object's own), `--now` (1), `--force` (0; 1 without it)."""
    grace = int(args.flag("grace-period", "-1") or "-1")
    if args.flags.get("now"):
        if grace != -1:
            raise ValueError("error: --now and --grace-period cannot be specified together")
        grace = 1
    force = bool(args.flags.get("force"))
    if grace == 0 and not force:
        grace = 1  # --grace-period=0 without --force means 1
    if force and grace < 0:
        grace = 0
    return grace


@register("delete")
def delete(client: Client, args: Args) -> str:
    """`kubectl delete TYPE NAME... | TYPE/NAME | -f FILE | TYPE -l sel | TYPE --all`."""
    from_files = args.multi.get("filename") or (args.manifest is not None and not args.positional)
    if not from_files and not args.positional:
        raise ValueError(MISSING_RESOURCE)
    opts = _delete_options(args)
    if from_files:

        def action(info: kinds.ResourceInfo, obj: Obj) -> str:
            ns = resolve_namespace(info, obj, args.namespace_given)
            return _delete_one(client, info, obj["metadata"]["name"], ns, opts)

        return opts.warnings + _each_manifest(client, args, "deleting", action)
    requests, _ = parse_resource_args(args.positional)
    out: list[str] = []
    errs: list[str] = []
    for info, names in requests:
        ns = None if not info.namespaced else args.namespace
        targets = [(name, ns) for name in names]
        if not names:
            if not (args.flags.get("all") or args.flag("selector")):
                raise ValueError("error: resource(s) were provided, but no name was specified")
            scope = None if args.all_namespaces else ns
            listed = client.list(info.plural, scope, label_selector=args.flag("selector"))
            targets = [
                (o["metadata"]["name"], o["metadata"].get("namespace") if info.namespaced else None)
                for o in listed.get("items") or []
            ]
        for name, target_ns in targets:
            try:
                out.append(_delete_one(client, info, name, target_ns, opts))
            except errors.NotFound as err:
                if not args.flags.get("ignore-not-found"):
                    errs.append(format_error(err))
    if not out and not errs and (args.flags.get("all") or args.flag("selector")):
        return "No resources found\n"
    return opts.warnings + "".join(out) + "".join(errs)
