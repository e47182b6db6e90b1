"""`kubectl create configmap|secret --from-file|--from-env-file`, worded like upstream
(`util.ParseFileSource`, `create_configmap.go`, `create_secret.go`, `cmdutil.AddFromEnvFile`)."""

import base64

import pytest

from minik8s.cluster import Cluster
from minik8s.kubectl import generators as gen
from minik8s.kubectl.sources import env_file_entries, file_entries, parse_file_source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("config.txt", ("config.txt", "config.txt")),
        ("dir/app.conf", ("app.conf", "dir/app.conf")),
        ("key=dir/app.conf", ("key", "dir/app.conf")),
    ],
)
def test_parse_file_source(source, expected):
    assert parse_file_source(source) == expected


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("=path", "key name for file path path missing"),
        ("key=", "file path for key name key missing"),
        ("a=b=c", "key names or file paths cannot contain '='"),
    ],
)
def test_parse_file_source_errors(source, error):
    with pytest.raises(ValueError) as err:
        parse_file_source(source)
    assert str(err.value) == error


@pytest.fixture
def files(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "b.properties").write_text("color=blue\n")
    (tmp_path / "conf" / "a.properties").write_text("size=2\n")
    (tmp_path / "conf" / "sub").mkdir()
    (tmp_path / "logo.bin").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "app.env").write_text("\ufeff# settings\nMODE=prod\n\n   LEVEL=  3\nEMPTY\n")
    return tmp_path


def test_directory_gives_one_key_per_regular_file(files):
    entries = file_entries([str(files / "conf")])
    assert entries == [("a.properties", b"size=2\n"), ("b.properties", b"color=blue\n")]
    with pytest.raises(ValueError, match="cannot give a key name for a directory path"):
        file_entries([f"k={files / 'conf'}"])
    with pytest.raises(ValueError, match=r"error reading .*nope: no such file or directory"):
        file_entries([str(files / "nope")])


def test_env_file(files):
    assert env_file_entries(str(files / "app.env")) == [
        ("MODE", "prod"),
        ("LEVEL", "3"),
        ("EMPTY", ""),
    ]
    (files / "bad.env").write_text("1X=2\n")
    with pytest.raises(ValueError, match='"1X" is not a valid key name: a valid environment'):
        env_file_entries(str(files / "bad.env"))
    with pytest.raises(ValueError, match="env secret file cannot be a directory"):
        env_file_entries(str(files / "conf"), "secret")


def test_configmap_text_and_binary_files(files):
    sources = gen.DataSources(["extra=1"], [str(files / "conf"), f"logo={files / 'logo.bin'}"])
    obj = gen.configmap("cfg", sources)
    assert obj["data"] == {"a.properties": "size=2\n", "b.properties": "color=blue\n", "extra": "1"}
    assert base64.b64decode(obj["binaryData"]["logo"]) == b"\xff\xfe\x00"
    with pytest.raises(ValueError, match='cannot add key "logo", another key by that name already '
                       'exists in BinaryData for ConfigMap "cfg"'):  # fmt: skip
        gen.configmap("cfg", gen.DataSources(["logo=x"], [f"logo={files / 'logo.bin'}"]))
    with pytest.raises(ValueError, match="from-env-file cannot be combined with from-file or"):
        gen.configmap("cfg", gen.DataSources(["a=b"], [], ["x.env"]))


def test_create_from_files_through_kubectl(files):
    c = Cluster(nodes=1, seed=0)
    conf, env = files / "conf", files / "app.env"
    assert c.kubectl(f"create configmap app --from-file={conf}") == "configmap/app created\n"
    assert c.get("configmaps", "app")["data"] == {
        "a.properties": "size=2\n",
        "b.properties": "color=blue\n",
    }
    assert c.kubectl(f"create configmap env --from-env-file={env}") == "configmap/env created\n"
    assert c.get("configmaps", "env")["data"] == {"MODE": "prod", "LEVEL": "3", "EMPTY": ""}
    out = c.kubectl(f"create secret generic tls --from-file=key={files / 'logo.bin'}")
    assert out == "secret/tls created\n"
    assert base64.b64decode(c.get("secrets", "tls")["data"]["key"]) == b"\xff\xfe\x00"
    assert c.kubectl("create configmap x --from-file=/nonexistent/f") == (
        "error: error reading /nonexistent/f: no such file or directory\n"
    )
