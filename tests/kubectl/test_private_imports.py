"""No kubectl module imports another module's private (`_name`) helpers: a name shared between
modules is public, with a docstring."""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib

import minik8s.kubectl

KUBECTL = "minik8s.kubectl"
PACKAGE = pathlib.Path(minik8s.kubectl.__file__).parent


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(KUBECTL):
                found += [(path.name, node.module or "", a.name) for a in node.names]
    return found


def test_no_private_names_imported_across_modules() -> None:
    private = [f"{file}: {module}.{name}" for file, module, name in _imports() if name[0] == "_"]
    assert private == []


def test_shared_kubectl_functions_have_docstrings() -> None:
    missing = []
    for _, module, name in _imports():
        value = getattr(importlib.import_module(module), name, None)  # None: a submodule
        if inspect.isfunction(value) and not inspect.getdoc(value):
            missing.append(f"{module}.{name}")
    assert missing == []


def test_the_renamed_helpers_keep_their_behaviour() -> None:
    from minik8s.kubectl.cli import Args
    from minik8s.kubectl.commands_create import get_dry_run_strategy, name_from_command_args
    from minik8s.kubectl.printers import list_with_more_string

    assert get_dry_run_strategy(Args("x", flags={"dry-run": True})) == "client"
    assert get_dry_run_strategy(Args("x")) == "none"
    assert name_from_command_args(["web"], "create deployment") == "web"
    assert list_with_more_string(["a", "b", "c", "d"], 4) == "a,b,c + 1 more..."
    assert list_with_more_string([], 0) == "<unset>"
