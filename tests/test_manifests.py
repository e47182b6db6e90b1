"""Every manifest in the course is valid Kubernetes: checked against the real OpenAPI schemas
(`kubernetes-validate`, strict: unknown fields fail too) of the version minik8s reports.

Manifests are found in the notebooks' code cells: YAML in string literals and dict literals that
have `apiVersion` and `kind`. A cell that shows a broken manifest on purpose says so with a
`# invalid on purpose` comment, and one that builds a manifest in steps from a partial literal
says `# partial manifest`; such cells are skipped.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES_VERSION = "1.31"  # the kubeletVersion minik8s nodes report (v1.31.0)
SKIP_MARKS = ("# invalid on purpose", "# partial manifest")
# Kinds minik8s serves that the schemas know under another name, or that are not objects.
NOT_IN_SCHEMAS = {"Binding", "EncryptionConfiguration", "KubeSchedulerConfiguration"}


def _docs_in_string(text: str) -> Iterator[Any]:
    if "apiVersion:" not in text or "kind:" not in text:
        return
    try:
        yield from yaml.safe_load_all(text)
    except yaml.YAMLError:
        return


def manifests_in(source: str) -> Iterator[dict[str, Any]]:
    """Kubernetes objects written literally in a code cell (YAML strings and dict literals)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        candidates: list[Any] = []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            candidates = list(_docs_in_string(node.value))
        elif isinstance(node, ast.Dict):
            try:
                candidates = [ast.literal_eval(node)]
            except (ValueError, SyntaxError, TypeError):
                continue
        for doc in candidates:
            if isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc:
                if isinstance(doc.get("metadata"), dict) and doc["kind"] not in NOT_IN_SCHEMAS:
                    yield doc


def course_manifests() -> list[Any]:
    params = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or any(mark in cell.source for mark in SKIP_MARKS):
                continue
            for doc in manifests_in(cell.source):
                name = doc["metadata"].get("name") or doc["metadata"].get("generateName", "")
                label = f"{path.stem}[{index}]:{doc['kind']}/{name}"
                params.append(pytest.param(doc, id=label))
    return params


MANIFESTS = course_manifests()


def test_the_course_has_manifests():
    assert len(MANIFESTS) >= 20


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_manifest_is_valid_kubernetes(manifest):
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_an_invalid_manifest_is_caught():
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}
    bad["spec"] = {"replicas": "three", "selector": {}, "template": {}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBERNETES_VERSION, strict=True)
    found = list(manifests_in('x = """\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"""'))
    assert found == [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]
