"""Exact per-field checks for the sets with hand-written truth (wire-fixtures, urdupoint):
every non-null truth field, page by page, newscrawl beside trafilatura."""

from __future__ import annotations

import re
from datetime import datetime

from .eval_scores import load_set, newscrawl_article, page_bytes

# --- field truth ----------------------------------------------------------------------------

def _collapse(text):
    return " ".join((text or "").split())


def _aware(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def same_time(truth, ours):
    """Equal at the precision the truth gives: a day compares days, a zone-less time compares
    the wall clock (to the minute or second it states), an offset compares instants. A
    zone-less midnight is a day (newspaper4k's form for a date without a time)."""
    if not ours:
        return False
    if len(truth) == 10 or re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00(?::00)?", truth):
        return ours[:10] == truth[:10]
    if len(ours) == 10:
        return False  # the page gave us only a day
    expected, got = _aware(truth), _aware(ours)
    if expected.tzinfo is None:
        width = len(truth)  # "2023-02-21T21:20" or "...:00"
        return got.replace(tzinfo=None).isoformat()[:width] == truth[:width]
    return expected == got


def _agency_credit(names):
    """The agency when every credited name is an organization such as "Central News Agency"."""
    from newscrawl.normalize.agencies import canonical_agency
    from newscrawl.normalize.bylines import parse_byline

    agencies = []
    for name in names:
        # A bilingual credit ("中央通訊社 Central News Agency") is the agency its Latin part names.
        latin = " ".join(re.findall(r"[A-Za-z][\w.&'-]*", name))
        agencies.append(canonical_agency(name) or canonical_agency(latin) or
                        (parse_byline(name).agency if not parse_byline(name).authors else None))
    return agencies[0] if agencies and all(agencies) else None


def _authors(truth, article):
    """Persons only: a truth that credits an agency expects no author and that agency."""
    agency = _agency_credit(truth)
    if agency:
        return article.get("authors") in ([], None) and article.get("agency") == agency
    return (article.get("authors") or []) == truth


# truth key -> (newscrawl check(truth value, article), trafilatura check(truth value, document dict) or None)
FIELD_RULES = {
    "title": (lambda t, a: a.get("title") == t, lambda t, d: d.get("title") == t),
    "subtitle": (lambda t, a: a.get("subtitle") == t, lambda t, d: d.get("description") == t),
    "authors": (_authors, lambda t, d: [n.strip() for n in (d.get("author") or "").split(";") if n.strip()] == t),
    "published": (lambda t, a: same_time(t, a.get("published_at")), lambda t, d: same_time(t, d.get("date"))),
    "modified_raw": (lambda t, a: same_time(t.replace("/", "-").replace(" ", "T"), a.get("modified_at")), None),
    "section": (lambda t, a: a.get("section") == t,
                lambda t, d: (d.get("categories") or [None])[0] == t),
    "tags": (lambda t, a: (a.get("tags") or []) == t, lambda t, d: (d.get("tags") or []) == t),
    "dateline": (lambda t, a: a.get("dateline") == t, None),
    "site": (lambda t, a: a.get("site") == t, None),
    "canonical_url": (lambda t, a: a.get("canonical_url") == t, lambda t, d: d.get("url") == t),
    "body": (lambda t, a: _collapse(a.get("body")) == _collapse(t),
             lambda t, d: _collapse(d.get("text")) == _collapse(t)),
    "body_starts_with": (lambda t, a: _collapse(a.get("body")).startswith(_collapse(t)),
                         lambda t, d: _collapse(d.get("text")).startswith(_collapse(t))),
    "body_ends_with": (lambda t, a: _collapse(a.get("body")).endswith(_collapse(t)),
                       lambda t, d: _collapse(d.get("text")).endswith(_collapse(t))),
}
SKIPPED = {
    "published_raw": "raw form of `published`",
    "author_raw": "raw form of `authors`",
    "meta_keywords": "the page's SEO keywords; the set's README says they are not tag truth",
    "amp_url": "not an Article field: newscrawl folds AMP URLs into the canonical one",
    "summary": "the JSON-LD description; newscrawl stores no description (its subtitle is a printed "
               "standfirst, and this one repeats the lead paragraph)",
    "more_stories_links": "a crawl-policy list (profile.more_stories), scored on its own",
}
PROVENANCE = {"id", "url", "page", "source", "truth_source", "notes", "truth_kind", "truth_notes", "body_source"}
# How a truth is read where the project's conventions differ from the set's; printed with the table.
FIELD_NOTES = [
    "authors: a truth that credits only an organization (goose3's JSON-LD Organization \"中央通訊社 Central "
    "News Agency\") matches no author plus that agency: newscrawl never stores an agency as an author.",
    "published: an offset compares instants (without a profile newscrawl keeps the page's own offset, else "
    "UTC); a zone-less time compares the wall clock; a zone-less midnight (newspaper4k's day-only form) "
    "compares the day.",
    "modified_raw: CNA's \"2023/02/21 22:08\" (Taiwan wall clock) against modified_at's wall clock.",
]
# Keys a set's README lists as provenance although other sets use the name for a field.
SET_PROVENANCE = {"wire-fixtures": {"site"}}


def trafilatura_document(html, url):
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    return document.as_dict() if document is not None else {}


def more_stories(path, url):
    """The "More Stories" links the spider would follow, read with the site profile's selector."""
    from scrapy.http import HtmlResponse

    from newscrawl.profiles import profile_for_url

    profile = profile_for_url(url)
    if profile is None or not profile.more_stories:
        return None
    response = HtmlResponse(url, body=page_bytes(path), encoding=profile.encoding)
    # Each story is linked twice (picture and headline); the spider requests it once.
    return list(dict.fromkeys(response.urljoin(href) for href in response.css(profile.more_stories).getall()))


def field_checks(name):
    """Per page, per truth field: (newscrawl correct, trafilatura correct or None)."""
    results = []
    for record, path in load_set(name):
        article = newscrawl_article(path, record["url"])
        document = trafilatura_document(page_bytes(path), record["url"])
        checks = {}
        for key, truth in record.items():
            if truth is None or key in PROVENANCE | SET_PROVENANCE.get(name, set()) \
                    or key in SKIPPED and key != "more_stories_links":
                continue
            if key == "more_stories_links":
                checks[key] = (more_stories(path, record["url"]) == truth, None)
                continue
            ours, theirs = FIELD_RULES[key]
            checks[key] = (bool(ours(truth, article)), bool(theirs(truth, document)) if theirs else None)
        results.append({"id": record["id"], "checks": checks, "article": article})
    return results


def field_summary(results):
    """field -> {"pages", "newscrawl", "trafilatura", "missed": [ids]} exact-match counts."""
    summary = {}
    for page in results:
        for key, (ours, theirs) in page["checks"].items():
            row = summary.setdefault(key, {"pages": 0, "newscrawl": 0, "trafilatura": 0,
                                           "trafilatura_comparable": 0, "missed": []})
            row["pages"] += 1
            row["newscrawl"] += ours
            if theirs is not None:
                row["trafilatura_comparable"] += 1
                row["trafilatura"] += theirs
            if not ours:
                row["missed"].append(page["id"])
    return summary
