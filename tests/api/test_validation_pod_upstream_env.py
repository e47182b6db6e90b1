"""Upstream v1.31 `TestValidateEnv` / `TestValidateEnvFrom` tables
(`pkg/apis/core/validation/validation_test.go`), ported row by row: every error a row produces
must contain upstream's expected text, as upstream's loop checks."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.field import Path
from minik8s.api.validation import pod_env
from minik8s.api.validation.pod_env import validate_env, validate_env_from

Obj = dict[str, Any]

ENV_VAR_NAME_ERR = "a valid environment variable name must consist of"
DNS_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain"
ENV_FIELD_PATHS = (
    'supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", '
    '"spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'
)


def field_ref(field_path: str = "", api_version: str = "v1") -> Obj:
    ref = {k: v for k, v in (("apiVersion", api_version), ("fieldPath", field_path)) if v}
    return {"fieldRef": ref}


def key_ref(kind: str, name: str, key: str) -> Obj:
    return {kind: {"name": name, "key": key}}


ENV_SUCCESS: list[Obj] = [
    {"name": "abc", "value": "value"},
    {"name": "ABC", "value": "value"},
    {"name": "AbC_123", "value": "value"},
    {"name": "abc", "value": ""},
    {"name": "a.b.c", "value": "value"},
    {"name": "a-b-c", "value": "value"},
    *(
        {"name": "abc", "valueFrom": field_ref(fp)}
        for fp in (
            "metadata.annotations['key']",
            "metadata.labels['key']",
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.podIP",
            "status.podIPs",
        )
    ),
    {"name": "secret_value", "valueFrom": key_ref("secretKeyRef", "some-secret", "secret-key")},
    {"name": "ENV_VAR_1", "valueFrom": key_ref("configMapKeyRef", "some-config-map", "some-key")},
]


def test_env_success_case() -> None:
    assert validate_env(ENV_SUCCESS, Path("field")) == []


# upstream's updateErrorCase: names only the relaxed rule (alpha, off in v1.31) accepts.
@pytest.mark.parametrize("name", ["!\"#$%&'()", "* +,-./0123456789", ":;<>?@", "[\\]^_{}|~"])
def test_env_strict_names(name: str) -> None:
    errs = validate_env([{"name": name, "value": "value"}], Path("field"))
    assert [str(e) for e in errs] == [
        f"field[0].name: Invalid value: {_quote(name)}: {ENV_VAR_NAME_ERR} alphabetic characters, "
        "digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or "
        "'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
        "'[-._a-zA-Z][-._a-zA-Z0-9]*')"
    ]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


FIELD_REF_AND_SECRET = {
    **field_ref("metadata.name"),
    **key_ref("secretKeyRef", "a-secret", "a-key"),
}
ENV_ERRORS: list[tuple[str, list[Obj], str]] = [
    ("zero-length name", [{"name": ""}], "[0].name: Required value"),
    (
        "value and valueFrom specified",
        [{"name": "abc", "value": "foo", "valueFrom": field_ref("metadata.name")}],
        '[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    ),
    (
        "valueFrom without a source",
        [{"name": "abc", "valueFrom": {}}],
        '[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, '
        "`configMapKeyRef` or `secretKeyRef`",
    ),
    (
        "valueFrom.fieldRef and valueFrom.secretKeyRef specified",
        [{"name": "abc", "valueFrom": FIELD_REF_AND_SECRET}],
        '[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ),
    (
        "valueFrom.fieldRef and valueFrom.configMapKeyRef set",
        [
            {
                "name": "some_var_name",
                "valueFrom": {
                    **field_ref("metadata.name"),
                    **key_ref("configMapKeyRef", "some-config-map", "some-key"),
                },
            }
        ],
        '[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ),
    (
        "valueFrom.fieldRef, secretKeyRef and configMapKeyRef specified",
        [
            {
                "name": "abc",
                "valueFrom": {
                    **FIELD_REF_AND_SECRET,
                    **key_ref("configMapKeyRef", "some-config-map", "some-key"),
                },
            }
        ],
        '[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ),
    (
        "valueFrom.secretKeyRef.name invalid",
        [{"name": "abc", "valueFrom": key_ref("secretKeyRef", "$%^&*#", "a-key")}],
        "",
    ),
    (
        "valueFrom.configMapKeyRef.name invalid",
        [{"name": "abc", "valueFrom": key_ref("configMapKeyRef", "$%^&*#", "some-key")}],
        "",
    ),
    (
        "missing FieldPath on ObjectFieldSelector",
        [{"name": "abc", "valueFrom": field_ref("")}],
        "[0].valueFrom.fieldRef.fieldPath: Required value",
    ),
    (
        "missing APIVersion on ObjectFieldSelector",
        [{"name": "abc", "valueFrom": field_ref("metadata.name", api_version="")}],
        "[0].valueFrom.fieldRef.apiVersion: Required value",
    ),
    (
        "invalid fieldPath",
        [{"name": "abc", "valueFrom": field_ref("metadata.whoops")}],
        '[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.whoops": '
        "error converting fieldPath",
    ),
    (
        "metadata.name with subscript",
        [{"name": "labels", "valueFrom": field_ref("metadata.name['key']")}],
        "[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name['key']\": "
        "error converting fieldPath: field label does not support subscript",
    ),
    (
        "metadata.labels without subscript",
        [{"name": "labels", "valueFrom": field_ref("metadata.labels")}],
        '[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": '
        + ENV_FIELD_PATHS,
    ),
    (
        "metadata.annotations without subscript",
        [{"name": "abc", "valueFrom": field_ref("metadata.annotations")}],
        '[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.annotations": '
        + ENV_FIELD_PATHS,
    ),
    (
        "metadata.annotations with invalid key",
        [{"name": "abc", "valueFrom": field_ref("metadata.annotations['invalid~key']")}],
        'field[0].valueFrom.fieldRef: Invalid value: "invalid~key"',
    ),
    (
        "metadata.labels with invalid key",
        [{"name": "abc", "valueFrom": field_ref("metadata.labels['Www.k8s.io/test']")}],
        'field[0].valueFrom.fieldRef: Invalid value: "Www.k8s.io/test"',
    ),
    (
        "unsupported fieldPath",
        [{"name": "abc", "valueFrom": field_ref("status.phase")}],
        'valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": ' + ENV_FIELD_PATHS,
    ),
]


@pytest.mark.parametrize(("envs", "expected"), [pytest.param(e, x, id=n) for n, e, x in ENV_ERRORS])
def test_env_error_cases(envs: list[Obj], expected: str) -> None:
    errs = validate_env(envs, Path("field"))
    assert errs, "expected failure"
    for error in errs:
        assert expected in str(error)


def test_env_wrong_api_version() -> None:
    (error,) = validate_env(
        [{"name": "a", "valueFrom": field_ref("metadata.name", "v2")}], Path("f")
    )
    assert str(error) == (
        'f[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name": '
        "error converting fieldPath: unsupported pod version: v2"
    )


def test_env_spec_host_is_converted_to_node_name() -> None:
    assert validate_env([{"name": "a", "valueFrom": field_ref("spec.host")}], Path("f")) == []


# --- TestValidateEnvFrom (rows written from upstream's table as remembered; see report) --------

ENV_FROM_SUCCESS: list[Obj] = [
    {"configMapRef": {"name": "abc"}},
    {"prefix": "pre_", "configMapRef": {"name": "abc"}},
    {"prefix": "a.b", "configMapRef": {"name": "abc"}},
    {"secretRef": {"name": "abc"}},
    {"prefix": "pre_", "secretRef": {"name": "abc"}},
    {"prefix": "a.b", "secretRef": {"name": "abc"}},
]


def test_env_from_success_case() -> None:
    assert validate_env_from(ENV_FROM_SUCCESS, Path("field")) == []


ENV_FROM_ERRORS: list[tuple[str, Obj, str]] = [
    (
        "zero-length name",
        {"configMapRef": {"name": ""}},
        "field[0].configMapRef.name: Required value",
    ),
    (
        "invalid name",
        {"configMapRef": {"name": "$"}},
        f'field[0].configMapRef.name: Invalid value: "$": {DNS_SUBDOMAIN_ERR}',
    ),
    (
        "invalid prefix",
        {"prefix": "a!b", "configMapRef": {"name": "abc"}},
        f'field[0].prefix: Invalid value: "a!b": {ENV_VAR_NAME_ERR}',
    ),
    (
        "zero-length secret name",
        {"secretRef": {"name": ""}},
        "field[0].secretRef.name: Required value",
    ),
    (
        "invalid secret name",
        {"secretRef": {"name": "&"}},
        f'field[0].secretRef.name: Invalid value: "&": {DNS_SUBDOMAIN_ERR}',
    ),
    (
        "invalid secret prefix",
        {"prefix": "a!b", "secretRef": {"name": "abc"}},
        f'field[0].prefix: Invalid value: "a!b": {ENV_VAR_NAME_ERR}',
    ),
    (
        "no refs",
        {},
        'field: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ),
    (
        "multiple refs",
        {"configMapRef": {"name": "abc"}, "secretRef": {"name": "abc"}},
        'field: Invalid value: "": may not have more than one field specified at a time',
    ),
    (
        "invalid secret ref name",
        {"secretRef": {"name": "$%^&*#"}},
        f'field[0].secretRef.name: Invalid value: "$%^&*#": {DNS_SUBDOMAIN_ERR}',
    ),
    (
        "invalid config ref name",
        {"configMapRef": {"name": "$%^&*#"}},
        f'field[0].configMapRef.name: Invalid value: "$%^&*#": {DNS_SUBDOMAIN_ERR}',
    ),
]


@pytest.mark.parametrize(
    ("source", "expected"), [pytest.param(s, x, id=n) for n, s, x in ENV_FROM_ERRORS]
)
def test_env_from_error_cases(source: Obj, expected: str) -> None:
    errs = validate_env_from([source], Path("field"))
    assert errs, "expected failure"
    for error in errs:
        assert expected in str(error)


# --- TestRelaxedValidateEnv (the RelaxedEnvironmentVariableValidation gate switched on) ---------


@pytest.fixture
def relaxed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pod_env, "RELAXED_ENV_VAR_VALIDATION", True)


@pytest.mark.usefixtures("relaxed")
def test_relaxed_success_case() -> None:
    names = [
        "!\"#$%&'()",
        "* +,-./0123456789",
        ":;<>?@",
        "ABCDEFG",
        "abcdefghijklmn",
        "[\\]^_`{}|~",
    ]
    assert validate_env([{"name": n, "value": "value"} for n in names], Path("field")) == []


@pytest.mark.usefixtures("relaxed")
def test_relaxed_illegal_character() -> None:
    (error,) = validate_env([{"name": "=abc"}], Path("field"))
    assert str(error) == (
        'field[0].name: Invalid value: "=abc": a valid environment variable name must consist only '
        "of printable ASCII characters other than '='"
    )


@pytest.mark.usefixtures("relaxed")
@pytest.mark.parametrize(("envs", "expected"), [pytest.param(e, x, id=n) for n, e, x in ENV_ERRORS])
def test_relaxed_error_cases(envs: list[Obj], expected: str) -> None:
    errs = validate_env(envs, Path("field"))
    assert errs, "expected failure"
    for error in errs:
        assert expected in str(error)
