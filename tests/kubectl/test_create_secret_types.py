"""`kubectl create secret tls|docker-registry`, worded like upstream (`create_secret_tls.go`,
`create_secret_docker.go`, Go's `tls.X509KeyPair`)."""

import base64
import json

import pytest
import yaml

from minik8s.cluster import Cluster
from minik8s.kubectl import secret_types

CERT = (
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBGDCBv6ADAgECAgEBMAoGCCqGSM49BAMCMBYxFDASBgNVBAMMC2V4YW1wbGUu\n"
    "Y29tMB4XDTI1MDEwMTAwMDAwMFoXDTM1MDEwMTAwMDAwMFowFjEUMBIGA1UEAwwL\n"
    "ZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS1BOpqLQGfIs0x\n"
    "YAVEaZ7DaNVPhqfbNcsilGrrvyTPvNFNv69MXVhcje/g2cAwbCEpLFSFTG/nuNG6\n"
    "3DQfIW16MAoGCCqGSM49BAMCA0gAMEUCIQC8d/wB/yMmguJm8SnUHF3h0xJdlTwy\n"
    "xJ8EHJzMX4oijQIgbSylFOurkXlKUKoBPrFIW3a8kttI82ylEAtWOdIhBgI=\n-----END CERTIFICATE-----\n"
)
KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJbZOG3mnnMbqbQqy\n"
    "/Y2o8ccseW1TWuOpdHN4ixuqFIChRANCAAS1BOpqLQGfIs0xYAVEaZ7DaNVPhqfb\n"
    "NcsilGrrvyTPvNFNv69MXVhcje/g2cAwbCEpLFSFTG/nuNG63DQfIW16\n-----END PRIVATE KEY-----\n"
)
OTHER_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWLzDxk4khpevA/2M\n"
    "ay0KmnZXg5HUgkuCUdOCURhDnkmhRANCAATWPdCiPkdVtFfKfjn+VqYTYReqLGwa\n"
    "fw2TbLZ69V1AgSo+P05ScVuJK2tMrlPz4r1pYsmVqSvI719WisOveF+s\n-----END PRIVATE KEY-----\n"
)


@pytest.fixture
def cluster():
    return Cluster(nodes=1, seed=0)


@pytest.fixture
def pem(tmp_path):
    for name, text in (("tls.crt", CERT), ("tls.key", KEY), ("other.key", OTHER_KEY)):
        (tmp_path / name).write_text(text)
    (tmp_path / "plain.txt").write_text("hello\n")
    return tmp_path


def test_create_secret_tls(cluster, pem):
    line = f"create secret tls web-tls --cert={pem}/tls.crt --key={pem}/tls.key"
    assert cluster.kubectl(line) == "secret/web-tls created\n"
    secret = cluster.get("secrets", "web-tls")
    assert secret["type"] == "kubernetes.io/tls"
    assert base64.b64decode(secret["data"]["tls.crt"]).decode() == CERT
    assert base64.b64decode(secret["data"]["tls.key"]).decode() == KEY
    assert (
        cluster.kubectl(line)
        == 'error: failed to create secret: secrets "web-tls" already exists\n'
    )
    assert "TYPE" in cluster.kubectl("get secret web-tls")
    assert "kubernetes.io/tls   2" in cluster.kubectl("get secret web-tls")


def test_create_secret_tls_dry_run_yaml(cluster, pem):
    out = cluster.kubectl(
        f"create secret tls t --cert={pem}/tls.crt --key={pem}/tls.key --dry-run=client -o yaml"
    )
    assert yaml.safe_load(out) == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"creationTimestamp": None, "name": "t"},
        "type": "kubernetes.io/tls",
        "data": {
            "tls.crt": base64.b64encode(CERT.encode()).decode(),
            "tls.key": base64.b64encode(KEY.encode()).decode(),
        },
    }
    assert cluster.get("secrets") == []


@pytest.mark.parametrize(
    ("flags", "error"),
    [
        ("--cert={d}/tls.crt", "error: key and cert must be specified"),
        ("--key={d}/tls.key", "error: key and cert must be specified"),
        ("--cert={d}/nope.crt --key={d}/tls.key",
         "error: Cannot read file {d}/nope.crt, open {d}/nope.crt: no such file or directory"),
        ("--cert={d}/plain.txt --key={d}/tls.key",
         "error: tls: failed to find any PEM data in certificate input"),
        ("--cert={d}/tls.key --key={d}/tls.key",
         'error: tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping '
         "PEM blocks of the following types: [PRIVATE KEY]"),
        ("--cert={d}/tls.crt --key={d}/plain.txt",
         "error: tls: failed to find any PEM data in key input"),
        ("--cert={d}/tls.crt --key={d}/tls.crt",
         "error: tls: found a certificate rather than a key in the PEM for the private key"),
        ("--cert={d}/tls.crt --key={d}/other.key",
         "error: tls: private key does not match public key"),
    ],
)  # fmt: skip
def test_create_secret_tls_errors(cluster, pem, flags, error):
    out = cluster.kubectl(f"create secret tls bad {flags.format(d=pem)}")
    assert out == error.format(d=pem) + "\n"
    assert cluster.get("secrets") == []


def test_create_secret_tls_needs_one_name(cluster, pem):
    assert cluster.kubectl(f"create secret tls --cert={pem}/tls.crt --key={pem}/tls.key") == (
        "error: exactly one NAME is required, got 0\n"
        "See 'kubectl create secret tls -h' for help and examples\n"
    )


def test_docker_config_json_matches_go_marshal():
    content = secret_types.docker_config_json("user", "p&ss", "", "https://index.docker.io/v1/")
    assert content == (
        b'{"auths":{"https://index.docker.io/v1/":{"username":"user","password":"p\\u0026ss",'
        b'"auth":"dXNlcjpwJnNz"}}}'
    )


def test_create_secret_docker_registry(cluster):
    out = cluster.kubectl(
        "create secret docker-registry regcred --docker-server=registry.example.com "
        "--docker-username=alice --docker-password=s3cret --docker-email=a@example.com"
    )
    assert out == "secret/regcred created\n"
    secret = cluster.get("secrets", "regcred")
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    config = json.loads(base64.b64decode(secret["data"][".dockerconfigjson"]))
    assert config == {
        "auths": {
            "registry.example.com": {
                "username": "alice",
                "password": "s3cret",
                "email": "a@example.com",
                "auth": base64.b64encode(b"alice:s3cret").decode(),
            }
        }
    }


def test_create_secret_docker_registry_default_server(cluster):
    cluster.kubectl("create secret docker-registry r --docker-username=u --docker-password=p")
    secret = cluster.get("secrets", "r")
    config = json.loads(base64.b64decode(secret["data"][".dockerconfigjson"]))
    assert list(config["auths"]) == ["https://index.docker.io/v1/"]


def test_create_secret_docker_registry_from_file(cluster, tmp_path):
    (tmp_path / "config.json").write_text('{"auths":{}}')
    out = cluster.kubectl(
        f"create secret docker-registry r --from-file=.dockerconfigjson={tmp_path}/config.json"
    )
    assert out == "secret/r created\n"
    data = cluster.get("secrets", "r")["data"]
    assert base64.b64decode(data[".dockerconfigjson"]) == b'{"auths":{}}'
    bad = cluster.kubectl(f"create secret docker-registry s --from-file={tmp_path}/config.json")
    assert bad == (
        'error: failed to create secret Secret "s" is invalid: data[.dockerconfigjson]: '
        "Required value\n"
    )


@pytest.mark.parametrize(
    "flags",
    ["", "--docker-username=u", "--docker-password=p",
     "--docker-username=u --docker-password=p --docker-server="],
)  # fmt: skip
def test_create_secret_docker_registry_needs_credentials(cluster, flags):
    assert cluster.kubectl(f"create secret docker-registry r {flags}") == (
        "error: either --from-file or the combination of --docker-username, --docker-password "
        "and --docker-server is required\n"
    )


def test_create_secret_unknown_type(cluster):
    assert cluster.kubectl("create secret opaque x") == (
        'error: unknown command "opaque x"\n'
        "See 'kubectl create secret -h' for help and examples\n"
    )
    assert "Available Commands:\n  docker-registry" in cluster.kubectl("create secret")


def test_tls_flags_take_their_value_after_a_space(tmp_path):
    """`--cert PATH --key PATH` (value flags), as well as `--cert=PATH`."""
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    out = c.kubectl("create secret tls web --cert /nonexistent/tls.crt --key /nonexistent/tls.key")
    assert "exactly one NAME is required" not in out
    assert out.startswith("error: Cannot read file /nonexistent/tls.crt")
