"""batch/v1 create hooks, mirroring the Job REST strategy's `PrepareForCreate`
(`pkg/registry/batch/job/strategy.go`): a new Job gets its generated selector and labels
(`batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name` and the legacy
`controller-uid`/`job-name`) once it has a name and uid, before validation.

Left out: the `managedBy` and feature-gate field drops of the strategy.
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults.batch import job_generate_selector
from minik8s.apiserver.strategy import on_create


@on_create("Job")
def _job_generate_selector(obj: dict[str, Any], server: Any) -> None:
    """Label the pod template and select it by the Job's uid (unless `manualSelector`)."""
    job_generate_selector(obj)
