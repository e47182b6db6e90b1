"""kubectl patch, and the `TYPE NAME` / dry-run printing helpers the edit commands share.

Mirrors `k8s.io/kubectl/pkg/cmd/patch/patch.go`. `patch --dry-run=client` patches the fetched
object locally (`getPatchedJSON`). `-p` is `--patch` (`minik8s.kubectl.flagset`). Leaves out
`--local`, `--patch-file`, `-o yaml|json`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import yaml

from minik8s.api import kinds
from minik8s.apiserver.patch import apply_patch
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.cli import Args, register
from minik8s.kubectl.commands_create import get_dry_run_strategy
from minik8s.kubectl.get import parse_resource_args

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
PATCH_TYPES = ("json", "merge", "strategic")
RESOURCES_REQUIRED = "error: one or more resources must be specified as <resource> <name>"


def one_target(words: list[str]) -> tuple[kinds.ResourceInfo, str, list[str]]:
    """`TYPE NAME rest...` or `TYPE/NAME rest...` → (resource, name, rest)."""
    if not words:
        raise ValueError(RESOURCES_REQUIRED)
    if "/" in words[0]:
        (info, names), rest = parse_resource_args(words[:1])[0][0], words[1:]
        return info, names[0], rest
    if len(words) < 2:
        raise ValueError(RESOURCES_REQUIRED)
    return kinds.lookup(words[0]), words[1], words[2:]


def ns(info: kinds.ResourceInfo, args: Args) -> str | None:
    """The `-n` namespace for a namespaced resource, else None."""
    return args.namespace if info.namespaced else None


@register("patch")
def patch(client: Client, args: Args) -> str:
    """`kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`."""
    info, name, _ = one_target(args.positional)
    text = args.flag("patch")
    if not text:
        raise ValueError(
            "error: must specify --patch or --patch-file containing the contents of the patch"
        )
    patch_type = args.flag("type") or "strategic"
    if patch_type not in PATCH_TYPES:
        raise ValueError(f'error: --type must be one of [json merge strategic], not "{patch_type}"')
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        try:
            body = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise ValueError(f'error: unable to parse "{text}": {err}') from None
    if not isinstance(body, (dict, list)):
        raise ValueError(f'error: unable to parse "{text}": not a JSON object')
    dry_run = get_dry_run_strategy(args)
    before = client.get(info.plural, name, ns(info, args))
    if dry_run == "client":  # patched locally, as kubectl does for --local and client dry runs
        after = apply_patch(before, body, patch_type)
    else:
        after = client.patch(
            info.plural,
            name,
            body,
            ns(info, args),
            patch_type=patch_type,
            dry_run=dry_run == "server",
        )
    word = "patched" if after != before else "patched (no change)"
    return printed(info, name, word, args, dry_run)


def printed(info: kinds.ResourceInfo, name: str, verb: str, args: Args, dry_run: str) -> str:
    """`PrintFlags` with the operation: `deployment.apps/web image updated (dry run)`."""
    if args.flag("output") == "name":
        return f"{display_name(info, name)}\n"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{display_name(info, name)} {verb}{suffix}\n"
