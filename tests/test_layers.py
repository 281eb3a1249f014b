"""The layering of the packages: no import against the flow, no cycle between packages.

The import-linter contract in pyproject.toml (`lint-imports`, run by `make test`) checks
the order; this test reads the same import graph and also refuses any cycle between two
packages, wherever they stand."""

from __future__ import annotations

import subprocess
import sys
from itertools import combinations
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["domain", "vocab", "pages", "enrich", "catalog|storage", "media|speech", "jobs",
         "search", "interop", "app", "web|cli"]
LEVEL = {p: i for i, group in enumerate(ORDER) for p in group.split("|")}


def _packages(graph: grimp.ImportGraph) -> list[str]:
    return sorted({m.split(".")[1] for m in graph.modules if "." in m} & set(LEVEL))


def test_no_cycle_between_packages() -> None:
    graph = grimp.build_graph("hexaglot")
    packages = _packages(graph)
    cycles = []
    for a, b in combinations(packages, 2):
        there = graph.find_shortest_chain(f"hexaglot.{a}", f"hexaglot.{b}", as_packages=True)
        back = graph.find_shortest_chain(f"hexaglot.{b}", f"hexaglot.{a}", as_packages=True)
        if there and back:
            cycles.append(f"{a} <-> {b}: {' -> '.join(there)} / {' -> '.join(back)}")
    assert not cycles, cycles


def test_no_import_against_the_flow() -> None:
    graph = grimp.build_graph("hexaglot")
    packages = _packages(graph)
    against = []
    for a in packages:
        for b in packages:
            if a != b and LEVEL[b] > LEVEL[a] and graph.find_shortest_chain(
                    f"hexaglot.{a}", f"hexaglot.{b}", as_packages=True):
                against.append(f"{a} imports {b}")
    assert not against, against


def test_lower_packages_know_no_archive() -> None:
    """Nothing below app/ imports app/ (nor names the archive object)."""
    below = [p for p in (ROOT / "src/hexaglot").iterdir()
             if p.is_dir() and p.name in LEVEL and LEVEL[p.name] < LEVEL["app"]]
    offenders = [str(f.relative_to(ROOT)) for pkg in below for f in pkg.rglob("*.py")
                 if "hexaglot.app" in f.read_text(encoding="utf-8")]
    assert not offenders, offenders


def test_the_import_linter_contract_holds() -> None:
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
