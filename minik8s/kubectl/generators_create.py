"""The objects `kubectl create job|cronjob|namespace|service TYPE` build before sending them.

Mirrors `k8s.io/kubectl/pkg/cmd/create/create_job.go` (`createJob`, `createJobFromCronJob`),
`create_cronjob.go` (`createCronJob`), `create_namespace.go` and `create_service.go`
(`createService`, `parsePorts` with `utilsnet.ParsePort` and the port name/number checks).
`generators.go_view` adds the zero values Go prints for `--dry-run=client -o yaml`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from minik8s.api.validation.names import is_valid_port_name, is_valid_port_num

Obj = dict[str, Any]


def _pod_template(name: str, image: str, command: list[str], restart: str) -> Obj:
    container: Obj = {"name": name, "image": image}
    if command:
        container["command"] = list(command)
    return {"spec": {"containers": [container], "restartPolicy": restart}}


def job(name: str, image: str, command: list[str]) -> Obj:
    """create_job.go `createJob`: one container named after the Job, restartPolicy Never."""
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": _pod_template(name, image, command, "Never")},
    }


def job_from_cronjob(name: str, cronjob: Obj) -> Obj:
    """create_job.go `createJobFromCronJob`: the CronJob's job template, owned by it."""
    template = cronjob["spec"].get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    meta: Obj = {
        "name": name,
        "annotations": {
            "cronjob.kubernetes.io/instantiate": "manual",
            **(template_meta.get("annotations") or {}),
        },
    }
    if template_meta.get("labels"):
        meta["labels"] = dict(template_meta["labels"])
    meta["ownerReferences"] = [
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cronjob["metadata"]["name"],
            "uid": cronjob["metadata"].get("uid", ""),
            "controller": True,
        }
    ]
    spec = copy.deepcopy(template.get("spec") or {})
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": spec}


def cronjob(name: str, image: str, schedule: str, command: list[str], restart: str) -> Obj:
    """create_cronjob.go `createCronJob`: the job template named after the CronJob."""
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"name": name},
                "spec": {"template": _pod_template(name, image, command, restart)},
            },
        },
    }


def namespace(name: str) -> Obj:
    """create_namespace.go `createNamespace`."""
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _parse_port(text: str) -> int:
    """utilsnet `ParsePort(s, allowZero=true)`: strconv.ParseUint(s, 10, 16)."""
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    if int(text) > 65535:
        raise ValueError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return int(text)


def parse_service_port(spec: str) -> tuple[int, int | str]:
    """create_service.go `parsePorts`: `port[:targetPort]`, a target by number or name."""
    parts = spec.split(":")
    port = _parse_port(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    if re.fullmatch(r"[+-]?[0-9]+", target):
        if errs := is_valid_port_num(int(target)):
            raise ValueError(",".join(errs))
        return port, int(target)
    if errs := is_valid_port_name(target):
        raise ValueError(",".join(errs))
    return port, target


def typed_service(name: str, service_type: str, tcp: list[str], extra: dict[str, Any]) -> Obj:
    """create_service.go `createService`: `app: NAME` label and selector, one port per --tcp."""
    ports: list[Obj] = []
    for pair in tcp:
        port, target = parse_service_port(pair)
        entry: Obj = {"name": pair.replace(":", "-"), "port": port, "protocol": "TCP"}
        entry["targetPort"] = target
        if extra.get("node-port"):
            entry["nodePort"] = extra["node-port"]
        ports.append(entry)
    spec: Obj = {"selector": {"app": name}, "type": service_type}
    if ports:
        spec["ports"] = ports
    if extra.get("external-name"):
        spec["externalName"] = extra["external-name"]
    if extra.get("clusterip"):
        spec["clusterIP"] = extra["clusterip"]
    meta = {"name": name, "labels": {"app": name}}
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}
