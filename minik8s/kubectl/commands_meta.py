"""The kubectl subcommands label, annotate, api-resources and version.

Mirrors `k8s.io/kubectl/pkg/cmd/{label,annotate,apiresources,version}`: `key=value` and `key-`
arguments, `--overwrite` (`'app' already has a value (web), and --overwrite is false`), the
`labeled` / `unlabeled` / `not labeled` / `annotated` messages, and the api-resources table
sorted by group. Leaves out `--list`, `--resource-version`, `--all` and `kubectl version -o`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minik8s.api import kinds
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.cli import Args, register
from minik8s.kubectl.get import parse_resource_args
from minik8s.kubectl.table import table

if TYPE_CHECKING:
    from minik8s.client.client import Client

VERSION = "v1.31.0"  # the kubelets' release (node_status.KUBELET_VERSION) and the schemas'


def _is_change(word: str) -> bool:
    """A `key=value` or `key-` argument (`label.go` parseLabels); keys may hold a `/` prefix."""
    return "=" in word or word.endswith("-")


def _edit_map(client: Client, args: Args, field: str, verb: str) -> str:
    changes = [w for w in args.positional if _is_change(w)]
    resource_words = [w for w in args.positional if not _is_change(w)]
    if not resource_words:
        raise ValueError(
            "error: one or more resources must be specified as <resource> <name> "
            "or <resource>/<name>"
        )
    if "/" in resource_words[0]:
        requests, _ = parse_resource_args(resource_words)
        targets = [(info, n[0]) for info, n in requests]
    else:
        info = kinds.lookup(resource_words[0])
        targets = [(info, n) for n in resource_words[1:]]
    out = []
    for info, name in targets:
        ns = args.namespace if info.namespaced else None
        current = (client.get(info.plural, name, ns).get("metadata") or {}).get(field) or {}
        patch: dict[str, str | None] = {}
        for change in changes:
            if change.endswith("-") and "=" not in change:
                patch[change[:-1]] = None
                continue
            key, _, value = change.partition("=")
            if key in current and current[key] != value and not args.flags.get("overwrite"):
                raise ValueError(
                    f"error: '{key}' already has a value ({current[key]}), and --overwrite is false"
                )
            patch[key] = value
        client.patch(info.plural, name, {"metadata": {field: patch}}, ns)
        new = {k: v for k, v in {**current, **patch}.items() if v is not None}
        word = verb
        if verb == "labeled":
            word = (
                "not labeled"
                if new == current
                else ("unlabeled" if len(new) < len(current) else "labeled")
            )
        out.append(f"{display_name(info, name)} {word}\n")
    return "".join(out)


@register("label")
def label(client: Client, args: Args) -> str:
    """`kubectl label TYPE NAME k=v k2-`."""
    return _edit_map(client, args, "labels", "labeled")


@register("annotate")
def annotate(client: Client, args: Args) -> str:
    """`kubectl annotate TYPE NAME k=v k2-`."""
    return _edit_map(client, args, "annotations", "annotated")


@register("api-resources")
def api_resources(client: Client, args: Args) -> str:
    """`kubectl api-resources`: NAME SHORTNAMES APIVERSION NAMESPACED KIND, sorted by group."""
    rows = [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    for info in sorted(kinds.RESOURCES, key=lambda i: (i.group, i.plural)):
        rows.append(
            [
                info.plural,
                ",".join(info.short_names),
                info.api_version,
                "true" if info.namespaced else "false",
                info.kind,
            ]
        )
    return table(rows) + "\n"


@register("version")
def version(client: Client, args: Args) -> str:
    """`kubectl version`."""
    server = getattr(client.server, "version", None) or VERSION
    return f"Client Version: {VERSION}\nKustomize Version: v5.4.2\nServer Version: {server}\n"
