"""Run every `bench_*.py` script in this folder, one process each: `python -m benchmarks`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def bench_modules(folder: Path) -> list[str]:
    """The module names of the benchmark scripts in `folder`, in name order."""
    return sorted(f"benchmarks.{path.stem}" for path in folder.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    """Run each benchmark (or those whose name contains an argument); non-zero if any failed."""
    wanted = sys.argv[1:] if argv is None else argv
    folder = Path(__file__).resolve().parent
    modules = [
        module
        for module in bench_modules(folder)
        if not wanted or any(word in module for word in wanted)
    ]
    failed: list[str] = []
    for module in modules:
        print(f"== {module}", flush=True)
        # A fresh interpreter per benchmark, so one's warm caches and garbage don't tilt another.
        result = subprocess.run([sys.executable, "-m", module], cwd=folder.parent, check=False)
        if result.returncode != 0:
            failed.append(module)
        print(flush=True)
    print(f"{len(modules) - len(failed)} of {len(modules)} benchmarks ran", end="")
    print(f"; failed: {', '.join(failed)}" if failed else "")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
