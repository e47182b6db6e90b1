"""`benchmarks/workload.py --steady-hours`: target 4's load on the cluster the rollout built.
The rollout's own figures are taken before it (the same as without it), and the steady state
writes what its load makes: a Lease renewal per node every 10 s plus the churn."""

from benchmarks import workload


def test_steady_hours_measure_after_the_rollout_and_leave_its_figures_alone():
    alone = workload.run(nodes=4, deployments=2, replicas=3)
    both = workload.run(nodes=4, deployments=2, replicas=3, steady_hours=0.01, churn=5)
    assert (both.api_writes, both.placement, both.virtual_seconds) == (
        alone.api_writes,
        alone.placement,
        alone.virtual_seconds,
    )
    assert alone.steady_writes == 0 and alone.steady_seconds_per_hour == 0
    # 36 virtual seconds: about 4 renewals for each of 4 nodes, 5 × 36 churn writes
    assert 180 <= both.steady_writes <= 260
    assert both.steady_seconds_per_hour > 0
