"""upstream `pkg/api/persistentvolume/util_test.go` and `persistentvolumeclaim/util_test.go`
(`TestWarnings`) rows for the PV and PVC `Warning:` lines."""

from minik8s.controllers import pv_util as util


def test_persistent_volume_warnings():
    assert util.warnings_for_persistent_volume({"spec": {}}) == []
    pv = {
        "metadata": {
            "annotations": {
                "volume.beta.kubernetes.io/storage-class": "",
                "volume.beta.kubernetes.io/mount-options": "",
            }
        },
        "spec": {
            "nodeAffinity": {
                "required": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {"key": "beta.kubernetes.io/os", "operator": "Exists"}
                            ]
                        }
                    ]
                }
            }
        },
    }
    assert util.warnings_for_persistent_volume(pv) == [
        "metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; "
        'use "storageClassName" attribute instead',
        "metadata.annotations[volume.beta.kubernetes.io/mount-options]: deprecated since v1.31; "
        'use "mountOptions" attribute instead',
        "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key: "
        'beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead',
    ]
    assert util.warnings_for_persistent_volume(
        {"spec": {"persistentVolumeReclaimPolicy": "Recycle"}}
    ) == [
        "spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, "
        "the recommended approach is to use dynamic provisioning."
    ]
    assert util.warnings_for_persistent_volume({"spec": {"cephfs": {}}}) == [
        "spec.cephfs: deprecated in v1.28, non-functional in v1.31+"
    ]


def test_persistent_volume_claim_warnings():
    claim = {
        "metadata": {"annotations": {"volume.beta.kubernetes.io/storage-class": "x"}},
        "spec": {"resources": {"requests": {"storage": "200000m"}, "limits": {"storage": "1Gi"}}},
    }
    assert util.warnings_for_persistent_volume_claim(claim) == [
        "metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; "
        'use "storageClassName" attribute instead',
    ]
    claim = {"spec": {"resources": {"requests": {"storage": "200001m"}}}}
    assert util.warnings_for_persistent_volume_claim(claim) == [
        'spec.resources.requests[storage]: fractional byte value "200001m" is invalid, must be an '
        "integer"
    ]
