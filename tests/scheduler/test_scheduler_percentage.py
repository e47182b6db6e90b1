"""The profile's `percentageOfNodesToScore` wins over the global one whenever it is set, 0
included (upstream `numFeasibleNodesToFind`: 0 is the adaptive rule, only nil falls back)."""

from __future__ import annotations

import random

import pytest

from minik8s.scheduler.cache import Cache
from minik8s.scheduler.decision import Attempt
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.schedule_one import GenericScheduler
from minik8s.scheduler.types import PodInfo
from tests.scheduler.helpers import make_node, make_pod


@pytest.mark.parametrize(
    "profile_percentage,global_percentage,evaluated",
    [
        (None, 30, 300),  # unset: the global 30%
        (0, 30, 420),  # set to 0: adaptive, 50 - 1000/125 = 42%
        (10, 30, 100),  # the profile's own
        (None, 0, 420),  # neither: adaptive
    ],
)
def test_profile_percentage_overrides_the_global_one(
    profile_percentage, global_percentage, evaluated
):
    cache = Cache()
    for i in range(1000):
        cache.add_node(make_node(f"n{i:04d}"))
    snapshot = cache.snapshot()
    profile = Profile(percentage_of_nodes_to_score=profile_percentage)
    fwk = Framework(profile, REGISTRY, snapshot=snapshot, rng=random.Random(0))
    algorithm = GenericScheduler(snapshot, random.Random(0), global_percentage)
    pod = PodInfo(make_pod("p", requests={"cpu": "100m"}))
    attempt = Attempt(pod.key, 0, 0, 0)
    result = algorithm.schedule_pod(fwk, CycleState(), pod, attempt)
    assert (result.evaluated_nodes, result.feasible_nodes) == (evaluated, evaluated)
    assert attempt.evaluated == attempt.feasible == [f"n{i:04d}" for i in range(evaluated)]
    assert algorithm.next_start_node_index == evaluated
