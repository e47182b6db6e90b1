"""`kubectl events`, mirroring `k8s.io/kubectl/pkg/cmd/events/{events.go,event_printer.go}`, and
the event ordering and Age text `kubectl describe` shares with it (`SortableEvents`,
`getInterval`).

`kubectl events [-n ns | -A] [--for pod/web] [--types=Warning,Normal] [--no-headers] [-o json]`
lists Events sorted oldest first by their last time, in the columns LAST SEEN, TYPE, REASON,
OBJECT (`Kind/name`, not lowercased) and MESSAGE, with NAMESPACE first under `-A`; `--watch`
is in `events_watch`. Leaves out `--chunk-size` and the `-o` formats other than yaml, json and
name.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.kubectl.cli import Args, bool_flags, register
from minik8s.kubectl.events_watch import EventWatchPrinter, run_events_watch
from minik8s.kubectl.get_watch import parse_request_timeout
from minik8s.kubectl.table import parse_time, since, table

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
ZERO_TIME = datetime(1, 1, 1, tzinfo=timezone.utc)  # Go's zero time.Time sorts first
HEADERS = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
# `PrintFlags.AllowedFormats()` without the human-readable table flags, sorted
OUTPUT_FORMATS = (
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
    "templatefile,yaml"
)


def event_time(event: Obj) -> datetime:
    """`eventTime`: series.lastObservedTime, else lastTimestamp, else eventTime (the sort key)."""
    series = event.get("series")
    if series:
        value = series.get("lastObservedTime")
    else:
        value = event.get("lastTimestamp") or event.get("eventTime")
    return parse_time(value) or ZERO_TIME


def sort_events(events: list[Obj]) -> list[Obj]:
    """`sort.Sort(SortableEvents(items))`: oldest first (ties keep their listed order)."""
    return sorted(events, key=event_time)


def get_interval(event: Obj, now: datetime) -> str:
    """`getInterval`: `5m`, or `2m (x3 over 5m)` for a repeated event (also describe's Age)."""
    if event.get("eventTime"):
        first = since(now, event["eventTime"])
    else:
        first = since(now, event.get("firstTimestamp"))
    series = event.get("series")
    if series:
        last = since(now, series.get("lastObservedTime"))
        return f"{last} (x{series.get('count') or 0} over {first})"
    count = event.get("count") or 0
    if count > 1:
        return f"{since(now, event.get('lastTimestamp'))} (x{count} over {first})"
    return first


def decode_for(value: str) -> tuple[str, str]:
    """`decodeResourceTypeName`: `pod/web` → (`Pod`, `web`)."""
    if "/" not in value:
        raise ValueError("--for must be in resource/name form")
    parts = value.split("/")
    if len(parts) != 2:
        raise ValueError("arguments in resource/name form may not have more than one slash")
    return kinds.lookup(parts[0]).kind, parts[1]


def filter_types(types: list[str]) -> list[str]:
    """`--types` (a string slice: repeated and comma-separated), checked as `Validate` does."""
    wanted = sorted({t for v in types for t in v.split(",") if t})
    for value in wanted:
        if value.lower() not in ("normal", "warning"):
            raise ValueError("valid --types are Normal or Warning")
    return wanted


def value_flags(args: Args) -> tuple[str, list[str]]:
    """`--for` and `--types`; given as `--for pod/web` (the CLI, not knowing they take a value,
    parses a bare flag and a word), each bare one takes the next word, in order."""
    words = iter(args.positional)
    for_value, types = "", list(args.multi.get("types") or [])
    for name, value in args.flags.items():
        if value is True and name in ("for", "types"):
            value = next(words, "")
            if name == "types":
                types.append(value)
        if name == "for" and isinstance(value, str):
            for_value = value
    return for_value, types


@register("events")
def events(client: Client, args: Args) -> str:
    """`kubectl events`: stdout then stderr text."""
    booleans = bool_flags(args, ("watch", "no-headers"))  # pflag parses them before Run
    watch, no_headers = booleans.get("watch", False), booleans.get("no-headers", False)
    output = args.flag("output", "") or ""
    if output not in ("", "yaml", "json", "name"):
        raise ValueError(
            f'error: unable to match a printer suitable for the output format "{output}", '
            f"allowed formats are: {OUTPUT_FORMATS}"
        )
    field_selector = None
    target, given_types = value_flags(args)
    if target:
        kind, name = decode_for(target)
        field_selector = f"involvedObject.kind={kind},involvedObject.name={name}"
    types = filter_types(given_types)
    namespace = None if args.all_namespaces else args.namespace
    if watch:
        printer = EventWatchPrinter(client, output, args.all_namespaces, no_headers)
        timeout = parse_request_timeout(args.flag("request-timeout"))
        return run_events_watch(client, namespace, field_selector, types, printer, timeout)
    items = client.list("events", namespace, field_selector=field_selector).get("items") or []
    wanted = {t.lower() for t in types}
    items = [e for e in items if not wanted or (e.get("type") or "").lower() in wanted]
    if not items:
        if args.all_namespaces:
            return "No events found.\n"
        return f"No events found in {args.namespace} namespace.\n"
    items = sort_events(items)
    if output:
        return _structured(items, output)
    return print_events(items, client.loop.datetime(), args.all_namespaces, no_headers)


def print_events(items: list[Obj], now: datetime, all_namespaces: bool, no_headers: bool) -> str:
    """`EventPrinter.PrintObj` through `GetNewTabWriter`."""
    rows: list[list[str]] = []
    if not no_headers:
        rows.append(["NAMESPACE", *HEADERS] if all_namespaces else list(HEADERS))
    for e in items:
        row = event_row(e, now)
        namespace = (e.get("metadata") or {}).get("namespace") or ""
        rows.append([namespace, *row] if all_namespaces else row)
    return table(rows) + "\n"


def event_row(e: Obj, now: datetime) -> list[str]:
    """`printOneEvent`'s cells: LAST SEEN, TYPE, REASON, OBJECT (`Kind/name`), MESSAGE."""
    involved = e.get("involvedObject") or {}
    return [
        get_interval(e, now),
        e.get("type") or "",
        e.get("reason") or "",
        f"{involved.get('kind') or ''}/{involved.get('name') or ''}",
        (e.get("message") or "").strip(),
    ]


def _structured(items: list[Obj], output: str) -> str:
    """`-o yaml|json|name`: the sorted `EventList` (its list metadata left empty, as upstream)."""
    from minik8s.kubectl.get import to_yaml

    if output == "name":
        return "".join(f"event/{(e.get('metadata') or {}).get('name', '')}\n" for e in items)
    doc = {"apiVersion": "v1", "items": items, "kind": "EventList", "metadata": {}}
    if output == "json":
        return json.dumps(doc, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    return to_yaml(doc)
