"""The decode step of a write: a JSON body read into the kind's Go struct, as upstream does it.

Mirrors `k8s.io/apimachinery/pkg/runtime/serializer/json` (strict decoding through
`sigs.k8s.io/json`, itself `encoding/json`), the `UnmarshalJSON` of `resource.Quantity`,
`intstr.IntOrString` and `metav1.Time`, and `transformDecodeError` + the field validation
directives of `k8s.io/apiserver/pkg/endpoints/handlers/create.go` (KEP-2885):

- Strict: an unknown field is a BadRequest `Deployment in version "v1" cannot be handled as a
  Deployment: strict decoding error: unknown field "spec.replica"` (several joined with ", ").
- Warn (the server's default): unknown fields are dropped and returned as warnings.
- Ignore: unknown fields are dropped silently.
- Always: a value of the wrong JSON type is a BadRequest worded like Go's `UnmarshalTypeError`
  (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.
  containerPort of type int32`), and quantities are stored in canonical form (`"0.5"` -> `"500m"`,
  `1.5` -> `"1500m"`), a malformed one rejected with `ParseQuantity`'s error.

One pass over the object, one set or dict lookup per field (a patch's untouched fields skipped).
Left out: duplicate keys (a dict has none), Go's case-insensitive matching (Kubernetes decodes
case-sensitively too), parsing `metav1.Time` strings (any string passes), and Go names of named
string types (`v1.Protocol` reads `string`).
`null` is decoded as Go decodes it into the struct: a list, map or struct field that is `null`
is dropped (a nil slice, map or pointer, omitted on output), a `null` list or map element
becomes the element type's zero value (`""`, `0`, `false`, `"0"` for a quantity, `{}` for a
struct), and a `null` scalar field is dropped too (Go leaves it zero, and `omitempty`, which
nearly every optional field has, omits it), but for a `metav1.Time`, whose zero value Go writes
as `null` again. Left out: the few scalar fields without `omitempty`, where Go writes the zero
value (`0`, `""`) instead of omitting it.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from minik8s.api.errors import BadRequest
from minik8s.api.quantity import parse_quantity
from minik8s.api.schema import STRUCTS, go_struct_name, go_type, kind_struct
from minik8s.api.validation.config import go_base64_decode

Obj = dict[str, Any]

FIELD_VALIDATION = ("Strict", "Warn", "Ignore")
MAX_STRICT_ERRORS = 100  # sigs.k8s.io/json keeps at most 100 strict errors

# Type codes of a compiled field type, in the order of `SCALARS`, then the composite ones.
SCALARS = ("string", "int32", "int64", "bool", "float64", "bytes", "quantity", "intstr", "time")
STRING, INT32, INT64, BOOL, FLOAT, BYTES, QUANTITY, INTSTR, TIME, RAW, STRUCT, LIST, MAP = range(13)
_CODES = {**{name: code for code, name in enumerate(SCALARS)}, "raw": RAW}
_LIMITS = {INT32: (-(2**31), 2**31 - 1), INT64: (-(2**63), 2**63 - 1)}


class Struct:
    """A compiled Go struct: its name and, per JSON field name, the compiled field type."""

    __slots__ = ("name", "fields", "strings")

    def __init__(self, name: str):
        self.name = name
        self.fields: dict[str, Node] = {}
        # the fields a string decodes to itself (string, metav1.Time, IntOrString)
        self.strings: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"<Struct {self.name} ({len(self.fields)} fields)>"


# A compiled field type: (code, Go type string for messages, Struct or element Node or None).
Node = tuple[int, str, Any]


# Field types whose string value is decoded as it is: nothing to check, nothing to change.
_AS_IS = frozenset({"string", "time", "intstr"})


def _compile_all() -> dict[str, Struct]:
    structs = {sid: Struct(go_struct_name(sid)) for sid in STRUCTS}
    for sid, fields in STRUCTS.items():
        structs[sid].fields = {name: _node(kind, structs) for name, kind in fields.items()}
        structs[sid].strings = frozenset(n for n, kind in fields.items() if kind in _AS_IS)
    return structs


def _node(kind: str, structs: dict[str, Struct]) -> Node:
    if kind in _CODES:
        return (_CODES[kind], go_type(kind), None)
    if kind.startswith("[]"):
        return (LIST, go_type(kind), _node(kind[2:], structs))
    if kind.startswith("map[string]"):
        return (MAP, go_type(kind), _node(kind[11:], structs))
    return (STRUCT, go_type(kind), structs[kind])


_STRUCTS = _compile_all()


class _Fatal(Exception):
    """An error upstream's decoder returns at once (from an `UnmarshalJSON`)."""


def _json_kind(value: Any, numbers: bool = False) -> str:
    """The JSON kind Go's `UnmarshalTypeError.Value` names; with `numbers`, a number's text
    too (`number 1.5`), as for an integer target."""
    kind = type(value)
    if kind is str:
        return "string"
    if kind is bool:
        return "bool"
    if kind is dict:
        return "object"
    if kind is list or kind is tuple:
        return "array"
    return f"number {json.dumps(value)}" if numbers else "number"


_CANONICAL: dict[str, str] = {}


def canonical_quantity(text: str) -> str:
    """`str(parse_quantity(text))`, cached; ValueError with upstream's message if malformed."""
    canonical = _CANONICAL.get(text)
    if canonical is None:
        canonical = str(parse_quantity(text))
        if len(_CANONICAL) >= 4096:
            _CANONICAL.clear()
        _CANONICAL[text] = canonical
    return canonical


# A field path, built only as a chain of (parent, segment, how) and spelled out on an error:
# `how` is FIELD (a struct field), INDEX (a list element) or KEY (a map key).
FIELD, INDEX, KEY = 0, 1, 2
Path = Any  # tuple[Path, str | int, int] | None


def _spell(path: Path) -> tuple[str, str]:
    """(the strict path `spec.containers[0].x`, Go's field stack `spec.containers.x`)."""
    parts: list[tuple[Any, int]] = []
    while path is not None:
        path, segment, how = path
        parts.append((segment, how))
    strict, stack = "", []
    for segment, how in reversed(parts):
        if how == INDEX:
            strict += f"[{segment}]"
            continue
        strict = f"{strict}.{segment}" if strict else str(segment)
        if how == FIELD:
            stack.append(str(segment))
    return strict, ".".join(stack)


class _Decoder:
    """One decode: the first type error, the strict errors, and the walk that finds them."""

    __slots__ = ("error", "strict", "seen")

    def __init__(self) -> None:
        self.error: str | None = None
        self.strict: list[str] = []
        self.seen: set[str] = set()

    def mismatch(self, what: str, node: Node, st: Struct, path: Path) -> None:
        """Save Go's `UnmarshalTypeError` (only the first one is reported, like `saveError`)."""
        if self.error is None:
            self.error = _type_error(what, node[1], st, path)

    def unknown(self, path: Path) -> None:
        message = f'unknown field "{_spell(path)[0]}"'
        if message not in self.seen and len(self.strict) < MAX_STRICT_ERRORS:
            self.seen.add(message)
            self.strict.append(message)

    def struct(self, st: Struct, obj: Obj, path: Path, skip: Collection[str] = ()) -> None:
        """Decode `obj` into `st`: fields checked in order, unknown ones dropped, those in
        `skip` left as they are."""
        fields, strings = st.fields, st.strings
        drop: list[str] | None = None
        for key, value in obj.items():
            if (type(value) is str and key in strings) or (skip and key in skip):
                continue  # a string where a string decodes as it is: nothing to decode
            node = fields.get(key)
            if node is None:
                self.unknown((path, key, FIELD))
                if drop is None:
                    drop = []
                drop.append(key)
                continue
            code, kind = node[0], type(value)
            if value is None:  # Go leaves the field nil or zero: omitted on output (omitempty)
                if code != TIME:  # but a zero `metav1.Time` is written as `null` again
                    if drop is None:
                        drop = []
                    drop.append(key)
                continue
            if code == STRING:
                if kind is not str:
                    self.mismatch(_json_kind(value), node, st, (path, key, FIELD))
            elif code == STRUCT:
                if kind is dict:
                    self.struct(node[2], value, (path, key, FIELD))
                else:
                    self.mismatch(_json_kind(value), node, st, (path, key, FIELD))
            elif code == LIST and kind is list:
                self.items(node[2], value, st, (path, key, FIELD))
            elif code == INT32 and kind is int and -(2**31) <= value < 2**31:
                continue
            elif (code == BOOL and kind is bool) or (code == TIME and kind is str):
                continue
            elif code == MAP and kind is dict:
                self.entries(node[2], value, st, (path, key, FIELD))
            else:
                new = self.value(node, value, st, (path, key, FIELD))
                if new is not value:
                    obj[key] = new
        if drop:
            for key in drop:
                del obj[key]

    def items(self, elem: Node, values: list[Any], st: Struct, path: Path) -> None:
        """A list's elements, in order."""
        code = elem[0]
        for i, item in enumerate(values):
            kind = type(item)
            if code == STRUCT and kind is dict:
                self.struct(elem[2], item, (path, i, INDEX))
            elif code == STRING and kind is str:
                continue
            elif item is None:
                values[i] = _zero(code)
            else:
                new = self.value(elem, item, st, (path, i, INDEX))
                if new is not item:
                    values[i] = new

    def entries(self, elem: Node, values: Obj, st: Struct, path: Path) -> None:
        """A map's values, in order."""
        code = elem[0]
        for key, item in values.items():
            if code == STRING and type(item) is str:
                continue
            if item is None:
                values[key] = _zero(code)
                continue
            new = self.value(elem, item, st, (path, key, KEY))
            if new is not item:
                values[key] = new

    def value(self, node: Node, value: Any, st: Struct, path: Path) -> Any:
        """Decode one non-null value of type `node`; returns it (or its canonical form)."""
        code, kind = node[0], type(value)
        if code == QUANTITY:
            return _quantity(value)
        if code == STRUCT and kind is dict:
            self.struct(node[2], value, path)
        elif code == LIST and kind is list:
            self.items(node[2], value, st, path)
        elif code == MAP and kind is dict:
            self.entries(node[2], value, st, path)
        elif code == INT32 or code == INT64:
            low, high = _LIMITS[code]
            if kind is not int or not low <= value <= high:
                self.mismatch(_json_kind(value, numbers=True), node, st, path)
        elif code == INTSTR:
            if kind is not str and (kind is not int or not -(2**31) <= value < 2**31):
                raise _Fatal(_type_error(_json_kind(value, True), "int32", st, path))
        elif code == TIME:
            if kind is not str:
                raise _Fatal(_type_error(_json_kind(value), "string", st, path))
        elif code == BYTES:
            if kind is not str:
                self.mismatch(_json_kind(value), node, st, path)
            elif self.error is None:
                self.error = go_base64_decode(value)[1]
        elif kind not in _ACCEPTS[code]:  # a string, bool, float64, struct, list or map
            self.mismatch(_json_kind(value), node, st, path)
        return value


# The Python types a value of a string, bool, float64 or raw field may have; a struct, list or
# map that gets here is not a dict or a list.
_ACCEPTS: dict[int, tuple[type, ...]] = {STRING: (str,), BOOL: (bool,), FLOAT: (int, float)}
_ACCEPTS.update({RAW: (str, int, float, bool, dict, list), STRUCT: (), LIST: (), MAP: ()})


# The JSON form of a Go zero value, for a `null` list or map element (Go decodes it into a
# zero element): `Quantity.UnmarshalJSON("null")` gives 0, `IntOrString`'s gives the int 0; a
# zero `[]byte`, `metav1.Time`, raw value, slice or map marshals as `null` again.
_ZEROS: dict[int, Any] = {STRING: "", INT32: 0, INT64: 0, BOOL: False, FLOAT: 0, QUANTITY: "0"}
_ZEROS.update({INTSTR: 0, BYTES: None, TIME: None, RAW: None, LIST: None, MAP: None})


def _zero(code: int) -> Any:
    """The decoded zero value of a type code (a fresh `{}` for a struct)."""
    return {} if code == STRUCT else _ZEROS[code]


def _type_error(what: str, type_name: str, st: Struct, path: Path) -> str:
    """Go's `UnmarshalTypeError` with the context `addErrorContext` gives it: the innermost
    struct's name and the field stack (no list indices, no map keys)."""
    return (
        f"json: cannot unmarshal {what} into Go struct field {st.name}.{_spell(path)[1]} "
        f"of type {type_name}"
    )


def _quantity(value: Any) -> str:
    """`Quantity.UnmarshalJSON`: a string or any other JSON text parsed; the canonical string."""
    text = value.strip() if type(value) is str else json.dumps(value)
    try:
        return canonical_quantity(text)
    except ValueError as error:
        raise _Fatal(str(error)) from None


def decode(
    obj: Obj, field_validation: str = "Strict", skip: Collection[str] = ()
) -> tuple[Obj, list[str]]:
    """Decode a write's body into its kind: (the object, warnings); BadRequest like upstream.

    Mutates `obj` (the server's private copy): unknown fields dropped, quantities canonical.
    A kind minik8s does not know comes back unchanged. `skip`: top-level fields the caller
    knows hold decoded values (a patch's untouched fields, copied from the stored object:
    decoding is idempotent, so walking them would change nothing and find nothing)."""
    if field_validation not in FIELD_VALIDATION:
        raise ValueError(f"unsupported field validation {field_validation!r}")
    api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
    sid = kind_struct(api_version, kind)
    if sid is None:
        return obj, []
    decoder = _Decoder()
    try:
        decoder.struct(_STRUCTS[sid], obj, None, skip)
        error = decoder.error
    except _Fatal as fatal:
        error = str(fatal)
    if error is None and decoder.strict and field_validation == "Strict":
        error = "strict decoding error: " + ", ".join(decoder.strict)
    if error is not None:
        version = api_version.rsplit("/", 1)[-1]
        raise BadRequest(f'{kind} in version "{version}" cannot be handled as a {kind}: {error}')
    return obj, decoder.strict if field_validation == "Warn" else []
