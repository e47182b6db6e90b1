# ruff: noqa: E501
"""`kubectl get` tables for every kind: upstream columns, wide columns, -A, --show-labels."""

import pytest

from minik8s.kubectl import kubectl
from tests.kubectl import objects


@pytest.fixture(scope="module")
def client():
    return objects.fake_client_with_objects()


CASES = [
    (
        "get deploy",
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/3     3            2           5m\n",
    ),
    (
        "get deploy -o wide",
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR\n"
        "web    2/3     3            2           5m    nginx        nginx:1.27   app=web\n",
    ),
    (
        "get rs -o wide",
        "NAME        DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n"
        "web-7d4b9   3         3         2       5m    nginx        nginx:1.27   app=web\n",
    ),
    (
        "get sts -o wide",
        "NAME   READY   AGE   CONTAINERS   IMAGES\ndb     1/2     5m    pg           postgres:16\n",
    ),
    (
        "get ds -A -o wide",
        "NAMESPACE     NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE   CONTAINERS   IMAGES    SELECTOR\n"
        "kube-system   agent   3         3         3       3            3           kubernetes.io/os=linux   5m    agent        agent:1   app=agent\n",
    ),
    (
        "get jobs -o wide",
        "NAME   STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES      SELECTOR\n"
        "pi     Complete   1/1           42s        5m    pi           perl:5.34   batch.kubernetes.io/controller-uid=u1\n",
    ),
    (
        "get cj -o wide",
        "NAME    SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE   CONTAINERS   IMAGES         SELECTOR\n"
        "hello   */1 * * * *   <none>     False     1        60s             5m    hello        busybox:1.28   <none>\n",
    ),
    (
        "get controllerrevisions",
        "NAME      CONTROLLER            REVISION   AGE\n"
        "db-5d8f   statefulset.apps/db   1          5m\n",
    ),
    (
        "get svc -o wide",
        "NAME     TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE   SELECTOR\n"
        "web      ClusterIP      10.96.0.10   <none>        80/TCP          5m    app=web\n"
        "web-lb   LoadBalancer   10.96.0.12   <pending>     443:31443/TCP   5m    <none>\n"
        "web-np   NodePort       10.96.0.11   <none>        80:30080/TCP    5m    <none>\n",
    ),
    (
        "get ep",
        "NAME   ENDPOINTS                                                     AGE\n"
        "web    10.244.1.2:8080,10.244.1.3:8080,10.244.1.4:8080 + 2 more...   5m\n",
    ),
    (
        "get endpointslices",
        "NAME        ADDRESSTYPE   PORTS   ENDPOINTS               AGE\n"
        "web-abcde   IPv4          8080    10.244.1.2,10.244.2.3   5m\n",
    ),
    (
        "get ing",
        "NAME   CLASS   HOSTS              ADDRESS      PORTS   AGE\n"
        "shop   nginx   shop.example.com   172.18.0.2   80      5m\n",
    ),
    (
        "get ingressclass",
        "NAME    CONTROLLER             PARAMETERS   AGE\n"
        "nginx   k8s.io/ingress-nginx   <none>       5m\n",
    ),
    ("get cm", "NAME   DATA   AGE\ngame   2      5m\n"),
    ("get secrets", "NAME    TYPE     DATA   AGE\ncreds   Opaque   2      5m\n"),
    ("get sa", "NAME      SECRETS   AGE\ndefault   0         5m\n"),
    (
        "get pv -o wide",
        "NAME   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE   VOLUMEMODE\n"
        "pv-1   1Gi        RWO            Delete           Bound    default/data   standard       <unset>                          5m    Filesystem\n",
    ),
    (
        "get pvc -o wide",
        "NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE   VOLUMEMODE\n"
        "data   Bound    pv-1     1Gi        RWO            standard       <unset>                 5m    Filesystem\n",
    ),
    (
        "get sc",
        "NAME                 PROVISIONER               RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   hostpath.csi.minik8s.io   Delete          WaitForFirstConsumer   false                  5m\n",
    ),
    (
        "get nodes -o wide",
        "NAME            STATUS                        ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME\n"
        "control-plane   NotReady,SchedulingDisabled   control-plane   5m    v1.32.0   <none>        <none>        <unknown>   <unknown>        <unknown>\n"
        "node-1          Ready                         <none>          5m    v1.32.0   172.18.0.3    <none>        minik8s     6.1.0            minik8s://0.1\n",
    ),
    ("get ns", "NAME   STATUS   AGE\nshop   Active   5m\n"),
    (
        "get events",
        "LAST SEEN   TYPE     REASON              OBJECT           MESSAGE\n"
        "30s         Normal   ScalingReplicaSet   deployment/web   Scaled up replica set web-7d4b9 to 3\n",
    ),
    (
        "get events -o wide",
        "LAST SEEN   TYPE     REASON              OBJECT           SUBOBJECT   SOURCE                  MESSAGE                                FIRST SEEN   COUNT   NAME\n"
        "30s         Normal   ScalingReplicaSet   deployment/web               deployment-controller   Scaled up replica set web-7d4b9 to 3   5m           1       web.17a\n",
    ),
    (
        "get leases -A",
        "NAMESPACE         NAME     HOLDER   AGE\nkube-node-lease   node-1   node-1   5m\n",
    ),
    (
        "get pods -o wide --show-labels",
        "NAME              READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES   LABELS\n"
        "web-7d4b9-abcde   1/1     Running   0          5m    10.244.1.2   node-1   <none>           <none>            app=web\n",
    ),
    (
        "get deploy,svc",
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/web   2/3     3            2           5m\n"
        "\n"
        "NAME             TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE\n"
        "service/web      ClusterIP      10.96.0.10   <none>        80/TCP          5m\n"
        "service/web-lb   LoadBalancer   10.96.0.12   <pending>     443:31443/TCP   5m\n"
        "service/web-np   NodePort       10.96.0.11   <none>        80:30080/TCP    5m\n",
    ),
    (
        "get all",
        "NAME                  READY   STATUS    RESTARTS   AGE\n"
        "pod/web-7d4b9-abcde   1/1     Running   0          5m\n"
        "\n"
        "NAME             TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)         AGE\n"
        "service/web      ClusterIP      10.96.0.10   <none>        80/TCP          5m\n"
        "service/web-lb   LoadBalancer   10.96.0.12   <pending>     443:31443/TCP   5m\n"
        "service/web-np   NodePort       10.96.0.11   <none>        80:30080/TCP    5m\n"
        "\n"
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/web   2/3     3            2           5m\n"
        "\n"
        "NAME                        DESIRED   CURRENT   READY   AGE\n"
        "replicaset.apps/web-7d4b9   3         3         2       5m\n"
        "\n"
        "NAME                  READY   AGE\n"
        "statefulset.apps/db   1/2     5m\n"
        "\n"
        "NAME                  SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n"
        "cronjob.batch/hello   */1 * * * *   <none>     False     1        60s             5m\n"
        "\n"
        "NAME           STATUS     COMPLETIONS   DURATION   AGE\n"
        "job.batch/pi   Complete   1/1           42s        5m\n",
    ),
    ("get pods -l app=nope", "No resources found in default namespace.\n"),
    ("get nodes -l x=y", "No resources found\n"),
    ("get po nope", 'Error from server (NotFound): pods "nope" not found\n'),
    ("get deploy web -o name", "deployment.apps/web\n"),
    ("get bindings", "No resources found in default namespace.\n"),
]


@pytest.mark.parametrize(("command", "expected"), CASES, ids=[c[0] for c in CASES])
def test_get(client, command, expected):
    assert kubectl(client, command) == expected
