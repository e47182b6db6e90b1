"""Deploying a CSI driver's controller side, like its StatefulSet/Deployment of sidecars:
the external-provisioner, external-attacher and external-resizer next to the driver's
Controller service (each with a client of its own, named like the container)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minik8s.controllers.base import Controller
from minik8s.csi.api import ControllerServer
from minik8s.csi.attacher import ExternalAttacher
from minik8s.csi.provisioner import ExternalProvisioner
from minik8s.csi.resizer import ExternalResizer

SIDECARS = (
    ("csi-provisioner", ExternalProvisioner),
    ("csi-attacher", ExternalAttacher),
    ("csi-resizer", ExternalResizer),
)


def csi_sidecars(
    client_for: Callable[[str], Any], informers: Any, driver: ControllerServer, tracer: Any = None
) -> list[Controller]:
    """The sidecars of `driver`, not yet started (call `.start()` on each)."""
    return [cls(client_for(name), informers, driver, tracer) for name, cls in SIDECARS]
