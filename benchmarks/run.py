"""Run every benchmark and print one table: figure, target, ratio (figure / target, ✓ or ✗).

    python -m benchmarks.run [--quick] [--repeat 3] [--only workload,scheduler] [--json]
    make bench

Each benchmark runs as its own process (so peak RSS is its own) and its output is parsed.
The targets are issue #10's (and DESIGN.md's for the store). `--quick` runs every benchmark at a
reduced size in a minute or two; targets that are a total time for the full size are then
scaled linearly to the size that ran (marked "scaled"), rates are compared as they are, and the
figures only show trends. `--repeat N` runs each benchmark N times and reports the median.
The `determinism` row (issue target 5) runs the workload twice with different PYTHONHASHSEED
values and checks that both place every pod on the same node (10,000 pods on 1,000 nodes in
a full run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"


@dataclass
class Row:
    """One figure of one benchmark, with its target if it has one."""

    benchmark: str
    figure: float
    unit: str
    target: float | None = None
    better: str = "<="  # "<=": lower is better; ">=": higher is better
    note: str = ""

    def ratio(self) -> float | None:
        """figure / target, or None without a target."""
        return None if not self.target else self.figure / self.target

    def met(self) -> bool | None:
        """Whether the target is met, or None without a target."""
        ratio = self.ratio()
        if ratio is None:
            return None
        return ratio <= 1.0 if self.better == "<=" else ratio >= 1.0


Parser = Callable[[str, bool], list[Row]]


def number(pattern: str, text: str, group: int = 1) -> float:
    """The number `pattern` captures in `text` (commas allowed); ValueError if absent."""
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"no match for {pattern!r}")
    return float(match[group].replace(",", ""))


def scaled(target: float, size: float, full: float, quick: bool) -> tuple[float, str]:
    """A total-time target scaled linearly to the size that ran (only in quick runs)."""
    if not quick or size == full:
        return target, ""
    return target * size / full, "scaled"


def parse_store(out: str, quick: bool) -> list[Row]:
    objects = number(r"LIST ([\d,]+) objects", out)
    target, note = scaled(1000.0, objects, 150_000, quick)
    return [
        Row("store: puts/s in memory (new keys)", number(r"new keys[^\n]*?\s([\d,]+)\s", out),
            "puts/s", 100_000, ">="),
        Row("store: puts/s in memory (updates)", number(r"updates[^\n]*?\s([\d,]+)\s", out),
            "puts/s", 100_000, ">="),
        Row(f"store: LIST {objects:,.0f} objects of 1 KiB",
            number(r"LIST [\d,]+ objects of 1 KiB\s+([\d,]+) ms", out), "ms", target, "<=", note),
    ]  # fmt: skip


def parse_apiserver(out: str, quick: bool) -> list[Row]:
    pods = number(r"LIST ([\d,]+) pods", out)
    target, note = scaled(1000.0, pods, 150_000, quick)
    return [
        Row("apiserver: pods created/s", number(r"created/s[^\n]*?\s([\d,]+)\s", out), "pods/s"),
        Row(f"apiserver: LIST {pods:,.0f} pods (watch cache)",
            number(r"from the watch cache\s+([\d,]+) ms", out), "ms", target, "<=", note),
        Row("apiserver: bindings/s, 5,000 node watchers",
            number(r"bindings/s[^\n]*?\s([\d,]+)\s", out), "binds/s"),
    ]  # fmt: skip


def parse_scheduler(out: str, quick: bool) -> list[Row]:
    nodes = number(r"SchedulingBasic (\d+) nodes", out)
    name = f"scheduler: SchedulingBasic {nodes:,.0f} nodes"
    return [
        Row(name, number(r"(\d+) pods/s \(", out), "pods/s", 1000.0, ">="),
        Row(name + " (CPU time)", number(r"(\d+) pods/s of CPU", out), "pods/s"),
    ]


def parse_cluster_ready(out: str, quick: bool) -> list[Row]:
    nodes = number(r"nodes=(\d+)", out)
    target, note = scaled(20.0, nodes, 5000, quick)
    if "all Ready=True" not in out:
        note = "NOT all Ready"
    return [
        Row(f"Cluster({nodes:,.0f} nodes) Ready", number(r"in ([\d.]+) s wall", out), "s",
            target, "<=", note),
        Row(f"Cluster({nodes:,.0f} nodes) peak RSS", number(r"peak RSS ([\d.]+) MiB", out), "MiB"),
    ]  # fmt: skip


def parse_steady_state(out: str, quick: bool) -> list[Row]:
    nodes = number(r"nodes=(\d+) churn", out)
    target, note = scaled(60.0, nodes, 5000, quick)
    return [
        Row(f"steady state: {nodes:,.0f} nodes, 1 virtual hour",
            number(r"([\d.]+) s wall per virtual hour", out), "s", target, "<=", note),
    ]  # fmt: skip


def parse_workload(out: str, quick: bool) -> list[Row]:
    result = json.loads(out.strip().splitlines()[-1])
    pods = result["pods"]
    target, note = scaled(150.0, pods, 150_000, quick)
    if not result["complete"]:
        note = "NOT complete"
    size = f"{result['deployments']}×{result['replicas']} on {result['nodes']:,} nodes"
    return [
        Row(f"workload {size}", result["seconds"], "s", target, "<=", note),
        Row("workload: pods/s end to end", result["pods_per_second"], "pods/s", 1000.0, ">="),
        Row("workload: peak RSS", result["peak_rss_mib"], "MiB", 2048.0, "<="),
    ]


def parse_determinism(out: str, quick: bool) -> list[Row]:
    results = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    digests = sorted({r["placement"] for r in results})
    size = f"{results[0]['pods']:,} pods on {results[0]['nodes']:,} nodes"
    return [
        Row(f"determinism: placement, PYTHONHASHSEED 1 vs 2 ({size})",
            float(len(results) == 2 and len(digests) == 1), "same", 1.0, ">=", " ≠ ".join(digests)),
    ]  # fmt: skip


@dataclass
class Benchmark:
    """A script, its arguments at full and quick size, and how to read its output.

    With `hashseeds` the script runs once per PYTHONHASHSEED value and `parse` gets every
    output, one after the other.
    """

    name: str
    script: str
    full: list[str]
    quick: list[str]
    parse: Parser
    hashseeds: tuple[str, ...] = ()


BENCHMARKS = [
    Benchmark("store", "store.py", [], "--objects 20000 --puts 10000 --watchers 10".split(),
              parse_store),
    Benchmark("apiserver", "apiserver.py", [], ["--pods", "2000"], parse_apiserver),
    Benchmark("scheduler", "scheduler_perf.py", [], ["500", "100", "1000"], parse_scheduler),
    Benchmark("cluster_ready", "cluster_ready.py", [], ["--nodes", "200"], parse_cluster_ready),
    Benchmark("steady_state", "steady_state.py", [], ["--nodes", "100", "--hours", "0.05"],
              parse_steady_state),
    Benchmark("workload", "workload.py", ["--json"],
              ["--json", "--nodes", "50", "--deployments", "5", "--replicas", "20"],
              parse_workload),
    Benchmark("determinism", "workload.py",
              ["--json", "--nodes", "1000", "--deployments", "100", "--replicas", "100"],
              ["--json", "--nodes", "50", "--deployments", "5", "--replicas", "20"],
              parse_determinism, hashseeds=("1", "2")),
]  # fmt: skip


def execute(command: list[str], hashseed: str, timeout: float | None) -> tuple[str, str]:
    """Run one benchmark process from the repository root; (stdout, "") or ("", why it failed)."""
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "", f"timed out after {timeout:g} s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return "", f"exit {done.returncode}: {last}"
    return done.stdout, ""


def run_one(bench: Benchmark, quick: bool, timeout: float | None) -> tuple[list[Row], str]:
    """Run one benchmark once; its rows, or no rows and the reason it failed."""
    path = HERE / bench.script
    if not path.exists():
        return [], "missing"
    command = [sys.executable, str(path), *(bench.quick if quick else bench.full)]
    outputs = []
    for hashseed in bench.hashseeds or (os.environ.get("PYTHONHASHSEED", "0"),):
        out, error = execute(command, hashseed, timeout)
        if error:
            return [], error
        outputs.append(out)
    try:
        return bench.parse("".join(outputs), quick), ""
    except (ValueError, KeyError, IndexError) as error:
        return [], f"unreadable output ({error})"


def median_rows(runs: list[list[Row]]) -> list[Row]:
    """Row by row, the median figure of several runs of one benchmark."""
    rows = []
    for same in zip(*runs, strict=True):
        first = same[0]
        figure = statistics.median(r.figure for r in same)
        rows.append(
            Row(first.benchmark, figure, first.unit, first.target, first.better, first.note)
        )
    return rows


def fmt(value: float, unit: str) -> str:
    """`12.3 s`, `1,234 pods/s`: three significant digits at most for small values."""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}"


def table(rows: list[Row]) -> str:
    """The rows as an aligned text table."""
    lines = [("benchmark", "figure", "target", "ratio")]
    for row in rows:
        target = "—" if row.target is None else f"{row.better} {fmt(row.target, row.unit)}"
        target += f" ({row.note})" if row.note else ""
        ratio, met = row.ratio(), row.met()
        mark = "" if ratio is None else f"{ratio:.2f} {'✓' if met else '✗'}"
        lines.append((row.benchmark, fmt(row.figure, row.unit), target, mark or "—"))
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    return "\n".join(
        f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in lines
    )


def machine() -> str:
    """CPU count, CPU model and Python version, for the record."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), flags=re.M)
        model = found[1].strip() if found else model
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    """Command line; exit status 1 if a benchmark failed to run (not for a missed target)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced sizes, a minute or two")
    parser.add_argument("--repeat", type=int, default=1, help="runs per benchmark (median)")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per run")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    unknown = sorted(set(names) - {b.name for b in BENCHMARKS})
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; one of: "
                     + ", ".join(b.name for b in BENCHMARKS))  # fmt: skip
    chosen = [b for b in BENCHMARKS if not names or b.name in names]
    print(f"machine: {machine()}; {'quick' if args.quick else 'full'} sizes", flush=True)
    rows: list[Row] = []
    failed = []
    for bench in chosen:
        runs = []
        for _ in range(max(args.repeat, 1)):
            print(f"running {bench.name} …", file=sys.stderr, flush=True)
            result, error = run_one(bench, args.quick, args.timeout)
            if error:
                failed.append(f"{bench.name}: {error}")
                break
            runs.append(result)
        if runs and len(runs) == max(args.repeat, 1):
            rows += median_rows(runs)
    print(table(rows))
    for line in failed:
        print(f"not run: {line}")
    if args.json:
        print(json.dumps([asdict(r) for r in rows]))
    return 1 if any("missing" not in f for f in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
