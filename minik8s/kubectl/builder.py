"""The objects an imperative verb (label, annotate, scale) visits, fetched like kubectl's builder.

Mirrors `k8s.io/cli-runtime/pkg/resource/builder.go` as used with `ContinueOnError()`,
`ResourceTypeOrNameArgs(all, args...)`, `LabelSelectorParam`, `Latest()` and
`IntoSingleItemImplied`: `TYPE NAME...`, `TYPE/NAME...`, `TYPE -l SELECTOR` or `TYPE --all`;
a missing object is an error kept for the end while the others are still visited. Leaves out
`-f` files, `--field-selector`, `--all-namespaces` and kustomize.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl.cli import Args, bool_flag, format_error
from minik8s.kubectl.get import parse_resource_args

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
NO_NAME = "error: resource(s) were provided, but no name was specified"
TYPE_AND_SLASH = (
    "error: there is no need to specify a resource type as a separate argument when passing "
    "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
    "'kubectl get resource resource/<resource_name>'"
)


@dataclass
class Visited:
    """What the builder found: (resource, live object) pairs and the errors met on the way."""

    infos: list[tuple[kinds.ResourceInfo, Obj]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    single: bool = False  # `IntoSingleItemImplied`: one TYPE NAME or one TYPE/NAME

    def __repr__(self) -> str:
        names = [o["metadata"]["name"] for _, o in self.infos]
        return f"<Visited {names} errors={len(self.errors)}>"


def check_targets(args: Args, resource_words: list[str]) -> None:
    """The `Validate` step label, annotate and set image share: `--all` or `-l`, not both, and
    some resource to act on."""
    if bool_flag(args, "all", False) and args.flag("selector"):
        raise ValueError("error: cannot set --all and --selector at the same time")
    if not resource_words:
        raise ValueError(
            "error: one or more resources must be specified as <resource> <name> "
            "or <resource>/<name>"
        )


def namespace_for(info: kinds.ResourceInfo, args: Args) -> str | None:
    """`NamespaceParam(ns).DefaultNamespace()`: `-n` or `default`, none for cluster kinds."""
    return args.namespace if info.namespaced else None


def visit(client: Client, words: list[str], args: Args) -> Visited:
    """Resolve `words` (the resource arguments) and fetch each object, continuing on errors."""
    slashes = sum("/" in word for word in words)
    if slashes and slashes != len(words):  # hasCombinedTypeArgs
        raise ValueError(TYPE_AND_SLASH)
    requests, _ = parse_resource_args(words)
    selector = args.flag("selector")
    select_all = bool_flag(args, "all", False)
    found = Visited(single=len(requests) == 1 and len(requests[0][1]) == 1 and not selector)
    for info, names in requests:
        ns = namespace_for(info, args)
        if names and selector:
            raise ValueError("error: name cannot be provided when a selector is specified")
        if not names:
            if not (select_all or selector):
                raise ValueError(NO_NAME)
            listed = client.list(info.plural, ns, label_selector=selector)
            for item in listed.get("items") or []:
                item.setdefault("kind", info.kind)
                found.infos.append((info, item))
            continue
        for name in names:
            try:
                found.infos.append((info, client.get(info.plural, name, ns)))
            except errors.StatusError as err:
                found.errors.append(format_error(err))
    return found
