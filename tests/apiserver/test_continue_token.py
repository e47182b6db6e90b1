"""The LIST continue token: upstream's `Test_decodeContinue` table (storage/continue_test.go),
the token's exact encoding, and Go's error texts for tokens that do not decode."""

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.apiserver.continue_token import (
    ERR_EMPTY_START_KEY,
    ERR_GENERIC_INVALID_KEY,
    ERR_INVALID_START_RV,
    ERR_UNRECOGNIZED_ENCODED_VERSION,
    ContinueError,
    decode_continue,
    encode_continue,
    go_path_clean,
)


def encode_or_die(api_version: str, rv: int, start: str) -> str:
    """upstream's `encodeContinueOrDie`: Go's json.Marshal of a continueToken, RawURLEncoding."""
    data = json.dumps({"v": api_version, "rv": rv, "start": start}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


V1 = "meta.k8s.io/v1"
DECODE_CASES = [
    ("valid", encode_or_die(V1, 1, "key"), "/test/key", 1, None),
    ("root path", encode_or_die(V1, 1, "/"), "/test/", 1, None),
    ("empty version", encode_or_die("", 1, "key"), "", 0, ERR_UNRECOGNIZED_ENCODED_VERSION),
    ("invalid version", encode_or_die("v1", 1, "key"), "", 0, ERR_UNRECOGNIZED_ENCODED_VERSION),
    ("invalid RV", encode_or_die(V1, 0, "key"), "", 0, ERR_INVALID_START_RV),
    ("no start Key", encode_or_die(V1, 1, ""), "", 0, ERR_EMPTY_START_KEY),
    ("path traversal - parent", encode_or_die(V1, 1, "../key"), "", 0, ERR_GENERIC_INVALID_KEY),
    ("path traversal - local", encode_or_die(V1, 1, "./key"), "", 0, ERR_GENERIC_INVALID_KEY),
    (
        "path traversal - double parent",
        encode_or_die(V1, 1, "./../key"),
        "",
        0,
        ERR_GENERIC_INVALID_KEY,
    ),
    (
        "path traversal - after parent",
        encode_or_die(V1, 1, "key/../.."),
        "",
        0,
        ERR_GENERIC_INVALID_KEY,
    ),
]


@pytest.mark.parametrize(
    "name,token,want_key,want_rv,want_err", DECODE_CASES, ids=[c[0] for c in DECODE_CASES]
)
def test_decode_continue_upstream_table(name, token, want_key, want_rv, want_err):
    if want_err is None:
        assert decode_continue(token, "/test/") == (want_key, want_rv)
    else:
        with pytest.raises(ContinueError) as caught:
            decode_continue(token, "/test/")
        assert str(caught.value).startswith(want_err)


def test_error_texts_are_upstreams():
    def err(token):
        with pytest.raises(ContinueError) as caught:
            decode_continue(token, "/registry/pods/")
        return str(caught.value)

    assert err(encode_or_die("v1", 1, "key")) == (
        "continue key is not valid: server does not recognize this encoded version v1"
    )
    assert err(encode_or_die(V1, 0, "a")) == (
        "continue key is not valid: incorrect encoded start resourceVersion "
        "(version meta.k8s.io/v1)"
    )
    assert err(encode_or_die(V1, 1, "../key")) == "continue key is not valid: ../key"
    # Go's base64 and encoding/json errors, after "continue key is not valid: "
    assert err("ab$d") == "continue key is not valid: illegal base64 data at input byte 2"
    assert err("abcde") == "continue key is not valid: illegal base64 data at input byte 4"
    assert err("eyJ2IjoxfQ==") == "continue key is not valid: illegal base64 data at input byte 10"
    assert err("") == "continue key is not valid: unexpected end of JSON input"
    raw = base64.urlsafe_b64encode(b"[1]").rstrip(b"=").decode()
    assert err(raw) == (
        "continue key is not valid: json: cannot unmarshal array into Go value of type "
        "storage.continueToken"
    )
    raw = base64.urlsafe_b64encode(b'{"v":"meta.k8s.io/v1","rv":"5"}').rstrip(b"=").decode()
    assert err(raw) == (
        "continue key is not valid: json: cannot unmarshal string into Go struct field "
        "continueToken.rv of type int64"
    )
    raw = base64.urlsafe_b64encode(b"xyz").rstrip(b"=").decode()
    assert err(raw) == (
        "continue key is not valid: invalid character 'x' looking for beginning of value"
    )


def test_encoding_is_go_json_in_raw_url_base64():
    token = encode_continue("/registry/pods/default/web-1\x00", "/registry/pods/", 42)
    assert "=" not in token
    assert base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)) == (
        b'{"v":"meta.k8s.io/v1","rv":42,"start":"default/web-1\\u0000"}'
    )
    assert token == encode_or_die(V1, 42, "default/web-1\x00")
    # field names are matched case-insensitively and unknown ones ignored, as Go does
    raw = b'{"V":"meta.k8s.io/v1","RV":7,"Start":"a\\u0000","x":1}'
    loose = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    assert decode_continue(loose, "/p/") == ("/p/a\x00", 7)


def test_encode_needs_the_prefix():
    with pytest.raises(ValueError, match="the key and key prefix do not match"):
        encode_continue("/registry/pods/a", "/registry/services/", 1)


def test_go_path_clean():
    assert go_path_clean("/a/./b/../c//d/") == "/a/c/d"
    assert go_path_clean("/../a") == "/a"
    assert go_path_clean("//a") == "/a"
    assert go_path_clean("/") == "/"


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-./", min_size=1, max_size=30),
    st.integers(min_value=-1, max_value=2**62),
)
def test_round_trip_of_clean_keys(name, rv):
    key = "/registry/pods/" + name
    if rv == 0 or go_path_clean("/" + name) != "/" + name:
        return  # not a key the server would hand out
    token = encode_continue(key + "\x00", "/registry/pods/", rv)
    assert decode_continue(token, "/registry/pods/") == (key + "\x00", rv)
