"""The cluster's certificate authority, as kubeadm makes `/etc/kubernetes/pki/ca.crt`
(`cmd/kubeadm/app/phases/certs`: a self-signed CA named `kubernetes`, valid for ten years).

minik8s serves no TLS; the CA exists so that what a real cluster publishes from it looks the
same (the `kube-root-ca.crt` ConfigMap in every namespace). To keep every run identical, its key
is Ed25519 (deterministic signatures) derived from a fixed seed, not a random RSA key.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

CA_NAME = "kubernetes"
NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
VALIDITY = datetime.timedelta(days=3650)  # kubeadm's CertificateValidityPeriod for CAs


@cache
def root_ca_pem() -> str:
    """The CA certificate, PEM-encoded."""
    key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"minik8s cluster CA").digest())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_BEFORE + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, None)
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
