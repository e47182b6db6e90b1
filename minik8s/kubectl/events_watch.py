"""`kubectl events --watch`, mirroring `EventsOptions.runWatch` in
`k8s.io/kubectl/pkg/cmd/events/events.go` with its `EventPrinter`.

A watch without a resourceVersion starts with every existing Event (as the server's synthetic
`ADDED`s, in the order it lists them, not sorted), then each new or updated one; `DELETED`
events are not printed (Events expire after an hour), `--types` and `--for` filter as without
`--watch`. Each event is printed and flushed at once through one tabwriter that remembers its
column widths (`printers.GetNewTabWriter`); the header comes once. `-o yaml|json|name` print each
Event with that printer. Time is virtual: the watch runs the loop as `get --watch` does
(`--request-timeout`, or until the cluster settles). Leaves out the interrupt handling.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from minik8s.kubectl.get import to_yaml
from minik8s.kubectl.get_watch import run_watch_window
from minik8s.kubectl.table import TabWriter

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


class EventWatchPrinter:
    """`EventPrinter` (or the `-o` printer) writing one watched Event per flush."""

    def __init__(self, client: Client, output: str, all_namespaces: bool, no_headers: bool):
        self.client = client
        self.output = output
        self.all_namespaces = all_namespaces
        self.headers_printed = no_headers
        self.writer = TabWriter()
        self.documents = 0

    def __repr__(self) -> str:
        return f"<EventWatchPrinter -o {self.output or 'table'}>"

    def print(self, event: Obj) -> str:
        """One Event as the chosen printer writes it, flushed."""
        self.documents += 1
        if self.output == "name":
            return f"event/{(event.get('metadata') or {}).get('name', '')}\n"
        if self.output == "json":
            return json.dumps(event, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
        if self.output == "yaml":
            return ("---\n" if self.documents > 1 else "") + to_yaml(event)
        return self._row(event)

    def _row(self, event: Obj) -> str:
        from minik8s.kubectl.events import HEADERS, event_row

        prefix = ["NAMESPACE"] if self.all_namespaces else []
        if not self.headers_printed:
            self.writer.write([*prefix, *HEADERS])
            self.headers_printed = True
        row = event_row(event, self.client.loop.datetime())
        if self.all_namespaces:
            row = [(event.get("metadata") or {}).get("namespace") or "", *row]
        self.writer.write(row)
        return self.writer.flush()


def run_events_watch(
    client: Client,
    namespace: str | None,
    field_selector: str | None,
    types: list[str],
    printer: EventWatchPrinter,
    request_timeout: float,
) -> str:
    """`runWatch`: watch Events (existing ones first) and print each until the time is up."""
    wanted = {t.lower() for t in types}
    out: list[str] = []

    def on_event(event_type: str, event: Obj) -> None:
        if event_type not in ("ADDED", "MODIFIED"):  # DELETED (and ERROR) are not printed
            return
        if wanted and (event.get("type") or "").lower() not in wanted:
            return
        out.append(printer.print({"apiVersion": "v1", "kind": "Event", **event}))

    watch = client.watch("events", on_event, namespace, field_selector=field_selector)
    try:
        run_watch_window(client, request_timeout)
    finally:
        watch.stop()
    return "".join(out)
