"""Profiles: upstream's default plugins and weights, and user changes merged on them."""

import pytest

from minik8s.client.client import Client
from minik8s.scheduler import Profile, Scheduler
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.runtime import Framework
from minik8s.trace import Tracer
from tests.scheduler.helpers import Env


def names(plugins):
    return [p.name for p in plugins]


def test_default_profile_matches_upstream_order_and_weights():
    fwk = Framework(Profile(), REGISTRY)
    assert names(fwk.filter_plugins) == [
        "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
        "NodeResourcesFit", "VolumeBinding", "PodTopologySpread", "InterPodAffinity",
    ]  # fmt: skip
    assert fwk.weights == {
        "TaintToleration": 3, "NodeAffinity": 2, "NodeResourcesFit": 1,
        "PodTopologySpread": 2, "InterPodAffinity": 2, "NodeResourcesBalancedAllocation": 1,
    }  # fmt: skip
    assert names(fwk.post_filter_plugins) == ["DefaultPreemption"]
    assert names(fwk.bind_plugins) == ["DefaultBinder"]
    assert fwk.queue_sort.name == "PrioritySort"


def test_multi_point_merge_disable_reweight_and_per_point_disable():
    profile = Profile.from_config(
        {
            "schedulerName": "my-scheduler",
            "percentageOfNodesToScore": 30,
            "plugins": {
                "multiPoint": {
                    "enabled": [{"name": "NodeResourcesFit", "weight": 5}],
                    "disabled": [{"name": "InterPodAffinity"}],
                },
                "score": {"disabled": [{"name": "TaintToleration"}]},
            },
        }
    )
    fwk = Framework(profile, REGISTRY)
    assert "InterPodAffinity" not in fwk.plugins
    assert "TaintToleration" in names(fwk.filter_plugins)
    assert "TaintToleration" not in fwk.weights
    assert fwk.weights["NodeResourcesFit"] == 5
    assert profile.scheduler_name == "my-scheduler" and profile.percentage_of_nodes_to_score == 30
    assert repr(profile).startswith("Profile(my-scheduler [PrioritySort,NodeUnschedulable,")


def test_star_disables_every_default_at_a_point():
    profile = Profile.from_config(
        {
            "plugins": {
                "score": {
                    "disabled": [{"name": "*"}],
                    "enabled": [{"name": "NodeAffinity", "weight": 7}],
                }
            }
        }
    )
    fwk = Framework(profile, REGISTRY)
    assert fwk.weights == {"NodeAffinity": 7}


def test_unknown_plugin_and_bad_args_are_rejected():
    with pytest.raises(ValueError, match="'Nope' is not registered"):
        Framework(
            Profile.from_config({"plugins": {"multiPoint": {"enabled": [{"name": "Nope"}]}}}),
            REGISTRY,
        )
    bad = {
        "pluginConfig": [
            {"name": "NodeResourcesFit", "args": {"scoringStrategy": {"type": "Random"}}}
        ]
    }
    with pytest.raises(ValueError, match="scoringStrategy.type"):
        Framework(Profile.from_config(bad), REGISTRY)


def test_trace_shows_enqueue_and_bind():
    env = Env()
    tracer = Tracer(lambda: env.loop.now)
    tracer.enabled = True
    scheduler = Scheduler(
        Client(env.server, "s2"), env.informers, profile={"schedulerName": "traced"}, tracer=tracer
    )
    scheduler.start()
    env.add_node("n1")
    env.add_pod("web", schedulerName="traced")
    env.settle()
    texts = [line.split(None, 3)[3] for line in tracer.lines]
    assert texts == ["enqueue default/web", "bind default/web → n1 (1/1 nodes feasible)"]


CPU_MEMORY = [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
BA, FIT = "NodeResourcesBalancedAllocation", "NodeResourcesFit"
SCALAR0, SCALAR1 = {"name": "scalar.io/scalar0"}, {"name": "scalar.io/scalar1", "weight": 1}


@pytest.mark.parametrize(
    "name,plugin,args,want",
    [
        ("NodeResourcesBalancedAllocationArgs resources empty", BA, {}, {"resources": CPU_MEMORY}),
        ("NodeResourcesBalancedAllocationArgs with scalar resource", BA,
         {"resources": [SCALAR1]}, {"resources": [SCALAR1]}),
        ("NodeResourcesBalancedAllocationArgs have resource no weight", BA,
         {"resources": [{"name": "cpu"}, SCALAR0, SCALAR1]},
         {"resources": [{"name": "cpu", "weight": 1}, {**SCALAR0, "weight": 1}, SCALAR1]}),
        ("NodeResourcesFitArgs not set", FIT,
         {}, {"scoringStrategy": {"type": "LeastAllocated", "resources": CPU_MEMORY}}),
        ("NodeResourcesFitArgs Resources empty", FIT,
         {"scoringStrategy": {"type": "MostAllocated"}},
         {"scoringStrategy": {"type": "MostAllocated", "resources": CPU_MEMORY}}),
        # defaults.go: "If the weight is not set or it is explicitly set to 0, ... weight(1)"
        ("NodeResourcesFitArgs weight 0 and unset", FIT,
         {"scoringStrategy": {"type": "MostAllocated",
                              "resources": [{"name": "cpu"}, {"name": "memory", "weight": 0}]}},
         {"scoringStrategy": {"type": "MostAllocated", "resources": CPU_MEMORY}}),
    ],
)  # fmt: skip
def test_plugin_args_defaults(name, plugin, args, want):
    """upstream `apis/config/v1/defaults_test.go` `TestPluginArgsDefaults` rows."""
    profile = Profile.from_config({"pluginConfig": [{"name": plugin, "args": args}]})
    assert profile.plugin_config[plugin] == want
    Framework(profile, REGISTRY)  # the defaulted args pass the plugins' validation


def test_weight_zero_resources_are_accepted_by_the_scheduler():
    """A KubeSchedulerConfiguration with weight 0 / no weight is valid (defaulted to 1)."""
    profile = Profile.from_config(
        {
            "pluginConfig": [
                {
                    "name": "NodeResourcesFit",
                    "args": {"scoringStrategy": {"type": "MostAllocated", "resources": [
                        {"name": "cpu"}, {"name": "memory", "weight": 0}]}},
                },
                {"name": "NodeResourcesBalancedAllocation", "args": {"resources": [
                    {"name": "cpu"}, {"name": "memory"}]}},
            ]
        }
    )  # fmt: skip
    fwk = Framework(profile, REGISTRY)
    assert [s.scorer.resources for s in fwk.score_plugins if hasattr(s, "scorer")] == [
        ["cpu", "memory"],
        ["cpu", "memory"],
    ]
