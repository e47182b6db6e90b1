"""Rows of upstream `pkg/api/pod/warnings_test.go` (`TestWarnings`), the PV/PVC util tests and the
workload strategies' `WarningsOnCreate` / `WarningsOnUpdate` for `minik8s.apiserver.warnings`."""

import pytest

from minik8s.apiserver.warnings import warnings_on_create, warnings_on_update
from minik8s.controllers import pv_util


def pod(spec=None, annotations=None, name="p"):
    meta = {"name": name, "annotations": annotations or {}}
    return {"metadata": meta, "spec": spec or {}}


def container(**fields):
    return {"name": "c", "image": "i", **fields}


ROWS = [
    ("empty", {}, None, []),
    (
        "node selector",
        {"nodeSelector": {"beta.kubernetes.io/arch": "amd64"}},
        None,
        ["spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; "
         'use "kubernetes.io/arch" instead'],
    ),
    (
        "node affinity required",
        {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "foo", "operator": "Exists"},
                {"key": "beta.kubernetes.io/os", "operator": "Exists"},
            ]}]}}}},
        None,
        ["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
         "nodeSelectorTerms[0].matchExpressions[1].key: beta.kubernetes.io/os is deprecated "
         'since v1.14; use "kubernetes.io/os" instead'],
    ),
    (
        "node affinity preferred",
        {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 1, "preference": {"matchExpressions": [
                {"key": "failure-domain.beta.kubernetes.io/zone", "operator": "Exists"}]}}]}}},
        None,
        ["spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]."
         "preference.matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is "
         'deprecated since v1.17; use "topology.kubernetes.io/zone" instead'],
    ),
    (
        "topology spread",
        {"topologySpreadConstraints": [{"topologyKey": "beta.kubernetes.io/instance-type"}]},
        None,
        ["spec.topologySpreadConstraints[0].topologyKey: beta.kubernetes.io/instance-type is "
         'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
         "spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in "
         "matching no pod"],
    ),
    (
        "critical pod annotation",
        {},
        {"scheduler.alpha.kubernetes.io/critical-pod": "true"},
        ["metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in "
         'v1.16+; use the "priorityClassName" field instead'],
    ),
    (
        "gitRepo and cephfs volumes",
        {"volumes": [{"name": "a", "gitRepo": {}}, {"name": "b", "cephfs": {}}]},
        None,
        ["spec.volumes[0].gitRepo: deprecated in v1.11",
         "spec.volumes[1].cephfs: deprecated in v1.28, non-functional in v1.31+"],
    ),
    (
        "ephemeral claim fractional storage",
        {"volumes": [{"name": "a", "ephemeral": {"volumeClaimTemplate": {"spec": {
            "resources": {"requests": {"storage": "200001m"}}}}}}]},
        None,
        ['spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: '
         'fractional byte value "200001m" is invalid, must be an integer'],
    ),
    (
        "duplicate hostAliases",
        {"hostAliases": [{"ip": "1.1.1.1"}, {"ip": "1.1.1.1"}]},
        None,
        ['spec.hostAliases[1].ip: duplicate ip "1.1.1.1"'],
    ),
    (
        "duplicate and empty imagePullSecrets",
        {"imagePullSecrets": [{"name": "a"}, {"name": "a"}, {}]},
        None,
        ['spec.imagePullSecrets[1].name: duplicate name "a"',
         'spec.imagePullSecrets[2].name: invalid empty name ""'],
    ),
    (
        "fractional overhead and resources",
        {"overhead": {"memory": "1m"},
         "initContainers": [container(resources={"limits": {"memory": "1m"}})],
         "containers": [container(resources={"requests": {"ephemeral-storage": "1m"}})]},
        None,
        ['spec.overhead[memory]: fractional byte value "1m" is invalid, must be an integer',
         'spec.initContainers[0].resources.limits[memory]: fractional byte value "1m" is '
         "invalid, must be an integer",
         'spec.containers[0].resources.requests[ephemeral-storage]: fractional byte value "1m" '
         "is invalid, must be an integer"],
    ),
    (
        "seccomp annotations without fields",
        {"containers": [container()]},
        {"seccomp.security.alpha.kubernetes.io/pod": "x",
         "container.seccomp.security.alpha.kubernetes.io/c": "x"},
        ["metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in "
         'v1.27+; use the "seccompProfile" field instead',
         "metadata.annotations[container.seccomp.security.alpha.kubernetes.io/c]: non-functional"
         ' in v1.27+; use the "seccompProfile" field instead'],
    ),
    (
        "duplicate env",
        {"containers": [container(env=[
            {"name": "a", "value": "x"}, {"name": "a", "value": "$(a)y"},  # refers: fine
            {"name": "b", "value": "x"}, {"name": "b", "value": "y"},
            {"name": "c", "value": "x"}, {"name": "c", "value": "$(c)"},
            {"name": "d", "value": "x"}, {"name": "d", "valueFrom": {}},
        ])]},
        None,
        [f'spec.containers[0].env[{i}]: hides previous definition of "{n}", which may be dropped '
         "when using apply" for i, n in ((3, "b"), (5, "c"), (7, "d"))],
    ),
    (
        "ports",
        {"containers": [
            container(ports=[{"containerPort": 80, "protocol": "TCP"},
                             {"containerPort": 80, "protocol": "TCP"},
                             {"containerPort": 81, "protocol": "TCP", "hostPort": 81}]),
            container(ports=[{"containerPort": 81, "protocol": "TCP"},
                             {"containerPort": 81, "protocol": "TCP", "hostPort": 81,
                              "hostIP": "1.2.3.4"},
                             {"name": "x", "containerPort": 82, "protocol": "UDP",
                              "hostIP": "1.2.3.4"}]),
        ]},
        None,
        ["spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]",
         "spec.containers[1].ports[0]: overlapping port definition with "
         "spec.containers[0].ports[2]",
         "spec.containers[1].ports[1]: dangerously ambiguous port definition with "
         "spec.containers[0].ports[2]",
         "spec.containers[1].ports[1]: overlapping port definition with "
         "spec.containers[1].ports[0]",
         "spec.containers[1].ports[2]: hostIP set without hostPort: {Name:x HostPort:0 "
         "ContainerPort:82 Protocol:UDP HostIP:1.2.3.4}"],
    ),
    (
        "negative grace period",
        {"terminationGracePeriodSeconds": -1},
        None,
        ["spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will "
         "be treated as 1"],
    ),
    (
        "null pod affinity selectors",
        {"affinity": {
            "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{}]},
            "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "podAffinityTerm": {}}]}}},
        None,
        ["spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]."
         "labelSelector: a null labelSelector results in matching no pod",
         "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]."
         "podAffinityTerm.labelSelector: a null labelSelector results in matching no pod"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    "spec,annotations,expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_pod_warnings_on_create(spec, annotations, expected):
    assert warnings_on_create("Pod", pod(spec, annotations)) == expected


@pytest.mark.parametrize(
    "spec,annotations,expected", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_deployment_template_prefixes_paths(spec, annotations, expected):
    deploy = {"metadata": {"name": "d"}, "spec": {"template": pod(spec, annotations)}}
    prefixed = [f"spec.template.{w}".replace(" spec.", " spec.template.spec.") for w in expected]
    assert warnings_on_create("Deployment", deploy) == prefixed


def test_pod_name_not_a_dns_label():
    assert warnings_on_create("Pod", pod(name="a.b")) == [
        "metadata.name: this is used in the Pod's hostname, which can result in surprising "
        "behavior; a DNS label is recommended: [must not contain dots]"
    ]


def test_job_and_cronjob_paths_and_names():
    template = pod({"terminationGracePeriodSeconds": -1})
    job = {"metadata": {"name": "j.x"}, "spec": {"template": template}}
    assert warnings_on_create("Job", job) == [
        "metadata.name: this is used in Pod names and hostnames, which can result in surprising "
        "behavior; a DNS label is recommended: [must not contain dots]",
        "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are "
        "invalid and will be treated as 1",
    ]
    cron = {"metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": template}}}}
    assert warnings_on_create("CronJob", cron) == [
        "spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds: must be >= 0; "
        "negative values are invalid and will be treated as 1"
    ]


def test_update_warns_only_when_generation_changes():
    template = pod({"terminationGracePeriodSeconds": -1})
    old = {"metadata": {"name": "d", "generation": 1}, "spec": {"template": template}}
    same = {"metadata": {"name": "d", "generation": 1}, "spec": {"template": template}}
    bumped = {"metadata": {"name": "d", "generation": 2}, "spec": {"template": template}}
    assert warnings_on_update("Deployment", same, old) == []
    assert warnings_on_update("Deployment", bumped, old) == [
        "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are "
        "invalid and will be treated as 1"
    ]
    # no name warning on update; pods are never warned on update
    assert warnings_on_update("Pod", pod({"terminationGracePeriodSeconds": -1}), pod()) == []


def test_statefulset_claim_templates_and_history_limit():
    claim = {"spec": {"resources": {"requests": {"storage": "1500m"}}}}
    sts = {
        "metadata": {"name": "s", "generation": 1},
        "spec": {"template": pod(), "volumeClaimTemplates": [claim], "revisionHistoryLimit": -1},
    }
    history = (
        "spec.revisionHistoryLimit: a negative value retains all historical revisions; "
        "a value >= 0 is recommended"
    )
    assert warnings_on_create("StatefulSet", sts) == [
        'spec.volumeClaimTemplates[0].resources.requests[storage]: fractional byte value "1500m" '
        "is invalid, must be an integer",
        history,
    ]
    assert warnings_on_update("StatefulSet", sts, sts) == [
        "spec.volumeClaimTemplates[0].Spec.resources.requests[storage]: fractional byte value "
        '"1500m" is invalid, must be an integer',
        history,
    ]


def test_persistent_volume_kinds_and_pv_util_reexport():
    pv = {"metadata": {"name": "v"}, "spec": {"persistentVolumeReclaimPolicy": "Recycle"}}
    expected = [
        "spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, "
        "the recommended approach is to use dynamic provisioning."
    ]
    assert warnings_on_create("PersistentVolume", pv) == expected
    assert warnings_on_update("PersistentVolume", pv, pv) == expected
    assert pv_util.warnings_for_persistent_volume(pv) == expected
    claim = {"metadata": {"name": "c"}, "spec": {"resources": {"limits": {"storage": "1.5"}}}}
    assert warnings_on_create("PersistentVolumeClaim", claim) == [
        'spec.resources.limits[storage]: fractional byte value "1500m" is invalid, must be an '
        "integer"
    ]


def test_other_kinds_have_no_warnings():
    assert warnings_on_create("ConfigMap", {"metadata": {"name": "a.b"}}) == []


def ports(*specs):
    """Containers "foo", "bar", ... each with the given ports (containerPort, hostPort, protocol,
    hostIP) tuples."""
    return {
        "containers": [
            {
                "name": f"c{i}",
                "ports": [
                    {"containerPort": c, "hostPort": h, "protocol": p, "hostIP": ip}
                    for c, h, p, ip in container_ports
                ],
            }
            for i, container_ports in enumerate(specs)
        ]
    }


DUP = "duplicate port definition with"
OVERLAP = "overlapping port definition with"
AMBIGUOUS = "dangerously ambiguous port definition with"
HOST_IP_80 = (
    "hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 Protocol:UDP HostIP:10.0.0.1}"
)
# upstream TestWarnings rows (compared as sets with equal length, as upstream does)
UPSTREAM_PORT_ROWS = [
    (ports([(80, 80, "TCP", "")]), []),
    (ports([(80, 0, "UDP", ""), (81, 0, "UDP", "")]), []),
    (ports([(80, 0, "UDP", ""), (80, 0, "TCP", "")]), []),
    (ports([(80, 80, "TCP", ""), (80, 81, "TCP", "")]), []),
    (ports([(80, 80, "TCP", "10.0.0.1"), (80, 80, "TCP", "10.0.0.2")]), []),
    (ports([(80, 80, "TCP", "10.0.0.1")], [(80, 80, "TCP", "10.0.0.2")]), []),
    (ports([(80, 0, "UDP", ""), (80, 0, "UDP", "")]),
     [f"spec.containers[0].ports[1]: {DUP} spec.containers[0].ports[0]"]),
    (ports([(80, 80, "UDP", "10.0.0.1"), (80, 80, "UDP", "10.0.0.1")]),
     [f"spec.containers[0].ports[1]: {DUP} spec.containers[0].ports[0]"]),
    (ports([(80, 0, "UDP", "10.0.0.1")]), [f"spec.containers[0].ports[0]: {HOST_IP_80}"]),
    (ports([(80, 80, "UDP", "10.0.0.1"), (80, 0, "UDP", "10.0.0.1")]),
     [f"spec.containers[0].ports[1]: {OVERLAP} spec.containers[0].ports[0]",
      f"spec.containers[0].ports[1]: {HOST_IP_80}"]),
    (ports([(80, 80, "UDP", "10.0.0.1"), (80, 80, "UDP", ""), (80, 80, "UDP", "10.0.0.2")]),
     [f"spec.containers[0].ports[1]: {AMBIGUOUS} spec.containers[0].ports[0]",
      f"spec.containers[0].ports[2]: {AMBIGUOUS} spec.containers[0].ports[1]"]),
    (ports([(80, 80, "UDP", "10.0.0.1")], [(80, 0, "UDP", "10.0.0.1")]),
     [f"spec.containers[1].ports[0]: {OVERLAP} spec.containers[0].ports[0]",
      f"spec.containers[1].ports[0]: {HOST_IP_80}"]),
    (ports([(80, 80, "UDP", "")], [(80, 80, "UDP", "10.0.0.1")]),
     [f"spec.containers[1].ports[0]: {AMBIGUOUS} spec.containers[0].ports[0]"]),
    (ports([(80, 80, "UDP", ""), (180, 80, "UDP", ""), (80, 80, "UDP", "")],
           [(80, 80, "UDP", ""), (80, 80, "UDP", "")]),
     [f"spec.containers[0].ports[2]: {DUP} spec.containers[0].ports[0]",
      f"spec.containers[1].ports[0]: {DUP} spec.containers[0].ports[0]",
      f"spec.containers[1].ports[0]: {DUP} spec.containers[0].ports[2]",
      f"spec.containers[1].ports[1]: {DUP} spec.containers[0].ports[0]",
      f"spec.containers[1].ports[1]: {DUP} spec.containers[0].ports[2]",
      f"spec.containers[1].ports[1]: {DUP} spec.containers[1].ports[0]"]),
]  # fmt: skip
UPSTREAM_ANNOTATIONS = {
    "foo": "bar",
    "scheduler.alpha.kubernetes.io/critical-pod": "true",
    "seccomp.security.alpha.kubernetes.io/pod": "default",
    "container.seccomp.security.alpha.kubernetes.io/foo": "default",
    "security.alpha.kubernetes.io/sysctls": "a,b,c",
    "security.alpha.kubernetes.io/unsafe-sysctls": "d,e,f",
}
UPSTREAM_OTHER_ROWS = [
    # "annotations": five deprecated annotations, one container "c0"
    ({"containers": [{"name": "foo"}]}, UPSTREAM_ANNOTATIONS, [
        "metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in "
        'v1.16+; use the "priorityClassName" field instead',
        "metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in "
        'v1.27+; use the "seccompProfile" field instead',
        "metadata.annotations[container.seccomp.security.alpha.kubernetes.io/foo]: non-functional"
        ' in v1.27+; use the "seccompProfile" field instead',
        "metadata.annotations[security.alpha.kubernetes.io/sysctls]: non-functional in v1.11+; "
        'use the "sysctls" field instead',
        "metadata.annotations[security.alpha.kubernetes.io/unsafe-sysctls]: non-functional in "
        'v1.11+; use the "sysctls" field instead',
    ]),
    # "seccomp fields": the fields silence the annotations
    ({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [
        {"name": "foo", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}]},
     {"seccomp.security.alpha.kubernetes.io/pod": "default",
      "container.seccomp.security.alpha.kubernetes.io/foo": "default"}, []),
    ({"volumes": [{"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {
        "resources": {"requests": {"storage": "200Mi"}}}}}}]}, None, []),
]  # fmt: skip


@pytest.mark.parametrize(
    "spec,annotations,expected",
    [(spec, None, expected) for spec, expected in UPSTREAM_PORT_ROWS] + UPSTREAM_OTHER_ROWS,
)
def test_upstream_warnings_rows(spec, annotations, expected):
    for port in (p for c in spec.get("containers", []) for p in c.get("ports", [])):
        for key in ("hostPort", "hostIP"):
            if not port.get(key, 1):
                del port[key]  # unset, as in the Go literals
    actual = warnings_on_create("Pod", pod(spec, annotations))
    assert len(actual) == len(expected)
    assert set(actual) == set(expected)


def service(**spec):
    return {
        "metadata": {"name": "svc-test", "namespace": "ns"},
        "spec": {"type": "ClusterIP", **spec},
    }


ZERO = "IP address was accepted, but will be invalid in a future Kubernetes release: "
LEAD = 'ParseAddr("192.012.2.2"): IPv4 field has octet with leading zero'
CANON = "which may cause controller apply-loops"
# upstream pkg/api/service/warnings_test.go TestGetWarningsForServiceClusterIPs
SERVICE_ROWS = [
    (["192.12.2.2"], []),
    (["2001:db8::2"], []),
    (["192.012.2.2"],
     [f"spec.clusterIPs[0]: {ZERO}{LEAD}"]),
    (["2001:db8::2", "192.012.2.2"],
     [f"spec.clusterIPs[1]: {ZERO}{LEAD}"]),
    (["2001:db8:0:0::2"],
     ['spec.clusterIPs[0]: IPv6 address "2001:db8:0:0::2" is not in RFC 5952 canonical format '
      f'("2001:db8::2"), {CANON}']),
    (["192.012.2.2", "2001:db8:0:0::2"],
     [f"spec.clusterIPs[0]: {ZERO}{LEAD}",
      'spec.clusterIPs[1]: IPv6 address "2001:db8:0:0::2" is not in RFC 5952 canonical format '
      f'("2001:db8::2"), {CANON}']),
]  # fmt: skip


@pytest.mark.parametrize("cluster_ips,expected", SERVICE_ROWS)
def test_service_cluster_ip_warnings(cluster_ips, expected):
    svc = service(clusterIP=cluster_ips[0], clusterIPs=cluster_ips)
    assert warnings_on_create("Service", svc) == expected
    assert warnings_on_update("Service", svc, svc) == expected


def test_service_all_ip_fields_with_errors():
    svc = service(
        clusterIP="2001:db8:0:0::2",
        clusterIPs=["2001:db8:0:0::2", "192.012.2.2"],
        externalIPs=["2001:db8:1:0::2", "10.012.2.2"],
        loadBalancerIP="10.001.1.1",
        loadBalancerSourceRanges=["2001:db8:1:0::/64", "10.012.2.0/24"],
    )
    assert warnings_on_create("Service", svc) == [
        'spec.clusterIPs[0]: IPv6 address "2001:db8:0:0::2" is not in RFC 5952 canonical format '
        f'("2001:db8::2"), {CANON}',
        f'spec.clusterIPs[1]: {ZERO}ParseAddr("192.012.2.2"): IPv4 field has octet with leading '
        "zero",
        'spec.externalIPs[0]: IPv6 address "2001:db8:1:0::2" is not in RFC 5952 canonical format '
        f'("2001:db8:1::2"), {CANON}',
        f'spec.externalIPs[1]: {ZERO}ParseAddr("10.012.2.2"): IPv4 field has octet with leading '
        "zero",
        f'spec.loadBalancerIP: {ZERO}ParseAddr("10.001.1.1"): IPv4 field has octet with leading '
        "zero",
        'spec.loadBalancerSourceRanges[0]: IPv6 prefix "2001:db8:1:0::/64" is not in RFC 5952 '
        f'canonical format ("2001:db8:1::/64"), {CANON}',
        "spec.loadBalancerSourceRanges[1]: IP prefix was accepted, but will be invalid in a future "
        'Kubernetes release: netip.ParsePrefix("10.012.2.0/24"): ParseAddr("10.012.2.0"): IPv4 '
        "field has octet with leading zero",
    ]


def test_service_annotation_and_ignored_fields():
    hints = {"metadata": {"annotations": {"service.kubernetes.io/topology-aware-hints": "foo"}}}
    assert warnings_on_create("Service", {**hints, "spec": {}}) == [
        "annotation service.kubernetes.io/topology-aware-hints is deprecated, please use "
        "service.kubernetes.io/topology-mode instead"
    ]
    mode = {"metadata": {"annotations": {"service.kubernetes.io/topology-mode": "foo"}}}
    assert warnings_on_create("Service", {**mode, "spec": {}}) == []
    external = {"spec": {"type": "ExternalName", "externalIPs": ["1.2.3.4"]}}
    assert warnings_on_create("Service", external) == [
        'spec.externalIPs is ignored when spec.type is "ExternalName"'
    ]
    named = {"spec": {"type": "ClusterIP", "externalName": "example.com"}}
    assert warnings_on_create("Service", named) == [
        'spec.externalName is ignored when spec.type is not "ExternalName"'
    ]
    headless = service(clusterIP="None", clusterIPs=["None"])
    assert warnings_on_create("Service", headless) == []
