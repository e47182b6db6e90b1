"""Image pulls for containers, mirroring `pkg/kubelet/images/image_manager.go`
(`EnsureImageExists`) with upstream's events and waiting reasons.

`imagePullPolicy` decides: `Never` (present or `ErrImageNeverPull`), `IfNotPresent` (pull when
missing) or `Always`. A pull takes `runtime.pull_seconds(image)` virtual seconds; meanwhile the
container waits (`ContainerCreating`). A failed pull is `ErrImagePull`; retries back off 10 s,
20 s … 5 min per pod and image, and while backing off the reason is `ImagePullBackOff`.
The pull carries the `AuthConfig` from the pod's `imagePullSecrets` (`pull_secrets.py`).
Left out: serialized/parallel pull limits, image GC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minik8s.cri.api import AuthConfig, CRIError, ImageService, ImageSpec
from minik8s.kubelet.backoff import Backoff

Obj = dict[str, Any]
Event = Callable[[str, str, str], None]  # (type, reason, message)


@dataclass
class PullResult:
    """`ok` with an image ref, `wait` until `retry_at`, or an error `reason` + `message`."""

    state: str  # ok | wait | error
    image_ref: str = ""
    reason: str = ""
    message: str = ""
    retry_at: float | None = None
    background: bool = False


def go_duration(seconds: float) -> str:
    """Go's `time.Duration.String()` for the durations events print (`2.44s`, `500ms`)."""
    if seconds < 1:
        return f"{seconds * 1000:.6g}ms"
    if seconds < 60:
        return f"{seconds:.9g}s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{int(minutes)}m{rest:.9g}s"
    hours, minutes = divmod(minutes, 60)
    return f"{int(hours)}h{int(minutes)}m{rest:.9g}s"


class ImageManager:
    """Ensures a container's image is on the node before the container is created."""

    def __init__(self, images: ImageService, backoff: Backoff, now: Callable[[], float]):
        self.images = images
        self.backoff = backoff
        self.now = now
        self.pulls: dict[str, tuple[float, float]] = {}  # key → (started, done at)

    def __repr__(self) -> str:
        return f"<ImageManager pulling={len(self.pulls)}>"

    def ensure(
        self, pod: Obj, container: Obj, event: Event, auth: AuthConfig | None = None
    ) -> PullResult:
        """One step of `EnsureImageExists`; call again at `retry_at` while it says `wait`."""
        image = container["image"]
        spec = ImageSpec(image)
        policy = container.get("imagePullPolicy") or "IfNotPresent"
        key = f"{pod['metadata'].get('uid', '')}_{image}"
        present = self.images.image_status(spec)
        if key not in self.pulls and present is not None and policy != "Always":
            event("Normal", "Pulled", f'Container image "{image}" already present on machine')
            return PullResult("ok", present.repo_digests[0] if present.repo_digests else present.id)
        if policy == "Never":
            message = f'Container image "{image}" is not present with pull policy of Never'
            event("Warning", "ErrImageNeverPull", message)
            return PullResult("error", reason="ErrImageNeverPull", message=message)
        if key in self.pulls:
            started, done = self.pulls[key]
            if self.now() < done:
                return PullResult("wait", retry_at=done)
            return self._finish(key, spec, started, event, auth)
        if self.backoff.in_backoff_since_update(key, self.now()):
            message = f'Back-off pulling image "{image}"'
            event("Normal", "BackOff", message)
            entry = self.backoff.entries[key]
            retry = entry.last_update + entry.backoff
            return PullResult("error", reason="ImagePullBackOff", message=message, retry_at=retry)
        event("Normal", "Pulling", f'Pulling image "{image}"')
        seconds = self.images.pull_seconds(spec)
        self.pulls[key] = (self.now(), self.now() + seconds)
        if seconds > 0:
            return PullResult("wait", retry_at=self.now() + seconds)
        return self._finish(key, spec, self.now(), event, auth)

    def _finish(
        self, key: str, spec: ImageSpec, started: float, event: Event, auth: AuthConfig | None
    ) -> PullResult:
        del self.pulls[key]
        try:
            ref = self.images.pull_image(spec, auth)
        except CRIError as err:
            message = f"rpc error: code = {err.code} desc = {err.message}"
            event("Warning", "Failed", f'Failed to pull image "{spec.image}": {message}')
            self.backoff.next(key, self.now())
            retry = self.now() + self.backoff.get(key)
            return PullResult("error", reason="ErrImagePull", message=message, retry_at=retry)
        took = go_duration(self.now() - started)
        found = self.images.image_status(spec)
        size = found.size if found else 0
        event(
            "Normal",
            "Pulled",
            f'Successfully pulled image "{spec.image}" in {took} ({took} including waiting).'
            f" Image size: {size} bytes.",
        )
        return PullResult("ok", ref)
