"""`kubectl get`: tables, `-o wide|name|yaml|json`, `-A`, `-l`, `--show-labels`, `get all`.

Mirrors `k8s.io/kubectl/pkg/cmd/get/get.go` (one table per kind with its own header, a blank line
between kinds, `kind/name` names when several types are requested, `No resources found in <ns>
namespace.`, a `List` wrapper for yaml/json unless one object was named) and `printers/tablewriter`
(tabwriter padding 3). Leaves out `--watch`, `--sort-by`, custom columns, jsonpath and go-templates,
`--no-headers` and `--field-selector` beyond passing it to the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.printers import format_labels, row_cells
from minik8s.kubectl.table import table

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]


@dataclass
class GetOptions:
    """The flags `kubectl get` understands here."""

    namespace: str = "default"
    all_namespaces: bool = False
    output: str = ""
    selector: str | None = None
    field_selector: str | None = None
    show_labels: bool = False
    requests: list[tuple[kinds.ResourceInfo, list[str]]] = field(default_factory=list)
    multiple_types: bool = False


def parse_resource_args(args: list[str]) -> tuple[list[tuple[kinds.ResourceInfo, list[str]]], bool]:
    """`TYPE[,TYPE] [NAME...]` or `TYPE/NAME ...` → [(resource, names)], several-types flag."""
    if not args:
        raise ValueError(
            "error: You must specify the type of resource to get. "
            'Use "kubectl api-resources" for a complete list of supported resources.'
        )
    requests: list[tuple[kinds.ResourceInfo, list[str]]] = []
    if "/" in args[0]:
        for arg in args:
            kind, _, name = arg.partition("/")
            info = kinds.lookup(kind)
            requests.append((info, [name]))
        return requests, len({info.plural for info, _ in requests}) > 1
    types = [t for t in args[0].split(",") if t]
    names = args[1:]
    infos: list[kinds.ResourceInfo] = []
    for t in types:
        expanded = kinds.by_category(t) if t == "all" else [kinds.lookup(t)]
        infos.extend(i for i in expanded if i not in infos)
    requests = [(info, list(names)) for info in infos]
    return requests, len(types) > 1 or "all" in types


def _fetch(
    client: Client, opts: GetOptions
) -> tuple[list[tuple[kinds.ResourceInfo, Obj]], list[str]]:
    found: list[tuple[kinds.ResourceInfo, Obj]] = []
    errs: list[str] = []
    for info, names in opts.requests:
        ns = None if (opts.all_namespaces or not info.namespaced) else opts.namespace
        if names:
            for name in names:
                try:
                    found.append((info, client.get(info.plural, name, ns)))
                except errors.StatusError as err:
                    errs.append(f"Error from server ({err.reason}): {err.message}")
            continue
        listed = client.list(
            info.plural, ns, label_selector=opts.selector, field_selector=opts.field_selector
        )
        found.extend((info, item) for item in listed.get("items") or [])
    return found, errs


def _structured(found: list[tuple[kinds.ResourceInfo, Obj]], opts: GetOptions) -> str:
    single = (
        len(found) == 1
        and all(names for _, names in opts.requests)
        and len([n for _, names in opts.requests for n in names]) == 1
    )
    if single:
        doc: Obj = found[0][1]
    else:
        doc = {
            "apiVersion": "v1",
            "items": [o for _, o in found],
            "kind": "List",
            "metadata": {"resourceVersion": ""},
        }
    if opts.output == "json":
        return json.dumps(doc, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    return to_yaml(doc)


class _GoStyleDumper(yaml.SafeDumper):
    """Quote like go-yaml (`""`, `"true"`) rather than PyYAML's single quotes."""

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def to_yaml(doc: Any) -> str:
    """`-o yaml`: keys sorted, block style, double-quoted where quoting is needed."""
    return yaml.dump(
        doc,
        Dumper=_GoStyleDumper,
        sort_keys=True,
        default_flow_style=False,
        width=2**31,
        allow_unicode=True,
    )


def _table(client: Client, found: list[tuple[kinds.ResourceInfo, Obj]], opts: GetOptions) -> str:
    now = client.loop.datetime()
    wide = opts.output == "wide"
    with_kind = opts.multiple_types or len({info.plural for info, _ in found}) > 1
    groups: list[tuple[kinds.ResourceInfo, list[Obj]]] = []
    for info, obj in found:
        if groups and groups[-1][0] == info:
            groups[-1][1].append(obj)
        else:
            groups.append((info, [obj]))
    blocks = []
    for info, objs in groups:
        rows: list[list[str]] = []
        for obj in objs:
            headers, cells = row_cells(info.kind, obj, now, wide)
            meta = obj.get("metadata") or {}
            if with_kind and headers and headers[0] == "NAME":
                cells[0] = display_name(info, cells[0])
            if opts.all_namespaces and info.namespaced:
                headers, cells = ["NAMESPACE", *headers], [meta.get("namespace", ""), *cells]
            if opts.show_labels:
                headers, cells = [*headers, "LABELS"], [*cells, format_labels(meta.get("labels"))]
            if not rows:
                rows.append(headers)
            rows.append(cells)
        blocks.append(table(rows))
    return "\n\n".join(blocks) + "\n"


def run_get(client: Client, opts: GetOptions) -> str:
    """Run `kubectl get` with parsed options; returns stdout then stderr text."""
    found, errs = _fetch(client, opts)
    out = ""
    if opts.output in ("yaml", "json"):
        out = _structured(found, opts)
    elif opts.output == "name":
        out = "".join(
            display_name(info, (o.get("metadata") or {}).get("name", "")) + "\n"
            for info, o in found
        )
    elif found:
        out = _table(client, found, opts)
    elif not errs:
        namespaced = not opts.all_namespaces and all(i.namespaced for i, _ in opts.requests)
        if namespaced:
            out = f"No resources found in {opts.namespace} namespace.\n"
        else:
            out = "No resources found\n"
    return out + "".join(e + "\n" for e in errs)
