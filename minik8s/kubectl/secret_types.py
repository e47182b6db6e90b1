"""The typed Secrets of `kubectl create secret tls|docker-registry`.

Mirrors `k8s.io/kubectl/pkg/cmd/create/create_secret_tls.go` (`--cert`/`--key` read, checked
with Go's `tls.X509KeyPair`, stored as `tls.crt`/`tls.key` in a `kubernetes.io/tls` Secret) and
`create_secret_docker.go` (`--docker-username/-password/-email/-server`, default server
`https://index.docker.io/v1/`, a `~/.docker/config.json` document in `.dockerconfigjson`, or
`--from-file` sources instead). Left out: `X509KeyPair`'s finer x509 parse
errors are reduced to its PEM checks, `tls: failed to parse private key` and the key/cert match.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

Obj = dict[str, Any]
DEFAULT_DOCKER_SERVER = "https://index.docker.io/v1/"
_PEM_RE = re.compile(
    rb"-----BEGIN ([^\n-]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL
)  # fmt: skip


def new_secret(name: str, secret_type: str) -> Obj:
    """`newSecretObj`: an empty Secret of that type."""
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "type": secret_type}


def read_file(path: str) -> bytes:
    """create_secret_tls.go's `readFile`, with Go's `os.ReadFile` error."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ValueError(
            f"Cannot read file {path}, open {path}: no such file or directory"
        ) from None
    except IsADirectoryError:
        raise ValueError(f"Cannot read file {path}, read {path}: is a directory") from None


def _pem_types(data: bytes) -> list[tuple[str, bytes]]:
    return [(m.group(1).decode(errors="replace"), m.group(0)) for m in _PEM_RE.finditer(data)]


def _certificate_block(cert_pem: bytes) -> bytes:
    blocks = _pem_types(cert_pem)
    certs = [block for kind, block in blocks if kind == "CERTIFICATE"]
    if certs:
        return certs[0]
    if not blocks:
        raise ValueError("tls: failed to find any PEM data in certificate input")
    skipped = " ".join(kind for kind, _ in blocks)
    raise ValueError(
        'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM '
        f"blocks of the following types: [{skipped}]"
    )


def _key_block(key_pem: bytes) -> bytes:
    blocks = _pem_types(key_pem)
    for kind, block in blocks:
        if kind == "PRIVATE KEY" or kind.endswith(" PRIVATE KEY"):
            return block
    if not blocks:
        raise ValueError("tls: failed to find any PEM data in key input")
    if any(kind == "CERTIFICATE" for kind, _ in blocks):
        raise ValueError(
            "tls: found a certificate rather than a key in the PEM for the private key"
        )
    skipped = " ".join(kind for kind, _ in blocks)
    raise ValueError(
        'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after '
        f"skipping PEM blocks of the following types: [{skipped}]"
    )


def x509_key_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """Go's `tls.X509KeyPair` checks: a certificate, a private key, and that they match."""
    cert_block, key_block = _certificate_block(cert_pem), _key_block(key_pem)
    try:
        cert = x509.load_pem_x509_certificate(cert_block)
    except ValueError:
        raise ValueError("x509: malformed certificate") from None
    try:
        key = serialization.load_pem_private_key(key_block, password=None)
    except (ValueError, TypeError):
        raise ValueError("tls: failed to parse private key") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, public) != cert.public_key().public_bytes(der, public):
        raise ValueError("tls: private key does not match public key")


def tls_secret(name: str, cert_path: str, key_path: str) -> Obj:
    """`createSecretTLS`: a `kubernetes.io/tls` Secret with `tls.crt` and `tls.key`."""
    cert, key = read_file(cert_path), read_file(key_path)
    x509_key_pair(cert, key)
    obj = new_secret(name, "kubernetes.io/tls")
    obj["data"] = {
        "tls.crt": base64.b64encode(cert).decode(),
        "tls.key": base64.b64encode(key).decode(),
    }
    return obj


def go_json(value: Any, sort_keys: bool = False) -> str:
    """Go's `json.Marshal` text: compact, HTML characters escaped (map keys sorted when
    `sort_keys`, struct fields in the given order otherwise)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def docker_config_json(username: str, password: str, email: str, server: str) -> bytes:
    """`handleDockerCfgJSONContent`: `{"auths":{SERVER:{username,password,email,auth}}}`."""
    entry = {"username": username, "password": password, "email": email}
    entry = {k: v for k, v in entry.items() if v}  # omitempty
    entry["auth"] = base64.b64encode(f"{username}:{password}".encode()).decode()
    return go_json({"auths": {server: entry}}).encode()


def docker_registry_secret(name: str, params: dict[str, str]) -> Obj:
    """`createSecretDockerRegistry` without `--from-file`: `.dockerconfigjson` from the flags."""
    obj = new_secret(name, "kubernetes.io/dockerconfigjson")
    content = docker_config_json(
        params.get("docker-username", ""),
        params.get("docker-password", ""),
        params.get("docker-email", ""),
        params.get("docker-server", DEFAULT_DOCKER_SERVER),
    )
    obj["data"] = {".dockerconfigjson": base64.b64encode(content).decode()}
    return obj
