"""EndpointSlice defaulting, mirroring `pkg/apis/discovery/v1/defaults.go`
(`SetDefaults_EndpointPort`: name "" and protocol TCP).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import defaults_for


@defaults_for("EndpointSlice")
def set_defaults_endpoint_slice(eps: dict[str, Any]) -> None:
    """Every port gets a name ("" when unnamed) and protocol TCP."""
    for port in eps.get("ports") or []:
        if port.get("name") is None:
            port["name"] = ""
        if port.get("protocol") is None:
            port["protocol"] = "TCP"
