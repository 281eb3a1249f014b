"""The index of the facet-counting benchmark: the raw Tantivy floor's documents (see
`benchmarks/search.py`) with `ord` (the asset's row), `rnd` (a fixed pseudo-random number per
asset) and `bucket` (its top bits: one of 64 random shares), and beside the index the facets
as compact per-asset ordinals (`facets.npz`, `values.json`). Used by `facet_counting.py`.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import search_data as synth  # noqa: E402
from hexaglot.search.base import FACETS  # noqa: E402

SUBJECT_KINDS = ("personal", "corporate", "geographic", "topical")
#: Value slots per asset and facet (the most values one asset has in the synthetic data).
WIDTH = {"body": 1, "year": 1, "kind": 1, "lang": 7, "affiliation": 8, "personal": 1,
         "corporate": 1, "geographic": 2, "topical": 2}
TOP = 50
RND_BITS = 62
BUCKET_BITS = 6  # `bucket`: the top 6 bits of `rnd`, one of 64 equal random shares


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def rnd_of(i: int) -> int:
    """A fixed pseudo-random 62-bit number for asset `i` (splitmix64)."""
    z = (i * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) >> (64 - RND_BITS)


def schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_type", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("asset_id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", tokenizer_name="default")
    for name in FACETS:
        if name != "year":
            sb.add_text_field(f"f_{name}", tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("year", "visible_from"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_unsigned_field("ord", fast=True)
    sb.add_unsigned_field("rnd", indexed=True, fast=True)
    sb.add_unsigned_field("bucket", indexed=True)
    return sb.build()


def facet_values(asset) -> dict[str, list]:
    """The facet values of a synthetic asset (each value once per asset)."""
    out = {"body": [asset.meeting.body], "year": [asset.recorded_on.year], "kind": [asset.kind],
           "lang": list(asset.available_languages),
           "affiliation": list(dict.fromkeys(s.affiliation for s in asset.speakers))}
    for k in SUBJECT_KINDS:
        out[k] = list(dict.fromkeys(s.label for s in getattr(asset.subjects, k)))
    return out


def documents(i: int, asset, cues, values: dict[str, list]):
    """The floor's documents of one asset (as `search.raw_documents`) plus `ord`, `rnd`."""
    import tantivy

    subj = [s for k in SUBJECT_KINDS for s in getattr(asset.subjects, k)]
    text = " ".join([asset.title, asset.summary or "", asset.description or "",
                     asset.meeting.body or "", asset.meeting.record_symbol or "",
                     *(f"{s.name} {s.affiliation}" for s in asset.speakers),
                     *(" ".join([s.label, *s.labels.values()]) for s in subj),
                     *(c.text for c in cues)])
    d = tantivy.Document(doc_type="asset", asset_id=asset.asset_id, text=text)
    for name, vals in values.items():
        for v in vals:
            if name == "year":
                d.add_integer("year", v)
            else:
                d.add_text(f"f_{name}", v)
    d.add_integer("visible_from", 0 if asset.access == "public" else 10**7)
    d.add_unsigned("ord", i)
    d.add_unsigned("rnd", rnd_of(i))
    d.add_unsigned("bucket", rnd_of(i) >> (RND_BITS - BUCKET_BITS))
    docs = [d]
    for c in cues:
        docs.append(tantivy.Document(doc_type="segment", asset_id=asset.asset_id, text=c.text,
                                     f_lang=c.language))
    return docs


class Ordinals:
    """Facet values numbered per facet, every facet's after the previous one's; one int16
    matrix of slots per asset (-1: empty slot)."""

    def __init__(self, n: int) -> None:
        self.values: dict[str, dict] = {name: {} for name in FACETS}
        self.cols = {}
        c = 0
        for name in FACETS:
            self.cols[name] = (c, c + WIDTH[name])
            c += WIDTH[name]
        self.matrix = np.full((n, c), -1, dtype=np.int16)

    def add(self, i: int, values: dict[str, list]) -> None:
        for name, vals in values.items():
            known = self.values[name]
            a, _ = self.cols[name]
            for j, v in enumerate(vals):
                self.matrix[i, a + j] = known.setdefault(v, len(known))

    def save(self, path: Path) -> None:
        """Global ordinals (facet offset + value ordinal), empty slots = one past the last."""
        offsets, total = {}, 0
        for name in FACETS:
            offsets[name] = total
            total += len(self.values[name])
        if total >= 2**15:
            raise SystemExit(f"{total} facet values do not fit int16")
        g = self.matrix.astype(np.int16, copy=True)
        for name in FACETS:
            a, b = self.cols[name]
            block = g[:, a:b]
            block[block >= 0] += offsets[name]
            block[block < 0] = total
        np.savez(path / "facets.npz", matrix=g)
        (path / "values.json").write_text(json.dumps(
            {name: [str(v) for v in self.values[name]] for name in FACETS}), encoding="utf-8")


def _segments(index) -> int:
    index.reload()
    return index.searcher().num_segments


def build(n: int, path: Path, cue_docs: bool = True) -> dict:
    import tantivy

    path.mkdir(parents=True, exist_ok=True)
    (path / "index").mkdir(exist_ok=True)
    index = tantivy.Index(schema(), path=str(path / "index"), reuse=False)
    writer = index.writer(1_000_000_000, 1)
    vocab = synth.Vocabulary()
    ords = Ordinals(n)
    t0, t_ord, t_gen = time.perf_counter(), 0.0, 0.0
    items = synth.archive(n, vocab)
    for i in range(n):
        g0 = time.perf_counter()
        asset, cues = next(items)
        g1 = time.perf_counter()
        values = facet_values(asset)
        ords.add(i, values)
        t_ord += time.perf_counter() - g1
        t_gen += g1 - g0
        for d in documents(i, asset, cues, values)[:None if cue_docs else 1]:
            writer.add_document(d)
    writer.commit()
    writer.wait_merging_threads()
    s0 = time.perf_counter()
    ords.save(path)
    out = {"n": n, "cue_docs": cue_docs, "build_s": round(time.perf_counter() - t0, 1),
           "generate_s": round(t_gen, 1), "ordinals_s": round(t_ord + time.perf_counter() - s0, 1),
           "facet_values": {k: len(v) for k, v in ords.values.items()},
           "ordinals_mb": round(ords.matrix.nbytes / 2**20, 1),
           "segments": _segments(index),
           "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    (path / "build.json").write_text(json.dumps(out), encoding="utf-8")
    return out


