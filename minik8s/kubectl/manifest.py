"""Reading manifests the way `kubectl apply -f` does.

Mirrors apimachinery `util/yaml/decoder.go` (`YAMLReader`: documents split on `---` lines, empty
documents skipped), `sigs.k8s.io/yaml` (YAML → JSON, its error wording `error converting YAML to
JSON: yaml: line N: ...` with go-yaml's line numbering) and the kind checks of the JSON serializer
(`Object 'Kind' is missing in '<json>'`). Leaves out JSON streams of several objects, URLs,
kustomize directories and `--recursive`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any

import yaml

Obj = dict[str, Any]
Source = str | os.PathLike | Obj | Iterable[Any]

_EXTENSIONS = (".yaml", ".yml", ".json")

# PyYAML's wording -> libyaml/go-yaml's (go-yaml is a port of libyaml).
_PROBLEMS = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("that cannot start any token", "found character that cannot start any token"),
    ("expected <block end>, but found", "did not find expected key"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("found undefined alias", "unknown anchor"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
)


class ManifestError(ValueError):
    """A manifest kubectl would refuse, worded as kubectl prints it (`error: ...`)."""


def _go_problem(problem: str) -> str:
    for ours, theirs in _PROBLEMS:
        if ours in problem:
            return theirs
    return problem


def _yaml_error(name: str, err: yaml.YAMLError) -> ManifestError:
    mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    problem = _go_problem(getattr(err, "problem", None) or str(err))
    line = 0
    if mark is not None and mark.line != 0:
        # go-yaml: scanner errors count lines from 1, parser errors report the 0-based line
        line = mark.line + 1 if isinstance(err, yaml.scanner.ScannerError) else mark.line
    elif context_mark is not None:
        line = context_mark.line
    where = f"line {line}: " if line else ""
    return ManifestError(
        f"error: error parsing {name}: error converting YAML to JSON: yaml: {where}{problem}"
    )


def split_documents(text: str) -> list[str]:
    """`YAMLReader.Read`: chunks between `---` separator lines (comments may follow `---`)."""
    docs: list[str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise ManifestError(f"error: invalid Yaml document separator: {rest}")
            if current:
                docs.append("".join(current))
            current = []
            continue
        current.append(line)
    if current:
        docs.append("".join(current))
    return docs


def _check_object(doc: Any, name: str) -> Obj:
    data = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    if not isinstance(doc, dict):
        go_type = {list: "array", str: "string", bool: "bool"}.get(type(doc), "number")
        raise ManifestError(
            f'error: unable to decode "{name}": json: cannot unmarshal {go_type} into Go value '
            'of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
            'Kind string "json:\\"kind,omitempty\\"" }'
        )
    if not doc.get("kind"):
        raise ManifestError(
            f"error: unable to decode \"{name}\": Object 'Kind' is missing in '{data}'"
        )
    if not doc.get("apiVersion"):
        raise ManifestError(
            f"error: unable to decode \"{name}\": Object 'apiVersion' is missing in '{data}'"
        )
    return doc


def _expand(doc: Obj, name: str) -> list[Obj]:
    if doc.get("kind") == "List" or (doc.get("kind", "").endswith("List") and "items" in doc):
        out: list[Obj] = []
        for item in doc.get("items") or []:
            out.extend(_expand(_check_object(item, name), name))
        return out
    return [doc]


def _as_json(value: Any) -> Any:
    """What `sigs.k8s.io/yaml` sends for a YAML value: Go's `json.Marshal` writes an integral
    float64 without a fraction (`2.0` → `2`), so it decodes into an integer field."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def parse_text(text: str, name: str = "STDIN") -> list[Obj]:
    """Every object in YAML or JSON text, `---` documents in order, `kind: List` expanded."""
    objects: list[Obj] = []
    for chunk in split_documents(text):
        try:
            doc = yaml.safe_load(chunk)
        except yaml.YAMLError as err:
            raise _yaml_error(name, err) from None
        if doc is None:
            continue
        objects.extend(_expand(_check_object(_as_json(doc), name), name))
    return objects


def _files(path: str) -> list[str]:
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith(_EXTENSIONS))
        return [os.path.join(path, n) for n in names]
    if not os.path.exists(path):
        raise ManifestError(f'error: the path "{path}" does not exist')
    return [path]


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and bool(re.search(r"\.(ya?ml|json)$", text) or os.path.isdir(text))


def load_manifests_with_source(source: Source, name: str = "STDIN") -> list[tuple[Obj, str]]:
    """Like `load_manifests`, pairing each object with where it came from (file or `STDIN`)."""
    if isinstance(source, dict):
        return [(obj, name) for obj in _expand(_check_object(source, name), name)]
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        out: list[tuple[Obj, str]] = []
        for path in _files(os.fspath(source)):
            with open(path, encoding="utf-8") as f:
                out.extend((obj, path) for obj in parse_text(f.read(), path))
        return out
    if isinstance(source, str):
        return [(obj, name) for obj in parse_text(source, name)]
    result: list[tuple[Obj, str]] = []
    for item in source:
        result.extend(load_manifests_with_source(item, name))
    return result


def load_manifests(source: Source) -> list[Obj]:
    """Objects from YAML/JSON text, a .yaml/.yml/.json file, a directory, a dict, or a list."""
    return [obj for obj, _ in load_manifests_with_source(source)]
