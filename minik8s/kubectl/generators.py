"""The objects kubectl's imperative commands build before sending them.

Mirrors `k8s.io/kubectl/pkg/cmd/create/create_deployment.go` (`app: NAME` labels, container
names from the image basename), `create_configmap.go` / `create_secret.go` (`--from-literal`,
`--from-file`, `--from-env-file` keys checked with `IsConfigMapKey`; files read in `sources`),
`pkg/generate/versioned/run.go` (`BasicPod`: `run: NAME` label, `--env`, `--port`,
`--restart`), `service.go` (`ServiceGeneratorV2`), `pkg/generate` (`ParseLabels`) and
`pkg/util` (`ParseLiteralSource`), with their error messages. `go_view` adds the zero values
Go's JSON encoder prints (`creationTimestamp: null`, `resources: {}`, `status: {}`) for
`--dry-run=client -o yaml`, also for the objects of `generators_create`. Deviation: the random
suffix upstream adds to a sanitized container name (`my_app` → `my-app-xxxxx`) is derived from
the name, to stay deterministic.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from minik8s.api.validation.names import is_config_map_key, is_env_var_name
from minik8s.kubectl.sources import env_file_entries, file_entries

Obj = dict[str, Any]
_RAND_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # apimachinery util/rand


def parse_labels(spec: str) -> dict[str, str]:
    """`generate.ParseLabels`: `a=b,c=d` → {a: b, c: d}."""
    if not spec:
        raise ValueError("no label spec passed")
    labels: dict[str, str] = {}
    for part in spec.split(","):
        kv = part.split("=")
        if len(kv) != 2:
            raise ValueError(f"unexpected label spec: {part}")
        if not kv[0]:
            raise ValueError("unexpected empty label key")
        labels[kv[0]] = kv[1]
    return labels


def parse_literal_source(source: str) -> tuple[str, str]:
    """`util.ParseLiteralSource`: `key=value` (value's surrounding quotes trimmed)."""
    key, sep, value = source.partition("=")
    if not sep or not key:
        raise ValueError(f"invalid literal source {source}, expected key=value")
    return key, value.strip("\"'")


def parse_envs(envs: list[str]) -> list[Obj]:
    """versioned `parseEnvs`: `NAME=value` → EnvVar, `invalid env: ...` otherwise."""
    out = []
    for env in envs:
        name, sep, value = env.partition("=")
        if not sep or not name or is_env_var_name(name):
            raise ValueError(f"invalid env: {env}")
        out.append({"name": name, "value": value})
    return out


def _suffix(name: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    return "".join(_RAND_ALPHABET[b % len(_RAND_ALPHABET)] for b in digest[:5])


def container_name(image: str) -> str:
    """`buildPodSpec`: `registry/team/nginx:1.27` → `nginx`; `.`/`_` made DNS-safe."""
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-")
        name = f"{name}-{_suffix(name)}"
    return name


def deployment(name: str, images: list[str], replicas: int, port: int, command: list[str]) -> Obj:
    """`CreateDeploymentOptions.createDeployment`."""
    labels = {"app": name}
    containers: list[Obj] = []
    for image in images:
        container: Obj = {"name": container_name(image), "image": image}
        if command:
            container["command"] = list(command)
        containers.append(container)
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": dict(labels)},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
        },
    }


@dataclass
class DataSources:
    """`--from-literal`, `--from-file` and `--from-env-file` values, as given."""

    literals: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    env_files: list[str] = field(default_factory=list)

    def check(self) -> None:
        """The options' `Validate`: env files stand alone."""
        if self.env_files and (self.files or self.literals):
            raise ValueError("from-env-file cannot be combined with from-file or from-literal")


def _add_to_configmap(obj: Obj, key: str, value: str | bytes) -> None:
    """`validateNewConfigMap` then Data (text) or BinaryData (bytes that are not UTF-8)."""
    name = obj["metadata"]["name"]
    if errs := is_config_map_key(key):
        raise ValueError(f'"{key}" is not a valid key name for a ConfigMap: {",".join(errs)}')
    for field_name, word in (("data", "Data"), ("binaryData", "BinaryData")):
        if key in obj.get(field_name, {}):
            raise ValueError(
                f'cannot add key "{key}", another key by that name already exists in {word} '
                f'for ConfigMap "{name}"'
            )
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            obj.setdefault("binaryData", {})[key] = base64.b64encode(value).decode()
            return
    else:
        text = value
    obj.setdefault("data", {})[key] = text


def configmap(name: str, sources: DataSources) -> Obj:
    """`create configmap NAME --from-file=... --from-literal=k=v --from-env-file=...`."""
    sources.check()
    obj: Obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    for key, data in file_entries(sources.files):
        _add_to_configmap(obj, key, data)
    for literal in sources.literals:
        _add_to_configmap(obj, *parse_literal_source(literal))
    for path in sources.env_files:
        for key, text in env_file_entries(path):
            _add_to_configmap(obj, key, text)
    return obj


def _add_to_secret(obj: Obj, key: str, value: bytes) -> None:
    if errs := is_config_map_key(key):
        raise ValueError(f'"{key}" is not valid key name for a Secret {";".join(errs)}')
    if key in obj.get("data", {}):
        raise ValueError(f"cannot add key {key}, another key by that name already exists")
    obj.setdefault("data", {})[key] = base64.b64encode(value).decode()


def secret(name: str, sources: DataSources, secret_type: str = "") -> Obj:
    """`create secret generic NAME --from-literal=k=v --from-file=... [--type=T]`."""
    sources.check()
    obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}}
    for literal in sources.literals:
        key, value = parse_literal_source(literal)
        _add_to_secret(obj, key, value.encode())
    for key, data in file_entries(sources.files):
        _add_to_secret(obj, key, data)
    for path in sources.env_files:
        for key, text in env_file_entries(path, "secret"):
            _add_to_secret(obj, key, text.encode())
    if secret_type:
        obj["type"] = secret_type
    return obj


def run_pod(name: str, image: str, params: dict[str, Any]) -> Obj:
    """versioned `BasicPod.Generate` (`kubectl run`)."""
    labels = parse_labels(params["labels"]) if params.get("labels") else {"run": name}
    container: Obj = {"name": name, "image": image}
    if params.get("args"):
        container["command" if params.get("command") else "args"] = list(params["args"])
    if params.get("env"):
        container["env"] = parse_envs(params["env"])
    if params.get("image-pull-policy"):
        container["imagePullPolicy"] = params["image-pull-policy"]
    if params.get("port"):
        container["ports"] = [{"containerPort": _atoi(params["port"])}]
    meta: Obj = {"name": name, "labels": labels}
    if params.get("annotations"):
        meta["annotations"] = dict(a.partition("=")[::2] for a in params["annotations"])
    spec = {
        "containers": [container],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": params.get("restart") or "Always",
    }
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def _atoi(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


def service(params: dict[str, Any]) -> Obj:
    """versioned `generateService` (ServiceGeneratorV2, used by expose and `run --expose`)."""
    selector = parse_labels(params.get("selector") or "")
    name = params.get("name") or params.get("default-name") or ""
    if not name:
        raise ValueError("'name' is a required parameter")
    headless = params.get("cluster-ip") == "None"
    port_text = params.get("ports") or params.get("port") or ""
    if not port_text and not headless:
        raise ValueError("'ports' or 'port' is a required parameter")
    protocols: dict[str, str] = params.get("protocols") or {}
    ports: list[Obj] = []
    texts = port_text.split(",") if port_text else []
    for i, text in enumerate(texts):
        port: Obj = {"port": _atoi(text)}
        if len(texts) > 1:
            port = {"name": f"port-{i + 1}", **port}
        port["protocol"] = params.get("protocol") or protocols.get(text, "TCP")
        ports.append(port)
    target = params.get("target-port") or ""
    for port in ports:
        port["targetPort"] = (
            (int(target) if target.isdigit() else target) if target else port["port"]
        )
    spec: Obj = {"selector": selector, "ports": ports}
    if params.get("type"):
        spec["type"] = params["type"]
    if params.get("cluster-ip"):
        spec["clusterIP"] = params["cluster-ip"]
    meta: Obj = {"name": name}
    if params.get("labels"):
        meta["labels"] = parse_labels(params["labels"])
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def _zero_template(template: Obj) -> None:
    template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    for c in template.setdefault("spec", {}).get("containers") or []:
        c.setdefault("resources", {})


def go_view(obj: Obj) -> Obj:
    """The object as Go's encoder prints a typed struct: zero-valued non-omitempty fields."""
    view = copy.deepcopy(obj)
    view["metadata"].setdefault("creationTimestamp", None)
    kind = view["kind"]
    if kind == "Pod":
        _zero_template(view)
        view.setdefault("status", {})
    elif kind == "Deployment":
        view["spec"].setdefault("strategy", {})
        _zero_template(view["spec"]["template"])
        view.setdefault("status", {})
    elif kind == "Job":
        _zero_template(view["spec"]["template"])
        view.setdefault("status", {})
    elif kind == "CronJob":
        job_template = view["spec"]["jobTemplate"]
        job_template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        _zero_template(job_template["spec"]["template"])
        view.setdefault("status", {})
    elif kind == "Namespace":
        view.setdefault("spec", {})
        view.setdefault("status", {})
    elif kind == "Service":
        view.setdefault("status", {"loadBalancer": {}})
    return view
