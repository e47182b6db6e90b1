"""Field paths and field errors, worded exactly like apimachinery's `util/validation/field`.

`Path("spec").child("containers").index(0).child("image")` prints `spec.containers[0].image`;
`invalid(path, -1, "must be greater than or equal to 0")` prints
`spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

OMIT = object()  # "no bad value to print", upstream's omitValue


_new_path = object.__new__


class Path:
    """An immutable path to a field, like upstream's `field.Path`.

    Built lazily: `child`, `index` and `key` only link to their parent; the text is joined the
    first time it is printed (validators build many paths and report few of them)."""

    __slots__ = ("_parent", "_part", "_text")

    def __init__(self, *names: str):
        self._parent: Path | None = None
        self._part = ""
        self._text: str | None = ".".join(names)

    def child(self, name: str, *more: str) -> Path:
        path = _new_path(Path)  # a link to this path; the text is joined when printed
        part = "." + (".".join((name, *more)) if more else name)
        path._parent, path._part, path._text = self, part, None
        return path

    def index(self, i: int) -> Path:
        path = _new_path(Path)
        path._parent, path._part, path._text = self, f"[{i}]", None
        return path

    def key(self, k: str) -> Path:
        path = _new_path(Path)
        path._parent, path._part, path._text = self, f"[{k}]", None
        return path

    def __str__(self) -> str:
        text = self._text
        if text is None:
            parent = str(self._parent)
            # `_part` is ".name" or "[i]"; a child of the empty path drops its leading "."
            text = parent + self._part if parent or self._part[0] == "[" else self._part[1:]
            self._text = text
        return text

    def __repr__(self) -> str:
        return f"Path({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash(str(self))


def _go_value(value: Any) -> str:
    """Print a bad value the way Go's fmt does in upstream's ErrorBody."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class FieldError:
    """One problem at one field: `type` is upstream's ErrorType text ("Invalid value", ...)."""

    type: str
    field: str
    bad_value: Any = OMIT
    detail: str = ""

    def body(self) -> str:
        if self.type in ("Required value", "Forbidden", "Too long", "Internal error"):
            text = self.type
        elif self.bad_value is OMIT:
            text = self.type
        else:
            text = f"{self.type}: {_go_value(self.bad_value)}"
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"

    def cause(self) -> dict[str, str]:
        """The metav1.StatusCause upstream puts in an Invalid error's details."""
        reason = {
            "Not found": "FieldValueNotFound",
            "Required value": "FieldValueRequired",
            "Duplicate value": "FieldValueDuplicate",
            "Invalid value": "FieldValueInvalid",
            "Unsupported value": "FieldValueNotSupported",
            "Forbidden": "FieldValueForbidden",
            "Too long": "FieldValueTooLong",
            "Too many": "FieldValueTooMany",
            "Internal error": "InternalError",
        }.get(self.type, "FieldValueInvalid")
        return {"reason": reason, "message": self.body(), "field": self.field}


def required(path: Path | str, detail: str = "") -> FieldError:
    return FieldError("Required value", str(path), OMIT, detail)


def invalid(path: Path | str, value: Any, detail: str = "") -> FieldError:
    return FieldError("Invalid value", str(path), value, detail)


def not_supported(
    path: Path | str, value: Any, supported: list[str] | tuple[str, ...]
) -> FieldError:
    detail = ""
    if supported:
        detail = "supported values: " + ", ".join(json.dumps(s) for s in supported)
    return FieldError("Unsupported value", str(path), value, detail)


def duplicate(path: Path | str, value: Any) -> FieldError:
    return FieldError("Duplicate value", str(path), value)


def forbidden(path: Path | str, detail: str) -> FieldError:
    return FieldError("Forbidden", str(path), OMIT, detail)


def not_found(path: Path | str, value: Any) -> FieldError:
    return FieldError("Not found", str(path), value)


def too_long(path: Path | str, value: Any, max_length: int) -> FieldError:
    return FieldError("Too long", str(path), value, f"may not be more than {max_length} bytes")


def too_many(path: Path | str, actual: int, max_items: int) -> FieldError:
    return FieldError("Too many", str(path), actual, f"must have at most {max_items} items")


def internal(path: Path | str, detail: str) -> FieldError:
    return FieldError("Internal error", str(path), OMIT, detail)


def dedupe(errors: list[FieldError]) -> list[FieldError]:
    """The errors in order, each text once."""
    seen: dict[str, FieldError] = {}
    for error in errors:
        seen.setdefault(str(error), error)
    return list(seen.values())


def aggregate(errors: list[FieldError]) -> str:
    """`errs.ToAggregate().Error()`: one message, or `[a, b]`, duplicates dropped."""
    seen: list[str] = []
    for error in errors:
        text = str(error)
        if text not in seen:
            seen.append(text)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"
