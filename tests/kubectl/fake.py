"""A small in-memory stand-in for `minik8s.client.Client`, for kubectl's unit tests.

It implements the verbs kubectl calls (create, get, list, update, patch, delete) with upstream's
errors and an equality-only label selector; no validation, defaulting or watch.
"""

from __future__ import annotations

import copy
from typing import Any

from minik8s.api import errors, kinds
from minik8s.apiserver.patch import apply_patch
from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]


def _matches(labels: dict[str, str], selector: str | None) -> bool:
    for term in (selector or "").split(","):
        if not term:
            continue
        if "!=" in term:
            key, value = term.split("!=", 1)
            if labels.get(key) == value:
                return False
        elif "=" in term:
            key, value = term.replace("==", "=").split("=", 1)
            if labels.get(key) != value:
                return False
        elif labels.get(term) is None:
            return False
    return True


class FakeClient:
    """Objects in a dict keyed by (plural, namespace, name); time from an `EventLoop`."""

    def __init__(self, loop: EventLoop | None = None):
        self.loop = loop or EventLoop()
        self.server = self
        self.objects: dict[tuple[str, str, str], Obj] = {}
        self.calls: list[tuple[str, str, str]] = []
        self._rv = 0
        self._uid = 0

    def __repr__(self) -> str:
        return f"<FakeClient {len(self.objects)} objects>"

    def _key(self, resource: str, name: str, namespace: str | None) -> tuple[str, str, str]:
        info = kinds.lookup(resource)
        return info.plural, (namespace or "default") if info.namespaced else "", name

    def _bump(self, obj: Obj) -> None:
        self._rv += 1
        obj["metadata"]["resourceVersion"] = str(self._rv)

    def add(self, obj: Obj) -> Obj:
        """Store an object as is (keeping its timestamps and status); for test set-up."""
        info = kinds.for_kind(obj["apiVersion"], obj["kind"])
        meta = obj["metadata"]
        key = self._key(info.plural, meta["name"], meta.get("namespace"))
        stored = copy.deepcopy(obj)
        if info.namespaced:
            stored["metadata"].setdefault("namespace", key[1])
        stored["metadata"].setdefault("creationTimestamp", self.loop.timestamp())
        self._uid += 1
        stored["metadata"].setdefault("uid", f"uid-{self._uid}")
        self._bump(stored)
        self.objects[key] = stored
        return copy.deepcopy(stored)

    def create(self, resource: str, obj: Obj, namespace: str | None = None, **_: Any) -> Obj:
        self.calls.append(("create", resource, obj["metadata"]["name"]))
        info = kinds.lookup(resource)
        ns = namespace or obj["metadata"].get("namespace")
        key = self._key(resource, obj["metadata"]["name"], ns)
        if key in self.objects:
            raise errors.AlreadyExists.for_resource(info.group_resource, key[2])
        obj = copy.deepcopy(obj)
        if info.namespaced:
            obj["metadata"]["namespace"] = key[1]
        if info.kind == "Secret" and "stringData" in obj:
            import base64

            data = obj.setdefault("data", {})
            for k, v in obj.pop("stringData").items():
                data[k] = base64.b64encode(v.encode()).decode()
        return self.add(obj)

    def get(self, resource: str, name: str, namespace: str | None = None, **_: Any) -> Obj:
        key = self._key(resource, name, namespace)
        if key not in self.objects:
            raise errors.NotFound.for_resource(kinds.lookup(resource).group_resource, name)
        return copy.deepcopy(self.objects[key])

    def list(
        self,
        resource: str,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
        **_: Any,
    ) -> Obj:
        info = kinds.lookup(resource)
        items = [
            copy.deepcopy(o)
            for (plural, ns, _n), o in sorted(self.objects.items())
            if plural == info.plural
            and (namespace is None or ns == namespace)
            and _matches(o["metadata"].get("labels") or {}, label_selector)
        ]
        return {
            "apiVersion": info.api_version,
            "kind": f"{info.kind}List",
            "metadata": {"resourceVersion": str(self._rv)},
            "items": items,
        }

    def update(self, resource: str, obj: Obj, namespace: str | None = None, **_: Any) -> Obj:
        key = self._key(
            resource, obj["metadata"]["name"], namespace or obj["metadata"].get("namespace")
        )
        if key not in self.objects:
            raise errors.NotFound.for_resource(kinds.lookup(resource).group_resource, key[2])
        obj = copy.deepcopy(obj)
        self._bump(obj)
        self.objects[key] = obj
        return copy.deepcopy(obj)

    def patch(
        self,
        resource: str,
        name: str,
        patch: Obj,
        namespace: str | None = None,
        patch_type: str = "merge",
        **_: Any,
    ) -> Obj:
        self.calls.append(("patch", resource, name))
        current = self.get(resource, name, namespace)
        return self.update(resource, apply_patch(current, patch, patch_type), namespace)

    def delete(self, resource: str, name: str, namespace: str | None = None, **kw: Any) -> Obj:
        self.calls.append(("delete", resource, f"{name} {kw.get('propagation_policy')}"))
        current = self.get(resource, name, namespace)
        del self.objects[self._key(resource, name, namespace)]
        return current
