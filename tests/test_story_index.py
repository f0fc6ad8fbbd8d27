"""The story index's LSH kept in numpy arrays: candidates exactly those of "any band equal"
through merges and removals, months evicted and loaded again to the same links, a candidate
order that does not depend on how the index was filled, signatures unchanged."""

import numpy as np
import pytest

from newscrawl.storage import Archive
from newscrawl.syndication import StoryIndex, bands, fingerprint, index as story_index
from newscrawl.syndication.bands import BANDED, LSH_BANDS, LSH_ROWS, MonthShard
from newscrawl.syndication.minhash import NUM_PERM, SEED, minhash
from test_syndication import RULERS, STORY_TEXT, condolence, edited, gold, store, wam

# -- one month's LSH -------------------------------------------------------------------------


def make_signatures(count: int, seed: int) -> np.ndarray:
    """Random signatures, four in ten given a few bands of one of a small pool: some pairs
    share bands, most share none."""
    rng = np.random.default_rng(seed)
    signatures = rng.integers(0, 2**32, (count, NUM_PERM), dtype=np.uint32)
    pool = rng.integers(0, 2**32, (6, NUM_PERM), dtype=np.uint32)
    for signature in signatures:
        if rng.random() < 0.4:
            source = pool[rng.integers(len(pool))]
            for band in rng.choice(LSH_BANDS, rng.integers(1, 4), replace=False):
                rows = slice(band * LSH_ROWS, (band + 1) * LSH_ROWS)
                signature[rows] = source[rows]
    return signatures


def banded(signature: np.ndarray) -> np.ndarray:
    return signature[:BANDED].reshape(LSH_BANDS, LSH_ROWS)


def any_band_equal(stored: dict[int, np.ndarray], query: np.ndarray) -> list[int]:
    """The LSH candidates by definition, the oracle for MonthShard.matches."""
    return sorted(article for article, signature in stored.items()
                  if (banded(signature) == banded(query)).all(axis=1).any())


def found(shard: MonthShard, query: np.ndarray, stored: dict[int, np.ndarray]) -> list[int]:
    articles, signatures, sizes = shard.matches(query, bands.band_keys(query[np.newaxis])[0])
    for article, signature, size in zip(articles.tolist(), signatures, sizes.tolist()):
        assert (signature == stored[article]).all() and size == article % 97 + 1
    return sorted(articles.tolist())


def check(shard: MonthShard, stored: dict[int, np.ndarray], queries: np.ndarray) -> None:
    assert len(shard) == len(stored)
    for query in [*stored.values(), *queries]:
        assert found(shard, query, stored) == any_band_equal(stored, query)


@pytest.fixture
def small_runs(monkeypatch):
    """A tail of 4 rows, runs merged at a ratio of 2, months built 8 rows at a time: a few
    dozen rows go through every kind of merge."""
    monkeypatch.setattr(bands, "TAIL_ROWS", 4)
    monkeypatch.setattr(bands, "RUN_RATIO", 2)
    monkeypatch.setattr(bands, "BUILD_ROWS", 8)


def loaded_shard(signatures: np.ndarray):
    articles = np.arange(1, len(signatures) + 1)
    shard = MonthShard(articles, signatures, articles % 97 + 1)
    return shard, dict(zip(articles.tolist(), signatures))


SHARDS = {  # rows loaded from the archive, rows added one by one after
    "empty": (0, 0),
    "loaded only": (45, 0),
    "added only, the tail": (0, 3),
    "added only, several merges": (0, 37),
    "loaded, then added": (20, 23),
}


@pytest.mark.parametrize("loaded, added", SHARDS.values(), ids=SHARDS.keys())
def test_candidates_are_the_articles_sharing_a_band_before_and_after_merges(small_runs, loaded, added):
    signatures = make_signatures(loaded + added + 10, seed=loaded * 100 + added)
    shard, stored = loaded_shard(signatures[:loaded])
    queries = signatures[loaded + added:]
    check(shard, stored, queries)
    merges = 0
    for article, signature in enumerate(signatures[loaded:loaded + added], loaded + 1):
        runs_before = len(shard._runs), shard._merged
        shard.add(article, signature, article % 97 + 1)
        stored[article] = signature
        merges += (len(shard._runs), shard._merged) != runs_before
        check(shard, stored, queries)  # each add: in the tail, or just merged
    assert merges == added // bands.TAIL_ROWS


def test_the_same_values_in_another_band_are_no_candidate():
    signature = make_signatures(1, seed=1)[0]
    shifted = np.roll(signature, LSH_ROWS)  # band b's values in band b + 1
    shard, stored = loaded_shard(signature[np.newaxis])
    assert found(shard, shifted, stored) == [] == any_band_equal(stored, shifted)


def test_colliding_keys_are_confirmed_on_the_signatures(small_runs, monkeypatch):
    """With every row's values ignored, all keys of a band are equal: only the signatures can
    tell the candidates apart."""
    monkeypatch.setattr(bands, "_ROW_FACTORS", np.zeros(LSH_ROWS, dtype=np.uint64))
    signatures = make_signatures(30, seed=7)
    shard, stored = loaded_shard(signatures[:20])
    for article, signature in enumerate(signatures[20:25], 21):
        shard.add(article, signature, article % 97 + 1)
        stored[article] = signature
    check(shard, stored, signatures[25:])


def test_candidates_are_those_of_datasketch_minhash_lsh(small_runs):
    datasketch = pytest.importorskip("datasketch")
    lsh = datasketch.MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))

    def lean(signature):
        return datasketch.LeanMinHash(seed=SEED, hashvalues=signature, scheme="affine32")

    signatures = make_signatures(90, seed=3)
    shard, stored = loaded_shard(signatures[:40])
    for article, signature in stored.items():
        lsh.insert(article, lean(signature))
    for article, signature in enumerate(signatures[40:80], 41):
        shard.add(article, signature, article % 97 + 1)
        stored[article] = signature
        lsh.insert(article, lean(signature))
    for query in signatures:
        assert found(shard, query, stored) == sorted(lsh.query(lean(query)))


REMOVALS = {  # rows loaded, rows added, articles removed (1 is the first loaded)
    "from the sorted runs": (12, 0, [3, 7]),
    "from the tail": (0, 3, [2]),
    "from both": (10, 6, [1, 10, 11, 16]),
    "everything": (6, 2, [1, 2, 3, 4, 5, 6, 7, 8]),
}


@pytest.mark.parametrize("loaded, added, removed", REMOVALS.values(), ids=REMOVALS.keys())
def test_removed_articles_are_no_candidates_and_are_dropped_at_a_merge(small_runs, loaded, added, removed):
    signatures = make_signatures(loaded + added + 30, seed=loaded + added)
    shard, stored = loaded_shard(signatures[:loaded])
    for article, signature in enumerate(signatures[loaded:loaded + added], loaded + 1):
        shard.add(article, signature, article % 97 + 1)
        stored[article] = signature
    for article in removed:
        assert shard.remove(article) and not shard.remove(article)
        del stored[article]
    check(shard, stored, signatures[loaded + added:])
    # New rows: once every key is merged into one run again, the dead rows are gone.
    compacted = False
    for article, signature in enumerate(signatures[loaded + added:], 1000):
        shard.add(article, signature, article % 97 + 1)
        stored[article] = signature
        if len(shard._runs) == 1 and shard._merged == shard._count:
            assert shard._count == len(stored)
            compacted = True
        check(shard, stored, signatures[:loaded + added])
    assert compacted and sorted(shard.articles().tolist()) == sorted(stored)


def test_an_article_removed_then_added_again_is_found_by_its_new_signature_only(small_runs):
    signatures = make_signatures(14, seed=5)
    shard, stored = loaded_shard(signatures[:8])
    for times in range(6):  # in the tail, then merged
        shard.remove(4)
        shard.add(4, signatures[8 + times], 4 % 97 + 1)
        stored[4] = signatures[8 + times]
        check(shard, stored, signatures[:8])
    assert sorted(shard.articles().tolist()) == list(range(1, 9))


def test_a_loaded_month_costs_about_a_kilobyte_an_article():
    shard, _ = loaded_shard(make_signatures(5000, seed=2))
    assert shard.nbytes / len(shard) < 1100


# -- months evicted and loaded again ---------------------------------------------------------

@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.db") as archive:
        yield archive


def months_apart(number, month):
    article = gold(number, "Monday", "rose", 100 + number, f"{200_000 + number:,}")
    return {**article, "published_at": f"{month}-10T10:00:00+05:00"}


# Articles stored in turn: copies of one story in July 2023, unrelated notes over the months
# after (which push July out of an index with no budget), then copies of the July story and of
# a note.
CRAWL = [
    wam(1), months_apart(2, "2023-10"), months_apart(3, "2024-01"), months_apart(4, "2024-04"),
    edited(first=STORY_TEXT[0], number=5), months_apart(6, "2023-08"),
    condolence(7, *RULERS[0]), months_apart(8, "2024-07"),
    {**months_apart(3, "2024-01"), "canonical_url": "https://copy.example/3", "site": "copy"},
    edited(first="ABU DHABI, " + STORY_TEXT[0], number=9), condolence(10, *RULERS[0]),
]


def crawl(path, budget):
    reads = []
    with Archive(path) as archive:
        index = StoryIndex(archive, budget)
        original = index._read
        index._read = lambda month: reads.append(month) or original(month)
        links = [store(archive, index, article) for article in CRAWL]
        holding = [month for month, shard in index.shards.items() if len(shard)]
    return [(link.outcome, link.story, link.first_article) for link in links], reads, holding


def test_evicted_months_are_loaded_again_to_the_same_links(tmp_path):
    unbounded, reads, _ = crawl(tmp_path / "unbounded.db", 2**40)
    bounded, reloads, holding = crawl(tmp_path / "bounded.db", 0)  # only months in use
    assert bounded == unbounded
    assert holding == ["2023-07", "2023-08"] and len(reloads) > len(reads) == len(set(reads))
    assert reloads.count("2023-07") >= 2  # July evicted, loaded again for the later copies
    outcomes = [outcome for outcome, _, _ in bounded]
    assert outcomes[4] == outcomes[8] == outcomes[9] == outcomes[10] == "linked"


LOADS = [  # months asked for (of 2023), months loaded after, the least recently used first
    ("01 02 03", "01 02 03"),
    ("02", "01 03 02"),
    ("05 06", "03 02 05 06"),  # two months kept besides those in use
    ("03", "02 05 06 03"),
    ("07 08 09 10 11", "06 03 07 08 09 10 11"),
    ("05", "10 11 05"),
    ("10 11 06 07 08", "05 10 11 06 07 08"),  # nothing evicted: in use or within the budget
]


def test_the_least_recently_used_months_past_the_budget_are_evicted(archive):
    """One article a month, a budget of two months besides those in use."""
    for number in range(1, 12):
        article = months_apart(number, f"2023-{number:02d}")
        archive.upsert(article)
        StoryIndex(archive).add(article)
    index = StoryIndex(archive)
    index.load("2023-01")
    index.budget = 2 * index.shards["2023-01"].nbytes
    for asked, loaded in LOADS:
        index.load(*(f"2023-{month}" for month in asked.split()))
        assert list(index.shards) == [f"2023-{month}" for month in loaded.split()], asked
        assert len(index) == len(index.shards)


def test_another_writers_articles_are_seen_in_months_loaded_later(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as one, Archive(path) as two:
        first_index, second_index = StoryIndex(one), StoryIndex(two, budget=0)
        original = store(one, first_index, wam(2))
        one.commit()
        store(two, second_index, months_apart(1, "2024-01"))  # its sync passes July by
        assert "2023-07" not in second_index.shards and len(second_index) == 1
        copy = store(two, second_index, edited(first=STORY_TEXT[0], number=3))
        assert copy.story == original.story and len(second_index) == 2  # January evicted


# -- the order of candidates -----------------------------------------------------------------

AGENCIES = ["WAM", "AFP", "Reuters", "APP"]


@pytest.mark.parametrize("order", [(1, 2, 3, 4), (4, 3, 2, 1), (2, 4, 1, 3)])
@pytest.mark.parametrize("months", [("2023-07",) * 4, ("2023-07", "2023-06", "2023-08", "2023-07")])
def test_candidates_come_in_one_order_however_the_index_was_filled(archive, order, months):
    """Four copies of one text credited to four agencies: four stories, equally alike to a
    fifth copy. Ties go to the later article, whatever the order they were indexed in."""
    copies = [wam(n, agency=agency, published_at=f"{month}-15T10:00:00+04:00")
              for n, agency, month in zip(range(1, 5), AGENCIES, months)]
    for copy in copies:
        archive.upsert(copy)
    index = StoryIndex(archive)
    for n in order:
        index.add(copies[n - 1])
    query = fingerprint(wam(5, agency=None))
    months_near = story_index.nearby_months("2023-07")
    for filled in (index, StoryIndex(archive)):  # added in `order`, or loaded by article id
        stories = [story for story, _, _ in filled.candidates(query, months_near)]
        assert [archive.story_head(story)["first_article"] for story in stories] == [4, 3, 2, 1]


# -- signatures ------------------------------------------------------------------------------

TEXTS = [[], [""], ["a"], ["gold prices rose", "prices rose in"],
         [f"word{n} word{n + 1} word{n + 2}" for n in range(500)], ["عاجل الإمارات", "ابوظبي 29"]]


def test_signatures_are_the_stored_ones():
    """A signature of the recipe stored in archives, pinned: a change would make every stored
    fingerprint useless without anyone noticing."""
    assert minhash([b"gold prices rose", b"prices rose in"])[:6].tolist() == [
        1251797235, 939685194, 1269205892, 1245005576, 2331724197, 106185624]
    assert minhash([]).tolist() == [2**32 - 1] * NUM_PERM


@pytest.mark.parametrize("grams", TEXTS, ids=range(len(TEXTS)))
def test_signatures_are_datasketch_minhash_values(grams):
    datasketch = pytest.importorskip("datasketch")
    reference = datasketch.MinHash(num_perm=NUM_PERM, seed=SEED)
    reference.update_batch([gram.encode() for gram in grams])
    ours = minhash(gram.encode() for gram in grams)
    assert ours.dtype == np.dtype("<u4") and ours.tobytes() == reference.hashvalues.astype("<u4").tobytes()
