"""What every minik8s widget shares: a view that shows a Diagram, and display delegation.

Not an upstream file (Kubernetes has no notebook widgets; `kubectl` and the dashboard play this
part). The logic of each widget is plain methods that return a `Diagram` or text and update an
`ipywidgets.HTML` view, so tests drive them without a browser.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from minik8s.viz.render import Diagram, RenderError


def diagram_html(diagram: Diagram) -> str:
    """The diagram as an HTML fragment (inline SVG); its text form when it cannot render."""
    try:
        return f'<div class="minik8s-diagram">{diagram.svg()}</div>'
    except RenderError as err:
        return f"<pre>{html.escape(repr(diagram))}\n{html.escape(str(err))}</pre>"


def pre(text: str) -> str:
    """Monospace HTML for trace lines and messages."""
    return f'<pre style="margin:0">{html.escape(text)}</pre>'


def hidden(control: widgets.Widget, hide: bool) -> widgets.Widget:
    """Hide (or show) a control; returns it."""
    control.layout.display = "none" if hide else None
    return control


class WidgetPanel:
    """Base class: `self.view` shows the last diagram, `self.widget` is what a notebook displays."""

    def __init__(self) -> None:
        self.view = widgets.HTML()
        self.message = widgets.HTML()
        self.last: Diagram | None = None
        self.widget: widgets.Widget = widgets.VBox([self.message, self.view])

    def show(self, diagram: Diagram, message: str = "") -> Diagram:
        """Put `diagram` (and a message line) in the view; returns the diagram."""
        self.last = diagram
        self.view.value = diagram_html(diagram)
        self.message.value = pre(message) if message else ""
        return diagram

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
