"""`kubectl get --watch`, mirroring `GetOptions.watch` in `k8s.io/kubectl/pkg/cmd/get/get.go` and
the watch side of cli-runtime's printers: the table header once, a row per watch event, an
`EVENT` column (`ADDED   `, `MODIFIED`, `DELETED `) with `--output-watch-events`, and a
tabwriter that remembers column widths across flushes (`table.TabWriter`), so a row printed
later never narrows a column.

The command lists first (unless `--watch-only`), then watches from the list's resourceVersion
and prints each object as its event carries it; a named object is printed, then watched alone
(the synthetic `ADDED` a watch from resourceVersion "0" starts with is not printed).

Time is virtual: a real `kubectl get -w` blocks until interrupted; here the watch runs the
cluster's event loop for `--request-timeout` (virtual; `30s`, `2m`, or whole seconds), or, without
one, until the cluster settles (at most as long as `rollout status -w` waits), and returns all it
printed.
Output: tables (`-o wide` too), `-o name`, `-o yaml` (`---` between documents) and `-o json`
(`--output-watch-events` prints `{"type","object"}` events, on one line in JSON as upstream).
Left out: `--sort-by` and other output formats while watching.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.api.cron_parser import parse_duration
from minik8s.api.meta import name_of
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.cli import format_error
from minik8s.kubectl.get import (
    GetOptions,
    check_output_format,
    list_chunks,
    table_row,
    to_yaml,
)
from minik8s.kubectl.rollout_status import DEFAULT_WATCH_TIMEOUT
from minik8s.kubectl.table import TabWriter

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]

# cli-runtime `formattedEventType`: event types padded to one width.
EVENT_TYPES = {
    "ADDED": "ADDED   ",
    "MODIFIED": "MODIFIED",
    "DELETED": "DELETED ",
    "ERROR": "ERROR   ",
}
WATCH_OUTPUTS = ("", "wide", "name", "json", "yaml")


@dataclass
class WatchOptions:
    """The watch flags of `kubectl get`."""

    watch_only: bool = False
    output_watch_events: bool = False
    request_timeout: float = 0.0  # virtual seconds; 0: until the cluster settles


def parse_request_timeout(value: str | None) -> float:
    """`--request-timeout` as client-go's `ParseTimeout` reads it: whole seconds or a Go
    duration; in seconds (0: none)."""
    if value is None:
        return 0.0
    if re.fullmatch(r"\+?[0-9]+", value):
        return float(int(value))
    try:
        return max(parse_duration(value) / 1e9, 0.0)
    except ValueError:
        raise ValueError(
            "error: invalid timeout value. Timeout must be a single integer in seconds, or an "
            "integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)"
        ) from None


class WatchPrinter:
    """Prints listed objects and watch events the way one cli-runtime printer does."""

    def __init__(self, client: Client, info: kinds.ResourceInfo, opts: GetOptions, events: bool):
        self.client = client
        self.info = info
        self.opts = opts
        self.events = events
        self.writer = TabWriter()
        self.header_printed = False
        self.documents = 0

    def __repr__(self) -> str:
        return f"<WatchPrinter {self.info.plural} -o {self.opts.output or 'table'}>"

    def print(self, objs: list[tuple[str, Obj]]) -> str:
        """(event type, object) pairs printed as one flush."""
        output = self.opts.output
        if output == "name":
            return "".join(display_name(self.info, name_of(obj)) + "\n" for _, obj in objs)
        if output in ("json", "yaml"):
            return "".join(self._document(kind, obj) for kind, obj in objs)
        now = self.client.loop.datetime()
        for kind, obj in objs:
            headers, cells = table_row(self.info, obj, self.opts, now, False)
            if self.events:
                headers, cells = ["EVENT", *headers], [EVENT_TYPES.get(kind, kind), *cells]
            if not self.header_printed and not self.opts.no_headers:
                self.writer.write(headers)
                self.header_printed = True
            self.writer.write(cells)
        return self.writer.flush()

    def _document(self, kind: str, obj: Obj) -> str:
        self.documents += 1
        if self.opts.output == "json":
            if self.events:  # a metav1.WatchEvent: json.Marshal, not indented
                body = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                return f'{{"type":{json.dumps(kind)},"object":{body}}}\n'
            return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
        separator = "---\n" if self.documents > 1 else ""
        return separator + to_yaml({"object": obj, "type": kind} if self.events else obj)


def run_get_watch(client: Client, opts: GetOptions, wopts: WatchOptions) -> str:
    """`kubectl get TYPE [NAME] --watch`: the listing, then a row per event until the watch's
    virtual time is up; returns everything printed."""
    if opts.output not in WATCH_OUTPUTS:
        check_output_format(opts.output)
        raise ValueError(f"error: --watch does not support -o {opts.output} in minik8s")
    if len(opts.requests) != 1 or opts.multiple_types:
        raise ValueError("error: you may only specify a single resource type")
    info, names = opts.requests[0]
    if len(names) > 1:
        raise ValueError(
            "error: you may only watch a single resource or type of resource at a time"
        )
    namespace = None if (opts.all_namespaces or not info.namespaced) else opts.namespace
    try:
        listed, revision = _initial(client, info, names, namespace, opts)
    except errors.StatusError as err:
        return format_error(err)
    printer = WatchPrinter(client, info, opts, wopts.output_watch_events)
    out = [] if wopts.watch_only or not listed else [printer.print(listed)]
    skip_first = bool(names)  # a watch from "0" starts with the object as a synthetic ADDED

    def on_event(event_type: str, obj: Obj) -> None:
        nonlocal skip_first
        if event_type not in EVENT_TYPES or event_type == "ERROR":
            return
        if skip_first:
            skip_first = False
            return
        out.append(printer.print([(event_type, obj)]))

    watch = client.watch(
        info.plural,
        on_event,
        namespace,
        resource_version=revision,
        label_selector=opts.selector,
        field_selector=f"metadata.name={names[0]}" if names else opts.field_selector,
    )
    try:
        run_watch_window(client, wopts.request_timeout)
    finally:
        watch.stop()
    return "".join(out)


def run_watch_window(client: Client, request_timeout: float) -> None:
    """How long a minik8s watch command runs the loop: `--request-timeout` virtual seconds, or
    until the cluster settles (at most `DEFAULT_WATCH_TIMEOUT`)."""
    loop = client.loop
    if request_timeout > 0:
        loop.run(until=loop.now + request_timeout)
    else:
        loop.settle(timeout=DEFAULT_WATCH_TIMEOUT)


def _initial(
    client: Client,
    info: kinds.ResourceInfo,
    names: list[str],
    namespace: str | None,
    opts: GetOptions,
) -> tuple[list[tuple[str, Obj]], str]:
    """What is printed before watching, and the resourceVersion the watch starts from."""
    if names:
        return [("ADDED", client.get(info.plural, names[0], namespace))], "0"
    items, revision = list_chunks(client, info.plural, namespace, opts)
    return [("ADDED", item) for item in items], revision
