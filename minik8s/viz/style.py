"""Shared look of every minik8s diagram: fonts, colours, labels, and `Sketch`, a counting builder.

Not an upstream file: it plays the part of the style sheet upstream's documentation diagrams
share. Labels go through `text()`, which pads lines holding CJK characters: the renderer's font
metrics know Latin glyphs only and would measure a Chinese character narrower than it draws, so
boxes would be too tight.
"""

from __future__ import annotations

import contextlib
import html
import math
import unicodedata
from collections.abc import Iterator
from typing import Any

import graphviz

from minik8s.viz.render import Diagram

FONT = "Helvetica"  # has built-in metrics; the SVG names it "Helvetica,sans-Serif"
WIDTH_INCHES = 9.3  # ~900 px at notebook width; larger drawings are scaled down to it
# Deficit of one wide character, in spaces: drawn 1 em, measured 3 bytes x a 0.278 em space.
CJK_SPACE_DEFICIT = (1.0 - 3 * 0.278) / 0.278

# Status colours (fill, border), shared by pods and nodes.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "Running": ("#d4edda", "#2e7d32"),
    "Ready": ("#d4edda", "#2e7d32"),
    "Pending": ("#fff3cd", "#b7791f"),
    "Failed": ("#f8d7da", "#c62828"),
    "NotReady": ("#f8d7da", "#c62828"),
    "Succeeded": ("#dbe9f6", "#1f5f99"),
    "Terminating": ("#e0e0e0", "#757575"),
    "Unknown": ("#e0e0e0", "#757575"),
}
GREY_TEXT = "#9e9e9e"


def colours(status: str) -> tuple[str, str]:
    """(fill, border) for a status word; `Ready,SchedulingDisabled` counts as `Ready`."""
    return STATUS_COLOURS.get(status.split(",")[0], STATUS_COLOURS["Unknown"])


def wide_chars(line: str) -> int:
    """How many East Asian wide or full-width characters `line` holds."""
    return sum(unicodedata.east_asian_width(ch) in ("W", "F") for ch in line)


def pad_cjk(line: str, *, centered: bool = True) -> str:
    """`line` with spaces that make up for the width the renderer misses on CJK characters."""
    spaces = math.ceil(wide_chars(line) * CJK_SPACE_DEFICIT)
    if not spaces:
        return line
    if not centered:
        return line + " " * spaces
    half = math.ceil(spaces / 2)
    return " " * half + line + " " * half


def text(*lines: str) -> str:
    """A plain DOT label of several lines, CJK-padded, joined with DOT's `\\n`."""
    out = []
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("\n", " ")
        out.append(pad_cjk(safe))
    return "\\n".join(out)


def cell(value: Any, **attrs: Any) -> str:
    """One `<TD>` of an HTML-like label, its text escaped and CJK-padded."""
    attr_text = "".join(f' {k.upper()}="{v}"' for k, v in sorted(attrs.items()))
    content = html.escape(pad_cjk(str(value), centered=False))
    return f"<TD{attr_text}>{content}</TD>"


def font(value: str, *, color: str | None = None, size: int | None = None) -> str:
    """Escaped text inside a `<FONT>` tag (for HTML-like labels)."""
    attrs = (f' COLOR="{color}"' if color else "") + (f' POINT-SIZE="{size}"' if size else "")
    return f"<FONT{attrs}>{html.escape(pad_cjk(value, centered=False))}</FONT>"


class _Counts:
    def __init__(self) -> None:
        self.nodes = 0
        self.edges = 0


class Sketch:
    """A `graphviz.Digraph` with the house style that counts what is added; `.diagram()` ends it."""

    def __init__(
        self,
        name: str,
        *,
        rankdir: str = "TB",
        graph: graphviz.Digraph | None = None,
        counts: _Counts | None = None,
        **attrs: str,
    ):
        self.counts = counts or _Counts()
        if graph is not None:
            self.graph = graph
            return
        self.graph = graphviz.Digraph(name)
        base = {"bgcolor": "white", "rankdir": rankdir, "fontname": FONT, "fontsize": "12"}
        base.update({"size": f"{WIDTH_INCHES},20", "newrank": "true", "compound": "true"})
        self.graph.attr("graph", **{k: v for k, v in {**base, **attrs}.items() if v})
        self.graph.attr("node", fontname=FONT, fontsize="11", shape="box", style="rounded")
        self.graph.attr("edge", fontname=FONT, fontsize="9", color="#555555")

    def __repr__(self) -> str:
        return f"<Sketch {self.graph.name}: {self.counts.nodes} nodes, {self.counts.edges} edges>"

    def node(self, node_id: str, label: str, **attrs: str) -> None:
        """Add a node with a label made by `text()` or an HTML-like `<...>` label."""
        self.counts.nodes += 1
        self.graph.node(node_id, label=label, **attrs)

    def edge(self, tail: str, head: str, label: str = "", **attrs: str) -> None:
        """Add an edge; `label` is plain text (CJK-padded)."""
        self.counts.edges += 1
        if label:
            attrs["label"] = text(label)
        self.graph.edge(tail, head, **attrs)

    @contextlib.contextmanager
    def cluster(self, name: str, label: str, **attrs: str) -> Iterator[Sketch]:
        """A boxed subgraph (`cluster_<name>`) whose nodes count toward this sketch."""
        with self.graph.subgraph(name=f"cluster_{name}") as sub:
            sub.attr(**{"label": label, "style": "rounded", "color": "#90a4ae", **attrs})
            yield Sketch(name, graph=sub, counts=self.counts)

    @contextlib.contextmanager
    def same_rank(self) -> Iterator[Sketch]:
        """An invisible subgraph whose nodes share one rank."""
        with self.graph.subgraph() as sub:
            sub.attr(rank="same")
            yield Sketch("rank", graph=sub, counts=self.counts)

    def diagram(self, kind: str) -> Diagram:
        """The finished `Diagram`."""
        return Diagram(self.graph, kind, self.counts.nodes, self.counts.edges)


def note(*lines: str, kind: str = "note") -> Diagram:
    """A one-box diagram carrying a message (what a widget shows when it has nothing to draw)."""
    sketch = Sketch(kind)
    sketch.node("note", text(*lines), style="rounded,dashed")
    return sketch.diagram(kind)
