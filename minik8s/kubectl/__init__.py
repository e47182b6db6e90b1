"""kubectl for minik8s: manifests, client-side apply, `get` tables, `describe`, and the CLI.

`kubectl(client, "get pods -o wide")` returns the text kubectl would print. Subcommands other
modules add (logs, exec, rollout, ...) plug in with `minik8s.kubectl.cli.register(name)`.
"""

from minik8s.kubectl import commands, commands_delete, commands_meta, events  # noqa: F401 - registers subcommands
from minik8s.kubectl.apply import LAST_APPLIED, apply_object
from minik8s.kubectl.cli import COMMANDS, kubectl, register
from minik8s.kubectl.manifest import ManifestError, load_manifests
from minik8s.kubectl.table import human_duration

__all__ = [
    "COMMANDS",
    "LAST_APPLIED",
    "ManifestError",
    "apply_object",
    "human_duration",
    "kubectl",
    "load_manifests",
    "register",
]
