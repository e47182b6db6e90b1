"""The generated Go struct schema of the served kinds (`tools/gen_schema.py`)."""

import importlib.util
from pathlib import Path

import pytest

from minik8s.api.kinds import RESOURCES
from minik8s.api.schema import KINDS, STRUCTS, go_struct_name, go_type, kind_struct

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "tools" / "gen_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_module_is_up_to_date():
    pytest.importorskip("kubernetes_validate")
    generator = _generator()
    committed = generator.OUTPUT.read_text(encoding="utf-8")
    assert committed == generator.generate(), "run: python tools/gen_schema.py"


def test_every_served_kind_has_a_struct():
    for info in RESOURCES:
        sid = kind_struct(info.api_version, info.kind)
        assert sid is not None, info
        assert go_struct_name(sid) == info.kind
        assert {"apiVersion", "kind", "metadata"} <= set(STRUCTS[sid])
    assert len(KINDS) == len(RESOURCES)


def test_every_named_struct_is_defined():
    for fields in STRUCTS.values():
        for kind in fields.values():
            while kind.startswith("[]") or kind.startswith("map[string]"):
                kind = kind[2:] if kind.startswith("[]") else kind[len("map[string]") :]
            assert kind in STRUCTS or kind in {
                "string",
                "int32",
                "int64",
                "bool",
                "float64",
                "bytes",
                "quantity",
                "intstr",
                "time",
                "raw",
            }, kind


@pytest.mark.parametrize(
    "struct, field, kind",
    [
        ("core.v1.ContainerPort", "containerPort", "int32"),
        ("core.v1.Container", "ports", "[]core.v1.ContainerPort"),
        ("core.v1.Container", "command", "[]string"),
        ("core.v1.ResourceRequirements", "requests", "map[string]quantity"),
        ("core.v1.ServicePort", "targetPort", "intstr"),
        ("core.v1.PodSpec", "activeDeadlineSeconds", "int64"),
        ("core.v1.Secret", "data", "map[string]bytes"),
        ("meta.v1.ObjectMeta", "labels", "map[string]string"),
        ("meta.v1.ObjectMeta", "creationTimestamp", "time"),
        ("meta.v1.ManagedFieldsEntry", "fieldsV1", "raw"),
        ("apps.v1.DeploymentSpec", "replicas", "int32"),
        ("apps.v1.ControllerRevision", "data", "raw"),
        ("coordination.v1.LeaseSpec", "renewTime", "time"),
        ("discovery.v1.EndpointPort", "port", "int32"),
    ],
)
def test_field_types(struct, field, kind):
    assert STRUCTS[struct][field] == kind


def test_unknown_fields_are_not_in_the_schema():
    assert "replica" not in STRUCTS["apps.v1.DeploymentSpec"]
    assert kind_struct("v1", "Widget") is None


@pytest.mark.parametrize(
    "kind, name",
    [
        ("int32", "int32"),
        ("[]core.v1.Container", "[]v1.Container"),
        ("map[string]string", "map[string]string"),
        ("map[string]quantity", "v1.ResourceList"),
        ("meta.v1.ObjectMeta", "v1.ObjectMeta"),
        ("bytes", "[]uint8"),
        ("map[string][]string", "map[string][]string"),
    ],
)
def test_go_type_names(kind, name):
    assert go_type(kind) == name
