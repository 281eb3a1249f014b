"""`top_counts` picks the same values as sorting every count (highest first, ties by name)."""

from __future__ import annotations

import numpy as np

from hexaglot.search.facet_ordinals import top_counts


def test_top_counts_equal_a_full_sort_with_many_ties() -> None:
    rng = np.random.default_rng(17)
    for size, top, most in [(3000, 50, 3), (3000, 50, 1000), (40, 50, 2), (60, 5, 1), (7, 3, 0)]:
        names = [f"v{rng.integers(10**6):06d}-{i}" for i in range(size)]
        order = sorted(range(size), key=names.__getitem__)
        rank = np.empty(size, dtype=np.int64)
        rank[order] = np.arange(size)
        counts = rng.integers(0, most + 1, size=size) * (rng.random(size) < 0.7)
        expected = sorted(((names[i], int(c) * 2) for i, c in enumerate(counts) if c),
                          key=lambda p: (-p[1], p[0]))[:top]
        assert top_counts(counts, names, rank, 2.0, top=top) == expected
