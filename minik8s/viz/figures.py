"""The course's static figures: the article's cluster architecture and its "basic objects".

Redrawn from the package's own model, not by hand: the architecture figure goes through the same
builder as a live cluster's (`architecture.draw_architecture`), and every box of the objects
figure takes its apiVersion and short names from the kinds registry (`minik8s.api.kinds`, what
`kubectl api-resources` prints). `tools/figures.py` writes them to `figures/` as `.dot` + `.svg`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from minik8s.api.kinds import lookup
from minik8s.viz.architecture import cluster_figure
from minik8s.viz.objects import CATEGORY_FILL, SHAPES
from minik8s.viz.render import Diagram
from minik8s.viz.style import STATUS_COLOURS, Sketch, text

# The article's section 五 plus the kinds that connect them (ReplicaSet, EndpointSlice).
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("workloads", "Workloads · 工作负载",
     ("CronJob", "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet")),
    ("network", "Service discovery · 服务与网络", ("Ingress", "Service", "EndpointSlice")),
    ("config", "Configuration · 配置", ("ConfigMap", "Secret")),
    ("storage", "Storage · 存储", ("PersistentVolumeClaim", "PersistentVolume")),
)  # fmt: skip
CHINESE = {
    "Pod": "容器组 · 最小调度单元",
    "Deployment": "无状态部署",
    "ReplicaSet": "副本集",
    "StatefulSet": "有状态集",
    "DaemonSet": "守护进程集",
    "Job": "批处理任务",
    "CronJob": "定时任务",
    "Service": "服务 · 固定虚拟 IP",
    "EndpointSlice": "端点切片",
    "Ingress": "七层入口",
    "ConfigMap": "资源配置",
    "Secret": "保密字典",
    "PersistentVolume": "持久化存储卷",
    "PersistentVolumeClaim": "持久化存储卷声明",
}
# (from, to, relation): who creates, selects, mounts or binds whom.
RELATIONS: tuple[tuple[str, str, str], ...] = (
    ("CronJob", "Job", "creates on schedule"),
    ("Deployment", "ReplicaSet", "owns, one per revision"),
    ("ReplicaSet", "Pod", "keeps N replicas"),
    ("StatefulSet", "Pod", "pods with ordinals"),
    ("StatefulSet", "PersistentVolumeClaim", "a claim per pod"),
    ("DaemonSet", "Pod", "one per eligible node"),
    ("Job", "Pod", "runs to completion"),
    ("Ingress", "Service", "host/path → backend"),
    ("Service", "EndpointSlice", "lists endpoints"),
    ("EndpointSlice", "Pod", "ready pod IPs"),
    ("Pod", "ConfigMap", "env · volume"),
    ("Pod", "Secret", "env · volume"),
    ("Pod", "PersistentVolumeClaim", "volume"),
    ("PersistentVolumeClaim", "PersistentVolume", "binds"),
)


def kind_label(kind: str) -> str:
    """`Deployment (deploy)`, its apiVersion and Chinese term, from the kinds registry."""
    info = lookup(kind)
    short = f" ({', '.join(info.short_names)})" if info.short_names else ""
    return text(kind + short, info.api_version, CHINESE.get(kind, ""))


def basic_objects_figure() -> Diagram:
    """The article's figure 3, "Kubernetes basic objects", with the relations between them."""
    sketch = Sketch(
        "basic_objects", label=text("Kubernetes basic objects · 基本对象"), labelloc="t"
    )
    for name, title, kinds in GROUPS:
        with sketch.cluster(name, text(title)) as group:
            for kind in kinds:
                shape = SHAPES.get(kind, "box")
                style = "filled" if kind in SHAPES else "rounded,filled"
                group.node(
                    kind, kind_label(kind), shape=shape, style=style, fillcolor=CATEGORY_FILL[kind]
                )
    fill, border = STATUS_COLOURS["Running"]
    sketch.node("Pod", kind_label("Pod"), style="rounded,filled", fillcolor=fill, color=border,
                penwidth="2")  # fmt: skip
    for tail, head, relation in RELATIONS:
        dashed = {"style": "dashed"} if tail == "Pod" else {}
        sketch.edge(tail, head, relation, **dashed)
    return sketch.diagram("basic_objects")


FIGURES: dict[str, Callable[[], Diagram]] = {
    "cluster_architecture": cluster_figure,
    "basic_objects": basic_objects_figure,
}


def expected_files() -> dict[str, str]:
    """File name → content of every figure (`name.dot` and `name.svg`)."""
    out: dict[str, str] = {}
    for name, build in FIGURES.items():
        diagram = build()
        out[f"{name}.dot"] = diagram.source
        out[f"{name}.svg"] = diagram.svg()
    return out


def stale_figures(directory: str | os.PathLike[str]) -> list[str]:
    """Names of the figure files in `directory` that are missing or differ from a fresh render."""
    root = Path(directory)
    stale = []
    for name, content in expected_files().items():
        path = root / name
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            stale.append(name)
    return stale


def write_figures(directory: str | os.PathLike[str]) -> list[str]:
    """(Re)write every figure file into `directory`; returns the names that changed."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    changed = stale_figures(root)
    for name, content in expected_files().items():
        if name in changed:
            (root / name).write_text(content, encoding="utf-8", newline="\n")
    return changed
