"""The kubelet: one per node, runs the pods bound to it through the CRI (see kubelet.py)."""

from minik8s.kubelet.kubelet import Kubelet

__all__ = ["Kubelet"]
