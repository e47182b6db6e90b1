"""networking.k8s.io/v1 defaulting, mirroring `pkg/apis/networking/v1/defaults.go`.

Only IngressClass has a default here (`parameters.scope` Cluster). Ingress has none: unlike
v1beta1, networking/v1 does not default `pathType`, so validation requires it.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import defaults_for


@defaults_for("IngressClass")
def set_defaults_ingress_class(ic: dict[str, Any]) -> None:
    """upstream `SetDefaults_IngressClass`: parameters.scope Cluster when parameters are set."""
    params = (ic.get("spec") or {}).get("parameters")
    if isinstance(params, dict) and params.get("scope") is None:
        params["scope"] = "Cluster"
