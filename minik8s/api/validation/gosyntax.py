"""Bad values that upstream's field errors print with Go's `%#v` (`field.Error.ErrorBody`'s
fallback for structs and slices): `core.PodIP{IP:"1.1.1.1"}`, `[]core.PodIP{...}`.

`GoSyntax` carries that text to `minik8s.api.field.FieldError`, which prints an int with `str`.
"""

from __future__ import annotations

import json


class GoSyntax(int):
    """A bad value printed as the Go literal `text`."""

    text: str

    def __new__(cls, text: str) -> GoSyntax:
        value = super().__new__(cls, 0)
        value.text = text
        return value

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"GoSyntax({self.text!r})"


def go_struct(type_name: str, **fields: str) -> str:
    """`%#v` of a struct of string fields, in the given order: `core.HostIP{IP:"1.2.3.4"}`."""
    body = ", ".join(f"{name}:{json.dumps(value)}" for name, value in fields.items())
    return f"{type_name}{{{body}}}"


def go_slice(type_name: str, items: list[str]) -> str:
    """`%#v` of a slice whose items are already Go literals: `[]core.PodIP{core.PodIP{...}}`."""
    return f"[]{type_name}{{{', '.join(items)}}}"
