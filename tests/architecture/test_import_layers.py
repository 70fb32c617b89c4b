"""The packages form layers with no import cycle between them (graph check with grimp), and the
ground floor imports nothing of ours."""

from __future__ import annotations

import grimp

PACKAGES = (
    "core",
    "ingestion",
    "simulator",
    "warehouse",
    "quality",
    "publishing",
    "moha",
    "bench",
    "tools",
)


def _package_edges() -> set[tuple[str, str]]:
    graph = grimp.build_graph(*PACKAGES)
    edges = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = importer.split(".")[0], imported.split(".")[0]
            if a != b:
                edges.add((a, b))
    return edges


def test_no_import_cycle_between_packages():
    edges = _package_edges()
    remaining = {p: {b for a, b in edges if a == p} for p in PACKAGES}
    order = []
    while remaining:  # peel off packages that import nothing left (Kahn's algorithm)
        leaves = sorted(p for p, deps in remaining.items() if not deps)
        assert leaves, f"import cycle among {sorted(remaining)}: {sorted(edges)}"
        order += leaves
        remaining = {p: deps - set(leaves) for p, deps in remaining.items() if p not in leaves}
    assert order[0] == "core"


def test_ground_floor_imports_none_of_ours():
    assert not {b for a, b in _package_edges() if a == "core"}


def test_simulator_shares_only_the_ground_floor_with_the_pipeline():
    assert {b for a, b in _package_edges() if a == "simulator"} <= {"core"}
