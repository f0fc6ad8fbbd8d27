"""Who a page belongs to when no profile says: the registered domain as `site`, and the site's
own id when its article URLs end in a number."""

import re
from functools import lru_cache
from ipaddress import ip_address
from urllib.parse import urlsplit

import tldextract

# Offline: the public-suffix snapshot bundled with tldextract, never a download.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
# A number of 4+ digits ending the last path segment ("…-1730810.html", "/story/4102741/"), or the
# whole last segment; years (/2023/) and short counters (/page/2) are not ids.
_TRAILING_ID = re.compile(r"(?:^|[-_/])(\d{4,})(?:\.[a-z]{2,5})?/?$", re.IGNORECASE)
_YEAR = re.compile(r"(19|20)\d{2}")


@lru_cache(maxsize=1024)
def site_of(host):
    """"www.urdupoint.com" -> "urdupoint.com", "news.bbc.co.uk" -> "bbc.co.uk"; a bare IP address or
    a name with no public suffix (localhost) is its own site."""
    host = (host or "").strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    try:
        ip_address(host)
        return host
    except ValueError:
        pass
    return _EXTRACT(host).top_domain_under_public_suffix or (host[4:] if host.startswith("www.") else host)


def article_id_of(url):
    """The numeric id ending an article URL's path, or None."""
    path = urlsplit(url or "").path
    found = _TRAILING_ID.search(path)
    if not found or (len(found.group(1)) == 4 and _YEAR.fullmatch(found.group(1))):
        return None
    return found.group(1)
