"""kubectl set image.

Mirrors `k8s.io/kubectl/pkg/cmd/set/set_image.go` and `polymorphichelpers.UpdatePodSpecForObject`.
Leaves out the other `set` subcommands, `--local`, `-o yaml|json`, `--record`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from minik8s.api import errors
from minik8s.kubectl.builder import check_targets, visit
from minik8s.kubectl.cli import Args, register
from minik8s.kubectl.commands_create import get_dry_run_strategy
from minik8s.kubectl.commands_meta import resources_and_pairs
from minik8s.kubectl.commands_patch import ns, printed

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


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
    dry_run = get_dry_run_strategy(args)
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
                client.update(info.plural, new, ns(info, args), dry_run=dry_run == "server")
            except errors.StatusError as err:
                errs.append(f"error: failed to patch image update to pod template: {err.message}\n")
                continue
        out.append(printed(info, obj["metadata"]["name"], "image updated", args, dry_run))
    return "".join(out + errs) + "".join(found.errors)
