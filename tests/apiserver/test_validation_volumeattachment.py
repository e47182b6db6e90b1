"""VolumeAttachment validation: rows ported from upstream `TestVolumeAttachmentValidation`,
`TestVolumeAttachmentValidationV1` and `TestVolumeAttachmentUpdateValidation`
(`pkg/apis/storage/validation/validation_test.go`), and the `/status` write."""

import copy
from typing import Any

import pytest

from minik8s.api.errors import Invalid
from minik8s.api.validation import validate_object, validate_object_update
from minik8s.apiserver.status_strategy import validate_status_update

Obj = dict[str, Any]
META_SIZE = 256 * (1 << 10)


def va(name="foo", attacher="myattacher", node="mynode", pv="pv-name", status=None) -> Obj:
    source: Obj = {} if pv is None else {"persistentVolumeName": pv}
    obj: Obj = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "VolumeAttachment",
        "metadata": {"name": name},
        "spec": {"attacher": attacher, "source": source, "nodeName": node},
    }
    if status is not None:
        obj["status"] = status
    return obj


INLINE = {"csi": {"driver": "com.test.foo", "volumeHandle": "h"}, "accessModes": ["ReadWriteOnce"]}

VALID = [
    va(),
    {
        **va("foo-with-inlinespec", pv=None),
        "spec": {**va(pv=None)["spec"], "source": {"inlineVolumeSpec": INLINE}},
    },
    va(
        "foo-with-status",
        status={
            "attached": True,
            "attachmentMetadata": {"foo": "bar"},
            "attachError": {"message": "hello world"},
            "detachError": {"message": "hello world"},
        },
    ),
]


@pytest.mark.parametrize("obj", VALID, ids=lambda o: o["metadata"]["name"])
def test_valid_volume_attachments(obj: Obj) -> None:
    assert validate_object(obj) == []


ERROR_ROWS = [
    (
        "empty attacher name",
        va(attacher=""),
        [
            "spec.attacher: Required value",
            "spec.attacher: Required value",
            'spec.attacher: Invalid value: "": a lowercase',
        ],
    ),
    ("empty node name", va(node=""), ['spec.nodeName: Invalid value: "": ']),
    (
        "no volume name",
        va(pv=None),
        [
            "spec.source: Required value: must specify exactly one of inlineVolumeSpec and "
            "persistentVolumeName"
        ],
    ),
    (
        "empty volume name",
        va(pv=""),
        [
            "spec.source.persistentVolumeName: Required value: must specify non empty "
            "persistentVolumeName",
            'spec.source.persistentVolumeName: Invalid value: "": a lowercase',
        ],
    ),
    (
        "too long error message",
        va(status={"attachError": {"message": "a" * 1025}}),
        [f"status.attachError.message: Too long: may not be more than {META_SIZE} bytes"],
    ),
    (
        "too long metadata",
        va(status={"attachmentMetadata": {"foo": "a" * META_SIZE}}),
        [f"status.attachmentMetadata: Too long: may not be more than {META_SIZE} bytes"],
    ),
    (
        "both sources",
        {
            **va(),
            "spec": {
                **va()["spec"],
                "source": {"persistentVolumeName": "pv", "inlineVolumeSpec": INLINE},
            },
        },
        [
            "spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and "
            "persistentVolumeName"
        ],
    ),
    # TestVolumeAttachmentValidationV1
    (
        "invalid attacher (v1)",
        va(attacher="invalid!@#$%^&*()"),
        ['spec.attacher: Invalid value: "invalid!@#$%^&*()": '],
    ),
    (
        "invalid volume name (v1)",
        va(pv="invalid!@#$%^&*()"),
        ['spec.source.persistentVolumeName: Invalid value: "invalid!@#$%^&*()": '],
    ),
]


@pytest.mark.parametrize("row", ERROR_ROWS, ids=[r[0] for r in ERROR_ROWS])
def test_volume_attachment_errors(row) -> None:
    _, obj, prefixes = row
    errs = [str(e) for e in validate_object(obj)]
    assert len(errs) == len(prefixes), errs
    for err, prefix in zip(errs, prefixes, strict=True):
        assert err.startswith(prefix)


def test_update_keeps_the_spec() -> None:
    """TestVolumeAttachmentUpdateValidation: the spec may not change, the status may."""
    old = va()
    old["metadata"]["resourceVersion"] = "1"
    status_change = copy.deepcopy(old)
    status_change["status"] = {"attached": True, "attachmentMetadata": {"foo": "bar"}}
    assert validate_object_update(status_change, old) == []
    for field, value in (
        ("attacher", "other"),
        ("nodeName", "other"),
        ("source", {"persistentVolumeName": "x"}),
    ):
        new = copy.deepcopy(old)
        new["spec"][field] = value
        errs = [str(e) for e in validate_object_update(new, old)]
        assert len(errs) == 1 and errs[0].startswith("spec: Invalid value: ")
        assert errs[0].endswith(": field is immutable")


def test_status_update_validates_the_status() -> None:
    old = va()
    old["metadata"]["resourceVersion"] = "1"
    new = copy.deepcopy(old)
    new["status"] = {"attachError": {"message": "x" * 2000}}  # (resourceVersion kept)
    assert [str(e) for e in validate_status_update("VolumeAttachment", new, old)] == [
        f"status.attachError.message: Too long: may not be more than {META_SIZE} bytes"
    ]


def test_status_write_through_the_server(env) -> None:
    created = env.client.create("volumeattachments", va())
    body = {**created, "status": {"attached": False, "detachError": {"message": "y" * 1025}}}
    with pytest.raises(Invalid) as err:
        env.client.update_status("volumeattachments", body)
    assert err.value.message == (
        'VolumeAttachment.storage.k8s.io "foo" is invalid: status.detachError.message: '
        f"Too long: may not be more than {META_SIZE} bytes"
    )
    ok = env.client.update_status("volumeattachments", {**created, "status": {"attached": True}})
    assert ok["status"] == {"attached": True}


def test_create_through_the_server_is_422(env) -> None:
    with pytest.raises(Invalid) as err:
        env.client.create("volumeattachments", va(attacher=""))
    assert err.value.message.startswith(
        'VolumeAttachment.storage.k8s.io "foo" is invalid: [spec.attacher: Required value, '
        'spec.attacher: Invalid value: "": a lowercase RFC 1123 subdomain'
    )
