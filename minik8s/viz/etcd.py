"""etcd's MVCC history as a keys × revisions table: which write made which revision.

Mirrors what `etcdctl watch --rev=1 --prefix /registry` or `etcdctl get --rev=N` would reveal
(etcd `server/mvcc`): every write makes one new store-wide revision; a PUT bumps the key's
`version`, a DELETE leaves a tombstone and resets it. Left out: leases and compaction markers.

Records are Event-like (`type` and a `kv` with `key`, `mod_revision`, `version`, as
`minik8s.etcd.kv.Event`) or flat dicts/objects with `revision`, `type`, `key`, `version`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from minik8s.viz.records import field
from minik8s.viz.render import Diagram
from minik8s.viz.style import GREY_TEXT, Sketch, cell, font, text

PUT_FILL = "#e3f2fd"
DELETE_FILL = "#f8d7da"


def _flatten(record: Any) -> tuple[int, str, str, int]:
    kv = field(record, "kv", default=None)
    source = kv if kv is not None else record
    revision = int(field(source, "mod_revision", "revision", default=0) or 0)
    key = str(field(source, "key", default="?"))
    version = int(field(source, "version", default=0) or 0)
    kind = str(field(record, "type", default="PUT")).upper()
    return revision, key, kind, version


def etcd_revisions(records: Iterable[Any], *, limit: int = 12, title: str = "") -> Diagram:
    """The latest `limit` revisions of the records as a table: one row per key."""
    changes = sorted({_flatten(r) for r in records})
    revisions = sorted({c[0] for c in changes})[-limit:]
    shown = [c for c in changes if c[0] in revisions]
    keys = sorted({c[1] for c in shown})
    at = {(c[1], c[0]): c for c in shown}
    header = [cell("key \\ revision", bgcolor="#eceff1")]
    header += [cell(r, bgcolor="#eceff1") for r in revisions]
    rows = ["<TR>" + "".join(header) + "</TR>"]
    for key in keys:
        cells = [cell(key, align="LEFT")]
        for revision in revisions:
            change = at.get((key, revision))
            if change is None:
                cells.append("<TD></TD>")
            elif change[2] == "DELETE":
                cells.append(cell("DELETE", bgcolor=DELETE_FILL))
            else:
                cells.append(cell(f"PUT v{change[3]}", bgcolor=PUT_FILL))
        rows.append("<TR>" + "".join(cells) + "</TR>")
    if not keys:
        rows.append(f"<TR><TD>{font('no revisions', color=GREY_TEXT)}</TD></TR>")
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
    sketch = Sketch("etcd", label=text(title or "etcd revisions · 修订版本"), labelloc="t")
    sketch.node("table", "<" + table + "".join(rows) + "</TABLE>>", shape="plain", style="")
    return sketch.diagram("etcd_revisions")
