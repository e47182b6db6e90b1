"""Encryption at rest: ciphertext in the store, plaintext through the API, rotation, errors
(after upstream's `encryptionconfig` and `value/encrypt/aes` tests)."""

from __future__ import annotations

import base64
import json
import random

import pytest

from minik8s.api.errors import InternalError
from minik8s.apiserver import APIServer
from minik8s.apiserver.encryption import (
    CBCTransformer,
    EncryptedStore,
    GCMTransformer,
    SecretboxTransformer,
    TransformError,
    parse_encryption_config,
    rewrite_all,
    stored_value,
)
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.sim import EventLoop

KEY1 = base64.b64encode(bytes(range(32))).decode()
KEY2 = base64.b64encode(bytes(range(32, 64))).decode()


def config(*providers: str, resources: str = "secrets") -> str:
    return f"""
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [{resources}]
    providers:
""" + "".join(f"      - {p}\n" for p in providers)


def aescbc(*keys: tuple[str, str]) -> str:
    items = ", ".join(f"{{name: {n}, secret: {s}}}" for n, s in keys)
    return f"aescbc: {{keys: [{items}]}}"


def aesgcm(*keys: tuple[str, str]) -> str:
    items = ", ".join(f"{{name: {n}, secret: {s}}}" for n, s in keys)
    return f"aesgcm: {{keys: [{items}]}}"


def secretbox(*keys: tuple[str, str]) -> str:
    items = ", ".join(f"{{name: {n}, secret: {s}}}" for n, s in keys)
    return f"secretbox: {{keys: [{items}]}}"


IDENTITY = "identity: {}"


class Env:
    def __init__(self, text: str | None, store: Store | None = None):
        self.loop = EventLoop(seed=0)
        self.store = store or Store(clock=lambda: self.loop.now)
        storage = self.store
        if text is not None:
            storage = EncryptedStore(self.store, parse_encryption_config(text, random.Random(0)))
        self.server = APIServer(storage, self.loop)
        self.client = Client(self.server, "test")
        if self.server.cached("namespaces", "default") is None:
            self.client.create("namespaces", {"metadata": {"name": "default"}})
        self.loop.settle()

    def secret(self, name: str = "db", password: str = "s3cr3t") -> dict:
        obj = {"metadata": {"name": name}, "stringData": {"password": password}}
        return self.client.create("secrets", obj, "default")


def test_without_encryption_a_secret_is_only_base64_in_the_store():
    env = Env(None)
    env.secret()
    raw = stored_value(env.server, "secrets", "default", "db")
    assert json.loads(raw)["data"]["password"] == base64.b64encode(b"s3cr3t").decode()


@pytest.mark.parametrize(
    "provider,prefix",
    [
        (aescbc, b"k8s:enc:aescbc:v1:key1:"),
        (aesgcm, b"k8s:enc:aesgcm:v1:key1:"),
        (secretbox, b"k8s:enc:secretbox:v1:key1:"),
    ],
)
def test_ciphertext_in_the_store_plaintext_through_the_api(provider, prefix):
    env = Env(config(provider(("key1", KEY1)), IDENTITY))
    env.secret()
    raw = stored_value(env.server, "secrets", "default", "db")
    assert raw.startswith(prefix)
    assert b"password" not in raw and base64.b64encode(b"s3cr3t") not in raw
    got = env.client.get("secrets", "db", "default")
    assert base64.b64decode(got["data"]["password"]) == b"s3cr3t"
    listed = env.client.list("secrets", "default")["items"]
    assert [s["metadata"]["name"] for s in listed] == ["db"]
    seen = []
    env.client.watch("secrets", lambda t, o: seen.append((t, o["data"]["password"])), "default")
    env.loop.settle()
    assert seen == [("ADDED", base64.b64encode(b"s3cr3t").decode())]


def test_other_resources_stay_plaintext():
    env = Env(config(aescbc(("key1", KEY1))))
    env.client.create("configmaps", {"metadata": {"name": "c"}, "data": {"k": "v"}}, "default")
    assert json.loads(stored_value(env.server, "configmaps", "default", "c"))["data"] == {"k": "v"}


def restarted(tmp_path, first: str, second: str) -> Env:
    """A secret written under `first`, then the API server restarted with `second`."""
    store = Store(tmp_path)
    Env(first, store).secret()
    store.close()
    return Env(second, Store(tmp_path))


def test_identity_first_reads_old_ciphertext_and_writes_plaintext(tmp_path):
    env = restarted(
        tmp_path, config(aescbc(("key1", KEY1))), config(IDENTITY, aescbc(("key1", KEY1)))
    )
    assert env.client.get("secrets", "db", "default")["data"]["password"]
    assert rewrite_all(env.server, "secrets") == 1
    assert json.loads(stored_value(env.server, "secrets", "default", "db"))["kind"] == "Secret"


def test_key_rotation_by_rewriting(tmp_path):
    # step 1 (elided): add key2 second so every server can read it; step 2: make it first, rewrite.
    new = config(aescbc(("key2", KEY2), ("key1", KEY1)))
    env = restarted(tmp_path, config(aescbc(("key1", KEY1))), new)
    assert stored_value(env.server, "secrets", "default", "db").startswith(
        b"k8s:enc:aescbc:v1:key1:"
    )
    revision = env.store.revision
    assert rewrite_all(env.server, "secrets") == 1
    assert env.store.revision == revision + 1
    assert stored_value(env.server, "secrets", "default", "db").startswith(
        b"k8s:enc:aescbc:v1:key2:"
    )
    # step 3: key1 removed; the secret is still readable.
    env.store.close()
    env = Env(config(aescbc(("key2", KEY2))), Store(tmp_path))
    assert (
        base64.b64decode(env.client.get("secrets", "db", "default")["data"]["password"])
        == b"s3cr3t"
    )


def test_unknown_key_name_is_an_internal_error():
    store = Store()
    Env(config(aescbc(("key1", KEY1))), store).secret()
    env = Env.__new__(Env)
    env.loop = EventLoop(seed=0)
    storage = EncryptedStore(store, parse_encryption_config(config(aescbc(("key2", KEY2)))))
    with pytest.raises(InternalError) as info:
        APIServer(storage, env.loop)
    assert str(info.value) == (
        'Internal error occurred: unable to transform key "/registry/secrets/default/db": '
        "no matching prefix found"
    )


def test_wrong_secret_under_the_same_key_name_fails_to_decrypt():
    store = Store()
    Env(config(aesgcm(("key1", KEY1))), store).secret()
    storage = EncryptedStore(store, parse_encryption_config(config(aesgcm(("key1", KEY2)))))
    with pytest.raises(InternalError, match="message authentication failed"):
        storage.get("/registry/secrets/default/db")


def test_identity_refuses_encrypted_data():
    store = Store()
    Env(config(aescbc(("key1", KEY1))), store).secret()
    storage = EncryptedStore(store, parse_encryption_config(config(IDENTITY)))
    with pytest.raises(InternalError, match="identity transformer tried to read encrypted data"):
        storage.get("/registry/secrets/default/db")


def test_same_seed_same_bytes():
    a = Env(config(aescbc(("key1", KEY1))))
    b = Env(config(aescbc(("key1", KEY1))))
    a.secret(), b.secret()
    assert stored_value(a.server, "secrets", "default", "db") == stored_value(
        b.server, "secrets", "default", "db"
    )


def test_gcm_binds_the_ciphertext_to_its_key():
    gcm = GCMTransformer(bytes(32), random.Random(0))
    data = gcm.transform_to_storage(b"x", "/registry/secrets/a/b")
    assert gcm.transform_from_storage(data, "/registry/secrets/a/b") == b"x"
    with pytest.raises(TransformError):
        gcm.transform_from_storage(data, "/registry/secrets/a/c")


def test_cbc_round_trip_and_padding():
    cbc = CBCTransformer(bytes(16), random.Random(1))
    for size in (0, 1, 15, 16, 17, 100):
        plain = bytes(range(size))
        data = cbc.transform_to_storage(plain, "k")
        assert len(data) == 16 + (size // 16 + 1) * 16
        assert cbc.transform_from_storage(data, "k") == plain
    with pytest.raises(TransformError, match="shorter than the required size"):
        cbc.transform_from_storage(b"short", "k")


def test_wildcards_match_groups():
    cfg = parse_encryption_config(config(IDENTITY, resources="'*.apps', configmaps"))
    assert cfg.transformer_for("deployments.apps") is not None
    assert cfg.transformer_for("configmaps") is not None
    assert cfg.transformer_for("secrets") is None
    assert parse_encryption_config(config(IDENTITY, resources="'*.*'")).transformer_for("pods")


@pytest.mark.parametrize(
    "text,message",
    [
        (
            config(aescbc(("key1", base64.b64encode(b"short").decode()))),
            'resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secret is '
            "not of the expected length, got 5, expected one of [16 24 32]",
        ),
        (config(aescbc(("key1", "'@@@'"))), "secrets must be base64 encoded"),
        (config("aescbc: {keys: []}"), "aescbc.keys: Required value"),
        (
            config(secretbox(("key1", base64.b64encode(bytes(16)).decode()))),
            'resources[0].providers[0].secretbox.keys[0].secret: Invalid value: "REDACTED": '
            "secret is not of the expected length, got 16, expected one of [32]",
        ),
        (config(secretbox(("a:b", KEY1))), 'secretbox.keys[0].name: Invalid value: "a:b"'),
        (config("secretbox: {keys: []}"), "secretbox.keys: Required value"),
        (config("kms: {name: k}"), "Unsupported value: 'kms'"),
        (config("nothing: {}"), "provider does not contain any of the expected providers"),
        ("kind: Pod", "kind must be EncryptionConfiguration"),
    ],
)
def test_bad_configurations_are_rejected(text, message):
    with pytest.raises(ValueError, match=None) as info:
        parse_encryption_config(text)
    assert message in str(info.value)


def test_secretbox_layout_is_nonce_then_box():
    """upstream secretbox.go: `secretbox.Seal(nonce[:], data, &nonce, &key)`, i.e. the 24-byte
    nonce, the 16-byte Poly1305 tag, then the XSalsa20 ciphertext (what PyNaCl's encrypt gives)."""
    from nacl.secret import SecretBox

    env = Env(config(secretbox(("key1", KEY1))))
    env.secret()
    raw = stored_value(env.server, "secrets", "default", "db")
    body = raw.removeprefix(b"k8s:enc:secretbox:v1:key1:")
    plain = SecretBox(base64.b64decode(KEY1)).decrypt(body[24:], body[:24])
    assert len(body) == 24 + 16 + len(plain)
    assert json.loads(plain)["data"]["password"] == base64.b64encode(b"s3cr3t").decode()


def test_secretbox_round_trip_and_errors():
    box = SecretboxTransformer(bytes(32), random.Random(3))
    for size in (0, 1, 100):
        plain = bytes(range(size))
        data = box.transform_to_storage(plain, "k")
        assert len(data) == 24 + 16 + size
        assert box.transform_from_storage(data, "other-key") == plain  # no authenticated data
    assert box.transform_to_storage(b"x", "k") != box.transform_to_storage(b"x", "k")  # nonces
    again = SecretboxTransformer(bytes(32), random.Random(3))
    assert again.transform_to_storage(b"", "k") == SecretboxTransformer(
        bytes(32), random.Random(3)
    ).transform_to_storage(b"", "k")
    with pytest.raises(TransformError, match="shorter than the required size"):
        box.transform_from_storage(bytes(39), "k")
    data = bytearray(box.transform_to_storage(b"hello", "k"))
    data[-1] ^= 1
    with pytest.raises(TransformError, match="output array was not large enough for encryption"):
        box.transform_from_storage(bytes(data), "k")


def test_wrong_secretbox_key_fails_to_decrypt():
    store = Store()
    Env(config(secretbox(("key1", KEY1))), store).secret()
    storage = EncryptedStore(store, parse_encryption_config(config(secretbox(("key1", KEY2)))))
    with pytest.raises(InternalError, match="output array was not large enough for encryption"):
        storage.get("/registry/secrets/default/db")


def test_rotation_from_aescbc_to_secretbox_and_back(tmp_path):
    both = config(secretbox(("box", KEY2)), aescbc(("cbc", KEY1)))
    env = restarted(tmp_path, config(aescbc(("cbc", KEY1))), both)
    assert stored_value(env.server, "secrets", "default", "db").startswith(
        b"k8s:enc:aescbc:v1:cbc:"
    )
    assert rewrite_all(env.server, "secrets") == 1
    assert stored_value(env.server, "secrets", "default", "db").startswith(
        b"k8s:enc:secretbox:v1:box:"
    )
    env.store.close()
    env = Env(config(aescbc(("cbc", KEY1)), secretbox(("box", KEY2))), Store(tmp_path))
    password = env.client.get("secrets", "db", "default")["data"]["password"]
    assert base64.b64decode(password) == b"s3cr3t"
    assert rewrite_all(env.server, "secrets") == 1
    assert stored_value(env.server, "secrets", "default", "db").startswith(
        b"k8s:enc:aescbc:v1:cbc:"
    )
    env.store.close()
    env = Env(config(aescbc(("cbc", KEY1))), Store(tmp_path))  # secretbox key dropped
    password = env.client.get("secrets", "db", "default")["data"]["password"]
    assert base64.b64decode(password) == b"s3cr3t"
