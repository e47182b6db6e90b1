"""The built-in kubectl subcommands get, describe, apply, create, delete and scale.

Mirrors `k8s.io/kubectl/pkg/cmd/{get,describe,apply,create,delete,scale}` for their messages
(`deployment.apps/web created`, `pod "web" deleted`, `pod "web" force deleted`,
`deployment.apps/web scaled`) and errors (`error when creating "STDIN": ...`). Leaves out
`--dry-run`, `--wait`, `--prune`, `--record` and `edit`/`replace`/`patch`; the other `create`
generators live in `commands_create`.
"""

from __future__ import annotations

import re
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
    """`kubectl apply -f FILE` (or `manifest=` text)."""

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        live, word = apply_object(client, obj, args.namespace_given)
        return f"{display_name(info, live['metadata']['name'])} {word}\n"

    return _each_manifest(client, args, "creating", action)


@register("create")
def create(client: Client, args: Args) -> str:
    """`kubectl create -f FILE`, `create namespace|deployment|configmap|secret generic NAME`."""
    from minik8s.kubectl.commands_create import CREATE_SUBCOMMANDS

    if args.positional and args.positional[0] in CREATE_SUBCOMMANDS:
        return CREATE_SUBCOMMANDS[args.positional[0]](client, args, args.positional[1:])
    if args.positional[:1] in (["namespace"], ["ns"]) and len(args.positional) == 2:
        obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": args.positional[1]}}
        created = client.create("namespaces", obj, field_validation="Strict")
        return f"namespace/{created['metadata']['name']} created\n"

    def action(info: kinds.ResourceInfo, obj: Obj) -> str:
        ns = resolve_namespace(info, obj, args.namespace_given)
        created = client.create(info.plural, obj, ns, field_validation="Strict")
        return f"{display_name(info, created['metadata']['name'])} created\n"

    return _each_manifest(client, args, "creating", action)


_CASCADE = {
    "background": "Background",
    "true": "Background",
    "foreground": "Foreground",
    "orphan": "Orphan",
    "false": "Orphan",
}


def _delete_one(
    client: Client, info: kinds.ResourceInfo, name: str, ns: str | None, args: Args
) -> str:
    cascade = args.flag("cascade", "background") or "background"
    if cascade not in _CASCADE:
        raise ValueError(
            f'error: invalid cascade value ({cascade}). Must be "background", "foreground", '
            'or "orphan".'
        )
    grace = _grace_period(args)
    client.delete(
        info.plural,
        name,
        ns,
        propagation_policy=_CASCADE[cascade],
        grace_period_seconds=None if grace < 0 else grace,
    )
    operation = "force deleted" if grace == 0 else "deleted"
    return f'{info.kind.lower()}{"." + info.group if info.group else ""} "{name}" {operation}\n'


def _grace_period(args: Args) -> int:
    """`--grace-period` (-1: the object's own), `--now` (1), `--force` (0; 1 without it)."""
    grace = int(args.flag("grace-period", "-1") or "-1")
    if args.flags.get("now"):
        grace = 1
    force = bool(args.flags.get("force"))
    if force and grace < 0:
        grace = 0
    if grace == 0 and not force:
        grace = 1
    return grace


@register("delete")
def delete(client: Client, args: Args) -> str:
    """`kubectl delete TYPE NAME... | TYPE/NAME | -f FILE | TYPE -l sel | TYPE --all`."""
    if args.multi.get("filename") or (args.manifest is not None and not args.positional):

        def action(info: kinds.ResourceInfo, obj: Obj) -> str:
            ns = resolve_namespace(info, obj, args.namespace_given)
            return _delete_one(client, info, obj["metadata"]["name"], ns, args)

        return _each_manifest(client, args, "deleting", action)
    requests, _ = parse_resource_args(args.positional)
    out: list[str] = []
    errs: list[str] = []
    for info, names in requests:
        ns = None if not info.namespaced else args.namespace
        if not names:
            if not (args.flags.get("all") or args.flag("selector")):
                raise ValueError("error: resource(s) were provided, but no name was specified")
            listed = client.list(info.plural, ns, label_selector=args.flag("selector"))
            names = [o["metadata"]["name"] for o in listed.get("items") or []]
        for name in names:
            try:
                out.append(_delete_one(client, info, name, ns, args))
            except errors.NotFound as err:
                if not args.flags.get("ignore-not-found"):
                    errs.append(format_error(err))
    if not out and not errs and (args.flags.get("all") or args.flag("selector")):
        return "No resources found\n"
    warning = ""
    if args.flags.get("force") and _grace_period(args) == 0:
        warning = (
            "Warning: Immediate deletion does not wait for confirmation that the running "
            "resource has been terminated. The resource may continue to run on the cluster "
            "indefinitely.\n"
        )
    return warning + "".join(out) + "".join(errs)


def _targets(client: Client, args: Args) -> list[tuple[kinds.ResourceInfo, str]]:
    """`ResourceTypeOrNameArgs(all, args...)` + `LabelSelectorParam`: named, `-l` or `--all`."""
    requests, _ = parse_resource_args(
        args.positional[:1] if "/" not in args.positional[0] else args.positional
    )
    if "/" in args.positional[0]:
        return [(info, names[0]) for info, names in requests]
    names = args.positional[1:]
    if names:
        return [(info, name) for info, _ in requests for name in names]
    if not (args.flags.get("all") or args.flag("selector")):
        raise ValueError("error: resource(s) were provided, but no name was specified")
    targets: list[tuple[kinds.ResourceInfo, str]] = []
    for info, _ in requests:
        ns = args.namespace if info.namespaced else None
        listed = client.list(info.plural, ns, label_selector=args.flag("selector"))
        targets.extend((info, o["metadata"]["name"]) for o in listed.get("items") or [])
    if not targets:
        raise ValueError("error: no objects passed to scale")
    return targets


@register("scale")
def scale(client: Client, args: Args) -> str:
    """`kubectl scale (TYPE NAME | TYPE/NAME | TYPE -l SELECTOR | TYPE --all) --replicas=N`."""
    replicas = args.flag("replicas")
    if replicas is None:
        raise ValueError('error: required flag(s) "replicas" not set')
    if not args.positional:
        raise ValueError("error: you must specify the type of resource to scale")
    out = []
    for info, name in _targets(client, args):
        ns = args.namespace if info.namespaced else None
        client.patch(info.plural, name, {"spec": {"replicas": int(replicas)}}, ns)
        out.append(f"{display_name(info, name)} scaled\n")
    return "".join(out)
