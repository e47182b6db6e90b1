"""`kubectl create job|cronjob|namespace|service clusterip|nodeport|loadbalancer|externalname`.

Mirrors `k8s.io/kubectl/pkg/cmd/create/{create_job,create_cronjob,create_namespace,
create_service}.go`: their `Complete`/`Validate` errors (cobra's `required flag(s) ... not set`,
`exactly one NAME is required, got N`, `either --image or --from must be specified`,
`at least one tcp port specifier must be provided`), the wrapped create errors (`failed to create
job: ...`, `failed to create ClusterIP service: ...`), `--dry-run` and `-o`. Leaves out
`--save-config`, `--field-manager` and `create job --from` for anything but a CronJob.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.api.validation.names import is_dns1123_subdomain
from minik8s.kubectl import generators_create as gen
from minik8s.kubectl.cli import Args
from minik8s.kubectl.commands_create import name_from_command_args, send
from minik8s.kubectl.flag_values import int_flag

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
SERVICE_TYPES = {
    "clusterip": "ClusterIP",
    "nodeport": "NodePort",
    "loadbalancer": "LoadBalancer",
    "externalname": "ExternalName",
}


def _required(args: Args, *names: str) -> None:
    """cobra's `MarkFlagRequired` check, run before the command."""
    missing = [f'"{name}"' for name in sorted(names) if args.flag(name) is None]
    if missing:
        raise ValueError(f"error: required flag(s) {', '.join(missing)} not set")


def create_job(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create job NAME --image=IMG [-- CMD...]` or `--from=cronjob/NAME`."""
    name = name_from_command_args(words, "create job")
    image, source = args.flag("image", "") or "", args.flag("from", "") or ""
    if bool(image) == bool(source):
        raise ValueError("error: either --image or --from must be specified")
    if args.rest and source:
        raise ValueError("error: cannot specify --from and command")
    if image:
        obj = gen.job(name, image, list(args.rest))
    else:
        kind, _, cronjob_name = source.partition("/")
        info = kinds.lookup(kind)
        if not cronjob_name:
            raise ValueError(f"error: from must be of the form <resource>/<name>, got {source}")
        found = client.get(info.plural, cronjob_name, args.namespace if info.namespaced else None)
        if info.kind != "CronJob":
            raise ValueError(f"error: unknown object type *v1.{info.kind}")
        obj = gen.job_from_cronjob(name, found)
    return send(client, kinds.lookup("jobs"), obj, args, "failed to create job: ")


def create_cronjob(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create cronjob NAME --image=IMG --schedule=CRON [--restart=R] [-- CMD...]`."""
    _required(args, "image", "schedule")
    name = name_from_command_args(words, "create cronjob")
    restart = args.flag("restart", "") or "OnFailure"
    obj = gen.cronjob(name, str(args.flag("image")), str(args.flag("schedule")), args.rest, restart)
    return send(client, kinds.lookup("cronjobs"), obj, args, "failed to create cronjob: ")


def create_namespace(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create namespace NAME`: its create error is not wrapped."""
    name = name_from_command_args(words, "create namespace")
    return send(client, kinds.lookup("namespaces"), gen.namespace(name), args, "")


def create_service(client: Client, args: Args, words: list[str]) -> str:
    """`kubectl create service clusterip|nodeport|loadbalancer|externalname NAME --tcp=P:T`."""
    if not words or words[0] not in SERVICE_TYPES:
        given = words[0] if words else ""
        raise ValueError(
            f'error: unknown service type "{given}": kubectl create service takes one of '
            "clusterip, externalname, loadbalancer, nodeport"
        )
    service_type = SERVICE_TYPES[words[0]]
    if service_type == "ExternalName":
        _required(args, "external-name")
    name = name_from_command_args(words[1:], f"create service {words[0]}")
    tcp = [p for value in args.multi.get("tcp") or [] for p in value.split(",") if p]
    extra: dict[str, Any] = {
        "clusterip": args.flag("clusterip", "") or "",
        "external-name": args.flag("external-name", "") or "",
        "node-port": int_flag(args, "node-port", 0),
    }
    if extra["clusterip"] == "None" and service_type != "ClusterIP":
        raise ValueError("error: ClusterIP=None can only be used with ClusterIP service type")
    if extra["clusterip"] != "None" and not tcp and service_type != "ExternalName":
        raise ValueError("error: at least one tcp port specifier must be provided")
    if service_type == "ExternalName" and is_dns1123_subdomain(extra["external-name"]):
        raise ValueError(f"error: invalid service external name {extra['external-name']}")
    obj = gen.typed_service(name, service_type, tcp, extra)
    wrap = f"failed to create {service_type} service: "
    return send(client, kinds.lookup("services"), obj, args, wrap)


MORE_SUBCOMMANDS = {
    "job": create_job,
    "cronjob": create_cronjob,
    "cj": create_cronjob,
    "namespace": create_namespace,
    "ns": create_namespace,
    "service": create_service,
    "svc": create_service,
}
