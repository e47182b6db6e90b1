"""The Container Runtime Interface: the protocol (api.py) and two runtimes that implement it."""
