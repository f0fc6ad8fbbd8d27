"""Syndicated wire copy: recognise one story across sites and runs, keep different stories apart.

What copies share is the story's own text, so the dateline, outlet credits ("UrduPoint /
Pakistan Point News"), closing credits ("Source: Emirates News Agency") and page furniture
(ads, scripts, "Also Read" links) are taken off first. Candidates come from MinHash LSH over
word 3-grams of that text; a candidate is the same story only when

1. the texts overlap: most 3-grams of the shorter text are in the longer one, so a copy with
   its last paragraphs trimmed is still a copy, and the same event written up independently
   (other words, same facts) is not;
2. the facts of the headline and lead agree: every number in the headline and first sentences
   of each text, and the names (capitalised words) of those sentences, appear in the other.
   Template stories ("Fujairah Ruler condoles …" / "Ajman Ruler condoles …", each day's gold
   price) share nearly every word but these; an update with new facts (a new toll, the names
   of the arrested) brings lead facts the earlier text lacks, and is a story of its own;
3. they do not credit two different wire agencies: two agencies' reports of one event are two
   stories even where one borrowed the other's wording.

Copies are looked for among articles published in the same month or the months either side
(the index is kept per month, a few months loaded at a time), and the earliest published copy
is the story's first source.
An article re-fetched with changed text keeps its story when the story has other copies (the
site corrected its copy); its fingerprint is computed again either way.

fingerprints  the story's own text, its fingerprint and the rules that compare two
minhash       the MinHash signatures of fingerprints
bands         LSH over one month's signatures in numpy arrays
index         StoryIndex: the months loaded, articles linked to their stories
"""

from .bands import LSH_BANDS, LSH_ROWS, MonthShard, band_keys
from .fingerprints import (
    METHOD, MIN_CONTAINMENT, SHINGLE_WORDS, Fingerprint, containment, credited_agency,
    difference, fingerprint, lead_sentences, names, numbers, shingles, story_paragraphs,
    stored_fingerprint,
)
from .index import (
    INDEX_BUDGET, MAX_VERIFIED, NEARBY_MONTHS, StoryIndex, StoryLink, month_of, nearby_months,
)
from .minhash import NUM_PERM, SEED, minhash

__all__ = [
    "INDEX_BUDGET", "LSH_BANDS", "LSH_ROWS", "MAX_VERIFIED", "METHOD", "MIN_CONTAINMENT",
    "NEARBY_MONTHS", "NUM_PERM", "SEED", "SHINGLE_WORDS", "Fingerprint", "MonthShard",
    "StoryIndex", "StoryLink", "band_keys", "containment", "credited_agency", "difference",
    "fingerprint", "lead_sentences", "minhash", "month_of", "names", "nearby_months", "numbers",
    "shingles", "story_paragraphs", "stored_fingerprint",
]
