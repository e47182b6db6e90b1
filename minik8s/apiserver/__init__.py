"""The API server, mirroring kube-apiserver: the only component that talks to the store."""

from minik8s.apiserver.admission import AdmissionChain, Attributes, NamespaceLifecycle
from minik8s.apiserver.server import APIServer

__all__ = ["APIServer", "AdmissionChain", "Attributes", "NamespaceLifecycle"]
