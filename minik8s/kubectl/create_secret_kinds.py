"""The kinds of `kubectl create secret`: `generic`, `tls` and `docker-registry`, mirroring
`k8s.io/kubectl/pkg/cmd/create/create_secret.go` (the parent's help and subcommands),
`create_secret_tls.go` and `create_secret_docker.go` (their flags' `Validate` messages); the
objects are built by `generators.secret` and `secret_types.py`. Left out: reading `--cert`,
`--key` and the `--docker-*` flags' values from the next word (only `--flag=value`: the flags
are not in the command-line parser's list of value flags).
"""

from __future__ import annotations

from typing import Any

from minik8s.kubectl import generators as gen
from minik8s.kubectl import secret_types
from minik8s.kubectl.cli import Args

Obj = dict[str, Any]

SECRET_HELP = """Create a secret with specified type.

 A docker-registry type secret is for accessing a container registry.

 A generic type secret indicate an Opaque secret type.

 A tls type secret holds TLS certificate and its associated key.

Available Commands:
  docker-registry   Create a secret for use with a Docker registry
  generic           Create a secret from a local file, directory, or literal value
  tls               Create a TLS secret

Usage:
  kubectl create secret (docker-registry | generic | tls) [options]

Use "kubectl create secret <command> --help" for more information about a given command.
"""


def _secret_generic(args: Args, _: str, name: str) -> Obj:
    """create_secret.go: `--from-literal`, `--from-file`, `--from-env-file`, `--type`."""
    sources = gen.DataSources(
        args.multi.get("from-literal") or [],
        args.multi.get("from-file") or [],
        args.multi.get("from-env-file") or [],
    )
    return gen.secret(name, sources, args.flag("type", "") or "")


def _secret_tls(args: Args, _: str, name: str) -> Obj:
    """create_secret_tls.go: `--cert` and `--key` (Validate, then read and check the pair)."""
    cert, key = args.flag("cert", "") or "", args.flag("key", "") or ""
    if not cert or not key:
        raise ValueError("error: key and cert must be specified")
    try:
        return secret_types.tls_secret(name, cert, key)
    except ValueError as err:
        raise ValueError(f"error: {err}") from None


def _secret_docker_registry(args: Args, _: str, name: str) -> Obj:
    """create_secret_docker.go: the `--docker-*` flags, or `--from-file` sources."""
    files = args.multi.get("from-file") or []
    params = {
        key: value
        for key in ("docker-username", "docker-password", "docker-email", "docker-server")
        if (value := args.flag(key)) is not None
    }
    server = params.get("docker-server", secret_types.DEFAULT_DOCKER_SERVER)
    if not files and not (
        params.get("docker-username") and params.get("docker-password") and server
    ):
        raise ValueError(
            "error: either --from-file or the combination of --docker-username, "
            "--docker-password and --docker-server is required"
        )
    if files:
        sources = gen.DataSources(files=files)
        return gen.secret(name, sources, "kubernetes.io/dockerconfigjson")
    return secret_types.docker_registry_secret(name, params)


SECRET_SUBCOMMANDS = {
    "generic": _secret_generic,
    "tls": _secret_tls,
    "docker-registry": _secret_docker_registry,
}
