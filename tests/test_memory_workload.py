"""The workload benchmark's memory measurement (`--tracemalloc`) does not change the run."""

from __future__ import annotations

from benchmarks import workload


def test_tracemalloc_reports_kib_per_pod_by_subsystem_and_keeps_the_placement():
    plain = workload.run(3, 1, 4)
    measured = workload.run(3, 1, 4, tracemalloc_frames=8)
    assert plain.kib_per_pod == {}
    assert measured.complete and measured.placement == plain.placement
    assert measured.kib_per_pod["etcd"] > 0 and measured.kib_per_pod["kubelet"] > 0
    assert sum(measured.kib_per_pod.values()) > 10  # a pod costs well over 10 KiB
    sizes = list(measured.kib_per_pod.values())
    assert sizes == sorted(sizes, reverse=True)
