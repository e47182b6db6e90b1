"""The DefaultTolerationSeconds admission plugin, mirroring
`plugin/pkg/admission/defaulttolerationseconds/admission.go`.

A pod that does not already tolerate `node.kubernetes.io/not-ready:NoExecute` or
`node.kubernetes.io/unreachable:NoExecute` (a toleration with that key or no key, and effect
NoExecute or none) gets one with `operator: Exists` and `tolerationSeconds: 300`, so the taint
eviction controller waits five minutes before evicting it from a failed node. Mutating only;
pods proper on CREATE and UPDATE, never subresources. Left out: the plugin configuration file.
"""

from __future__ import annotations

from minik8s.api.taints import (
    NO_EXECUTE,
    OP_EXISTS,
    TAINT_NODE_NOT_READY,
    TAINT_NODE_UNREACHABLE,
    match_toleration,
)
from minik8s.apiserver.admission import Attributes

NAME = "DefaultTolerationSeconds"
DEFAULT_NOT_READY_TOLERATION_SECONDS = 300
DEFAULT_UNREACHABLE_TOLERATION_SECONDS = 300


def _tolerates(tolerations: list[dict], key: str) -> bool:
    return any(
        (t.get("key") or "") in (key, "") and (t.get("effect") or "") in (NO_EXECUTE, "")
        for t in tolerations
    )


def add_or_update_toleration(spec: dict, toleration: dict) -> None:
    """upstream `helper.AddOrUpdateTolerationInPod`: replace a matching one or append."""
    tolerations = spec.setdefault("tolerations", [])
    for i, existing in enumerate(tolerations):
        if match_toleration(existing, toleration):
            tolerations[i] = toleration
            return
    tolerations.append(toleration)


SHARED_TOLERATIONS: dict[tuple[str, int], dict] = {}  # (key, seconds) -> the toleration


def default_toleration(key: str, seconds: int) -> dict:
    """The toleration the plugin adds: one object per (key, seconds), shared read-only by every
    pod that gets it, as the watch cache shares what it hands out (a copy per pod held ~0.5 KiB
    of each of 150,000 pods)."""
    toleration = SHARED_TOLERATIONS.get((key, seconds))
    if toleration is None:
        toleration = {"key": key, "operator": OP_EXISTS, "effect": NO_EXECUTE}
        toleration["tolerationSeconds"] = seconds
        SHARED_TOLERATIONS[key, seconds] = toleration
    return toleration


class DefaultTolerationSeconds:
    """Adds the default not-ready / unreachable NoExecute tolerations to pods."""

    name = NAME
    kinds = frozenset({"Pod"})  # the chain skips it for other kinds

    def __init__(
        self,
        not_ready_seconds: int = DEFAULT_NOT_READY_TOLERATION_SECONDS,
        unreachable_seconds: int = DEFAULT_UNREACHABLE_TOLERATION_SECONDS,
    ):
        self.not_ready_seconds = not_ready_seconds
        self.unreachable_seconds = unreachable_seconds

    def __repr__(self) -> str:
        return (
            f"<DefaultTolerationSeconds not-ready={self.not_ready_seconds}s "
            f"unreachable={self.unreachable_seconds}s>"
        )

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation in ("CREATE", "UPDATE") and not subresource

    def admit(self, attrs: Attributes) -> None:
        """Add the missing tolerations to a pod being created or updated."""
        if attrs.info.kind != "Pod" or attrs.info.group != "" or attrs.subresource:
            return
        if attrs.operation not in ("CREATE", "UPDATE") or attrs.obj is None:
            return
        spec = attrs.obj.setdefault("spec", {})
        tolerations = spec.get("tolerations") or []
        for key, seconds in (
            (TAINT_NODE_NOT_READY, self.not_ready_seconds),
            (TAINT_NODE_UNREACHABLE, self.unreachable_seconds),
        ):
            if not _tolerates(tolerations, key):
                add_or_update_toleration(spec, default_toleration(key, seconds))

    def validate(self, attrs: Attributes) -> None:
        """Mutating only."""
        return None
