"""Regenerate the course's static figures in `figures/` (`.dot` + `.svg`).

    python tools/figures.py            # rewrite stale figures
    python tools/figures.py --check    # exit 1 (listing them) when a committed figure is stale

The figures come from `minik8s.viz.figures`; the SVG from the pinned graphviz-pure renderer, so
the files are the same on every machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runs from a checkout without installing the package

from minik8s.viz.figures import stale_figures, write_figures  # noqa: E402

FIGURES_DIR = ROOT / "figures"


def main(argv: list[str] | None = None) -> int:
    """Write (or with `--check`, verify) every figure; the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a figure is stale")
    parser.add_argument("--dir", type=Path, default=FIGURES_DIR, help="figures directory")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_figures(args.dir)
        for name in stale:
            print(f"stale: {args.dir.name}/{name} (run `python tools/figures.py`)")
        return 1 if stale else 0
    for name in write_figures(args.dir):
        print(f"wrote {args.dir.name}/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
