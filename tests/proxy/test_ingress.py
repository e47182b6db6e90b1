# ruff: noqa: E501
"""Ingress routing: upstream's documented examples, host wildcards, 404/503, TLS, status."""

import pytest

from minik8s.api.errors import Invalid
from minik8s.proxy.ingress import choose_backend, host_matches, path_matches
from tests.proxy.env import NetEnv

# The "Examples" table of concepts/services-networking/ingress.md:
# (kind, paths, request path, matches?, which path wins)
EXAMPLES = [
    ("Prefix", ["/"], "/anything", "/"),
    ("Exact", ["/foo"], "/foo", "/foo"),
    ("Exact", ["/foo"], "/bar", None),
    ("Exact", ["/foo"], "/foo/", None),
    ("Exact", ["/foo/"], "/foo", None),
    ("Prefix", ["/foo"], "/foo", "/foo"),
    ("Prefix", ["/foo"], "/foo/", "/foo"),
    ("Prefix", ["/foo/"], "/foo", "/foo/"),
    ("Prefix", ["/foo/"], "/foo/", "/foo/"),
    ("Prefix", ["/aaa/bb"], "/aaa/bbb", None),
    ("Prefix", ["/aaa/bbb"], "/aaa/bbb", "/aaa/bbb"),
    ("Prefix", ["/aaa/bbb/"], "/aaa/bbb", "/aaa/bbb/"),  # ignores trailing slash
    ("Prefix", ["/aaa/bbb"], "/aaa/bbb/", "/aaa/bbb"),  # matches trailing slash
    ("Prefix", ["/aaa/bbb"], "/aaa/bbb/ccc", "/aaa/bbb"),  # matches subpath
    ("Prefix", ["/aaa/bbb"], "/aaa/bbbxyz", None),  # does not match string prefix
    ("Prefix", ["/", "/aaa"], "/aaa/ccc", "/aaa"),
    ("Prefix", ["/", "/aaa", "/aaa/bbb"], "/aaa/bbb", "/aaa/bbb"),
    ("Prefix", ["/", "/aaa", "/aaa/bbb"], "/ccc", "/"),
    ("Prefix", ["/aaa"], "/ccc", None),  # uses default backend
]


def ingress(paths, host="", default=None, name="ing", created="2025-01-01T00:00:00Z"):
    spec = {
        "rules": [
            {
                **({"host": host} if host else {}),
                "http": {
                    "paths": [
                        {
                            "path": path,
                            "pathType": kind,
                            "backend": {
                                "service": {"name": f"{kind}:{path}", "port": {"number": 80}}
                            },
                        }
                        for kind, path in paths
                    ]
                },
            }
        ]
    }
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
    return {
        "metadata": {"name": name, "namespace": "d", "creationTimestamp": created},
        "spec": spec,
    }


@pytest.mark.parametrize(("kind", "paths", "request_path", "winner"), EXAMPLES)
def test_upstream_examples_table(kind, paths, request_path, winner):
    match = choose_backend([ingress([(kind, p) for p in paths])], "foo.com", request_path)
    if winner is None:
        assert match is None
    else:
        assert match.backend["service"]["name"] == f"{kind}:{winner}"


def test_mixed_exact_wins_over_prefix():
    ing = ingress([("Prefix", "/foo"), ("Exact", "/foo")])
    assert choose_backend([ing], "x", "/foo").backend["service"]["name"] == "Exact:/foo"
    assert choose_backend([ing], "x", "/foo/bar").backend["service"]["name"] == "Prefix:/foo"


def test_implementation_specific_is_an_nginx_location_prefix():
    """ingress-nginx writes `location /api` for it: a string prefix, unlike Prefix."""
    ing = ingress([("ImplementationSpecific", "/api")])
    assert choose_backend([ing], "x", "/api/v1") is not None
    assert path_matches("ImplementationSpecific", "/api", "/apiv1")
    assert not path_matches("Prefix", "/api", "/apiv1")
    assert not path_matches("ImplementationSpecific", "/api/", "/api")
    both = ingress([("ImplementationSpecific", "/ap"), ("Prefix", "/api")])
    assert choose_backend([both], "x", "/api/x").backend["service"]["name"] == "Prefix:/api"
    assert choose_backend([both], "x", "/apx").backend["service"]["name"] == (
        "ImplementationSpecific:/ap"
    )


@pytest.mark.parametrize(
    ("rule", "host", "ok"),
    [
        ("*.foo.com", "bar.foo.com", True),
        ("*.foo.com", "baz.bar.foo.com", False),  # one DNS label only
        ("*.foo.com", "foo.com", False),
        ("foo.bar.com", "foo.bar.com", True),
        ("foo.bar.com", "bar.foo.com", False),
        ("", "anything.example", True),
    ],
)
def test_host_matching(rule, host, ok):
    assert host_matches(rule, host) is ok


def test_exact_host_beats_wildcard_beats_no_host():
    ings = [
        ingress([("Prefix", "/")], name="any"),
        ingress([("Prefix", "/")], host="*.foo.com", name="wild"),
        ingress([("Prefix", "/")], host="bar.foo.com", name="exact"),
    ]
    assert choose_backend(ings, "bar.foo.com", "/").ingress["metadata"]["name"] == "exact"
    assert choose_backend(ings, "baz.foo.com", "/").ingress["metadata"]["name"] == "wild"
    assert choose_backend(ings, "other.org", "/").ingress["metadata"]["name"] == "any"


def test_default_backend_when_no_rule_matches():
    ing = ingress([("Prefix", "/aaa")], default="fallback")
    match = choose_backend([ing], "x", "/ccc")
    assert match.rule == "defaultBackend" and match.backend["service"]["name"] == "fallback"


def test_oldest_ingress_wins_a_tie():
    old = ingress([("Prefix", "/")], name="old", created="2025-01-01T00:00:00Z")
    new = ingress([("Prefix", "/")], name="new", created="2025-01-02T00:00:00Z")
    assert choose_backend([new, old], "x", "/").ingress["metadata"]["name"] == "old"


# --- end to end ---------------------------------------------------------------------------------


def shop_ingress(env, tls_secret=None, class_name=None):
    spec = {
        "rules": [
            {
                "host": "shop.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "web", "port": {"number": 80}}},
                        },
                        {
                            "path": "/api",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "api", "port": {"name": "http"}}},
                        },
                    ]
                },
            }
        ]
    }
    if tls_secret:
        spec["tls"] = [{"hosts": ["shop.example.com"], "secretName": tls_secret}]
    if class_name:
        spec["ingressClassName"] = class_name
    body = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "shop", "namespace": "shop"},
        "spec": spec,
    }
    env.client.create("ingresses", body)
    env.settle()


@pytest.fixture
def env():
    env = NetEnv()
    env.service("web", "shop")
    env.service("api", "shop")
    env.pod("web-0", "web", "shop", node="node-1")
    env.pod("api-0", "api", "shop", node="node-2")
    env.pod("api-1", "api", "shop", node="node-3")
    return env


def test_ingress_routes_by_host_and_path(env):
    shop_ingress(env)
    r = env.request("http://shop.example.com/api/items")
    assert r.status == 200 and r.pod in ("api-0", "api-1")
    assert r.hops[0] == {
        "from": "client",
        "to": "ingress-nginx 172.18.255.200",
        "via": "public DNS",
        "detail": "shop.example.com A 172.18.255.200",
    }
    assert r.hops[1]["via"] == "ingress shop/shop"
    assert r.hops[1]["detail"].startswith("shop.example.com /api (Prefix) → api")
    assert env.request("http://shop.example.com/").pod == "web-0"
    pods = {env.request("http://shop.example.com/api").pod for _ in range(4)}
    assert pods == {"api-0", "api-1"}  # round robin over the endpoints
    headers = env.backend.calls[-1][4]
    assert headers["X-Forwarded-Host"] == "shop.example.com"


def test_ingress_status_gets_the_controller_address(env):
    shop_ingress(env)
    ing = env.client.get("ingresses", "shop", "shop")
    assert ing["status"]["loadBalancer"]["ingress"] == [{"ip": "172.18.255.200"}]


def test_unknown_host_is_404_from_the_default_backend(env):
    shop_ingress(env)
    r = env.request("http://other.example.com/")
    assert r.status == 404 and "404 Not Found" in r.body
    assert r.hops[-1]["to"] == "default backend"


def test_backend_without_ready_endpoints_is_503(env):
    shop_ingress(env)
    env.set_status("web-0", "shop", ready=False)
    r = env.request("http://shop.example.com/")
    assert r.status == 503 and "503 Service Temporarily Unavailable" in r.body


def test_backend_service_missing_is_503(env):
    shop_ingress(env)
    env.client.delete("services", "web", "shop")
    env.settle()
    assert env.request("http://shop.example.com/").status == 503


def test_tls_with_secret_and_redirect(env):
    env.client.create(
        "secrets",
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "shop-tls", "namespace": "shop"},
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": "", "tls.key": ""},
        },
    )
    shop_ingress(env, tls_secret="shop-tls")
    r = env.request("http://shop.example.com/x")
    assert r.status == 308 and r.headers["Location"] == "https://shop.example.com/x"
    r = env.request("https://shop.example.com/")
    assert r.status == 200 and "TLS: secret shop/shop-tls" in r.hops[1]["detail"]


def test_tls_with_missing_secret_uses_the_fake_certificate(env):
    shop_ingress(env, tls_secret="missing")
    r = env.request("https://shop.example.com/")
    assert (
        r.status == 200 and "Kubernetes Ingress Controller Fake Certificate" in r.hops[1]["detail"]
    )


def test_other_ingress_class_is_ignored(env):
    shop_ingress(env, class_name="traefik")
    assert env.request("http://shop.example.com/").status == 404
    ing = env.client.get("ingresses", "shop", "shop")
    assert not ing["status"]["loadBalancer"].get("ingress")


def test_default_ingress_class_is_bootstrapped(env):
    cls = env.client.get("ingressclasses", "nginx")
    assert cls["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true"
    assert cls["spec"]["controller"] == "k8s.io/ingress-nginx"


def test_unsupported_path_type_is_rejected(env):
    body = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "bad", "namespace": "shop"},
        "spec": {
            "rules": [
                {
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Regex",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            }
                        ]
                    }
                }
            ]
        },
    }
    with pytest.raises(Invalid, match="pathType"):
        env.client.create("ingresses", body)
