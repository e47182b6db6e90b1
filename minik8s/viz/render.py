"""Rendering DOT to SVG, and `Diagram`, the object every builder returns.

Mirrors what `dot -Tsvg` does for upstream's documentation diagrams. The SVG comes from the
pinned `graphviz-pure` program (a Rust port of Graphviz's `dot` that writes the same bytes on
every platform), so notebooks can compare diagrams exactly; a system `dot` is the fallback, with
a one-line warning, because its output differs between versions and machines. Left out: formats
other than SVG, and layout engines other than `dot`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import graphviz

PURE = "graphviz-pure"
SYSTEM = "dot"
TIMEOUT = 60.0  # seconds; a hung renderer must not hang a notebook


class RenderError(RuntimeError):
    """No renderer was found, or it rejected the DOT source."""


@lru_cache(maxsize=1)
def renderer() -> tuple[str, ...]:
    """The command that turns DOT on stdin into SVG on stdout (found once per process).

    `graphviz-pure` is looked up next to the running Python first (a Jupyter kernel's PATH often
    lacks its venv's `bin`), then on PATH; a system `dot` comes last, with a warning.
    """
    beside = Path(sys.executable).parent / (PURE + (".exe" if os.name == "nt" else ""))
    found = str(beside) if beside.is_file() else shutil.which(PURE)
    if found:
        return (found, "-q", "-Tsvg")
    system = shutil.which(SYSTEM)
    if system:
        warnings.warn(
            "minik8s.viz: graphviz-pure not found, rendering with the system `dot` "
            "(SVG may differ between machines); `pip install graphviz-pure==0.2.2` fixes it",
            RuntimeWarning,
            stacklevel=2,
        )
        return (system, "-q", "-Tsvg")
    raise RenderError("minik8s.viz: neither graphviz-pure nor a system `dot` was found")


def render_svg(source: str) -> str:
    """SVG text for DOT `source`; RenderError when the renderer fails."""
    proc = subprocess.run(
        renderer(), input=source.encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=False
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"minik8s.viz: renderer exited with {proc.returncode}: {detail}")
    return proc.stdout.decode("utf-8")


class Diagram:
    """A built diagram: `.source` (DOT), `.svg()` (rendered once), `.save(path)`.

    In Jupyter it shows as SVG; its plain-text form names the diagram and counts its nodes and
    edges, so notebook outputs stay readable and stable.
    """

    def __init__(self, graph: graphviz.Digraph, kind: str, nodes: int, edges: int):
        self.graph = graph
        self.kind = kind
        self.nodes = nodes
        self.edges = edges
        self._svg: str | None = None

    @property
    def source(self) -> str:
        """The DOT source."""
        return self.graph.source

    def svg(self) -> str:
        """The rendered SVG (computed on first use, then cached)."""
        if self._svg is None:
            self._svg = render_svg(self.source)
        return self._svg

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write `.svg` (or `.dot`/`.gv`, by suffix) to `path`; returns the path."""
        target = Path(path)
        text = self.source if target.suffix in (".dot", ".gv") else self.svg()
        target.write_text(text, encoding="utf-8", newline="\n")
        return target

    def __repr__(self) -> str:
        nodes = f"{self.nodes} node" + ("" if self.nodes == 1 else "s")
        edges = f"{self.edges} edge" + ("" if self.edges == 1 else "s")
        return f"<Diagram {self.kind}: {nodes}, {edges}>"

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        bundle = {"text/plain": repr(self)}
        try:
            bundle["image/svg+xml"] = self.svg()
        except RenderError as err:  # show the text form rather than fail the cell
            bundle["text/plain"] += f"\n({err})"
        return bundle
