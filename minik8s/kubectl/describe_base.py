"""The building blocks of `kubectl describe`: prefix writer, labels, annotations, events.

Mirrors `k8s.io/kubectl/pkg/describe/describe.go`: `PrefixWriter` (two spaces per level,
`tabbedString` = `tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`), `printLabelsMultiline`,
`printAnnotationsMultiline` (skipping last-applied, folding values over 140 characters),
`printTolerationsMultiline`, `DescribeEvents` and `printController`. Leaves out managed fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from minik8s.kubectl.events import get_interval, sort_events
from minik8s.kubectl.table import parse_time, tabwrite

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140


class PrefixWriter:
    """`describe.PrefixWriter`: `write(level, text)` indents by two spaces per level."""

    def __init__(self, now: datetime):
        self.now = now
        self.parts: list[str] = []
        self.blocks: list[str] = []

    def __repr__(self) -> str:
        return f"<PrefixWriter {len(self.parts)} parts>"

    def write(self, level: int, text: str) -> None:
        """Write `text` after `level` * two spaces."""
        self.parts.append("  " * level + text)

    def line(self, *texts: str) -> None:
        """`WriteLine`: the texts joined by spaces, then a newline."""
        self.parts.append(" ".join(texts) + "\n")

    def flush(self) -> None:
        """End a tabwriter block (`w.Flush()` in upstream)."""
        self.blocks.append(tabwrite("".join(self.parts), minwidth=0, padding=2))
        self.parts = []

    def text(self) -> str:
        """Everything written, aligned."""
        self.flush()
        return "".join(self.blocks)


def rfc1123z(value: str | None) -> str:
    """`time.RFC1123Z`: `Wed, 01 Jan 2025 00:00:00 +0000`."""
    parsed = parse_time(value)
    return parsed.strftime("%a, %d %b %Y %H:%M:%S %z") if parsed else "<unset>"


def go_bool(value: Any) -> str:
    """Go's `%v` of a bool."""
    return "true" if value else "false"


def print_bool(value: Any) -> str:
    """`printBool`: `True` / `False`."""
    return "True" if value else "False"


def labels_multiline(
    w: PrefixWriter, title: str, labels: dict[str, str] | None, initial: str = "", inner: str = "\t"
) -> None:
    """`printLabelsMultilineWithIndent`."""
    w.write(0, f"{initial}{title}:{inner}")
    if not labels:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, initial + inner)
        w.write(0, f"{key}={labels[key]}\n")


def _shorten(text: str, max_length: int) -> str:
    return text[:max_length] + "..." if len(text) > max_length else text


def annotations_multiline(
    w: PrefixWriter,
    title: str,
    annotations: dict[str, str] | None,
    initial: str = "",
    inner: str = "\t",
    skip: tuple[str, ...] = (LAST_APPLIED,),
) -> None:
    """`printAnnotationsMultilineWithIndent` (last-applied is never shown)."""
    w.write(0, f"{initial}{title}:{inner}")
    keys = sorted(k for k in (annotations or {}) if k not in skip)
    if not keys:
        w.line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, initial + inner)
        value = (annotations or {})[key].removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for piece in value.split("\n"):
                w.write(0, f"{initial}{inner}  {_shorten(piece, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def tolerations_multiline(
    w: PrefixWriter,
    title: str,
    tolerations: list[Obj] | None,
    initial: str = "",
    inner: str = "\t",
) -> None:
    """`printTolerationsMultilineWithIndent` (also used for node taints)."""
    w.write(0, f"{initial}{title}:{inner}")
    if not tolerations:
        w.line("<none>")
        return
    for i, tol in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(0, initial + inner)
        text = tol.get("key", "")
        if tol.get("value"):
            text += "=" + tol["value"]
        if tol.get("effect"):
            text += ":" + tol["effect"]
        if tol.get("operator") == "Exists" and not tol.get("value"):
            text += " op=Exists" if (tol.get("key") or tol.get("effect")) else "op=Exists"
        if tol.get("tolerationSeconds") is not None:
            text += f" for {tol['tolerationSeconds']}s"
        w.write(0, text + "\n")


def controller_of(obj: Obj) -> str:
    """`printController`: `ReplicaSet/web-7d4b9` from the controller ownerReference."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def describe_events(w: PrefixWriter, events: list[Obj] | None) -> None:
    """`DescribeEvents`: `Events:  <none>` or a Type/Reason/Age/From/Message table, oldest first
    (`SortableEvents`)."""
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in sort_events(events):
        interval = get_interval(e, w.now)
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        message = (e.get("message") or "").strip()
        w.write(1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message}\n")


def events_for(client: Any, obj: Obj, kind: str) -> list[Obj]:
    """`searchEvents`: Events whose involvedObject has `obj`'s kind, name, namespace and uid
    (the uid only when `obj` has one), as its field selector picks them."""
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace") or None
    try:
        items = client.list("events", namespace).get("items") or []
    except Exception:  # noqa: BLE001 - describe still prints the object without its events
        return []
    uid = meta.get("uid") or ""
    return [e for e in items if _involves(e, kind, meta, uid)]


def _involves(event: Obj, kind: str, meta: Obj, uid: str) -> bool:
    """The field selector `involvedObject.{name,namespace,kind,uid}` (uid only when known)."""
    involved = event.get("involvedObject") or {}
    return (
        involved.get("name") == meta.get("name")
        and (involved.get("namespace") or "") == (meta.get("namespace") or "")
        and involved.get("kind") == kind
        and (not uid or (involved.get("uid") or "") == uid)
    )


def header(w: PrefixWriter, obj: Obj, namespaced: bool = True) -> None:
    """The common `Name:` / `Namespace:` / `Labels:` / `Annotations:` opening."""
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
