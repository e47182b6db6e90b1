"""Service variables at scale: the set of a namespace plus the master Service is kept per pair of
listed objects; it must give what filtering and building every time gives."""

from minik8s.kubelet.envvars import from_services, service_env


class Lister:
    """A client whose LIST of services returns fixed, shared objects per namespace."""

    def __init__(self, by_namespace):
        self.by_namespace = by_namespace

    def list(self, resource, namespace=None, field_selector=None):
        items = self.by_namespace.get(namespace, [])
        if field_selector == "metadata.name=kubernetes":
            items = [s for s in items if s["metadata"]["name"] == "kubernetes"]
        return {"items": items}


def svc(name, namespace, ip, port=80):
    return {
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"clusterIP": ip, "ports": [{"port": port}]},
    }


def pod(namespace, links=True):
    return {
        "metadata": {"name": "p", "namespace": namespace},
        "spec": {"enableServiceLinks": links},
    }


MASTER = svc("kubernetes", "default", "10.96.0.1", 443)


def test_a_local_service_of_the_master_ones_name_wins_with_service_links():
    """upstream `getServiceEnvVarMap`: the master Service is added only if the name is not
    taken, and the namespace's services always are (with `enableServiceLinks`)."""
    local = [svc("kubernetes", "shop", "10.96.0.9"), svc("db", "shop", "10.96.0.20")]
    client = Lister({"default": [MASTER], "shop": local})
    env = service_env(client, pod("shop"))
    assert env["KUBERNETES_SERVICE_HOST"] == "10.96.0.9"
    assert dict(env) == from_services([local[1], local[0]])
    assert service_env(client, pod("shop", links=False))["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"


def test_the_same_listed_objects_share_one_env_and_a_new_object_builds_another():
    local = [svc("db", "shop", "10.96.0.20")]
    client = Lister({"default": [MASTER], "shop": local})
    first = service_env(client, pod("shop"))
    assert service_env(client, pod("shop")) is first
    client.by_namespace["shop"] = [svc("db", "shop", "10.96.0.30")]  # the Service changed
    changed = service_env(client, pod("shop"))
    assert changed is not first and changed["DB_SERVICE_HOST"] == "10.96.0.30"


def test_without_service_links_only_the_master_service():
    client = Lister({"default": [MASTER, svc("web", "default", "10.96.0.5")]})
    assert set(service_env(client, pod("shop", links=False))) == set(from_services([MASTER]))
    assert "WEB_SERVICE_HOST" in service_env(client, pod("default"))
    assert "WEB_SERVICE_HOST" not in service_env(client, pod("default", links=False))


def test_equal_services_in_new_lists_give_the_same_env():
    client = Lister({"default": [MASTER], "shop": [svc("db", "shop", "10.96.0.20")]})
    first = service_env(client, pod("shop"))
    client.by_namespace = {"default": [dict(MASTER)], "shop": [svc("db", "shop", "10.96.0.20")]}
    assert service_env(client, pod("shop")) is first  # equal content: equal variables
    client.by_namespace["shop"].append(svc("cache", "shop", "10.96.0.21"))
    assert service_env(client, pod("shop"))["CACHE_SERVICE_HOST"] == "10.96.0.21"
