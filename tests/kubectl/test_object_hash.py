"""`--append-hash`: upstream's `pkg/util/hash/hash_test.go` tables, and the created names."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.kubectl.object_hash import config_map_hash, encode_hash, secret_hash


def b64(text):
    return base64.b64encode(text.encode()).decode()


def named(**fields):
    return {"metadata": {"name": ""}, **fields}


@pytest.mark.parametrize(
    ("cm", "digest"),
    [
        (named(data={}, binaryData={}), "42745tchd9"),
        (named(data={"one": ""}), "9g67k2htb6"),
        (named(data={"two": "2", "one": "", "three": "3"}), "f5h7t85m9b"),
        (named(binaryData={}), "dk855m5d49"),
        (named(binaryData={"one": ""}), "mk79584b8c"),
        (named(binaryData={"two": b64("2"), "one": "", "three": b64("3")}), "t458mc6db2"),
        (named(data={"one": ""}, binaryData={"two": ""}), "698h7c7t9m"),
    ],
)
def test_config_map_hash_upstream_table(cm, digest):
    assert config_map_hash(cm) == digest


@pytest.mark.parametrize(
    ("secret", "digest"),
    [
        (named(type="my-type", data={}), "t75bgf6ctb"),
        (named(type="my-type", data={"one": ""}), "74bd68bm66"),
        (named(type="my-type", data={"two": b64("2"), "one": "", "three": b64("3")}),
         "dgcb6h9tmk"),
    ],
)  # fmt: skip
def test_secret_hash_upstream_table(secret, digest):
    assert secret_hash(secret) == digest


def test_encode_hash():
    assert encode_hash("0123456789abcdef") == "gh2k456789"
    with pytest.raises(ValueError, match="at least 10 characters"):
        encode_hash("abc")


def test_create_with_append_hash():
    cluster = Cluster(nodes=1, seed=0)
    out = cluster.kubectl("create configmap app --from-literal=one= --append-hash")
    expected = config_map_hash(named(data={"one": ""}) | {"metadata": {"name": "app"}})
    assert out == f"configmap/app-{expected} created\n"
    assert cluster.get("configmaps", f"app-{expected}")["data"] == {"one": ""}
    out = cluster.kubectl("create secret generic s --from-literal=k=v --append-hash=true")
    digest = secret_hash({"metadata": {"name": "s"}, "type": "", "data": {"k": b64("v")}})
    assert out == f"secret/s-{digest} created\n"
    assert cluster.kubectl("create configmap x --append-hash=maybe") == (
        'error: invalid argument "maybe" for "--append-hash" flag: strconv.ParseBool: parsing '
        '"maybe": invalid syntax\n'
        "See 'kubectl create configmap --help' for usage.\n"
    )
    assert cluster.kubectl("create configmap y --append-hash=false") == "configmap/y created\n"


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=5))
def test_config_map_hash_is_ten_safe_characters_and_order_free(data):
    digest = config_map_hash(named(data=data))
    assert len(digest) == 10 and not set(digest) & set("013ae")
    assert config_map_hash(named(data=dict(reversed(list(data.items()))))) == digest
