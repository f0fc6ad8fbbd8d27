"""URL canonicalization: one key per article however it was linked."""

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that identify a campaign or a click, never a different page.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "ref", "ref_src", "ref_url", "cmpid", "ito", "ocid", "share", "s_cid", "_ga",
})
TRACKING_PREFIXES = ("utm_", "__twitter", "hsa_", "pk_", "mtm_")


def http_url(value, base=None):
    """`value` as an absolute http(s) URL with a host (resolved against `base` when it is
    relative), or None: a page's og:image or canonical may be "javascript:alert(1)", "data:…"
    or junk, and no URL field may hold anything a browser would run or a crawler cannot fetch."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        has_host = bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return None
    if parts.scheme.lower() not in ("http", "https") or not has_host:
        return None
    return url


def _is_tracking(name):
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def strip_tracking(url):
    """Drop tracking parameters and the fragment; keep every other parameter."""
    query = urlsplit(url).query
    tracking = [k for k, _ in parse_qsl(query, keep_blank_values=True) if _is_tracking(k)]
    if tracking:
        url = url_query_cleaner(url, tracking, remove=True, unique=False)
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def canonical_url(url, amp_rules=()):
    """The archive key of an article URL.

    Tracking parameters and fragments go, the host is lower-cased, remaining parameters are
    sorted (w3lib), and a site's AMP path is folded into the normal one by its (regex,
    replacement) rules.
    """
    url = http_url(url)
    if not url:
        return None
    # The rules as a tuple of pairs, so that they can key the cache (a profile's are already).
    return _canonical_url(url.strip(), tuple(map(tuple, amp_rules)))


@lru_cache(maxsize=4096)  # a site's links come back on every listing page and "More Stories" box
def _canonical_url(url, amp_rules):
    url = strip_tracking(url)
    for pattern, replacement in amp_rules:
        url = re.sub(pattern, replacement, url)
    return canonicalize_url(url, keep_fragments=False)


def same_site(url, hosts):
    """True when url's host is one of hosts or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)
