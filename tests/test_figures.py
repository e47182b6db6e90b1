"""The committed figures in `figures/` are what `python tools/figures.py` writes today."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

from minik8s.viz.figures import FIGURES, expected_files, stale_figures, write_figures

ROOT = Path(__file__).resolve().parent.parent
FIGURES_DIR = ROOT / "figures"


def test_committed_figures_are_fresh():
    assert stale_figures(FIGURES_DIR) == [], "run `python tools/figures.py` and commit figures/"


def test_every_figure_has_dot_and_svg():
    assert set(expected_files()) == {f"{n}.{ext}" for n in FIGURES for ext in ("dot", "svg")}


def test_stale_detection_on_a_modified_copy(tmp_path):
    copy = tmp_path / "figures"
    shutil.copytree(FIGURES_DIR, copy)
    assert stale_figures(copy) == []
    svg = copy / "basic_objects.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("Secret", "Secrets"), encoding="utf-8")
    (copy / "cluster_architecture.dot").unlink()
    assert stale_figures(copy) == ["cluster_architecture.dot", "basic_objects.svg"]
    assert write_figures(copy) == ["cluster_architecture.dot", "basic_objects.svg"]
    assert stale_figures(copy) == []


def test_tool_check_exit_codes(tmp_path):
    copy = tmp_path / "figures"
    shutil.copytree(FIGURES_DIR, copy)
    tool = [sys.executable, str(ROOT / "tools" / "figures.py"), "--dir", str(copy)]
    assert subprocess.run([*tool, "--check"], capture_output=True).returncode == 0
    (copy / "basic_objects.dot").write_text("digraph {}", encoding="utf-8")
    failed = subprocess.run([*tool, "--check"], capture_output=True, text=True)
    assert failed.returncode == 1 and "stale: figures/basic_objects.dot" in failed.stdout
    assert subprocess.run(tool, capture_output=True).returncode == 0
    assert subprocess.run([*tool, "--check"], capture_output=True).returncode == 0


def test_basic_objects_figure_covers_the_articles_kinds():
    svg = html.unescape((FIGURES_DIR / "basic_objects.svg").read_text(encoding="utf-8"))
    for kind in (
        "Pod", "Deployment", "StatefulSet", "Job", "CronJob", "DaemonSet", "Service", "Ingress",
        "ConfigMap", "Secret", "PersistentVolume", "PersistentVolumeClaim",
    ):  # fmt: skip
        assert f">{kind} (" in svg or f">{kind}<" in svg or f" {kind} (" in svg, kind
    for term in ("networking.k8s.io/v1", "持久化存储卷声明", "资源配置", "binds"):
        assert term in svg
