"""The tag of an image reference as the defaulters see it: kubelet `parsers.ParseImageName` over
`distribution/reference.ParseNormalizedNamed` (`reference/regexp.go`, `normalize.go`).

A reference that does not parse (an upper-case repository, a bad tag or digest, a 64-hex-digit
name, a name over 255 characters) has no tag, so `imagePullPolicy` defaults to `IfNotPresent`;
an untagged one without a digest is `latest`. Left out: digest algorithms other than the sha256,
sha384 and sha512 that go-digest registers are rejected as upstream does, but their hex is not
checked beyond its length.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?")
IDENTIFIER = re.compile(r"[a-f0-9]{64}")
NAME_TOTAL_LENGTH_MAX = 255
DIGEST_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
DEFAULT_DOMAIN = "docker.io"


def _split_docker_domain(name: str) -> tuple[str, str]:
    """`splitDockerDomain`: the registry host, or docker.io (with `library/` for one part)."""
    first, slash, rest = name.partition("/")
    if not slash or ("." not in first and ":" not in first and first != "localhost"):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, rest
    if domain == "index.docker.io":
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def _valid_digest(digest: str) -> bool:
    algorithm, _, hex_part = digest.partition(":")
    return DIGEST_HEX_LENGTHS.get(algorithm) == len(hex_part)


@lru_cache(maxsize=4096)
def image_tag(image: str) -> str:
    """The tag `ParseImageName` reports: the reference's tag, `latest` when it has neither tag
    nor digest, and "" when it has only a digest or does not parse."""
    if IDENTIFIER.fullmatch(image):
        return ""  # "cannot specify 64-byte hexadecimal strings"
    domain, remainder = _split_docker_domain(image)
    remote_name = remainder.partition(":")[0]
    if remote_name.lower() != remote_name:
        return ""  # "repository name must be lowercase"
    match = REFERENCE.fullmatch(f"{domain}/{remainder}")
    if match is None or len(match.group(1)) > NAME_TOTAL_LENGTH_MAX:
        return ""
    tag, digest = match.group(2) or "", match.group(3) or ""
    if digest and not _valid_digest(digest):
        return ""
    return tag or ("" if digest else "latest")
