"""Imperative object creation: `create deployment|configmap|secret generic|tls|docker-registry`,
`run`, `expose`.

Mirrors `k8s.io/kubectl/pkg/cmd/create/{create_deployment,create_configmap,create_secret}.go`,
`pkg/cmd/run/run.go` and `pkg/cmd/expose/expose.go` (with polymorphichelpers `CanBeExposed`,
`MapBasedSelectorForObject`, `PortsForObject`, `ProtocolsForObject`): cobra's `required flag(s)
"image" not set`, `exactly one NAME is required`, the wrapped create errors (`failed to create
deployment: ...`), `--dry-run=client|server`, `-o yaml|json|name` and the `created` / `exposed`
messages. The `create secret` kinds are in `create_secret_kinds.py`.
`--append-hash` names come from `object_hash.py`. Leaves out `--overrides`, `--save-config`,
attaching (`run -i/--attach/--rm`) and expose's `-f`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.kubectl import create_secret_kinds, object_hash
from minik8s.kubectl import generators as gen
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.cli import BOOLEANS, Args, bool_flag, bool_flags, register
from minik8s.kubectl.flag_values import int_flag
from minik8s.kubectl.get import to_yaml
from minik8s.kubectl.polymorphic import make_labels, map_based_selector, ports_and_protocols

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
# A simplified distribution/reference `ReferenceRegexp`: [domain/]path[:tag][@digest].
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"  # noqa: E501
_REFERENCE_RE = re.compile(
    rf"{_DOMAIN}{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{{32,}})?"  # noqa: E501
)
RUN_BOOLEANS = ("stdin", "tty", "attach", "rm", "expose", "command")
_EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")


def usage_error(message: str, command: str) -> ValueError:
    """`cmdutil.UsageErrorf`: the message, then where to find help."""
    return ValueError(f"error: {message}\nSee 'kubectl {command} -h' for help and examples")


def name_from_command_args(args: list[str], command: str) -> str:
    """`NameFromCommandArgs`: exactly one NAME before `--`."""
    if len(args) != 1:
        raise usage_error(f"exactly one NAME is required, got {len(args)}", command)
    return args[0]


def get_dry_run_strategy(args: Args) -> str:
    """`GetDryRunStrategy`: "none", "client" or "server"; a bare `--dry-run` (its `NoOptDefVal`
    "unchanged") and the booleans `strconv.ParseBool` takes are the deprecated spellings of
    client and none (their klog warning is left out)."""
    value = args.flags.get("dry-run", "none")
    if value in (True, "unchanged"):
        return "client"
    if isinstance(value, str) and value in BOOLEANS:
        return "client" if BOOLEANS[value] else "none"
    if value not in ("none", "client", "server"):
        raise ValueError(
            f'error: Invalid dry-run value ({value}). Must be "none", "server", or "client".'
        )
    return str(value)


def output_format(args: Args) -> str:
    """`-o`, checked before anything is sent (`PrintFlags.ToPrinter`)."""
    output = args.flag("output", "") or ""
    if output not in ("", "yaml", "json", "name"):
        raise ValueError(
            f'error: unable to match a printer suitable for the output format "{output}", '
            "allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
            "jsonpath-file,name,template,templatefile,yaml"
        )
    return output


def _print(info: kinds.ResourceInfo, obj: Obj, args: Args, verb: str, dry_run: str) -> str:
    """`PrintFlags("created")`: `deployment.apps/web created`, `(dry run)`, or `-o` output."""
    output = output_format(args)
    shown = gen.go_view(obj) if dry_run == "client" else obj
    if output == "yaml":
        return to_yaml(shown)
    if output == "json":
        return json.dumps(shown, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    name = display_name(info, obj["metadata"]["name"])
    if output == "name":
        return name + "\n"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{name} {verb}{suffix}\n"


def send(client: Client, info: kinds.ResourceInfo, obj: Obj, args: Args, wrap: str) -> str:
    """Create `obj` (unless `--dry-run=client`) and print it; `wrap` words a failure."""
    dry_run, _ = get_dry_run_strategy(args), output_format(args)
    if args.namespace_given and info.namespaced:
        obj["metadata"]["namespace"] = args.namespace
    if dry_run != "client":
        try:
            obj = client.create(
                info.plural,
                obj,
                args.namespace,
                dry_run=dry_run == "server",
                field_validation="Strict",
            )
        except errors.StatusError as err:
            if not wrap:
                raise
            raise ValueError(f"error: {wrap}{err.message}") from None
    return _print(info, obj, args, "created", dry_run)


def _images(args: Args) -> list[str]:
    return [i for value in args.multi.get("image") or [] for i in value.split(",") if i]


def create_deployment(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create deployment NAME --image=IMG [--replicas=N] [--port=P] [-- CMD...]`."""
    replicas = int_flag(args, "replicas", 1, "-r, --replicas", bits=32)
    port = int_flag(args, "port", -1, bits=32)
    images = _images(args)
    if not images:
        raise ValueError('error: required flag(s) "image" not set')
    name = name_from_command_args(words, "create deployment")
    if len(images) > 1 and args.rest:
        raise ValueError("error: cannot specify multiple --image options and command")
    obj = gen.deployment(name, images, replicas, port, list(args.rest))
    return send(client, kinds.lookup("deployments"), obj, args, "failed to create deployment: ")


def _sources(args: Args) -> gen.DataSources:
    return gen.DataSources(
        args.multi.get("from-literal") or [],
        args.multi.get("from-file") or [],
        args.multi.get("from-env-file") or [],
    )


def _append_hash(args: Args) -> bool:
    """`--append-hash` (a pflag bool: bare, or `=true|false`)."""
    return bool_flag(args, "append-hash", False)


def create_configmap(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create configmap NAME --from-literal=k=v ...`."""
    name = name_from_command_args(words, "create configmap")
    obj = gen.configmap(name, _sources(args))
    if _append_hash(args):
        digest = object_hash.config_map_hash({"data": {}, **obj})  # Data is never nil here
        obj["metadata"]["name"] = f"{name}-{digest}"
    return send(client, kinds.lookup("configmaps"), obj, args, "failed to create configmap: ")


def create_secret(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create secret generic|tls|docker-registry NAME ...`."""
    if not words:
        return create_secret_kinds.SECRET_HELP  # cobra's DefaultSubCommandRun prints the help
    make = create_secret_kinds.SECRET_SUBCOMMANDS.get(words[0])
    if make is None:
        raise usage_error(f'unknown command "{" ".join(words)}"', "create secret")
    obj = make(args, words[0], name_from_command_args(words[1:], f"create secret {words[0]}"))
    if _append_hash(args):
        digest = object_hash.secret_hash({"data": {}, "type": "", **obj})
        obj["metadata"]["name"] += f"-{digest}"
    wrap = "failed to create secret: " if words[0] == "tls" else "failed to create secret "
    return send(client, kinds.lookup("secrets"), obj, args, wrap)


CREATE_SUBCOMMANDS = {
    "deployment": create_deployment,
    "deploy": create_deployment,
    "configmap": create_configmap,
    "cm": create_configmap,
    "secret": create_secret,
}


def _restart_policy(args: Args) -> str:
    """run's `getRestartPolicy`."""
    restart = args.flag("restart", "") or ""
    if not restart:
        return "OnFailure" if bool_flag(args, "stdin", False) else "Always"
    if restart not in ("Always", "OnFailure", "Never"):
        raise ValueError(f"error: invalid restart policy: {restart}")
    return restart


@register("run")
def run(client: Client, args: Args) -> str:
    """`kubectl run NAME --image=IMG [--restart=R] [--port=P] [--labels=..] [--env=..]`."""
    bool_flags(args, RUN_BOOLEANS)  # pflag parses them before the command runs
    image = args.flag("image")
    if image is None:
        raise ValueError('error: required flag(s) "image" not set')
    if not args.positional:
        raise ValueError("error: NAME is required for run")
    if not image:
        raise ValueError("error: --image is required")
    if not _REFERENCE_RE.fullmatch(image):
        raise ValueError(f'error: Invalid image name "{image}": invalid reference format')
    if bool_flag(args, "tty", False) and not bool_flag(args, "stdin", False):
        raise ValueError("error: -i/--stdin is required for containers with -t/--tty=true")
    if bool_flag(args, "expose", False) and not args.flag("port"):
        raise ValueError("error: --port must be set when exposing a service")
    restart = _restart_policy(args)
    attach = bool_flag(args, "attach", False) or bool_flag(args, "stdin", False)
    if bool_flag(args, "rm", False) and not attach:
        raise ValueError("error: --rm should only be used for attached containers")
    if attach:
        raise ValueError(
            "error: minik8s cannot attach to a container (-i, --attach, --rm): run the pod "
            "detached, then use kubectl logs or kubectl exec"
        )
    policy = args.flag("image-pull-policy", "") or ""
    if policy not in ("", "Always", "IfNotPresent", "Never"):
        raise ValueError(f"error: invalid image pull policy: {policy}")
    name = args.positional[0]
    labels = args.flag("labels") or ""
    params = {
        "labels": labels,
        "args": [*args.positional[1:], *args.rest],
        "command": bool_flag(args, "command", False),
        "env": args.multi.get("env") or [],
        "port": args.flag("port", "") or "",
        "restart": restart,
        "image-pull-policy": policy,
        "annotations": args.multi.get("annotations") or [],
    }
    out = ""
    if bool_flag(args, "expose", False):
        svc = gen.service(
            {
                "name": name,
                "selector": labels or f"run={name}",
                "port": params["port"],
                "labels": labels,
            }  # fmt: skip
        )
        out = send(client, kinds.lookup("services"), svc, args, "")
    pod = gen.run_pod(name, image, params)
    return out + send(client, kinds.lookup("pods"), pod, args, "")


def _expose_target(args: Args) -> tuple[kinds.ResourceInfo, str]:
    words = args.positional
    if not words:
        raise usage_error(
            "You must provide one or more resources by argument or filename.\n"
            "Example resource specifications include:\n   '-f rsrc.yaml'\n"
            "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            "expose",
        )
    if "/" in words[0]:
        kind, _, name = words[0].partition("/")
        return kinds.lookup(kind), name
    if len(words) < 2:
        raise usage_error("resource(s) were provided, but no name was specified", "expose")
    return kinds.lookup(words[0]), words[1]


@register("expose")
def expose(client: Client, args: Args) -> str:
    """`kubectl expose TYPE NAME [--port=P] [--target-port=T] [--type=T] [--name=N]`."""
    info, name = _expose_target(args)
    obj = client.get(info.plural, name, args.namespace if info.namespaced else None)
    obj.setdefault("kind", info.kind)
    if info.kind not in _EXPOSABLE:
        group_kind = f"{info.kind}.{info.group}" if info.group else info.kind
        raise ValueError(f"error: cannot expose a {group_kind}")
    params: dict[str, Any] = {
        key: args.flag(key, "") or ""
        for key in ("name", "port", "protocol", "target-port", "type", "labels", "cluster-ip")
    }
    params["default-name"] = name[:63]
    try:
        params["selector"] = args.flag("selector") or map_based_selector(obj)
    except ValueError as err:
        raise usage_error(
            f"couldn't retrieve selectors via --selector flag or introspection: {err}", "expose"
        ) from None
    ports, protocols = ports_and_protocols(obj)
    if not params["port"]:
        if not ports and params["cluster-ip"] != "None":
            raise usage_error("couldn't find port via --port flag or introspection", "expose")
        params["port" if len(ports) == 1 else "ports"] = ",".join(ports)
    params["protocols"] = protocols
    if not params["labels"]:
        params["labels"] = make_labels(obj["metadata"].get("labels") or {})
    svc = gen.service(params)
    dry_run, _ = get_dry_run_strategy(args), output_format(args)
    services = kinds.lookup("services")
    if dry_run != "client":
        svc = client.create(
            "services", svc, args.namespace, dry_run=dry_run == "server", field_validation="Strict"
        )
    return _print(services, svc, args, "exposed", dry_run)
