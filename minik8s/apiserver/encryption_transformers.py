"""Encryption-at-rest transformers, mirroring apiserver `pkg/storage/value` (`PrefixTransformers`)
and `pkg/storage/value/encrypt/{aes,secretbox,identity}`.

A stored value starts with its provider's prefix, `k8s:enc:aescbc:v1:<keyname>:`, then the IV
(aescbc) or nonce (aesgcm, secretbox) and the ciphertext; `identity` stores the plaintext JSON.
`secretbox` (XSalsa20-Poly1305, 32-byte keys) comes from PyNaCl. Deterministic by design: IVs and
nonces come from a seeded `random.Random`, never the OS (a real server must use a CSPRNG). Left
out: `kms` v1/v2 envelope transformers and the DEK cache.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

ENCRYPTED_PREFIX = b"k8s:enc:"


class TransformError(Exception):
    """A stored value that no configured provider can read (upstream's transformer errors)."""


class Transformer:
    """Turns stored bytes into plaintext and back; `key` is the etcd key (authenticated data)."""

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        raise NotImplementedError

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        raise NotImplementedError


class IdentityTransformer(Transformer):
    """`identity`: plaintext; refuses data carrying the reserved `k8s:enc:` prefix."""

    def __repr__(self) -> str:
        return "<IdentityTransformer>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        if data.startswith(ENCRYPTED_PREFIX):
            raise TransformError("identity transformer tried to read encrypted data")
        return data

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        return data


class CBCTransformer(Transformer):
    """`aescbc`: a random 16-byte IV, then AES-CBC of the PKCS#7-padded plaintext."""

    def __init__(self, secret: bytes, rng: random.Random):
        self.secret, self.rng = secret, rng

    def __repr__(self) -> str:
        return f"<CBCTransformer AES-{len(self.secret) * 8}>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        size = algorithms.AES.block_size // 8
        if len(data) < size:
            raise TransformError("the stored data was shorter than the required size")
        iv, body = data[:size], data[size:]
        if not body or len(body) % size:
            raise TransformError("the stored data is not a multiple of the block size")
        decryptor = Cipher(algorithms.AES(self.secret), modes.CBC(iv)).decryptor()
        padded = decryptor.update(body) + decryptor.finalize()
        unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
        try:
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise TransformError("invalid PKCS7 data (empty or not padded)") from None

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        iv = self.rng.randbytes(algorithms.AES.block_size // 8)
        padder = padding.PKCS7(algorithms.AES.block_size).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.secret), modes.CBC(iv)).encryptor()
        return iv + encryptor.update(padded) + encryptor.finalize()


class GCMTransformer(Transformer):
    """`aesgcm`: a 12-byte nonce, then AES-GCM sealed with the etcd key as authenticated data."""

    NONCE_SIZE = 12

    def __init__(self, secret: bytes, rng: random.Random):
        self.secret, self.rng = secret, rng

    def __repr__(self) -> str:
        return f"<GCMTransformer AES-{len(self.secret) * 8}>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        if len(data) < self.NONCE_SIZE:
            raise TransformError("the stored data was shorter than the required size")
        nonce, body = data[: self.NONCE_SIZE], data[self.NONCE_SIZE :]
        try:
            return AESGCM(self.secret).decrypt(nonce, body, key.encode())
        except InvalidTag:
            raise TransformError("cipher: message authentication failed") from None

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        nonce = self.rng.randbytes(self.NONCE_SIZE)
        return nonce + AESGCM(self.secret).encrypt(nonce, data, key.encode())


class SecretboxTransformer(Transformer):
    """`secretbox`: a 24-byte nonce, then XSalsa20-Poly1305 of the plaintext (no authenticated
    data: the etcd key is not bound), as `golang.org/x/crypto/nacl/secretbox.Seal` lays it out."""

    NONCE_SIZE = SecretBox.NONCE_SIZE

    def __init__(self, secret: bytes, rng: random.Random):
        self.box, self.rng = SecretBox(secret), rng

    def __repr__(self) -> str:
        return "<SecretboxTransformer XSalsa20-Poly1305>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        if len(data) < SecretBox.MACBYTES + self.NONCE_SIZE:
            raise TransformError("the stored data was shorter than the required size")
        nonce, body = data[: self.NONCE_SIZE], data[self.NONCE_SIZE :]
        try:
            return self.box.decrypt(body, nonce)
        except CryptoError:
            raise TransformError("output array was not large enough for encryption") from None

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        nonce = self.rng.randbytes(self.NONCE_SIZE)
        return bytes(self.box.encrypt(data, nonce))  # nonce + Poly1305 tag + ciphertext


@dataclass
class PrefixTransformer(Transformer):
    """upstream `value.NewPrefixTransformers`: the first entry writes; a read uses the entry
    whose prefix the data starts with (an empty prefix, identity, may fail over to the next)."""

    entries: list[tuple[bytes, Transformer]]
    no_match: str = "no matching prefix found"

    def __repr__(self) -> str:
        return f"<PrefixTransformer {[p.decode() for p, _ in self.entries]}>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        identity_error: TransformError | None = None
        for prefix, transformer in self.entries:
            if data.startswith(prefix):
                try:
                    return transformer.transform_from_storage(data[len(prefix) :], key)
                except TransformError as error:
                    if prefix:
                        raise
                    identity_error = error
        raise identity_error or TransformError(self.no_match)

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        prefix, transformer = self.entries[0]
        return prefix + transformer.transform_to_storage(data, key)
