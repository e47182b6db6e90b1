"""Service networking: kube-proxy's iptables-mode rules (and the simulated network that really
forwards packets by them), cluster DNS, the ingress controller, and `Cluster.request`."""
