"""`kubectl get`: tables, `-o wide|name|yaml|json|jsonpath=...`, `-A`, `-l`, `--show-labels`,
`-L/--label-columns`, `--sort-by`, `-o custom-columns=...`, `--no-headers`, `get all`,
`--chunk-size` (default 500: lists are read in pages that follow `continue`, as upstream's
resource builder `RequestChunksOf` does; 0 reads everything in one request).

Mirrors `k8s.io/kubectl/pkg/cmd/get/get.go` (one table per kind with its own header, a blank line
between kinds, `kind/name` names when several types are requested, `No resources found in <ns>
namespace.`, a `List` wrapper for yaml/json/jsonpath unless one object was named; `--sort-by`
sorts each server table on its own, but all objects of a List together), cli-runtime
`printers/tableprinter.go` (`-L` columns headed by the upper-cased last segment of the key, before
LABELS) and `printers/jsonpath.go`, and `printers/tablewriter` (tabwriter padding 3;
`--no-headers` drops the header rows and the blank line between kinds). `--watch` is in
`get_watch.py`. Leaves out go-templates, `custom-columns-file` and `--field-selector` beyond
passing it to the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import yaml

from minik8s.api import errors, kinds
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.customcolumns import parse_spec, print_custom_columns
from minik8s.kubectl.jsonpath import JSONPath, go_value
from minik8s.kubectl.jsonpath_parser import JSONPathError
from minik8s.kubectl.printers import format_labels, row_cells
from minik8s.kubectl.sorter import sort_objects, sort_table_rows
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
    label_columns: list[str] = field(default_factory=list)
    sort_by: str = ""
    no_headers: bool = False
    requests: list[tuple[kinds.ResourceInfo, list[str]]] = field(default_factory=list)
    multiple_types: bool = False
    chunk_size: int = 500


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


Found = list[tuple[kinds.ResourceInfo, Obj]]


def _fetch(client: Client, opts: GetOptions) -> tuple[list[Found], list[str]]:
    """What the server returned, one batch per response (a named object, or a list)."""
    batches: list[Found] = []
    errs: list[str] = []
    for info, names in opts.requests:
        ns = None if (opts.all_namespaces or not info.namespaced) else opts.namespace
        if names:
            for name in names:
                try:
                    batches.append([(info, client.get(info.plural, name, ns))])
                except errors.StatusError as err:
                    errs.append(f"Error from server ({err.reason}): {err.message}")
            continue
        items = list_chunks(client, info.plural, ns, opts)[0]
        batches.append([(info, item) for item in items])
    return batches, errs


def list_chunks(
    client: Client, resource: str, ns: str | None, opts: GetOptions
) -> tuple[list[Obj], str]:
    """Every listed item, read `--chunk-size` at a time (all pages at the first one's
    revision), and that resourceVersion."""
    items: list[Obj] = []
    token, revision = "", ""
    while True:
        listed = client.list(
            resource,
            ns,
            label_selector=opts.selector,
            field_selector=opts.field_selector,
            limit=max(opts.chunk_size, 0),
            continue_=token,
        )
        items.extend(listed.get("items") or [])
        meta = listed.get("metadata") or {}
        revision = revision or str(meta.get("resourceVersion") or "")
        token = meta.get("continue") or ""
        if not token:
            return items, revision


def _single_item_implied(opts: GetOptions) -> bool:
    """One object named (upstream's `IntoSingleItemImplied`): printed without a List."""
    return len([n for _, names in opts.requests for n in names]) == 1 and all(
        names for _, names in opts.requests
    )


def _sorted(batches: list[Found], opts: GetOptions) -> Found:
    """`--sort-by`: each table sorted alone (human output), else the whole List at once."""
    if not opts.sort_by:
        return [pair for batch in batches for pair in batch]
    if opts.output in ("", "wide"):
        found: Found = []
        for batch in batches:
            order = sort_table_rows([obj for _, obj in batch], opts.sort_by)
            found.extend(batch[i] for i in order)
        return found
    found = [pair for batch in batches for pair in batch]
    if _single_item_implied(opts) and len(found) == 1:
        return found
    return [found[i] for i in sort_objects([obj for _, obj in found], opts.sort_by)]


def _document(found: Found, opts: GetOptions) -> Obj:
    """The one named object, or a `List` of everything found."""
    if len(found) == 1 and _single_item_implied(opts):
        return found[0][1]
    return {
        "apiVersion": "v1",
        "items": [o for _, o in found],
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def _jsonpath(found: Found, opts: GetOptions) -> str:
    """`-o jsonpath=TEMPLATE` (cli-runtime `JSONPathPrinter`, missing keys allowed)."""
    template = opts.output.partition("=")[2]
    if not template:
        raise ValueError("error: template format specified but no template given")
    try:
        path = JSONPath(template, allow_missing_keys=True)
    except JSONPathError as err:
        raise ValueError(f"error: error parsing jsonpath {template}, {err}\n") from None
    doc = _document(found, opts)
    try:
        return path.execute(doc)
    except JSONPathError as err:
        detail = (
            f"Error executing template: {err}. Printing more information for debugging the "
            f"template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine "
            f"was:\n\t\t{go_value(doc)}\n\n"
        )
        message = f"error: error executing jsonpath {json.dumps(template)}: {detail}\n"
        raise ValueError(message) from None


def _structured(found: Found, opts: GetOptions) -> str:
    doc = _document(found, opts)
    if opts.output == "json":
        return json.dumps(doc, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    return to_yaml(doc)


class _GoStyleDumper(yaml.SafeDumper):
    """Quote like go-yaml v2 (`sigs.k8s.io/yaml`): a string that would read as another type
    when plain (`"80"`, `"true"`, `""`, a timestamp) is double-quoted; one that cannot be
    plain for its characters (`'*/5 * * * *'`) is single-quoted, as libyaml's emitter
    falls back."""

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        implicit = getattr(self.event, "implicit", None)  # a ScalarEvent's (plain, quoted)
        if style == "'" and not (implicit and implicit[0]):
            return '"'
        return style


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


def _table(client: Client, found: Found, opts: GetOptions) -> str:
    now = client.loop.datetime()
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
            headers, cells = table_row(info, obj, opts, now, with_kind)
            if not rows and not opts.no_headers:
                rows.append(headers)
            rows.append(cells)
        blocks.append(table(rows))
    return ("\n" if opts.no_headers else "\n\n").join(blocks) + "\n"


def table_row(
    info: kinds.ResourceInfo, obj: Obj, opts: GetOptions, now: datetime, with_kind: bool
) -> tuple[list[str], list[str]]:
    """(headers, cells) of one object's row, decorated as `decorateTable` does: `kind/name`,
    the NAMESPACE column with `-A`, `-L` label columns, then LABELS."""
    headers, cells = row_cells(info.kind, obj, now, opts.output == "wide")
    meta = obj.get("metadata") or {}
    if with_kind and headers and headers[0] == "NAME":
        cells[0] = display_name(info, cells[0])
    if opts.all_namespaces and info.namespaced:
        headers, cells = ["NAMESPACE", *headers], [meta.get("namespace", ""), *cells]
    labels = meta.get("labels") or {}
    if opts.label_columns:
        headers = [*headers, *(key.split("/")[-1].upper() for key in opts.label_columns)]
        cells = [*cells, *(labels.get(key, "") for key in opts.label_columns)]
    if opts.show_labels:
        headers, cells = [*headers, "LABELS"], [*cells, format_labels(labels)]
    return headers, cells


OUTPUT_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)


def check_output_format(output: str) -> None:
    """`PrintFlags.ToPrinter`: reject an unknown `-o` before any request is sent."""
    name, _, spec = output.partition("=")
    if name == "custom-columns":
        parse_spec(spec)
    elif output not in ("", "wide", "yaml", "json", "name") and name != "jsonpath":
        raise ValueError(
            f'error: unable to match a printer suitable for the output format "{output}", '
            f"allowed formats are: {OUTPUT_FORMATS}"
        )


def run_get(client: Client, opts: GetOptions) -> str:
    """Run `kubectl get` with parsed options; returns stdout then stderr text."""
    check_output_format(opts.output)
    batches, errs = _fetch(client, opts)
    found = _sorted(batches, opts)
    if errs and opts.output not in ("", "wide") and _single_item_implied(opts):
        return "".join(e + "\n" for e in errs)  # printGeneric: the one named object failed
    out = ""
    if opts.output in ("yaml", "json"):
        out = _structured(found, opts)
    elif opts.output == "jsonpath" or opts.output.startswith("jsonpath="):
        out = _jsonpath(found, opts)
    elif opts.output.startswith("custom-columns"):
        doc = _document(found, opts)
        items = doc["items"] if doc.get("kind") == "List" else [doc]
        out = print_custom_columns(opts.output.partition("=")[2], items, opts.no_headers)
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
