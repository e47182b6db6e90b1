"""`kubectl rollout history|undo` over ControllerRevisions (DaemonSets and StatefulSets),
mirroring `k8s.io/kubectl/pkg/polymorphichelpers/history.go` (DaemonSetHistoryViewer,
StatefulSetHistoryViewer, printHistory, printTemplate) and `rollback.go` (DaemonSetRollbacker,
StatefulSetRollbacker, findHistory).

Left out: `--dry-run` (the client-side template preview).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from minik8s.api.labels import label_selector_as_selector
from minik8s.controllers import history
from minik8s.kubectl.describe_base import PrefixWriter
from minik8s.kubectl.describe_containers import describe_pod_template
from minik8s.kubectl.table import tabwrite

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
CHANGE_CAUSE = "kubernetes.io/change-cause"
ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"


def print_template(client: Client, template: Obj) -> str:
    """`printTemplate`: DescribePodTemplate through a bare PrefixWriter, so its tabs stay tabs
    (upstream puts no tabwriter between it and the terminal)."""
    w = PrefixWriter(client.loop.datetime())
    describe_pod_template(w, template)
    return "".join(w.parts)


def print_history(
    client: Client, templates: dict[int, Obj], causes: dict[int, str | None], revision: int
) -> str:
    """`printHistory`: one revision's pod template, or the REVISION / CHANGE-CAUSE table."""
    if not templates:
        return "No rollout history found."
    if revision > 0:
        if revision not in templates:
            raise ValueError("error: unable to find the specified revision")
        return print_template(client, templates[revision])
    rows = ["REVISION\tCHANGE-CAUSE\n"]
    for rev in sorted(templates):
        rows.append(f"{rev}\t{causes.get(rev) or '<none>'}\n")
    return tabwrite("".join(rows), minwidth=0, padding=2)


def controlled_history(client: Client, obj: Obj) -> list[Obj]:
    """`controlledHistoryV1`: the ControllerRevisions the object controls, by selector + owner."""
    return controlled_by(client, "controllerrevisions", obj)


def controlled_by(client: Client, resource: str, owner: Obj) -> list[Obj]:
    """The `resource` objects `owner`'s selector matches and whose controller it is (the
    owner's namespace only)."""
    selector = str(label_selector_as_selector(owner["spec"].get("selector")))
    ns, uid = owner["metadata"]["namespace"], owner["metadata"]["uid"]
    items = client.list(resource, ns, label_selector=selector)["items"]
    return [
        item
        for item in items
        if any(
            r.get("controller") and r.get("uid") == uid
            for r in item["metadata"].get("ownerReferences") or []
        )
    ]


def revision_history(client: Client, obj: Obj, revision: int = 0) -> str:
    """DaemonSet/StatefulSet `ViewHistory`: the templates their ControllerRevisions store, with
    each ControllerRevision's own change-cause annotation."""
    templates: dict[int, Obj] = {}
    causes: dict[int, str | None] = {}
    for cr in controlled_history(client, obj):
        data = cr.get("data") or {}
        template: Obj = copy.deepcopy((data.get("spec") or {}).get("template") or {})
        template.pop("$patch", None)
        number = history.revision_of(cr)
        templates[number] = template
        causes[number] = (cr["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
    return print_history(client, templates, causes, revision)


def find_history(to_revision: int, revisions: list[Obj]) -> Obj | None:
    """`findHistory`: the given revision, or the second newest when `to_revision` is 0."""
    if to_revision == 0:
        if len(revisions) <= 1:
            return None
        return sorted(revisions, key=history.revision_of)[-2]
    return next((r for r in revisions if history.revision_of(r) == to_revision), None)


def undo_revision(client: Client, obj: Obj, plural: str, to_revision: int) -> str:
    """`DaemonSetRollbacker` / `StatefulSetRollbacker.Rollback`: strategic-merge the revision's
    stored template back onto the object."""
    if to_revision < 0:
        raise ValueError(f"error: unable to find specified revision {to_revision} in history")
    revisions = controlled_history(client, obj)
    if to_revision == 0 and len(revisions) <= 1:
        raise ValueError("error: no last revision to roll back to")
    target = find_history(to_revision, revisions)
    if target is None:
        raise ValueError(f"error: unable to find specified revision {to_revision} in history")
    if history.get_patch(obj) == target.get("data"):
        return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
    meta = obj["metadata"]
    patch = copy.deepcopy(target["data"])
    client.patch(plural, meta["name"], patch, meta["namespace"], patch_type="strategic")
    return ROLLBACK_SUCCESS
