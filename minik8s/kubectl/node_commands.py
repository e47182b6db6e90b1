"""`kubectl logs` and `kubectl exec`, mirroring `k8s.io/kubectl/pkg/cmd/logs` and `cmd/exec`
plus the API server's `pods/log` / `pods/exec` checks (`pkg/registry/core/pod/strategy.go`
`LogLocation`, `ExecLocation`) that decide which errors a user sees.

Upstream kubectl asks the API server, which proxies to the pod's kubelet. Here the API server
keeps its kubelets by node name (`APIServer.kubelets`); these functions go to the right one after
the same checks (the functions also accept any mapping node name → Kubelet).
`TYPE/NAME` targets (`deploy/web`, `svc/web`, ...) resolve to one pod like upstream
(`polymorphic.pod_for_object`); `logs -l SELECTOR` prints the last 10 lines of each matching pod.
Left out: `--follow`, `--since`, `--timestamps`, `--prefix`, `--all-containers`, stdin/tty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minik8s.api.errors import InternalError, StatusError
from minik8s.client.client import Client
from minik8s.kubectl.cli import Args, bool_flag, format_error, register
from minik8s.kubectl.flag_values import int_flag
from minik8s.kubectl.polymorphic import pod_for_object

Obj = dict[str, Any]


class BadRequest(StatusError):
    reason = "BadRequest"
    code = 400


def _kubelets(source: Any) -> Mapping[str, Any]:
    return source if isinstance(source, Mapping) else source.kubelets


DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


def _container(pod: Obj, args: Args) -> tuple[str, str]:
    """(container name, kubectl's "Defaulted container" notice or ""), as podcmd
    `FindOrDefaultContainerByName`: `-c`, else the default-container annotation, else the first."""
    containers = [c["name"] for c in pod["spec"].get("containers") or []]
    inits = [c["name"] for c in pod["spec"].get("initContainers") or []]
    wanted = args.flag("container")
    if wanted:
        if wanted not in containers + inits:
            name = pod["metadata"]["name"]
            raise BadRequest(f"container {wanted} is not valid for pod {name}")
        return wanted, ""
    annotated = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER)
    if annotated in containers + inits:
        return str(annotated), ""
    note = ""
    if len(containers) > 1 or inits:
        names = ", ".join(containers + [f"{n} (init)" for n in inits])
        note = f'Defaulted container "{containers[0]}" out of: {names}\n'
    return containers[0], note


def _status(pod: Obj, name: str) -> Obj:
    statuses = (pod.get("status", {}).get("containerStatuses") or []) + (
        pod.get("status", {}).get("initContainerStatuses") or []
    )
    return next((s for s in statuses if s["name"] == name), {})


def _target(
    kubelets: Any, client: Client, args: Args, for_logs: bool = False
) -> tuple[Any, Obj, str, str]:
    if not args.positional:
        raise ValueError("error: expected POD")
    pod, found = pod_for_object(client, args.positional[0], args.namespace, for_logs)
    name, note = _container(pod, args)
    node = pod["spec"].get("nodeName", "")
    kubelet = _kubelets(kubelets).get(node)
    return kubelet, pod, name, found + note


def _logs_by_selector(kubelets: Any, client: Client, args: Args) -> str:
    """`kubectl logs -l SELECTOR`: each matching pod in turn, `--tail` 10 unless given."""
    selector = args.flag("selector")
    pods = client.list("pods", args.namespace, label_selector=selector).get("items") or []
    if not pods:
        return f"No resources found in {args.namespace} namespace.\n"
    flags = {k: v for k, v in args.flags.items() if k != "selector"}
    flags.setdefault("tail", "10")
    out = []
    for pod in pods:
        one = Args(args.command, [pod["metadata"]["name"]], dict(flags), args.multi)
        one.command_path = args.command_path
        out.append(logs(kubelets, client, one))
    return "".join(out)


def logs(kubelets: Any, client: Client, args: Args) -> str:
    """`kubectl logs (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER] [-p] [--tail N]`."""
    bool_flag(args, "previous", False)  # pflag parses these before the command runs
    int_flag(args, "tail", -1)
    if args.flag("selector") and not args.positional:
        return _logs_by_selector(kubelets, client, args)
    if args.flag("selector"):
        raise ValueError(
            "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help "
            "and examples"
        )
    kubelet, pod, name, note = _target(kubelets, client, args, for_logs=True)
    try:  # the notice goes to stderr before the request, so it precedes its error
        return note + _read_logs(kubelet, pod, name, args)
    except StatusError as err:
        return note + format_error(err)


# kubelet `validateContainerLogStatus`: the common pull failures in words
WAITING_LOG_ERRORS = {
    "ErrImagePull": "image can't be pulled",
    "ImagePullBackOff": "trying and failing to pull image",
}


def _read_logs(kubelet: Any, pod: Obj, name: str, args: Args) -> str:
    pod_name = pod["metadata"]["name"]
    status = _status(pod, name)
    previous = bool_flag(args, "previous", False)
    waiting = status.get("state", {}).get("waiting")
    if kubelet is None or (not previous and waiting and not status.get("lastState")):
        reason = (waiting or {}).get("reason", "ContainerCreating")
        reason = WAITING_LOG_ERRORS.get(reason, reason)
        raise BadRequest(f'container "{name}" in pod "{pod_name}" is waiting to start: {reason}')
    try:
        text = kubelet.logs(pod["metadata"]["namespace"], pod_name, name, previous=previous)
    except KeyError as err:
        raise BadRequest(str(err.args[0])) from err
    tail = int_flag(args, "tail", -1)
    if tail >= 0:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[len(lines) - tail :]) if tail else ""
    return text


def exec_(kubelets: Any, client: Client, args: Args) -> str:
    """`kubectl exec POD [-c CONTAINER] -- COMMAND [args...]`."""
    if not args.rest:
        raise ValueError("error: you must specify at least one command for the container")
    kubelet, pod, name, note = _target(kubelets, client, args)
    try:
        return note + _run_exec(kubelet, pod, name, args)
    except StatusError as err:
        return note + format_error(err)


def _run_exec(kubelet: Any, pod: Obj, name: str, args: Args) -> str:
    phase = pod.get("status", {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise BadRequest(
            f"cannot exec into a container in a completed pod; current phase is {phase}"
        )
    if kubelet is None or "running" not in _status(pod, name).get("state", {}):
        raise BadRequest(f'unable to upgrade connection: container not found ("{name}")')
    meta = pod["metadata"]
    try:
        output, code = kubelet.exec(meta["namespace"], meta["name"], name, list(args.rest))
    except InternalError as err:  # on the exec stream, not an API reply: `error: <message>`
        return f"error: {err.message}\n"
    if code != 0:
        output += f"command terminated with exit code {code}\n"
    return output


exec = exec_  # noqa: A001 - the kubectl verb's name


@register("logs")
def logs_command(client: Client, args: Args) -> str:
    """`kubectl logs`: through the API server to the pod's kubelet (pods/log)."""
    return logs(client.server.kubelets, client, args)


@register("exec")
def exec_command(client: Client, args: Args) -> str:
    """`kubectl exec`: through the API server to the pod's kubelet (pods/exec)."""
    return exec_(client.server.kubelets, client, args)
