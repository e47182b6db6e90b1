"""Deterministic discrete-event simulation: the virtual clock every component runs on."""

from minik8s.sim.loop import EPOCH, EventLoop, Timer

__all__ = ["EPOCH", "EventLoop", "Timer"]
