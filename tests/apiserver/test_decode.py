"""The decode step: unknown fields (KEP-2885 field validation), Go's JSON type errors and
canonical quantities, with upstream's messages.

Unknown-field cases port `test/integration/apiserver/field_validation_test.go` (less its
duplicate-key cases: a dict has no duplicate keys); type errors are `encoding/json`'s
`UnmarshalTypeError` as the API server wraps it in `transformDecodeError`."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.errors import BadRequest
from minik8s.api.quantity import ERR_FORMAT_WRONG
from minik8s.apiserver.decode import decode


def deployment(spec_extra=None, container_extra=None, meta_extra=None):
    container = {"name": "nginx", "image": "nginx:latest", "imagePullPolicy": "Always"}
    container.update(container_extra or {})
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "nginx"}, **(meta_extra or {})},
        "spec": {
            **(spec_extra or {}),
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [container]},
            },
        },
    }


def pod(container_extra=None, spec_extra=None):
    container = {"name": "c", "image": "nginx"}
    container.update(container_extra or {})
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [container], **(spec_extra or {})},
    }


def error(obj, field_validation="Strict"):
    with pytest.raises(BadRequest) as info:
        decode(obj, field_validation)
    assert info.value.code == 400 and info.value.reason == "BadRequest"
    return str(info.value)


# -- unknown fields -----------------------------------------------------------------------------

UPSTREAM_INVALID = deployment(
    {"unknown1": "val1", "unknownDupe": "valDupe", "paused": False},
    {"unknownNested": "val1"},
    {"unknownMeta": "metaVal"},
)
UPSTREAM_WARNINGS = [
    'unknown field "metadata.unknownMeta"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
]


def test_strict_rejects_unknown_fields_joined_like_upstream():
    assert error(copy.deepcopy(UPSTREAM_INVALID)) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        + ", ".join(UPSTREAM_WARNINGS)
    )


def test_strict_single_unknown_field():
    assert error(deployment({"replica": 3})) == (
        'Deployment in version "v1" cannot be handled as a Deployment: '
        'strict decoding error: unknown field "spec.replica"'
    )


def test_warn_drops_unknown_fields_and_warns():
    obj, warnings = decode(copy.deepcopy(UPSTREAM_INVALID), "Warn")
    assert warnings == UPSTREAM_WARNINGS
    assert obj == deployment({"paused": False})


def test_ignore_drops_unknown_fields_silently():
    obj, warnings = decode(copy.deepcopy(UPSTREAM_INVALID), "Ignore")
    assert warnings == []
    assert obj == deployment({"paused": False})


def test_field_names_are_case_sensitive():
    assert error(pod(spec_extra={"NodeName": "n1"})).endswith(
        'strict decoding error: unknown field "spec.NodeName"'
    )


def test_unknown_top_level_field_and_status_is_known():
    obj = pod()
    obj["status"] = {"phase": "Pending"}
    obj["extra"] = 1
    assert decode(obj, "Warn")[1] == ['unknown field "extra"']
    assert obj["status"] == {"phase": "Pending"}


def test_valid_objects_pass_unchanged():
    for obj in (deployment({"replicas": 2}), pod({"ports": [{"containerPort": 80}]})):
        expected = copy.deepcopy(obj)
        assert decode(obj) == (expected, [])


def test_unknown_kind_is_left_alone():
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"anything": 1}}
    assert decode(obj) == (obj, [])


def test_unknown_field_errors_are_deduplicated_and_capped_at_100():
    containers = [{"name": f"c{i}", "image": "i", "x": 1} for i in range(120)]
    _, warnings = decode(pod(spec_extra={"containers": containers}), "Warn")
    assert len(warnings) == 100
    assert warnings[0] == 'unknown field "spec.containers[0].x"'


def test_invalid_field_validation_directive():
    with pytest.raises(ValueError):
        decode(pod(), "strict")


# -- JSON type errors ---------------------------------------------------------------------------


def go_error(kind, message):
    return f'{kind} in version "v1" cannot be handled as a {kind}: {message}'


@pytest.mark.parametrize(
    "container_extra, message",
    [
        (
            {"ports": [{"containerPort": "80"}]},
            "json: cannot unmarshal string into Go struct field "
            "ContainerPort.spec.containers.ports.containerPort of type int32",
        ),
        (
            {"ports": [{"containerPort": 1.5}]},
            "json: cannot unmarshal number 1.5 into Go struct field "
            "ContainerPort.spec.containers.ports.containerPort of type int32",
        ),
        (
            {"ports": [{"containerPort": 3000000000}]},
            "json: cannot unmarshal number 3000000000 into Go struct field "
            "ContainerPort.spec.containers.ports.containerPort of type int32",
        ),
        (
            {"image": 5},
            "json: cannot unmarshal number into Go struct field Container.spec.containers.image "
            "of type string",
        ),
        (
            {"ports": {"containerPort": 80}},
            "json: cannot unmarshal object into Go struct field Container.spec.containers.ports "
            "of type []v1.ContainerPort",
        ),
        (
            {"command": "sleep 10"},
            "json: cannot unmarshal string into Go struct field Container.spec.containers.command "
            "of type []string",
        ),
        (
            {"command": ["sleep", 10]},
            "json: cannot unmarshal number into Go struct field Container.spec.containers.command "
            "of type string",
        ),
        (
            {"stdin": "true"},
            "json: cannot unmarshal string into Go struct field Container.spec.containers.stdin "
            "of type bool",
        ),
        (
            {"tty": 1},
            "json: cannot unmarshal number into Go struct field Container.spec.containers.tty "
            "of type bool",
        ),
        (
            {"securityContext": []},
            "json: cannot unmarshal array into Go struct field "
            "Container.spec.containers.securityContext of type v1.SecurityContext",
        ),
        (
            {"resources": {"requests": ["1"]}},
            "json: cannot unmarshal array into Go struct field "
            "ResourceRequirements.spec.containers.resources.requests of type v1.ResourceList",
        ),
        (
            {"env": [{"name": "A", "value": True}]},
            "json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value "
            "of type string",
        ),
    ],
)
def test_wrong_json_types(container_extra, message):
    assert error(pod(container_extra)) == go_error("Pod", message)


def test_wrong_types_in_top_level_fields_and_maps():
    obj = pod()
    obj["metadata"]["labels"] = {"app": 1}
    assert error(obj) == go_error(
        "Pod",
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels "
        "of type string",
    )
    obj = pod()
    obj["spec"] = "nope"
    assert error(obj) == go_error(
        "Pod", "json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec"
    )
    obj = pod(spec_extra={"containers": ["nginx"]})
    assert error(obj) == go_error(
        "Pod",
        "json: cannot unmarshal string into Go struct field PodSpec.spec.containers "
        "of type v1.Container",
    )


def test_deployment_replicas_as_string():
    assert error(deployment({"replicas": "3"})) == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
        "string into Go struct field DeploymentSpec.spec.replicas of type int32"
    )


def test_first_type_error_wins_over_later_ones_and_over_unknown_fields():
    obj = pod({"ports": [{"containerPort": "80"}], "tty": 1, "bogus": 1})
    assert error(obj, "Warn") == go_error(
        "Pod",
        "json: cannot unmarshal string into Go struct field "
        "ContainerPort.spec.containers.ports.containerPort of type int32",
    )


def test_int64_and_float_fields():
    obj = pod(spec_extra={"activeDeadlineSeconds": 2**40, "terminationGracePeriodSeconds": 30})
    assert decode(obj)[1] == []
    assert error(pod(spec_extra={"activeDeadlineSeconds": 2**63})) == go_error(
        "Pod",
        f"json: cannot unmarshal number {2**63} into Go struct field "
        "PodSpec.spec.activeDeadlineSeconds of type int64",
    )


# -- quantities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, stored",
    [
        ("0.5", "500m"),
        ("1024Mi", "1Gi"),
        (1.5, "1500m"),
        (2, "2"),
        ("100m", "100m"),
        ("1e3", "1e3"),
        (" 1Gi ", "1Gi"),
        ("1000000Ki", "1000000Ki"),
        ("0.1", "100m"),
        (0.25, "250m"),
    ],
)
def test_quantities_are_stored_canonical(given, stored):
    obj, _ = decode(pod({"resources": {"requests": {"cpu": given}, "limits": {"memory": given}}}))
    resources = obj["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": stored}, "limits": {"memory": stored}}


@pytest.mark.parametrize("bad", ["abc", "", "1.5.5", True, {"a": 1}, ["1"], "1 Gi"])
def test_malformed_quantity(bad):
    message = error(pod({"resources": {"requests": {"cpu": bad}}}))
    assert message == go_error("Pod", ERR_FORMAT_WRONG)
    assert message.endswith(
        "quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


def test_quantity_error_is_returned_at_once_over_an_earlier_type_error():
    obj = pod({"ports": [{"containerPort": "80"}], "resources": {"requests": {"cpu": "abc"}}})
    assert error(obj) == go_error("Pod", ERR_FORMAT_WRONG)


def test_single_quantity_fields_and_node_capacity():
    obj = pod(spec_extra={"volumes": [{"name": "v", "emptyDir": {"sizeLimit": "0.5Gi"}}]})
    assert decode(obj)[0]["spec"]["volumes"][0]["emptyDir"]["sizeLimit"] == "512Mi"
    node = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "n"},
        "status": {"capacity": {"cpu": 4, "memory": "8192Mi", "pods": "110"}},
    }
    assert decode(node)[0]["status"]["capacity"] == {"cpu": "4", "memory": "8Gi", "pods": "110"}


# -- int-or-string, time, bytes, null -------------------------------------------------------------


def service(target_port):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "s"},
        "spec": {"ports": [{"port": 80, "targetPort": target_port}]},
    }


@pytest.mark.parametrize("target_port", [8080, "http"])
def test_int_or_string_accepts_both(target_port):
    obj, _ = decode(service(target_port))
    assert obj["spec"]["ports"][0]["targetPort"] == target_port


@pytest.mark.parametrize(
    "target_port, what", [(1.5, "number 1.5"), (True, "bool"), ({}, "object"), ([], "array")]
)
def test_int_or_string_rejects_others_as_int32(target_port, what):
    assert error(service(target_port)) == go_error(
        "Service",
        f"json: cannot unmarshal {what} into Go struct field "
        "ServicePort.spec.ports.targetPort of type int32",
    )


def test_deployment_strategy_int_or_string():
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}}
    obj, _ = decode(deployment({"strategy": strategy}))
    assert obj["spec"]["strategy"] == strategy


def lease(**spec):
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "n1", "namespace": "kube-node-lease"},
        "spec": spec,
    }


def test_lease_micro_time_and_wrong_type():
    obj = lease(
        holderIdentity="n1", leaseDurationSeconds=40, renewTime="2025-01-01T00:00:00.000000Z"
    )
    assert decode(copy.deepcopy(obj)) == (obj, [])
    assert error(lease(renewTime=5)) == (
        'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number into '
        "Go struct field LeaseSpec.spec.renewTime of type string"
    )


def test_secret_data_must_be_base64():
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
    assert decode({**secret, "data": {"k": "dmFsdWU="}})[1] == []
    assert error({**secret, "data": {"k": "valu!"}}) == go_error(
        "Secret", "illegal base64 data at input byte 4"
    )
    assert error({**secret, "data": {"k": 1}}) == go_error(
        "Secret",
        "json: cannot unmarshal number into Go struct field Secret.data of type []uint8",
    )


def test_null_scalar_fields_are_dropped_but_a_null_time_stays():
    # Go: the field stays zero and `omitempty` omits it; a zero metav1.Time is written `null`
    obj = pod(spec_extra={"nodeName": None, "priority": None})
    obj["status"] = {"conditions": [{"type": "Ready", "status": "True", "lastProbeTime": None}]}
    expected = copy.deepcopy(obj)
    del expected["spec"]["nodeName"], expected["spec"]["priority"]
    assert decode(obj) == (expected, [])
    assert expected["status"]["conditions"][0]["lastProbeTime"] is None


def test_null_list_map_and_struct_fields_are_dropped():
    # Go: a nil slice, map or pointer, omitted on output (`omitempty`).
    obj = pod({"ports": None, "resources": None}, {"tolerations": None, "affinity": None})
    obj["metadata"]["labels"] = None
    decoded, _ = decode(obj)
    assert decoded == pod()


def test_null_map_elements_become_zero_values():
    obj = pod({"resources": {"requests": {"cpu": None, "memory": "1Gi"}, "limits": {"cpu": None}}})
    obj["metadata"]["annotations"] = {"a": None, "b": "x"}
    obj["metadata"]["labels"] = {"l": None}
    decoded, _ = decode(obj)
    assert decoded["metadata"]["annotations"] == {"a": "", "b": "x"}
    assert decoded["metadata"]["labels"] == {"l": ""}
    resources = decoded["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": "0", "memory": "1Gi"}, "limits": {"cpu": "0"}}


def test_null_list_elements_become_zero_values():
    obj = pod({"args": ["a", None], "env": [None, {"name": "E", "value": "v"}]})
    obj["spec"]["tolerations"] = [None]
    decoded, _ = decode(obj)
    container = decoded["spec"]["containers"][0]
    assert container["args"] == ["a", ""]
    assert container["env"] == [{}, {"name": "E", "value": "v"}]
    assert decoded["spec"]["tolerations"] == [{}]


def test_null_bytes_map_element_stays_null():
    # A nil []byte marshals as `null` again.
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"a": None}}
    assert decode(copy.deepcopy(secret)) == (secret, [])


def test_null_env_element_is_a_422_through_cluster_apply():
    from minik8s import Cluster
    from minik8s.api.errors import Invalid

    c = Cluster(nodes=1, seed=0)
    with pytest.raises(Invalid) as info:
        c.apply(pod({"env": [None]}))
    assert info.value.code == 422
    assert "spec.containers[0].env[0].name: Required value" in str(info.value)


def test_cluster_apply_stores_null_elements_as_zero_values():
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    # (through the client: kubectl apply, as 1.31's, drops explicit nulls before it creates)
    obj = pod({"resources": {"requests": {"cpu": None}}}, {"tolerations": None})
    obj["metadata"]["annotations"] = {"a": None}
    stored = c.client.create("pods", obj, "default")
    assert stored["metadata"]["annotations"]["a"] == ""
    assert stored["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "0"}
    assert all(t["key"] for t in stored["spec"]["tolerations"])  # only the defaulted ones
    again = {**stored, "metadata": {**stored["metadata"], "annotations": {"a": None}}}
    again = c.client.update("pods", again, "default")  # the update path decodes the same way
    assert again["metadata"]["annotations"]["a"] == ""


def test_raw_fields_take_anything():
    revision = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": "r", "managedFields": [{"fieldsV1": {"f:spec": {}}}]},
        "data": {"spec": {"anything": [1, "two"]}},
        "revision": 1,
    }
    assert decode(copy.deepcopy(revision)) == (revision, [])


# -- properties ---------------------------------------------------------------------------------

QUANTITY = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False).map(str),
    st.builds(
        lambda n, s: f"{n}{s}",
        st.integers(min_value=0, max_value=10**6),
        st.sampled_from(["", "m", "k", "M", "G", "Ki", "Mi", "Gi"]),
    ),
)


@settings(max_examples=200, deadline=None)
@given(QUANTITY, st.sampled_from(["Strict", "Warn", "Ignore"]))
def test_decode_is_idempotent(quantity, field_validation):
    obj, _ = decode(pod({"resources": {"requests": {"cpu": quantity}}}), field_validation)
    stored = obj["spec"]["containers"][0]["resources"]["requests"]["cpu"]
    assert isinstance(stored, str)
    again = copy.deepcopy(obj)
    assert decode(again, field_validation) == (obj, [])
