"""One archive key for the spellings of one article's URL that normalize/urls.py leaves apart:
its AMP forms (`?amp`, `?amp=1`, `?outputType=amp`, a trailing `/amp`) and, for the crawl's own
site, http/https and `www.`/bare host. The crawl's site is named by an origin (the spider's base
URL): its scheme and host are the ones kept, so a local copy keeps its own address.
"""

import re
from urllib.parse import unquote, urlsplit, urlunsplit

_AMP_PATH = re.compile(r"/amp(/?)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_amp_parameter(piece):
    name, _, value = piece.partition("=")
    name, value = unquote(name).lower(), unquote(value).lower()
    return (name == "amp" and value in ("", "1", "true")) or (name == "outputtype" and value == "amp")


def without_amp(url):
    """url without the AMP markers news sites add to an article's address (the rest as written)."""
    parts = urlsplit(url)
    pieces = parts.query.split("&") if parts.query else []
    kept = [piece for piece in pieces if piece and not _is_amp_parameter(piece)]
    path = _AMP_PATH.sub(r"\1", parts.path) if parts.path.count("/") > 1 else parts.path
    if len(kept) == len(pieces) and path == parts.path:
        return url
    return urlunsplit(parts._replace(path=path, query="&".join(kept)))


def _bare_host(host):
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def _port(parts):
    try:
        return parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None


def on_origin(url, origin):
    """url with origin's scheme and host when it names origin's host up to `www.` and scheme."""
    if not origin or not url:
        return url
    parts, home = urlsplit(url), urlsplit(origin)
    if parts.scheme.lower() not in _DEFAULT_PORTS or not home.hostname or parts.username or parts.password:
        return url
    if _bare_host(parts.hostname) != _bare_host(home.hostname):
        return url
    ports = {_port(parts), _port(home)}
    if len(ports) > 1 and not ports <= set(_DEFAULT_PORTS.values()):
        return url  # another port is another server
    netloc = home.hostname + (f":{home.port}" if home.port else "")
    return urlunsplit(parts._replace(scheme=home.scheme.lower(), netloc=netloc))


def article_key(url, origin=None):
    """The address one article is archived under, whichever variant was fetched."""
    return on_origin(without_amp(url), origin) if url else url
