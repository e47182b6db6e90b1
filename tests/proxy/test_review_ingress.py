"""Review fix: an Ingress host picks its nginx server before any path is compared (ingress-nginx
`createServers`; docs "Name based virtual hosting"), so a host with rules of its own never falls
through to rules without host or to wildcards."""

from __future__ import annotations

from typing import Any

from minik8s.proxy.ingress import choose_backend, server_host

Obj = dict[str, Any]


def rule(path: str, service: str, host: str = "") -> Obj:
    backend = {"service": {"name": service, "port": {"number": 80}}}
    paths = [{"path": path, "pathType": "Prefix", "backend": backend}]
    return {**({"host": host} if host else {}), "http": {"paths": paths}}


def ing(name: str, *rules: Obj, default: str = "", created: str = "2025-01-01T00:00:00Z") -> Obj:
    spec: Obj = {"rules": list(rules)}
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
    return {
        "metadata": {"name": name, "namespace": "d", "creationTimestamp": created},
        "spec": spec,
    }


def backend(ings: list[Obj], host: str, path: str) -> str | None:
    match = choose_backend(ings, host, path)
    return None if match is None else match.backend["service"]["name"]


def test_host_with_rules_but_no_matching_path_gets_404() -> None:
    ings = [ing("i", rule("/api", "api", "foo.example.com"), rule("/", "root"))]
    assert backend(ings, "foo.example.com", "/api/x") == "api"
    assert backend(ings, "foo.example.com", "/other") is None  # not "root"
    assert backend(ings, "bar.example.com", "/other") == "root"


def test_exact_host_server_beats_a_wildcard_with_a_matching_path() -> None:
    ings = [ing("i", rule("/api", "api", "foo.com"), rule("/", "wild", "*.com"))]
    assert server_host(ings, "foo.com") == "foo.com"
    assert backend(ings, "foo.com", "/other") is None
    assert backend(ings, "bar.com", "/other") == "wild"


def test_host_server_answers_with_its_ingress_default_backend() -> None:
    mine = ing("a", rule("/api", "api", "foo.com"), default="mine")
    other = ing("b", rule("/", "root"), default="other", created="2025-01-02T00:00:00Z")
    assert backend([mine, other], "foo.com", "/x") == "mine"
    assert choose_backend([mine, other], "foo.com", "/x").rule == "defaultBackend"
    # the host's Ingress has no defaultBackend: 404, not another Ingress's backend
    plain = ing("c", rule("/api", "api", "foo.com"))
    catch_all = {
        "metadata": {"name": "d", "namespace": "d"},
        "spec": {"defaultBackend": mine["spec"]["defaultBackend"]},
    }
    assert backend([plain, catch_all], "foo.com", "/x") is None
    assert backend([plain, catch_all], "bar.com", "/x") == "mine"


def test_neither_rules_nor_default_backend_shows_the_rules_as_sent() -> None:
    from minik8s.api.defaults import apply_defaults
    from minik8s.api.validation import validate_object

    detail = "either `defaultBackend` or `rules` must be specified"
    for spec, shown in (({}, "null"), ({"rules": []}, "[]")):
        meta = {"name": "h", "namespace": "default"}
        obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta}
        errs = [str(e) for e in validate_object(apply_defaults({**obj, "spec": spec}))]
        assert errs == [f"spec: Invalid value: {shown}: {detail}"]
