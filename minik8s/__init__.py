"""minik8s: Kubernetes architecture, taught by running it.

A deterministic, single-threaded re-implementation of the Kubernetes control plane and node
components in readable Python. Everything goes through the API server; time is virtual.
"""

__version__ = "0.1.0"

from minik8s.cluster import Cluster  # noqa: E402  (after __version__, which cluster may read)

__all__ = ["Cluster", "__version__"]
