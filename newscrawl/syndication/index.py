"""The story index: each article is linked to the story of its first copy found among those
published in its month and the months either side."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from .bands import BANDED, LSH_BANDS, LSH_ROWS, MonthShard, band_keys
from .fingerprints import (
    METHOD, MIN_CONTAINMENT, Fingerprint, containment, difference, fingerprint, stored_fingerprint,
)
from .minhash import NUM_PERM

# Candidates checked with the rules, most overlapping first; a bound on the cost per article.
MAX_VERIFIED = 40
# Copies of a story come out within days of each other: an article is compared with those
# published in its month and the months either side.
NEARBY_MONTHS = 1
# Bytes of loaded months kept besides those in use (the three of the article at hand), about
# 60,000 articles: a crawl that goes back and forth between months seldom reads one twice.
# Past it the least recently used months are evicted, to be loaded again when needed again.
INDEX_BUDGET = 64 * 2**20
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


@dataclass(frozen=True)
class StoryLink:
    article: int
    story: int
    first_article: int | None
    outcome: str  # new_story, linked, kept, unchanged


def month_of(published_at) -> str:
    """The "YYYY-MM" of a publication date, "" when there is none: the index's shard key."""
    value = published_at if isinstance(published_at, str) else ""
    return value[:7] if _MONTH.match(value) else ""


def nearby_months(month: str) -> list[str]:
    if not month:
        return [""]
    year, number = int(month[:4]), int(month[5:7])
    months = []
    for step in range(-NEARBY_MONTHS, NEARBY_MONTHS + 1):
        years, index = divmod(number - 1 + step, 12)
        months.append(f"{year + years:04d}-{index + 1:02d}")
    return months


class StoryIndex:
    """MinHash LSH over the fingerprinted articles of an archive, one shard per month of
    publication. A month is loaded from the stored signatures (no text is read again) when an
    article of that month or a month beside it arrives, kept current as articles are added,
    and evicted when it is the least recently used past the budget (loaded again if needed
    again): memory follows the budget and the months in use, never the archive's size or the
    crawl's length.

    An archive with a shared story index (PostgreSQL) keeps the band keys itself: nothing is
    loaded, candidates are looked up in the database, and each link is made under the
    archive's lock, so copies stored by several workers at the same moment join one story."""

    def __init__(self, archive, budget: int = INDEX_BUDGET):
        self.archive = archive
        self.budget = budget
        self.shards: OrderedDict[str, MonthShard] = OrderedDict()  # least recently used first
        self._shard_of: dict[int, MonthShard] = {}  # every article of the loaded months
        self.shared = archive.shared_story_index
        self.seen_up_to = archive.last_fingerprinted()  # other writers' articles come after

    def __len__(self) -> int:
        return len(self._shard_of)

    def load(self, *months: str) -> None:
        """Make these months loaded and the most recently used. Before a month is read, the
        least recently used of the others are evicted until those left fit in the budget."""
        if self.shared:
            return
        for month in months:
            if month in self.shards:
                self.shards.move_to_end(month)
        missing = [month for month in dict.fromkeys(months) if month not in self.shards]
        if not missing:
            return
        others = [month for month in self.shards if month not in months]
        kept = sum(self.shards[month].nbytes for month in others)
        for month in others:
            if kept <= self.budget:
                break
            shard = self.shards.pop(month)
            kept -= shard.nbytes
            for article in shard.articles().tolist():
                del self._shard_of[article]
        for month in missing:
            self.shards[month] = shard = self._read(month)
            self._shard_of.update(dict.fromkeys(shard.articles().tolist(), shard))

    def _read(self, month: str) -> MonthShard:
        articles, blobs, sizes = [], [], []
        for article, blob, size, _ in self.archive.iter_signatures(METHOD, month=month):
            articles.append(article)
            blobs.append(blob)
            sizes.append(size)
        # A view of the joined bytes, not a copy: MonthShard never writes the rows it is built on.
        signatures = np.frombuffer(b"".join(blobs), dtype="<u4").reshape(-1, NUM_PERM)
        del blobs
        return MonthShard(articles, signatures, sizes)

    def sync(self) -> None:
        """Index what other writers (a concurrent crawl, an import) stored since the last look,
        in the months loaded. SQLite gives new rows higher ids, so a watermark finds them all."""
        if self.shared:
            return
        for article, blob, size, month in self.archive.iter_signatures(METHOD, after=self.seen_up_to):
            if month in self.shards and article not in self._shard_of:
                self._insert(article, np.frombuffer(blob, dtype="<u4"), size, month)
            self.seen_up_to = article

    def _insert(self, article: int, signature: np.ndarray, size: int, month: str) -> None:
        if self.shared:
            return
        shard = self._shard_of[article] = self.shards[month]
        shard.add(article, signature, size)

    def _remove(self, article: int) -> None:
        if (shard := self._shard_of.pop(article, None)) is not None:
            shard.remove(article)

    def add(self, article: Mapping) -> StoryLink | None:
        """Link a just-stored article to its story; None when the archive does not hold it."""
        ref = self.archive.article_ref(article)
        if ref is None:
            return None
        if ref["story_id"] is not None and ref["fingerprint"] == {
                "method": METHOD, "content_hash": ref["content_hash"]}:
            story = self.archive.story_head(ref["story_id"])
            return StoryLink(ref["id"], story["id"], story["first_article"], "unchanged")
        print_ = fingerprint(article)   # before the lock: other workers wait only for the linking
        with self.archive.story_linking(self._lock_keys(print_)):
            self.sync()
            return self._link(ref, article, print_)

    def catch_up(self) -> int:
        """Fingerprint and link every stored article that has no current fingerprint (stored
        before the story index existed, imported without it, or by another recipe)."""
        pending = self.archive.articles_to_fingerprint(METHOD)
        for article in pending:
            content = self.archive.article_by_id(article)
            print_ = fingerprint(content)
            with self.archive.story_linking(self._lock_keys(print_)):
                self._link(self.archive.article_ref(content), content, print_)
        return len(pending)

    def _lock_keys(self, print_: Fingerprint) -> list[int]:
        """What a shared index locks while linking: the article's band keys. Two copies that
        could join one story share a key, so they link one after the other; others do not wait.
        A process's own index (SQLite) locks nothing."""
        if not self.shared:
            return []
        return band_keys(print_.signature[np.newaxis])[0].view(np.int64).tolist()

    def _link(self, ref: Mapping, content: Mapping, print_: Fingerprint) -> StoryLink:
        article, current = ref["id"], ref["story_id"]
        month = month_of(content.get("published_at"))
        months = nearby_months(month)
        self.load(*months)
        self._remove(article)  # an updated text is matched afresh, never against itself
        match = self.match(print_, months, exclude=article)
        # The fingerprint first: the story's agency is read from it.
        self.archive.save_fingerprint(
            article, method=METHOD, content_hash=ref["content_hash"],
            signature=print_.signature.tobytes(), shingles=print_.shingles,
            agency=print_.agency, key_tokens=print_.key_tokens())
        self._insert(article, print_.signature, print_.shingles, month)
        if current is not None and (match in (None, current)
                                    or self.archive.story_head(current)["copies"] > 1):
            story, outcome = current, "kept"
            self.archive.refresh_story(story)  # its date or agency may have changed
        else:
            story = self.archive.assign_story(article, match)
            outcome = "new_story" if match is None else "linked"
        return StoryLink(article, story, self.archive.story_head(story)["first_article"], outcome)

    def match(self, print_: Fingerprint, months: list[str], exclude: int | None = None) -> int | None:
        """The story of the first candidate, by overlap, that the rules call the same story."""
        for story, stored, jaccard in self.candidates(print_, months, exclude):
            if story is not None and difference(print_, stored, jaccard) is None:
                return story
        return None

    def candidates(self, print_: Fingerprint, months: list[str], exclude: int | None = None
                   ) -> Iterator[tuple[int | None, Fingerprint, float]]:
        """(story, stored fingerprint, Jaccard estimate) of the LSH candidates of those months
        that overlap enough, most contained first: a trimmed copy's original (contained whole)
        is tried before a month of daily notes from one template (more alike by Jaccard). Ties
        go to the higher article id, so the order never depends on how the index was filled."""
        self.load(*months)
        keys = band_keys(print_.signature[np.newaxis])[0]
        if self.shared:
            articles, signatures, sizes = self._stored_candidates(print_.signature, keys, months)
        else:
            found = [self.shards[month].matches(print_.signature, keys) for month in months]
            articles, signatures, sizes = (np.concatenate(parts) for parts in zip(*found))
        if exclude is not None:
            kept = articles != exclude
            articles, signatures, sizes = articles[kept], signatures[kept], sizes[kept]
        if not len(articles):
            return
        jaccard = (signatures == print_.signature).mean(axis=1)
        overlap = [(containment(j, print_.shingles, size), j, key)
                   for key, j, size in zip(articles.tolist(), jaccard.tolist(), sizes.tolist())]
        best = sorted((o for o in overlap if o[0] >= MIN_CONTAINMENT), reverse=True)[:MAX_VERIFIED]
        row_of = {key: row for row, key in enumerate(articles.tolist())}
        stored = self.archive.fingerprints([key for _, _, key in best])
        for _, j, key in best:
            if key in stored:
                yield (stored[key]["story_id"],
                       stored_fingerprint(signatures[row_of[key]], stored[key]), j)

    def _stored_candidates(self, signature: np.ndarray, keys: np.ndarray, months: list[str]):
        """The archive's articles sharing a band with the signature: a shared key is confirmed
        on the band's rows, as MonthShard.matches does, so colliding keys make no candidate."""
        articles, signatures, sizes = self.archive.band_candidates(
            METHOD, keys.view(np.int64).tolist(), months)
        if len(articles):
            mine = signature[:BANDED].reshape(LSH_BANDS, LSH_ROWS)
            theirs = signatures[:, :BANDED].reshape(-1, LSH_BANDS, LSH_ROWS)
            same = (theirs == mine).all(axis=2).any(axis=1)
            articles, signatures, sizes = articles[same], signatures[same], sizes[same]
        return articles, signatures, sizes
