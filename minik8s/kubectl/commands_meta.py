"""The kubectl subcommands label, annotate, api-resources and version.

Mirrors `k8s.io/kubectl/pkg/cmd/{label,annotate,apiresources,version}` as of v1.31 and cmdutil
`GetResourcesAndPairs` / `ParsePairs`: `key=value` and `key-` arguments (label values checked
client-side, keys by the API server), `--overwrite` (`'app' already has a value (web), and
--overwrite is false`; annotate's `--overwrite is false but found the following declared
annotation(s): ...`), `--all`, `-l`, `--resource-version` (a precondition sent in the merge
patch), `--dry-run`, the `label "x" not found.` notice and the `labeled` / `unlabeled` (shorter
JSON, without --overwrite) / `not labeled` / `annotated` messages; the api-resources table sorted
by group; `--list` (`key=value` lines, the changes applied locally only, keys sorted where Go's
map order is random). Leaves out `--local`, `-f`, `--field-selector` and `kubectl version -o`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.api.validation.names import is_valid_label_value
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.builder import check_targets, namespace_for, visit
from minik8s.kubectl.cli import Args, bool_flag, register
from minik8s.kubectl.commands_create import get_dry_run_strategy
from minik8s.kubectl.table import table

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
CHANGE_CAUSE = "kubernetes.io/change-cause"  # annotate may always overwrite it
VERSION = "v1.31.0"  # the kubelets' release (node_status.KUBELET_VERSION) and the schemas'


def resources_and_pairs(words: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil `GetResourcesAndPairs`: resource words first, then `KEY=VALUE` / `KEY-` pairs."""
    resources: list[str] = []
    pairs: list[str] = []
    for word in words:
        is_pair = ("=" in word and not word.startswith("=")) or (word.endswith("-") and word != "-")
        if is_pair:
            pairs.append(word)
        elif pairs:
            raise ValueError(
                f"error: all resources must be specified before {pair_type} changes: {word}"
            )
        else:
            resources.append(word)
    return resources, pairs


def parse_labels(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go `parseLabels`: new labels (values checked here) and the keys to remove."""
    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise ValueError(f"error: invalid label spec: {spec}")
            if errs := is_valid_label_value(parts[1]):
                raise ValueError(f'error: invalid label value: "{spec}": {";".join(errs)}')
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise ValueError(f"error: unknown label spec: {spec}")
    if any(key in labels for key in remove):
        raise ValueError("error: can not both modify and remove a label in the same command")
    return labels, remove


def parse_annotations(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """cmdutil `ParsePairs(args, "annotation", true)` then annotate's `validateAnnotations`."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            key, _, value = spec.partition("=")
            new[key] = value
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise ValueError(f"error: invalid annotation format: {', '.join(invalid)}")
    both = [key for key in remove if key in new]
    if both:
        raise ValueError(
            "error: can not both modify and remove the following annotation(s) in the same "
            f"command: {', '.join(both)}"
        )
    return new, remove


def _go_json_len(value: dict[str, str] | None) -> int:
    """Bytes the map takes in Go's compact JSON (the object's other fields do not change)."""
    if value is None:
        return 0
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def label_change_message(old: dict[str, str] | None, new: dict[str, str], overwrite: bool) -> str:
    """v1.31 `updateDataChangeMsg` on the object's JSON before and after `labelFunc` (which
    always sets the map): `not labeled` when equal; else `unlabeled` when shorter and not
    `--overwrite`, `labeled` otherwise (kubernetes#107657; v1.35 compares keys instead)."""
    if old is not None and old == new:
        return "not labeled"
    if not overwrite and _go_json_len(new) < _go_json_len(old):
        return "unlabeled"
    return "labeled"


def _overwrite_errors(current: dict[str, str], new: dict[str, str], field: str) -> str:
    """label's `validateNoOverwrites` / annotate's `validateNoAnnotationOverwrites`."""
    clashes = [
        (k, current[k])
        for k in sorted(new)
        if k in current and current[k] != new[k] and k != CHANGE_CAUSE
    ]
    if not clashes:
        return ""
    if field == "annotations":
        found = "; ".join(f"'{k}' already has a value ({v})" for k, v in clashes)
        return (
            f"error: --overwrite is false but found the following declared annotation(s): {found}"
        )
    return "\n".join(
        f"error: '{k}' already has a value ({v}), and --overwrite is false" for k, v in clashes
    )


def _edit_map(client: Client, args: Args, field: str) -> str:
    """`RunLabel` / `RunAnnotate`: a JSON merge patch of one metadata map per object."""
    singular = field[:-1]
    resource_words, pair_words = resources_and_pairs(args.positional, singular)
    new, remove = (parse_labels if field == "labels" else parse_annotations)(pair_words)
    listing = bool_flag(args, "list", False)
    if listing and args.flag("output"):
        raise ValueError("error: --list and --output may not be specified together")
    check_targets(args, resource_words)
    if not new and not remove and not listing:
        raise ValueError(f"error: at least one {singular} update is required")
    dry_run = get_dry_run_strategy(args)
    found = visit(client, resource_words, args)
    version = args.flag("resource-version")
    if version and not found.single:
        raise ValueError("error: --resource-version may only be used with a single resource")
    out: list[str] = []
    errs: list[str] = []
    for info, obj in found.infos:
        try:
            if listing:
                out.append(_list_one(args, info, obj, field, new, remove, found.single))
                continue
            out.append(_edit_one(client, args, info, obj, field, new, remove, dry_run))
        except ValueError as err:
            errs.append(f"{err}\n")
    return "".join(out) + "".join(errs) + "".join(found.errors)


def _list_one(
    args: Args,
    info: kinds.ResourceInfo,
    obj: Obj,
    field: str,
    new: dict[str, str],
    remove: list[str],
    single: bool,
) -> str:
    """`--list`: the changes applied locally only (nothing is sent), then `key=value` lines,
    under `Listing labels for Kind.group/name:` and indented unless one object was named.
    Go prints the map in random order; here the keys are sorted."""
    current = dict((obj.get("metadata") or {}).get(field) or {})
    overwrite = bool_flag(args, "overwrite", False)
    if not overwrite and (error := _overwrite_errors(current, new, field)):
        raise ValueError(error)
    updated = {**current, **new}
    for key in remove:
        updated.pop(key, None)
    header, indent = "", ""
    if not single:
        kind = obj.get("kind") or info.kind
        header = f"Listing {field} for {kind}.{info.group}/{obj['metadata']['name']}:\n"
        indent = " "
    return header + "".join(f"{indent}{key}={updated[key]}\n" for key in sorted(updated))


def _edit_one(
    client: Client,
    args: Args,
    info: kinds.ResourceInfo,
    obj: Obj,
    field: str,
    new: dict[str, str],
    remove: list[str],
    dry_run: str,
) -> str:
    """One object: the overwrite check, the patch, and the printed line."""
    meta = obj.get("metadata") or {}
    current = dict(meta.get(field) or {})
    overwrite = bool_flag(args, "overwrite", False)
    if not overwrite and (error := _overwrite_errors(current, new, field)):
        raise ValueError(error)
    notices = ""
    if field == "labels" and dry_run != "client":
        notices = "".join(f'label "{key}" not found.\n' for key in remove if key not in current)
    updated = {**current, **new}
    for key in remove:
        updated.pop(key, None)
    changes: dict[str, str | None] = {k: v for k, v in updated.items() if current.get(k) != v}
    changes.update({k: None for k in current if k not in updated})
    patch: Obj = {field: changes}
    version = args.flag("resource-version")
    if version:
        patch["resourceVersion"] = version
    if dry_run != "client" and (changes or version):
        ns = namespace_for(info, args)
        client.patch(
            info.plural, meta["name"], {"metadata": patch}, ns, dry_run=dry_run == "server"
        )
    word = "annotated"
    if field == "labels":
        word = label_change_message(meta.get(field), updated, overwrite)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{notices}{display_name(info, meta['name'])} {word}{suffix}\n"


@register("label")
def label(client: Client, args: Args) -> str:
    """`kubectl label (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all) k=v k2- ...`."""
    return _edit_map(client, args, "labels")


@register("annotate")
def annotate(client: Client, args: Args) -> str:
    """`kubectl annotate (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all) k=v k2- ...`."""
    return _edit_map(client, args, "annotations")


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
