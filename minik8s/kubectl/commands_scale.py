"""kubectl scale.

Mirrors `k8s.io/kubectl/pkg/cmd/scale/scale.go` (`Validate`, `RunScale`: the objects found are
scaled and the missing ones reported at the end; `--resource-version` refused for several) and
`pkg/scale/scale.go` (`ScalePrecondition.validate`: `Expected replicas to be 5, was 2`). minik8s
has no `/scale` subresource: the precondition is checked on the object itself and the new size
sent as a JSON merge patch of `spec.replicas`, as `ScaleSimple` does without a precondition;
a kind without a scale subresource answers NotFound as the API server does. Leaves out
`--timeout` (waiting for the replicas), `-f` and `--record`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.builder import namespace_for, visit
from minik8s.kubectl.cli import Args, format_error, register
from minik8s.kubectl.commands_create import get_dry_run_strategy
from minik8s.kubectl.commands_delete import MISSING_RESOURCE
from minik8s.kubectl.flag_values import int_flag

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


class PreconditionError(ValueError):
    """`scale.PreconditionError`: `Expected replicas to be 5, was 2`."""

    def __init__(self, precondition: str, expected: str, actual: str) -> None:
        super().__init__(f"error: Expected {precondition} to be {expected}, was {actual}")


def _validate(args: Args) -> tuple[int, int]:
    """`ScaleOptions.Validate`: (replicas, current replicas or -1)."""
    if args.flag("replicas") is None:
        raise ValueError('error: required flag(s) "replicas" not set')
    replicas = int_flag(args, "replicas", 0)
    current = int_flag(args, "current-replicas", -1)
    if replicas < 0:
        raise ValueError(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or "
            "equal to 0"
        )
    if current < -1:
        raise ValueError("error: The --current-replicas must specify an integer of -1 or greater")
    return replicas, current


def check_precondition(obj: Obj, size: int, version: str) -> None:
    """`ScalePrecondition.validate` against the object's scale (spec.replicas, its version)."""
    actual = int((obj.get("spec") or {}).get("replicas", 1))
    if size != -1 and actual != size:
        raise PreconditionError("replicas", str(size), str(actual))
    actual_version = obj["metadata"].get("resourceVersion", "")
    if version and actual_version != version:
        raise PreconditionError("resource version", version, actual_version)


@register("scale")
def scale(client: Client, args: Args) -> str:
    """`kubectl scale (TYPE NAME | TYPE/NAME | TYPE -l SELECTOR | TYPE --all) --replicas=N`."""
    replicas, current = _validate(args)
    dry_run = get_dry_run_strategy(args)
    if not args.positional:
        raise ValueError(MISSING_RESOURCE)
    found = visit(client, args.positional, args)
    version = args.flag("resource-version") or ""
    if version and len(found.infos) > 1:
        raise ValueError("error: cannot use --resource-version with multiple resources")
    if not found.infos:
        if found.errors:
            return "".join(found.errors)
        raise ValueError("error: no objects passed to scale")
    out: list[str] = []
    for info, obj in found.infos:
        try:
            out.append(_scale_one(client, args, info, obj, (replicas, current, version), dry_run))
        except (errors.StatusError, ValueError) as err:
            return "".join(out) + format_error(err)  # RunScale stops at the first failure
    return "".join(out) + "".join(found.errors)


def _scale_one(
    client: Client,
    args: Args,
    info: kinds.ResourceInfo,
    obj: Obj,
    sizes: tuple[int, int, str],
    dry_run: str,
) -> str:
    """`Scaler.Scale` for one object (not sent for `--dry-run=client`), then `PrintObj`."""
    replicas, current, version = sizes
    name = obj["metadata"]["name"]
    if dry_run != "client":
        if info.kind not in SCALABLE:
            raise errors.NotFound("the server could not find the requested resource")
        if current != -1 or version:
            check_precondition(obj, current, version)
        patch = {"spec": {"replicas": replicas}}
        ns = namespace_for(info, args)
        client.patch(info.plural, name, patch, ns, dry_run=dry_run == "server")
    shown = display_name(info, name)
    if args.flag("output") == "name":
        return f"{shown}\n"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{shown} scaled{suffix}\n"
