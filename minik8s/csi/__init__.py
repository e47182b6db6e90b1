"""CSI: the Container Storage Interface services, a host-path driver and the sidecars
(external-provisioner, external-attacher, external-resizer) that connect it to the API."""
