"""The container, volume and pod-template sections of `kubectl describe`.

Mirrors `describeContainers` (basic info, command/args, state, resources, probes via
`DescribeProbe`, env/envFrom, mounts), `describeVolumes` (HostPath, EmptyDir, Secret, ConfigMap,
PVC) and `DescribePodTemplate` of `k8s.io/kubectl/pkg/describe/describe.go`. Leaves out
ephemeral containers, topology spread constraints, projected and other volume sources.
"""

from __future__ import annotations

from typing import Any

from minik8s.kubectl.describe_base import (
    PrefixWriter,
    annotations_multiline,
    labels_multiline,
    print_bool,
    rfc1123z,
    tolerations_multiline,
)

Obj = dict[str, Any]


def _ports(ports: list[Obj], host: bool) -> str:
    key = "hostPort" if host else "containerPort"
    return ", ".join(f"{p.get(key, 0)}/{p.get('protocol', 'TCP')}" for p in ports)


def _basic_info(w: PrefixWriter, c: Obj, status: Obj | None, space: str) -> None:
    w.write(1, f"{' ' if space else ''}{c.get('name', '')}:\n")
    if status is not None:
        w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(2, f"Image:\t{c.get('image', '')}\n")
    if status is not None:
        w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
    for label, host in (("Port", False), ("Host Port", True)):
        text = _ports(c.get("ports") or [], host)
        if "," in text:
            w.write(2, f"{label}s:\t{text}\n")
        else:
            w.write(2, f"{label}:\t{text or '<none>'}\n")
    if c.get("restartPolicy"):
        w.write(2, f"Restart Policy:\t{c['restartPolicy']}\n")


def _command(w: PrefixWriter, c: Obj) -> None:
    for field, label in (("command", "Command"), ("args", "Args")):
        if c.get(field):
            w.write(2, f"{label}:\n")
            for item in c[field]:
                for piece in str(item).split("\n"):
                    w.write(3, f"{piece}\n")


def _state(w: PrefixWriter, name: str, state: Obj) -> None:
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if t.get("reason"):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if t.get("signal"):
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{rfc1123z(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def _resources(w: PrefixWriter, resources: Obj | None) -> None:
    for field, label in (("limits", "Limits"), ("requests", "Requests")):
        values = (resources or {}).get(field) or {}
        if values:
            w.write(2, f"{label}:\n")
        for name in sorted(values):
            w.write(3, f"{name}:\t{values[name]}\n")


def describe_probe(probe: Obj) -> str:
    """`DescribeProbe`: `http-get http://:8080/healthz delay=0s timeout=1s period=10s ...`."""
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if probe.get("exec"):
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet"):
        h = probe["httpGet"]
        scheme = (h.get("scheme") or "HTTP").lower()
        port = h.get("port", "")
        host = f"{h.get('host', '')}:{port}" if str(port) else h.get("host", "")
        return f"http-get {scheme}://{host}{h.get('path', '')} {attrs}"
    if probe.get("tcpSocket"):
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host', '')}:{t.get('port', '')} {attrs}"
    if probe.get("grpc"):
        g = probe["grpc"]
        return f"grpc <pod>:{g.get('port', '')} {g.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _env(w: PrefixWriter, c: Obj) -> None:
    if c.get("envFrom"):
        w.write(2, "Environment Variables from:\n")
        for e in c["envFrom"]:
            ref, source = (
                (e.get("configMapRef"), "ConfigMap")
                if e.get("configMapRef")
                else (e.get("secretRef") or {}, "Secret")
            )
            optional = "true" if (ref or {}).get("optional") else "false"
            name = (ref or {}).get("name", "")
            if e.get("prefix"):
                w.write(3, f"{name}\t{source} with prefix '{e['prefix']}'\tOptional: {optional}\n")
            else:
                w.write(3, f"{name}\t{source}\tOptional: {optional}\n")
    env = c.get("env") or []
    w.write(2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for e in env:
        source = e.get("valueFrom")
        if source is None:
            for i, piece in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{e.get('name')}:\t{piece}\n" if i == 0 else f"\t{piece}\n")
        elif source.get("fieldRef"):
            ref = source["fieldRef"]
            api = ref.get("apiVersion", "v1")
            w.write(3, f"{e.get('name')}:\t ({api}:{ref.get('fieldPath', '')})\n")
        elif source.get("secretKeyRef"):
            ref = source["secretKeyRef"]
            w.write(
                3,
                f"{e.get('name')}:\t<set to the key '{ref.get('key')}' in secret "
                f"'{ref.get('name')}'>\tOptional: {'true' if ref.get('optional') else 'false'}\n",
            )
        elif source.get("configMapKeyRef"):
            ref = source["configMapKeyRef"]
            w.write(
                3,
                f"{e.get('name')}:\t<set to the key '{ref.get('key')}' of config map "
                f"'{ref.get('name')}'>\tOptional: {'true' if ref.get('optional') else 'false'}\n",
            )


def _mounts(w: PrefixWriter, c: Obj) -> None:
    mounts = sorted(c.get("volumeMounts") or [], key=lambda m: m.get("mountPath", ""))
    w.write(2, "Mounts:" + ("" if mounts else "\t<none>") + "\n")
    for m in mounts:
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f'path="{m["subPath"]}"')
        w.write(3, f"{m.get('mountPath')} from {m.get('name')} ({','.join(flags)})\n")


def describe_containers(
    w: PrefixWriter, label: str, containers: list[Obj], statuses: list[Obj] | None, space: str
) -> None:
    """`describeContainers`: one block per container, with its status when known."""
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:\n" if containers else f"{space}{label}: <none>\n")
    for c in containers:
        status = by_name.get(c.get("name")) if statuses is not None else None
        _basic_info(w, c, status, space)
        _command(w, c)
        if status is not None:
            _state(w, "State", status.get("state") or {})
            if (status.get("lastState") or {}).get("terminated"):
                _state(w, "Last State", status["lastState"])
            w.write(2, f"Ready:\t{print_bool(status.get('ready'))}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        _resources(w, c.get("resources"))
        for field, name in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if c.get(field):
                w.write(2, f"{name}:\t{describe_probe(c[field])}\n")
        _env(w, c)
        _mounts(w, c)


_VOLUME_TYPES = {
    "hostPath": (
        "HostPath (bare host directory volume)",
        (("Path", "path"), ("HostPathType", "type")),
    ),
    "emptyDir": (
        "EmptyDir (a temporary directory that shares a pod's lifetime)",
        (("Medium", "medium"), ("SizeLimit", "sizeLimit")),
    ),
    "secret": (
        "Secret (a volume populated by a Secret)",
        (("SecretName", "secretName"), ("Optional", "optional")),
    ),
    "configMap": (
        "ConfigMap (a volume populated by a ConfigMap)",
        (("Name", "name"), ("Optional", "optional")),
    ),
    "persistentVolumeClaim": (
        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        (("ClaimName", "claimName"), ("ReadOnly", "readOnly")),
    ),
}
_DEFAULTS = {
    "type": "<none>",
    "sizeLimit": "<unset>",
    "medium": "",
    "optional": False,
    "readOnly": False,
}


def print_volume_source(w: PrefixWriter, kind: str, source: Obj) -> None:
    """`print<Kind>VolumeSource`: `Type:` then the source's fields, four spaces in."""
    title, fields = _VOLUME_TYPES[kind]
    w.write(2, f"Type:\t{title}\n")
    for label, field in fields:
        value = source.get(field, _DEFAULTS.get(field, ""))
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        w.write(0, f"    {label}:\t{text}\n")


def describe_volumes(w: PrefixWriter, volumes: list[Obj] | None, space: str) -> None:
    """`describeVolumes`."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        kind = next((k for k in _VOLUME_TYPES if k in volume), None)
        if kind is not None:
            print_volume_source(w, kind, volume[kind] or {})
        elif "projected" in volume:
            print_projected_volume_source(w, volume["projected"] or {})
        elif "downwardAPI" in volume:
            print_downward_api_volume_source(w, volume["downwardAPI"] or {})
        else:
            w.write(1, "<unknown>\n")


def _optional(value: object) -> str:
    """A `*bool` as `%v` prints it: `<nil>` when unset."""
    return "<nil>" if value is None else ("true" if value else "false")


def print_projected_volume_source(w: PrefixWriter, projected: Obj) -> None:
    """`printProjectedVolumeSource`: one or two lines per source."""
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in projected.get("sources") or []:
        if "secret" in source:
            secret = source["secret"] or {}
            w.write(2, f"SecretName:\t{secret.get('name', '')}\n")
            w.write(0, f"    SecretOptionalName:\t{_optional(secret.get('optional'))}\n")
        elif "downwardAPI" in source:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif "configMap" in source:
            config_map = source["configMap"] or {}
            w.write(2, f"ConfigMapName:\t{config_map.get('name', '')}\n")
            w.write(0, f"    ConfigMapOptional:\t{_optional(config_map.get('optional'))}\n")
        elif "serviceAccountToken" in source:
            seconds = (source["serviceAccountToken"] or {}).get("expirationSeconds", 3600)
            w.write(2, f"TokenExpirationSeconds:\t{seconds}\n")


def print_downward_api_volume_source(w: PrefixWriter, source: Obj) -> None:
    """`printDownwardAPIVolumeSource`: `field -> path` per item."""
    w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n")
    w.write(0, "    Items:\n")
    for item in source.get("items") or []:
        if item.get("fieldRef"):
            w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        if item.get("resourceFieldRef"):
            resource = item["resourceFieldRef"].get("resource", "")
            w.write(3, f"{resource} -> {item.get('path', '')}\n")


def describe_pod_template(w: PrefixWriter, template: Obj | None) -> None:
    """`DescribePodTemplate`: the `Pod Template:` section of workload describers."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels_multiline(w, "Labels", meta.get("labels"), initial="  ")
    if meta.get("annotations"):
        annotations_multiline(w, "Annotations", meta["annotations"], initial="  ", skip=())
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, "  ")
    describe_containers(w, "Containers", spec.get("containers") or [], None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"), initial="  ")
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"), initial="  ")
