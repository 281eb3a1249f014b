"""Facet counts of the Tantivy engine (per-asset ordinals): exact against a count by brute
force on indexes of several segments, after re-indexing and deleting, after a torn write;
sampled and flagged beyond `exact_facets` matches, within a bound; hidden assets never
counted."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date
from pathlib import Path

from hexaglot.domain import Asset, Audience, Meeting, Speaker, Subject, Subjects
from hexaglot.search import parse
from hexaglot.search.tantivy_engine import BUCKETS, TantivyEngine

BODIES = ["Security Council", "General Assembly", "Human Rights Council", "Trusteeship Council"]
HIDDEN_BODY = "Closed Committee"  # only assets no reader may see belong to it
COUNTRIES = [f"Country {c}" for c in "ABCDEFGHIJKLMNOP"]
TOPICS = [Subject(id=f"t{i}", label=f"topic {i}") for i in range(30)]
WORDS = ["ocean", "climate", "peace", "water", "trade"]


def synthetic(i: int, rng: random.Random, access: str = "public") -> Asset:
    """A varied asset: one body, a year, a kind, several languages, affiliations and
    topics, and one or two of `WORDS` in its title."""
    hidden = access != "public"
    return Asset(
        asset_id=f"F-{i:05d}",
        title=" ".join(rng.sample(WORDS, rng.randint(1, 2))) + f" meeting {i}",
        kind=rng.choice(["video", "video", "audio", "document"]),
        recorded_on=date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
        available_languages=["original", *rng.sample(["en", "fr", "es", "ru", "ar", "zh"],
                                                     rng.randint(1, 4))],
        meeting=Meeting(body=HIDDEN_BODY if hidden else rng.choice(BODIES), number=i),
        speakers=[Speaker(name=f"Speaker {i}-{k}", affiliation=rng.choice(COUNTRIES))
                  for k in range(rng.randint(0, 5))],
        subjects=Subjects(topical=rng.sample(TOPICS, rng.randint(0, 3))),
        access=access,
    )


def brute_force(assets: list[Asset], word: str | None = None) -> dict[str, Counter]:
    """Every facet value's count over the assets (with `word` in the title), by hand."""
    out: dict[str, Counter] = {name: Counter() for name in
                               ("body", "year", "kind", "lang", "affiliation", "topical")}
    for a in assets:
        if word is not None and word not in a.title.split():
            continue
        out["body"][a.meeting.body] += 1
        out["year"][str(a.recorded_on.year)] += 1  # type: ignore[union-attr]
        out["kind"][a.kind] += 1
        out["lang"].update(set(a.available_languages))
        out["affiliation"].update({s.affiliation for s in a.speakers})
        out["topical"].update({s.id for s in a.subjects.topical})
    return out


def assert_exact(engine: TantivyEngine, assets: list[Asset], word: str | None = None,
                 audience: Audience = Audience.STAFF) -> None:
    results = engine.search(parse(word or "", per_page=5), audience=audience)
    truth = brute_force(assets, word)
    assert not results.facets_approximate
    assert results.total == sum(truth["body"].values())
    for name, counts in truth.items():
        top = sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:50]
        if name == "year":
            top.sort(key=lambda p: int(p[0]), reverse=True)
        assert results.facets[name] == top, name


def test_counts_are_exact_over_several_segments_reindexing_and_deleting(tmp_path: Path) -> None:
    rng = random.Random(17)
    engine = TantivyEngine(tmp_path / "search")
    assets = {i: synthetic(i, rng, "staff" if i % 9 == 0 else "public") for i in range(240)}
    engine.rebuild((a, ()) for i, a in assets.items() if i < 60)
    for start in range(60, 240, 60):  # three commits: three more segments
        for i in range(start, start + 60):
            engine.index(assets[i])
        engine.commit()
    assert engine._fresh().num_segments >= 2
    for i in range(0, 240, 7):  # re-index with other facet values: a new row each
        assets[i] = synthetic(i, rng, "staff" if i % 9 == 0 else "public")
        engine.index(assets[i])
    for i in range(3, 240, 11):
        engine.delete(assets.pop(i).asset_id)
    engine.commit()
    everything = list(assets.values())
    visible = [a for a in everything if a.access == "public"]
    for word in (None, "ocean", "peace"):
        assert_exact(engine, everything, word)
        assert_exact(engine, visible, word, Audience.PUBLIC)
    public = engine.search(parse(""), audience=Audience.PUBLIC)
    assert HIDDEN_BODY not in dict(public.facets["body"])
    assert public.to_dict()["facets_approximate"] is False
    # another process opening the same index reads the same ordinals
    assert_exact(TantivyEngine(tmp_path / "search"), everything)


def test_a_torn_batch_or_rows_never_committed_leave_counts_exact(tmp_path: Path) -> None:
    rng = random.Random(5)
    engine = TantivyEngine(tmp_path / "search")
    assets = [synthetic(i, rng) for i in range(40)]
    engine.rebuild((a, ()) for a in assets[:20])
    store = engine._facet_store()
    store.append([{"body": ["Never Committed"]}] * 3)  # a writer killed before its commit
    with open(store.directory / "log", "ab") as f:  # and one killed amid writing a batch
        f.write(b"HXF1\xff\x00\x00\x00\x12\x34")
    for a in assets[20:]:
        engine.index(a)
    engine.commit()
    assert_exact(engine, assets)
    assert_exact(TantivyEngine(tmp_path / "search"), assets)


def test_large_match_sets_are_sampled_flagged_and_within_a_bound(tmp_path: Path) -> None:
    rng = random.Random(3)
    exact = 400
    engine = TantivyEngine(tmp_path / "search", exact_facets=exact)
    assets = [synthetic(i, rng, "staff" if i % 10 == 0 else "public") for i in range(2400)]
    engine.rebuild(((a, ()) for a in assets), processes=1)
    visible = [a for a in assets if a.access == "public"]
    results = engine.search(parse(""), audience=Audience.PUBLIC)
    assert results.facets_approximate and results.to_dict()["facets_approximate"] is True
    assert results.total == len(visible)  # the total stays exact
    k = math.ceil(exact * BUCKETS / len(visible))
    share = k / BUCKETS
    truth = brute_force(visible)
    assert HIDDEN_BODY not in dict(results.facets["body"])
    for name in ("body", "kind", "lang", "year"):
        for value, count in results.facets[name]:
            true = truth[name][value]
            sd = math.sqrt(true * share * (1 - share)) / share  # of a binomial sample, scaled
            assert abs(count - true) <= 4 * sd + 1, (name, value, count, true)
    # a match set within the limit is counted exactly
    assert_exact(engine, visible, "nomatch", Audience.PUBLIC)
    small = engine.search(parse('body:"Security Council" kind:audio'), audience=Audience.PUBLIC)
    assert not small.facets_approximate and 0 < small.total <= exact
    expected = sum(1 for a in visible if a.meeting.body == BODIES[0] and a.kind == "audio")
    assert small.total == expected == dict(small.facets["body"])[BODIES[0]]
