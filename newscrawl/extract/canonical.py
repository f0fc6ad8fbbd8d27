"""Whether a page's canonical link can be the archive key.

A same-site canonical is trusted only when it is consistent with the page: the same article id
by the profile's pattern, else the same path (AMP and tracking spellings folded) or the same
last path segment or long numeric id. Pages whose canonicals all point to one URL (the home page,
a section, one story) would otherwise collapse into one row, the others dropped as duplicates.
A rejected canonical leaves the fetched URL as the key, and the article flagged.
"""

import re
from urllib.parse import parse_qsl, urlsplit

from ..normalize.urls import canonical_url, same_site
from ..urlkeys import without_amp

REJECTED_FLAG = "canonical_rejected"
_LONG_ID = re.compile(r"\d{6,}")
_DAY_NUMBER = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|amp)$", re.IGNORECASE)


def _key(url, amp_rules):
    return canonical_url(without_amp(url), amp_rules)


def _last_segment(path):
    return _EXTENSION.sub("", next((part for part in reversed(path.split("/")) if part), "")).lower()


def _ids(path):
    """Long numbers in a path that are not days (20230801): an article's id, when it has one."""
    return {n for n in _LONG_ID.findall(path) if not _DAY_NUMBER.fullmatch(n)}


def _names_a_record(fetched, canonical):
    """True when the fetched URL's query names a record (?id=123) that the canonical leaves out."""
    theirs = set(parse_qsl(urlsplit(canonical).query, keep_blank_values=True))
    return any(value.isdigit() for name, value in parse_qsl(urlsplit(fetched).query, keep_blank_values=True)
               if (name, value) not in theirs)


def consistent(fetched, canonical, profile=None):
    """Does canonical plausibly name the article fetched as fetched?"""
    amp_rules = profile.amp_rules if profile else ()
    fetched, canonical = _key(fetched, amp_rules), _key(canonical, amp_rules)
    if fetched == canonical:
        return True
    ours = profile.article_match(fetched) if profile else None
    if ours:
        theirs = profile.article_match(canonical)
        return bool(theirs) and theirs.group("id") == ours.group("id")
    path, their_path = urlsplit(fetched).path, urlsplit(canonical).path
    if their_path.strip("/") == "":
        return False  # the home page is no article's address
    if path.rstrip("/") == their_path.rstrip("/"):
        return not _names_a_record(fetched, canonical)
    tail = _last_segment(path)
    return (len(tail) >= 4 and tail == _last_segment(their_path)) or bool(_ids(path) & _ids(their_path))


def trusted_canonical(fetched, candidates, hosts, profile=None):
    """(key, rejected): the first same-site candidate consistent with the page, else fetched;
    rejected is True when the page named same-site canonicals and none was consistent."""
    named = False
    for url in candidates:
        try:
            if not url or not same_site(url, hosts):
                continue  # an off-site canonical (a syndicated copy's source) is never this page's key
            named = True
            if consistent(fetched, url, profile):
                return url, False
        except ValueError:  # not a URL at all ("http://[", a bad port)
            continue
    return fetched, named
