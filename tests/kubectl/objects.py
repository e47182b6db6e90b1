# ruff: noqa: E501
"""Small realistic objects of every kind, created at t=0 (the fake clock then reads t=300s)."""

from tests.kubectl.fake import FakeClient

T0 = "2025-01-01T00:00:00Z"


def meta(name, ns="default", **extra):
    m = {"name": name, "creationTimestamp": T0, **extra}
    if ns:
        m["namespace"] = ns
    return m


TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "nginx",
                "image": "nginx:1.27",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
            }
        ]
    },
}
SELECTOR = {"matchLabels": {"app": "web"}}

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": meta("web", labels={"app": "web"}, uid="uid-dep"),
    "spec": {
        "replicas": 3,
        "selector": SELECTOR,
        "template": TEMPLATE,
        "strategy": {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
        },
    },
    "status": {
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 2,
        "availableReplicas": 2,
        "unavailableReplicas": 1,
    },
}
REPLICASET = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": meta(
        "web-7d4b9",
        uid="uid-rs",
        ownerReferences=[
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": "web",
                "uid": "uid-dep",
                "controller": True,
            }
        ],
    ),
    "spec": {"replicas": 3, "selector": SELECTOR, "template": TEMPLATE},
    "status": {"replicas": 3, "readyReplicas": 2},
}
STATEFULSET = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": meta("db"),
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "db"}},
        "serviceName": "db",
        "template": {
            "metadata": {"labels": {"app": "db"}},
            "spec": {"containers": [{"name": "pg", "image": "postgres:16"}]},
        },
    },
    "status": {"replicas": 2, "readyReplicas": 1},
}
DAEMONSET = {
    "apiVersion": "apps/v1",
    "kind": "DaemonSet",
    "metadata": meta("agent", "kube-system"),
    "spec": {
        "selector": {"matchLabels": {"app": "agent"}},
        "template": {
            "metadata": {"labels": {"app": "agent"}},
            "spec": {
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "containers": [{"name": "agent", "image": "agent:1"}],
            },
        },
    },
    "status": {
        "desiredNumberScheduled": 3,
        "currentNumberScheduled": 3,
        "numberReady": 3,
        "updatedNumberScheduled": 3,
        "numberAvailable": 3,
    },
}
JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": meta("pi"),
    "spec": {
        "completions": 1,
        "parallelism": 1,
        "backoffLimit": 6,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u1"}},
        "template": {
            "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34"}]}
        },
    },
    "status": {
        "succeeded": 1,
        "startTime": T0,
        "completionTime": "2025-01-01T00:00:42Z",
        "conditions": [{"type": "Complete", "status": "True"}],
    },
}
CRONJOB = {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": meta("hello"),
    "spec": {
        "schedule": "*/1 * * * *",
        "suspend": False,
        "concurrencyPolicy": "Allow",
        "jobTemplate": {
            "spec": {
                "template": {
                    "spec": {
                        "restartPolicy": "OnFailure",
                        "containers": [{"name": "hello", "image": "busybox:1.28"}],
                    }
                }
            }
        },
    },
    "status": {"lastScheduleTime": "2025-01-01T00:04:00Z", "active": [{"name": "hello-1"}]},
}
REVISION = {
    "apiVersion": "apps/v1",
    "kind": "ControllerRevision",
    "metadata": meta(
        "db-5d8f",
        ownerReferences=[
            {
                "apiVersion": "apps/v1",
                "kind": "StatefulSet",
                "name": "db",
                "uid": "u",
                "controller": True,
            }
        ],
    ),
    "revision": 1,
    "data": {},
}
SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": meta("web"),
    "spec": {
        "type": "ClusterIP",
        "clusterIP": "10.96.0.10",
        "clusterIPs": ["10.96.0.10"],
        "selector": {"app": "web"},
        "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
        "sessionAffinity": "None",
    },
}
NODEPORT = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": meta("web-np"),
    "spec": {
        "type": "NodePort",
        "clusterIP": "10.96.0.11",
        "clusterIPs": ["10.96.0.11"],
        "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}],
    },
}
LOADBALANCER = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": meta("web-lb"),
    "spec": {
        "type": "LoadBalancer",
        "clusterIP": "10.96.0.12",
        "clusterIPs": ["10.96.0.12"],
        "ports": [{"port": 443, "nodePort": 31443, "protocol": "TCP"}],
    },
    "status": {"loadBalancer": {}},
}
ENDPOINTS = {
    "apiVersion": "v1",
    "kind": "Endpoints",
    "metadata": meta("web"),
    "subsets": [
        {
            "addresses": [{"ip": f"10.244.1.{i}"} for i in range(2, 7)],
            "ports": [{"port": 8080, "protocol": "TCP"}],
        }
    ],
}
SLICE = {
    "apiVersion": "discovery.k8s.io/v1",
    "kind": "EndpointSlice",
    "metadata": meta("web-abcde", labels={"kubernetes.io/service-name": "web"}),
    "addressType": "IPv4",
    "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
    "endpoints": [{"addresses": ["10.244.1.2"]}, {"addresses": ["10.244.2.3"]}],
}
INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": meta("shop"),
    "spec": {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com"}]},
    "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.2"}]}},
}
INGRESSCLASS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "IngressClass",
    "metadata": meta("nginx", None),
    "spec": {"controller": "k8s.io/ingress-nginx"},
}
CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": meta("game"),
    "data": {"lives": "3", "ui.properties": "color=blue\n"},
}
SECRET = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": meta("creds"),
    "type": "Opaque",
    "data": {"password": "aHVudGVyMg==", "username": "YWRtaW4="},
}
SERVICEACCOUNT = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("default")}
PV = {
    "apiVersion": "v1",
    "kind": "PersistentVolume",
    "metadata": meta("pv-1", None),
    "spec": {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": "Delete",
        "storageClassName": "standard",
        "claimRef": {"namespace": "default", "name": "data"},
        "volumeMode": "Filesystem",
        "hostPath": {"path": "/tmp/pv-1"},
    },
    "status": {"phase": "Bound"},
}
PVC = {
    "apiVersion": "v1",
    "kind": "PersistentVolumeClaim",
    "metadata": meta("data"),
    "spec": {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
        "storageClassName": "standard",
        "volumeName": "pv-1",
        "volumeMode": "Filesystem",
    },
    "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}},
}
STORAGECLASS = {
    "apiVersion": "storage.k8s.io/v1",
    "kind": "StorageClass",
    "metadata": meta(
        "standard", None, annotations={"storageclass.kubernetes.io/is-default-class": "true"}
    ),
    "provisioner": "hostpath.csi.minik8s.io",
    "reclaimPolicy": "Delete",
    "volumeBindingMode": "WaitForFirstConsumer",
}
NODE = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": meta("node-1", None, labels={"kubernetes.io/hostname": "node-1"}),
    "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]},
    "status": {
        "conditions": [
            {
                "type": "Ready",
                "status": "True",
                "reason": "KubeletReady",
                "lastHeartbeatTime": T0,
                "lastTransitionTime": T0,
                "message": "kubelet is posting ready status",
            }
        ],
        "addresses": [
            {"type": "InternalIP", "address": "172.18.0.3"},
            {"type": "Hostname", "address": "node-1"},
        ],
        "capacity": {"cpu": "2", "memory": "4Gi", "pods": "110"},
        "allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"},
        "nodeInfo": {
            "kubeletVersion": "v1.32.0",
            "osImage": "minik8s",
            "kernelVersion": "6.1.0",
            "containerRuntimeVersion": "minik8s://0.1",
        },
    },
}
CONTROL_PLANE = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": meta("control-plane", None, labels={"node-role.kubernetes.io/control-plane": ""}),
    "spec": {
        "unschedulable": True,
        "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
    },
    "status": {
        "conditions": [{"type": "Ready", "status": "False"}],
        "nodeInfo": {"kubeletVersion": "v1.32.0"},
    },
}
NAMESPACE = {
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": meta("shop", None),
    "status": {"phase": "Active"},
}
EVENT = {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": meta("web.17a"),
    "involvedObject": {
        "kind": "Deployment",
        "name": "web",
        "namespace": "default",
        "uid": "uid-dep",
    },
    "reason": "ScalingReplicaSet",
    "message": "Scaled up replica set web-7d4b9 to 3",
    "type": "Normal",
    "source": {"component": "deployment-controller"},
    "firstTimestamp": T0,
    "lastTimestamp": "2025-01-01T00:04:30Z",
    "count": 1,
}
LEASE = {
    "apiVersion": "coordination.k8s.io/v1",
    "kind": "Lease",
    "metadata": meta("node-1", "kube-node-lease"),
    "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40},
}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": meta(
        "web-7d4b9-abcde",
        labels={"app": "web"},
        ownerReferences=[
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-7d4b9",
                "uid": "uid-rs",
                "controller": True,
            }
        ],
    ),
    "spec": {
        "nodeName": "node-1",
        "serviceAccountName": "default",
        "containers": [
            {
                "name": "nginx",
                "image": "nginx:1.27",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [
                    {"name": "MODE", "value": "prod"},
                    {
                        "name": "PASSWORD",
                        "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}},
                    },
                ],
                "volumeMounts": [
                    {"name": "html", "mountPath": "/usr/share/nginx/html", "readOnly": True}
                ],
            }
        ],
        "volumes": [{"name": "html", "configMap": {"name": "game"}}],
    },
    "status": {
        "phase": "Running",
        "hostIP": "172.18.0.3",
        "podIP": "10.244.1.2",
        "podIPs": [{"ip": "10.244.1.2"}],
        "startTime": T0,
        "qosClass": "BestEffort",
        "conditions": [{"type": "Ready", "status": "True"}],
        "containerStatuses": [
            {
                "name": "nginx",
                "ready": True,
                "restartCount": 0,
                "image": "nginx:1.27",
                "imageID": "docker.io/nginx@sha256:1",
                "containerID": "minik8s://abc",
                "state": {"running": {"startedAt": T0}},
            }
        ],
    },
}


def fake_client_with_objects() -> FakeClient:
    """A FakeClient holding every object of this module, 300 virtual seconds after they began."""
    client = FakeClient()
    module = globals()
    for name in sorted(module):  # as `dir(objects)` lists them
        value = module[name]
        if isinstance(value, dict) and "kind" in value:
            client.add(value)
    client.loop.run_for(300)
    return client
