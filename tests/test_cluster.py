"""Whole-cluster scenarios through the Cluster facade: nodes, scheduling, failure, determinism."""

from minik8s import Cluster

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources: {requests: {cpu: 100m, memory: 64Mi}}
"""


def running(cluster, selector="app=web"):
    pods = cluster.client.list("pods", "default", label_selector=selector)["items"]
    return sorted(
        (p["metadata"]["name"], p["spec"].get("nodeName"))
        for p in pods
        if p["status"].get("phase") == "Running" and not p["metadata"].get("deletionTimestamp")
    )


def test_a_new_cluster_has_a_tainted_control_plane_and_ready_workers():
    c = Cluster(nodes=2, seed=0)
    nodes = {n["metadata"]["name"]: n for n in c.get("nodes")}
    assert sorted(nodes) == ["control-plane", "node-1", "node-2"]
    for node in nodes.values():
        ready = [x for x in node["status"]["conditions"] if x["type"] == "Ready"]
        assert ready[0]["status"] == "True"
    taints = nodes["control-plane"]["spec"]["taints"]
    assert {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"} in taints
    assert nodes["node-1"]["spec"]["podCIDR"] != nodes["node-2"]["spec"]["podCIDR"]
    assert [ns["metadata"]["name"] for ns in c.get("namespaces")] == [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
    ]


def test_a_deployment_converges_on_the_workers():
    c = Cluster(nodes=3, seed=0)
    c.apply(DEPLOYMENT)
    c.settle()
    pods = running(c)
    assert len(pods) == 3
    assert {node for _, node in pods} == {"node-1", "node-2", "node-3"}  # spread, not on the CP
    status = c.get("deploy", "web")["status"]
    assert status["readyReplicas"] == 3 and status["availableReplicas"] == 3
    assert "3/3" in c.kubectl("get deploy web")


def test_pods_of_a_failed_node_are_evicted_and_replaced_elsewhere():
    c = Cluster(nodes=2, seed=0)
    c.apply(DEPLOYMENT)
    c.settle()
    victims = [name for name, node in running(c) if node == "node-1"]
    assert victims
    c.fail_node("node-1")
    c.run(60)  # node-monitor-grace-period (40 s) after the last heartbeat, + monitor periods
    node = c.get("nodes", "node-1")
    assert [x["status"] for x in node["status"]["conditions"] if x["type"] == "Ready"] == [
        "Unknown"
    ]
    keys = {(t["key"], t["effect"]) for t in node["spec"].get("taints", [])}
    assert ("node.kubernetes.io/unreachable", "NoExecute") in keys
    c.run(300)  # the default 300 s toleration runs out: the pods are evicted
    c.run(30)
    pods = running(c)
    assert len(pods) == 3 and all(node == "node-2" for _, node in pods)
    assert not set(victims) & {name for name, _ in pods}
    c.recover_node("node-1")
    c.run(20)
    node = c.get("nodes", "node-1")
    assert [x["status"] for x in node["status"]["conditions"] if x["type"] == "Ready"] == ["True"]
    assert not [t for t in node["spec"].get("taints", []) if "unreachable" in t["key"]]


def test_an_unschedulable_pod_waits_for_a_node_that_fits():
    c = Cluster(nodes=1, seed=0)
    big = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "big", "namespace": "default"},
        "spec": {
            "containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "6"}}}]
        },
    }
    c.apply(big)
    c.settle()
    pod = c.get("pod", "big")
    assert "nodeName" not in pod["spec"]
    scheduled = [x for x in pod["status"]["conditions"] if x["type"] == "PodScheduled"][0]
    assert scheduled["reason"] == "Unschedulable"
    assert "Insufficient cpu" in c.kubectl("describe pod big")
    c.add_node("big-node", capacity={"cpu": "8", "memory": "32Gi", "pods": "110"})
    c.settle()
    c.run(10)
    assert c.get("pod", "big")["spec"]["nodeName"] == "big-node"


def test_deleting_a_deployment_cascades_to_replicasets_and_pods():
    c = Cluster(nodes=1, seed=0)
    c.apply(DEPLOYMENT)
    c.settle()
    c.delete("deployment", "web")
    c.run(60)
    assert c.get("rs") == [] and running(c) == []


def test_the_same_seed_gives_the_same_cluster():
    def run(seed):
        c = Cluster(nodes=3, seed=seed)
        c.apply(DEPLOYMENT)
        c.settle()
        pods = c.get("pods")
        return [(p["metadata"]["name"], p["spec"]["nodeName"], p["status"]["podIP"]) for p in pods]

    assert run(0) == run(0)
    assert run(0) != run(1)


def test_logs_and_exec_reach_the_container_through_the_api_server():
    c = Cluster(nodes=1, seed=0)
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "hello", "namespace": "default"},
            "spec": {
                "containers": [
                    {
                        "name": "c",
                        "image": "busybox:1.36",
                        "env": [{"name": "GREETING", "value": "hi"}],
                        "command": ["sh", "-c", "echo hello; sleep 3600"],
                    }
                ]
            },
        }
    )
    c.run(10)
    assert c.kubectl("logs hello") == "hello\n"
    assert "GREETING=hi" in c.kubectl("exec hello -- env")
    assert "command terminated with exit code 3" in c.kubectl('exec hello -- sh -c "exit 3"')


def test_pods_of_a_removed_node_are_collected_and_replaced():
    c = Cluster(nodes=2, seed=0)
    c.apply(DEPLOYMENT)
    c.settle()
    on_node_1 = [name for name, node in running(c) if node == "node-1"]
    assert on_node_1
    c.remove_node("node-1")
    c.run(30)
    assert set(on_node_1) <= {p["metadata"]["name"] for p in c.get("pods")}  # quarantine
    c.run(60)  # the pod GC's 40 s quarantine and 20 s period
    pods = running(c)
    assert len(pods) == 3 and all(node == "node-2" for _, node in pods)
    assert not set(on_node_1) & {p["metadata"]["name"] for p in c.get("pods")}


def test_describe_pod_shows_the_schedulers_decision():
    c = Cluster(nodes=2, seed=0)
    c.apply(DEPLOYMENT)
    c.settle()
    name = running(c)[0][0]
    text = c.kubectl(f"describe pod {name}")
    decision = text.split("Scheduling Decision (minik8s):\n", 1)[1].split("Events:", 1)[0]
    assert "3/3 nodes evaluated, 2 feasible" in decision
    assert "control-plane  TaintToleration: node(s) had untolerated taint" in decision
    assert "← chosen" in decision
    assert "Scheduling Decision" not in c.kubectl("describe node node-1")


def test_a_statefulset_pod_comes_back_to_the_node_that_holds_its_volume():
    c = Cluster(nodes=3, seed=0)
    c.apply(
        """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: busybox:1.36
        command: [sh, -c, "sleep 3600"]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""
    )
    c.run(60)
    first = c.get("pod", "db-0")
    assert first["status"]["phase"] == "Running"
    node = first["spec"]["nodeName"]
    labels = c.get("node", node)["metadata"]["labels"]
    assert labels["topology.hostpath.csi/node"] == node  # from the CSI driver's NodeGetInfo
    c.delete("pod", "db-0")
    c.run(60)
    again = c.get("pod", "db-0")
    assert again["metadata"]["uid"] != first["metadata"]["uid"]
    assert again["status"]["phase"] == "Running" and again["spec"]["nodeName"] == node


def test_out_of_tree_scheduler_plugins_join_through_the_cluster():
    from minik8s.scheduler.framework import unschedulable
    from minik8s.scheduler.plugins import REGISTRY

    class OnlyNode2:
        name = "OnlyNode2"

        def filter(self, state, pod, node):
            return None if node.name == "node-2" else unschedulable("not node-2")

    profile = {"plugins": {"filter": {"enabled": [{"name": "OnlyNode2"}]}}}
    c = Cluster(
        nodes=3,
        seed=0,
        scheduler_profile=profile,
        scheduler_registry={"OnlyNode2": lambda args, handle: OnlyNode2()},
    )
    c.apply(DEPLOYMENT)
    c.settle()
    assert {node for _, node in running(c)} == {"node-2"}
    assert "OnlyNode2" not in REGISTRY  # nothing leaks into the built-in registry


def test_default_pod_subnet_is_kinds_and_widens_for_more_than_256_nodes():
    from minik8s.cluster import default_pod_subnet

    assert default_pod_subnet(1) == "10.244.0.0/16"
    assert default_pod_subnet(256) == "10.244.0.0/16"
    assert default_pod_subnet(257) == "10.244.0.0/15"
    assert default_pod_subnet(5001) == "10.224.0.0/11"  # 8,192 blocks of /24


def test_300_nodes_each_get_a_pod_cidr_and_a_node_ip():
    cluster = Cluster(nodes=300)
    nodes = cluster.apiserver.list("nodes")["items"]
    assert len(nodes) == 301
    cidrs = {node["spec"]["podCIDR"] for node in nodes}
    ips = {node["status"]["addresses"][0]["address"] for node in nodes}
    assert len(cidrs) == len(ips) == 301
    assert "172.18.1.46" in ips  # the 301st address after 172.18.0.2
    assert cluster.loop.now < 60  # nothing retried: every node got a block at once


def test_controller_options_reach_the_named_controller():
    period = {"endpoint_updates_batch_period": 1.0}
    cluster = Cluster(controller_options={"endpointslice-controller": period})
    controllers = cluster.controller_manager.controllers
    assert controllers["endpointslice-controller"].endpoint_updates_batch_period == 1.0
    assert controllers["endpoints-controller"].endpoint_updates_batch_period == 0.0


def test_deleting_a_node_object_under_a_running_kubelet_tears_its_pods_down():
    # Pod GC deletes the orphaned pod; the kubelet still knows its pod CIDR for CNI DEL.
    cluster = Cluster(nodes=2)
    container = {"name": "c", "image": "nginx:1.27"}
    spec = {"nodeName": "node-1", "containers": [container]}
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
    cluster.settle()
    cluster.delete("node", "node-1")
    cluster.run(60)
    assert cluster.get("pods") == []
    assert "containers=0" in repr(cluster.machines["node-1"].runtime)
