"""kubectl patch, set image, cordon, uncordon, drain and taint.

Mirrors `k8s.io/kubectl/pkg/cmd/{patch,set/set_image.go,drain,taint}` and `pkg/drain`
(`filters.go`: mirror pods skipped, DaemonSet / emptyDir / unmanaged pods refused unless
`--ignore-daemonsets` / `--delete-emptydir-data` / `--force`). minik8s has no `pods/eviction`
subresource, so drain "evicts" by deleting each pod through the API (no PodDisruptionBudget check)
and does not wait for the pods to terminate: the caller runs the clock. `patch --dry-run=client`
patches the fetched object locally (`getPatchedJSON`). Leaves out `--local`, `-o yaml|json`,
`--dry-run` outside patch, `--selector`/`--all`, `--record`, `--pod-selector`, `--timeout`, `-p=...`
(`-p` parses as the `logs -p` boolean, so the patch is the next positional word).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import yaml

from minik8s.api import errors, kinds
from minik8s.api.validation.names import is_qualified_name, is_valid_label_value
from minik8s.apiserver.patch import apply_patch
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.builder import check_targets, visit
from minik8s.kubectl.cli import Args, register
from minik8s.kubectl.commands_create import _dry_run
from minik8s.kubectl.commands_meta import resources_and_pairs
from minik8s.kubectl.get import parse_resource_args

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
PATCH_TYPES = ("json", "merge", "strategic")
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _one_target(words: list[str]) -> tuple[kinds.ResourceInfo, str, list[str]]:
    """`TYPE NAME rest...` or `TYPE/NAME rest...` → (resource, name, rest)."""
    if not words:
        raise ValueError("error: one or more resources must be specified as <resource> <name>")
    if "/" in words[0]:
        (info, names), rest = parse_resource_args(words[:1])[0][0], words[1:]
        return info, names[0], rest
    if len(words) < 2:
        raise ValueError("error: one or more resources must be specified as <resource> <name>")
    return kinds.lookup(words[0]), words[1], words[2:]


def _ns(info: kinds.ResourceInfo, args: Args) -> str | None:
    return args.namespace if info.namespaced else None


@register("patch")
def patch(client: Client, args: Args) -> str:
    """`kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`."""
    info, name, rest = _one_target(args.positional)
    text = args.flag("patch") or (rest[0] if rest and args.flags.get("previous") else None)
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
    dry_run = _dry_run(args)
    before = client.get(info.plural, name, _ns(info, args))
    if dry_run == "client":  # patched locally, as kubectl does for --local and client dry runs
        after = apply_patch(before, body, patch_type)
    else:
        after = client.patch(
            info.plural,
            name,
            body,
            _ns(info, args),
            patch_type=patch_type,
            dry_run=dry_run == "server",
        )
    word = "patched" if after != before else "patched (no change)"
    return _printed(info, name, word, args, dry_run)


def pod_spec_of(obj: Obj) -> Obj:
    """`polymorphichelpers.UpdatePodSpecForObject`: where the kind keeps its PodSpec."""
    kind = obj.get("kind")
    spec = obj.setdefault("spec", {})
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"):
        return spec.setdefault("template", {}).setdefault("spec", {})
    raise ValueError(f"error: {kind} is not supported by set image")


def _set_image(containers: list[Obj], name: str, image: str) -> bool:
    found = False
    for c in containers:
        if name in ("*", c.get("name")):
            c["image"] = image
            found = True
    return found


@register("set")
def set_cmd(client: Client, args: Args) -> str:
    """`kubectl set image (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all) CONTAINER=IMAGE`."""
    if not args.positional or args.positional[0] != "image":
        raise ValueError('error: unknown command "set" subcommand; only "set image" is supported')
    resources, pairs = resources_and_pairs(args.positional[1:], "image")
    images = dict(p.split("=", 1) for p in pairs)
    check_targets(args, resources)
    if not images:
        raise ValueError("error: at least one image update is required")
    if len(images) > 1 and "*" in images:
        raise ValueError(
            "error: all containers are already specified by *, but saw more than one "
            "container_name=container_image pairs"
        )
    dry_run = _dry_run(args)
    found = visit(client, resources, args)
    out: list[str] = []
    errs: list[str] = []
    for info, obj in found.infos:
        new = copy.deepcopy(obj)
        spec = pod_spec_of(new)
        for container, image in images.items():
            found_init = _set_image(spec.get("initContainers") or [], container, image)
            if not _set_image(spec.get("containers") or [], container, image) and not found_init:
                errs.append(f'error: unable to find container named "{container}"\n')
        if new == obj:
            continue  # an empty patch is not sent, and nothing is printed
        if dry_run != "client":
            try:
                client.update(info.plural, new, _ns(info, args), dry_run=dry_run == "server")
            except errors.StatusError as err:
                errs.append(f"error: failed to patch image update to pod template: {err.message}\n")
                continue
        out.append(_printed(info, obj["metadata"]["name"], "image updated", args, dry_run))
    return "".join(out + errs) + "".join(found.errors)


def _printed(info: kinds.ResourceInfo, name: str, verb: str, args: Args, dry_run: str) -> str:
    """`PrintFlags` with the operation: `deployment.apps/web image updated (dry run)`."""
    if args.flag("output") == "name":
        return f"{display_name(info, name)}\n"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{display_name(info, name)} {verb}{suffix}\n"


def _node_name(args: Args) -> str:
    words = args.positional
    if not words:
        raise ValueError("error: resource(s) were provided, but no name was specified")
    return words[0].split("/", 1)[1] if words[0].startswith(("node/", "nodes/")) else words[0]


def _cordon(client: Client, node: str, desired: bool) -> str:
    """`drain.RunCordonOrUncordon`: `node/x cordoned|already cordoned|uncordoned`."""
    current = client.get("nodes", node)
    word = "cordoned" if desired else "uncordoned"
    if bool((current.get("spec") or {}).get("unschedulable")) == desired:
        return f"node/{node} already {word}\n"
    client.patch("nodes", node, {"spec": {"unschedulable": True if desired else None}})
    return f"node/{node} {word}\n"


@register("cordon")
def cordon(client: Client, args: Args) -> str:
    """`kubectl cordon NODE`: mark the node unschedulable."""
    return _cordon(client, _node_name(args), True)


@register("uncordon")
def uncordon(client: Client, args: Args) -> str:
    """`kubectl uncordon NODE`: mark the node schedulable again."""
    return _cordon(client, _node_name(args), False)


def _controller(pod: Obj) -> Obj | None:
    for ref in pod["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return dict(ref)
    return None


def drain_status(pod: Obj, args: Args) -> tuple[str, str]:
    """`drain.makeFilters` in order: ("delete"|"skip"|"warning"|"error", message)."""
    ref = _controller(pod)
    finished = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
    if ref and ref.get("kind") == "DaemonSet" and not finished:  # a finished one goes
        if not args.flags.get("ignore-daemonsets"):
            return "error", DAEMONSET_FATAL
        return "skip-warning", DAEMONSET_WARNING
    if MIRROR_ANNOTATION in (pod["metadata"].get("annotations") or {}):
        return "skip", ""
    result = ("delete", "")
    volumes = pod.get("spec", {}).get("volumes") or []
    if not finished and any("emptyDir" in v for v in volumes):
        if not args.flags.get("delete-emptydir-data"):
            return "error", LOCAL_STORAGE_FATAL
        # (its warning is dropped by the next filter's status, as upstream's TODO says)
    if not finished and ref is None:
        if not args.flags.get("force"):
            return "error", UNMANAGED_FATAL
        result = ("warning", UNMANAGED_WARNING)
    return result


def _grouped(statuses: list[tuple[Obj, str, str]], wanted: tuple[str, ...]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for pod, status, message in statuses:
        if status in wanted:
            meta = pod["metadata"]
            groups.setdefault(message, []).append(f"{meta['namespace']}/{meta['name']}")
    return [f"{msg}: {', '.join(pods)}" for msg, pods in groups.items()]


@register("drain")
def drain(client: Client, args: Args) -> str:
    """`kubectl drain NODE`: cordon, then evict the pods (by DELETE: no eviction subresource)."""
    node = _node_name(args)
    out = [_cordon(client, node, True)]
    pods = client.list("pods", None, field_selector=f"spec.nodeName={node}")["items"]
    statuses = [(pod, *drain_status(pod, args)) for pod in pods]
    fatal = [f"cannot delete {e}" for e in _grouped(statuses, ("error",))]
    if fatal:
        joined = fatal[0] if len(fatal) == 1 else f"[{', '.join(fatal)}]"
        out.append(
            f'error: unable to drain node "{node}" due to error: {joined}, continuing command...\n'
            f"There are pending nodes to be drained:\n {node}\n"
        )
        return "".join(out) + "".join(f"{e}\n" for e in fatal)
    warnings = _grouped(statuses, ("warning", "skip-warning"))
    if warnings:
        out.append(f"Warning: {'; '.join(warnings)}\n")
    victims = [pod for pod, status, _ in statuses if status in ("delete", "warning")]
    grace = int(args.flag("grace-period") or "-1")
    for pod in victims:
        out.append(f"evicting pod {pod['metadata']['namespace']}/{pod['metadata']['name']}\n")
    for pod in victims:
        meta = pod["metadata"]
        client.delete(
            "pods",
            meta["name"],
            meta["namespace"],
            grace_period_seconds=grace if grace >= 0 else None,
        )
        out.append(f"pod/{meta['name']} evicted\n")
    out.append(f"node/{node} drained\n")
    return "".join(out)


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
        raise ValueError("error: one or more resources must be specified as <resource> <name>")
    if not taints:
        raise ValueError("error: at least one taint update is required")
    return resources, taints


@register("taint")
def taint(client: Client, args: Args) -> str:
    """`kubectl taint nodes NODE key[=value]:Effect ... key[:Effect]-`."""
    resources, specs = _split_taint_args(args.positional)
    info, name, _ = _one_target(resources)
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
    if not args.flags.get("overwrite"):
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
        if (added and removed) or args.flags.get("overwrite")
        else ("tainted" if added else "untainted")
    )
    return f"node/{name} {word}\n"
