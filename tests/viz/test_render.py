"""Rendering: graphviz-pure output, determinism, CJK text, the Diagram wrapper and its fallback."""

from __future__ import annotations

import re
import time
import warnings

import graphviz
import pytest

from minik8s.viz import render
from minik8s.viz.render import Diagram, RenderError, render_svg
from minik8s.viz.style import Sketch, note, pad_cjk, text, wide_chars


def small() -> Diagram:
    sketch = Sketch("t")
    sketch.node("api", text("kube-apiserver", "API 服务器"))
    sketch.node("etcd", text("etcd"))
    sketch.edge("api", "etcd", "only client")
    return sketch.diagram("small")


def test_renders_with_graphviz_pure():
    assert "graphviz-pure" in render.renderer()[0]
    svg = small().svg()
    assert svg.startswith("<?xml")
    assert "(graphviz-pure)" in svg
    assert 'fill="white"' in svg  # white background, for dark notebook themes


def test_same_input_same_bytes():
    first, second = small(), small()
    assert first.source == second.source
    assert first.svg() == second.svg()
    assert render_svg(first.source) == render_svg(second.source)


def test_cjk_text_is_in_the_svg_with_room_for_it():
    svg = small().svg()
    assert "API 服务器" in svg
    assert 'font-family="Helvetica,sans-Serif"' in svg
    # The box holding the CJK line is wider than the characters at 1 em each (14 pt).
    api = svg[svg.index("<title>api</title>") :]
    xs = [float(x) for x in re.findall(r"(-?[\d.]+),-?[\d.]+", api.split("</g>")[0])]
    assert max(xs) - min(xs) >= len("API ") * 7 + 3 * 14


def test_pad_cjk_adds_spaces_only_for_wide_characters():
    assert wide_chars("API 服务器") == 3
    assert pad_cjk("kube-apiserver") == "kube-apiserver"
    padded = pad_cjk("服务器")
    assert padded.strip() == "服务器" and padded.startswith(" ") and padded.endswith(" ")
    assert pad_cjk("中", centered=False) == "中 "
    assert pad_cjk("中文字典五", centered=False) == "中文字典五" + " " * 3


def test_text_escapes_backslashes_and_joins_lines():
    assert text("a\\b", "c") == "a\\\\b\\nc"


def test_repr_and_mimebundle():
    diagram = small()
    assert repr(diagram) == "<Diagram small: 2 nodes, 1 edge>"
    bundle = diagram._repr_mimebundle_()
    assert bundle["text/plain"] == repr(diagram)
    assert bundle["image/svg+xml"] == diagram.svg()
    assert diagram._repr_svg_() == diagram.svg()
    assert repr(note("x")) == "<Diagram note: 1 node, 0 edges>"


def test_save_svg_and_dot(tmp_path):
    diagram = small()
    assert diagram.save(tmp_path / "a.svg").read_text(encoding="utf-8") == diagram.svg()
    assert diagram.save(tmp_path / "a.dot").read_text(encoding="utf-8") == diagram.source


def test_readable_width_and_background_in_source():
    source = small().source
    assert "bgcolor=white" in source
    assert 'size="9.3,20"' in source


def test_bad_source_raises_render_error():
    with pytest.raises(RenderError, match="renderer exited"):
        render_svg("digraph { a -> }")


def test_falls_back_to_system_dot_with_a_warning(monkeypatch, tmp_path):
    fake_dot = tmp_path / "dot"
    fake_dot.write_text("#!/bin/sh\necho '<svg/>'\n")
    fake_dot.chmod(0o755)
    monkeypatch.setattr(render.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    render.renderer.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            command = render.renderer()
        assert command[0] == str(fake_dot)
        assert len(caught) == 1 and "graphviz-pure not found" in str(caught[0].message)
        assert render_svg("digraph {}").strip() == "<svg/>"
        monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
        render.renderer.cache_clear()
        with pytest.raises(RenderError, match="neither graphviz-pure"):
            render.renderer()
        bundle = Diagram(graphviz.Digraph(), "x", 0, 0)._repr_mimebundle_()
        assert "image/svg+xml" not in bundle and "neither" in bundle["text/plain"]
    finally:
        render.renderer.cache_clear()


def test_rendering_is_fast():
    render_svg(small().source)  # warm up the lookup
    start = time.perf_counter()
    for _ in range(5):
        render_svg(small().source)
    assert (time.perf_counter() - start) / 5 < 0.3
