"""CrashLoopBackOff key: upstream `kuberuntime/helpers.go` `getStableKey` includes the
container's hash, so a changed container starts without waiting out the old back-off."""

from minik8s.kubelet.backoff import Backoff


def test_backoff_keys_are_independent():
    clock = [0.0]
    backoff = Backoff(lambda: clock[0])
    backoff.next("web_shop_uid_app_1", 0.0)
    backoff.next("web_shop_uid_app_1", 0.0)
    assert backoff.get("web_shop_uid_app_1") == 20.0
    assert not backoff.in_backoff_since("web_shop_uid_app_2", 0.0)


def test_a_changed_container_is_not_held_by_the_old_back_off(node):
    c = {"name": "web", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}
    node.pod(containers=[c])
    # restarts at 1 s (at once), 11 s, 31 s, 71 s (10/20/40 s back-off); each crash shows
    # Error until the pod worker's retry 10 s later writes CrashLoopBackOff
    node.loop.run_for(85)
    assert node.container()["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    pod = node.get()
    pod["spec"]["containers"][0]["image"] = "busybox:1.37"
    node.client.update("pods", pod)
    node.loop.run_for(3)  # pull (~1 s), then the new container starts at once
    assert node.container()["image"] == "docker.io/library/busybox:1.37"
