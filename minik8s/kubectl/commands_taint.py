"""kubectl taint.

Mirrors `k8s.io/kubectl/pkg/cmd/taint/{taint.go,utils.go}` (`parseTaints`, `reorganizeTaints`)
and `Taint.ToString`. Leaves out `--selector`/`--all`, `--dry-run`, `-o`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api.validation.names import is_qualified_name, is_valid_label_value
from minik8s.kubectl.cli import Args, bool_flag, register
from minik8s.kubectl.commands_patch import RESOURCES_REQUIRED, one_target

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def parse_taint(spec: str) -> Obj:
    """`taint.parseTaint`: `key[=value][:Effect]` → {key, value?, effect?}."""
    parts = spec.split(":")
    taint: Obj = {}
    if len(parts) > 2:
        raise ValueError(f"error: invalid taint spec: {spec}")
    key = parts[0]
    if len(parts) == 2:
        if parts[1] not in TAINT_EFFECTS:
            raise ValueError(f"error: invalid taint effect: {parts[1]}, unsupported taint effect")
        taint["effect"] = parts[1]
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise ValueError(f"error: invalid taint spec: {spec}")
        key = kv[0]
        if len(kv) == 2:
            if errs := is_valid_label_value(kv[1]):
                raise ValueError(f"error: invalid taint spec: {spec}, {'; '.join(errs)}")
            if kv[1]:
                taint["value"] = kv[1]
    if errs := is_qualified_name(key):
        raise ValueError(f"error: invalid taint spec: {spec}, {'; '.join(errs)}")
    return {"key": key, **taint}


def taint_string(t: Obj) -> str:
    """`Taint.ToString`."""
    key, value, effect = t["key"], t.get("value") or "", t.get("effect") or ""
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _matches(a: Obj, b: Obj) -> bool:
    return a["key"] == b["key"] and a.get("effect") == b.get("effect")


def _split_taint_args(words: list[str]) -> tuple[list[str], list[str]]:
    resources: list[str] = []
    taints: list[str] = []
    for word in words:
        if "=" in word or ":" in word or word.endswith("-"):
            taints.append(word)
        elif taints:
            raise ValueError(f"error: all resources must be specified before taint changes: {word}")
        else:
            resources.append(word)
    if not resources:
        raise ValueError(RESOURCES_REQUIRED)
    if not taints:
        raise ValueError("error: at least one taint update is required")
    return resources, taints


@register("taint")
def taint(client: Client, args: Args) -> str:
    """`kubectl taint nodes NODE key[=value]:Effect ... key[:Effect]-`."""
    resources, specs = _split_taint_args(args.positional)
    info, name, _ = one_target(resources)
    if info.kind != "Node":
        raise ValueError(f'error: invalid resource type {info.plural}, only "nodes" are supported')
    add: list[Obj] = []
    remove: list[Obj] = []
    for spec in specs:
        if spec.endswith("-"):
            remove.append(parse_taint(spec[:-1]))
            continue
        t = parse_taint(spec)
        if "effect" not in t:
            raise ValueError(f"error: unknown taint spec: {spec}")
        if any(_matches(t, other) for other in add):
            raise ValueError(f"error: duplicated taints with the same key and effect: {spec}")
        add.append(t)
    node = client.get("nodes", name)
    old = (node.get("spec") or {}).get("taints") or []
    if not bool_flag(args, "overwrite", False):
        exists = [t["key"] for t in add for o in old if _matches(t, o)]
        if exists:
            raise ValueError(
                f"error: node {name} already has {','.join(exists)} taint(s) with same "
                "effect(s) and --overwrite is false"
            )
    new = list(add) + [o for o in old if not any(_matches(o, t) for t in add)]
    added = len(new) != len(old)
    removed = False
    for r in remove:
        keep = [
            t
            for t in new
            if not (t["key"] == r["key"] and r.get("effect") in (None, t.get("effect")))
        ]
        removed = len(keep) != len(new)
        if not removed:
            raise ValueError(f'error: taint "{taint_string(r)}" not found')
        new = keep
    client.patch("nodes", name, {"spec": {"taints": new or None}})
    word = (
        "modified"
        if (added and removed) or bool_flag(args, "overwrite", False)
        else ("tainted" if added else "untainted")
    )
    return f"node/{name} {word}\n"
