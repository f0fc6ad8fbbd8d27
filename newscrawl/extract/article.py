"""Article extraction: the profile's selectors first, then structured data, then the generic
reading of the page (newscrawl.extract.generic) for whatever is still missing.

Generic values are computed only for fields still empty, so a profiled page whose selectors
work never runs the generic body extractor (trafilatura) or htmldate.
"""

from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlsplit

from ..loaders import ArticleLoader
from ..normalize.bylines import parse_byline
from ..normalize.dates import http_date_to_datetime, read_datetime
from ..normalize.datelines import parse_dateline, parse_trailer
from ..normalize.date_checks import latest_publication
from ..normalize.provenance import (Published, date_from_url, dateline_disagrees, days_apart, page_zone,
                                   printed_date_wins, read_published)
from ..profiles.base import Fields
from ..profiles.fallback import body_ok, checked, field_sources
from ..urlkeys import article_key, without_amp
from .canonical import REJECTED_FLAG, trusted_canonical
from .generic import GenericPage
from .html import all_texts, body_paragraphs, canonical_href, first_text, select

ORIGIN_META = "site_origin"          # request meta: the crawl's own scheme and host (urlkeys.on_origin)
PROBLEMS_META = "extract_problems"   # request meta: a Counter of what extraction ignored, for the stats
BYLINE_LIMIT = 300                   # characters: real bylines, with dates and handles, stay under 150


def _meta(response):
    """The request's meta; {} for a page read on its own (`newscrawl extract`)."""
    try:
        return response.meta
    except AttributeError:
        return {}


def _urljoin(response, href):
    try:
        return response.urljoin(href.strip())
    except ValueError:
        return None


def _archive_key(response, profile, generic):
    """(key, rejected): the page's canonical link (or og:url) when it is on this site and
    consistent with the page (canonical.py), else the fetched URL with its variants folded
    onto the crawl's origin (urlkeys.py; the spider's base URL, set by SiteOriginMiddleware)."""
    hosts = (profile.hosts if profile else ()) + (urlsplit(response.url).hostname or "",)
    candidates = [_urljoin(response, href) for href in (canonical_href(generic.root), generic.meta("og:url")) if href]
    key, rejected = trusted_canonical(response.url, candidates, hosts, profile)
    if key is response.url:
        return article_key(response.url, _meta(response).get(ORIGIN_META)), rejected
    return without_amp(key), rejected


def _capped_byline(text):
    """(text, cut): a byline cut to BYLINE_LIMIT; a longer one is page text caught as a byline."""
    if text and len(text) > BYLINE_LIMIT:
        return text[:BYLINE_LIMIT].rsplit(" ", 1)[0], True
    return text, False


def _without_byline(paragraphs, byline):
    """Paragraphs that are not the byline (a page may print it again inside the story)."""
    if not byline:
        return paragraphs
    return [p for p in paragraphs if not (p == byline or (len(p) >= BYLINE_LIMIT and p.startswith(byline)))]


def _image(ld):
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url")
    return image if isinstance(image, str) else None


def _profile_image(root, css):
    images = select(root, css) if css else []
    return images[0].get("src") if images else None


def _fill(loader, field, compute):
    """Add compute()'s value to a field that nothing has filled yet (compute runs only then)."""
    if not loader.get_collected_values(field):
        loader.add_value(field, compute())


def _machine_times(response, ld, generic):
    """The page's machine-readable publication and modification times, lazily."""
    yield ld.get("datePublished")
    yield ld.get("dateModified")
    yield generic.meta("article:published_time", "datePublished", "og:published_time")
    yield from (text for _, text in generic.published_candidates())
    yield generic.meta("article:modified_time", "dateModified")


def _published_candidates(response, ld, generic, byline, listing_published, dateline):
    """(source, text) pairs, most trusted first; lazily, so the costly guesses at the end (the
    generic page's byline, htmldate) run only when nothing before them gave a date."""
    yield "json-ld", ld.get("datePublished")
    yield "meta", generic.meta("article:published_time", "datePublished", "og:published_time")
    yield from generic.published_candidates()
    # A page with no byline selector (or one that finds nothing) may print its date in a byline.
    byline = byline or parse_byline(generic.byline_text)
    yield "byline", byline.date_text
    yield "byline", byline.relative_text
    yield "listing", listing_published
    yield "url", date_from_url(response.url)
    yield "dateline", dateline.date if dateline else None
    yield "htmldate", generic.fallback_date()


def _settled(published, byline, generic, date_options):
    """The structured date, unless the byline prints a day more than a day away and htmldate's
    original date sides with the byline (generic pages only: a profile's byline is the site's)."""
    if published.source not in ("json-ld", "meta") or not byline.date_text:
        return published
    printed = read_datetime(byline.date_text, **date_options).value
    if (days_apart(published.value, printed) or 0) <= 1:
        return published  # no disagreement: htmldate is not run
    if printed_date_wins(published.value, printed, generic.fallback_date()):
        return Published(printed, "byline", published.flags)
    return published


def extract_article(response, profile=None, *, fetched_at=None, listing_published=None):
    """The Article a response holds, normalized; fields the page lacks stay unset.

    listing_published: the time the listing that linked the page printed for it, if any.
    """
    fetched_at = fetched_at or datetime.now(timezone.utc)
    generic = GenericPage(response)
    # The layout the page shows; a selector that finds nothing, or a value failing its field's
    # check, leaves the field to the generic reading (profiles/fallback.py).
    fields, _ = profile.layout_for(generic.root) if profile else (Fields(), None)
    from_profile = set()
    ld = generic.structured.json_ld
    date_options = {
        # No profile: the page's own offset, read from its machine-readable times, else UTC.
        "tz": profile.timezone if profile else (page_zone(_machine_times(response, ld, generic)) or "UTC"),
        "languages": profile.languages if profile else ("en",),
        "formats": profile.date_formats if profile else (),
        "date_order": profile.date_order if profile else generic.date_order,
        # A page cannot be published after it was fetched (a day of clock skew allowed).
        "not_after": latest_publication(fetched_at),
        # Relative times ("41 minutes ago") count back from when the server answered.
        "relative_base": http_date_to_datetime(response.headers.get("Date")) or fetched_at,
    }
    loader = ArticleLoader(
        # The response's own selector: given only the response, the loader would parse it again.
        selector=response.selector,
        response=response,
        timezone=date_options["tz"],
        languages=date_options["languages"],
        date_formats=date_options["formats"],
        date_order=date_options["date_order"],
        not_after=date_options["not_after"],
        amp_rules=profile.amp_rules if profile else (),
        relative_base=date_options["relative_base"],
    )
    canonical, canonical_rejected = _archive_key(response, profile, generic)
    loader.add_value("url", response.url)
    loader.add_value("canonical_url", canonical)
    if canonical_rejected:
        loader.add_value("flags", REJECTED_FLAG)
    loader.add_value("site", profile.name if profile else None)
    match = (profile.article_match(canonical) or profile.article_match(response.url)) if profile else None
    if match:
        loader.add_value("article_id", match.group("id"))
        loader.add_value("section", match.group("section"))
    _fill(loader, "section", lambda: generic.section)
    lang = response.xpath("/html/@lang").get()
    loader.add_value("language", (lang or "").split("-")[0].lower() or None)
    loader.add_value("language", profile.languages[0] if profile else None)
    _fill(loader, "language", lambda: generic.language)

    root = generic.root
    title = checked("title", first_text(root, fields.title))
    loader.add_value("title", title)
    from_profile.update(("title",) if title else ())
    _fill(loader, "title", lambda: generic.title)

    byline_raw, byline_cut = _capped_byline(checked("byline", first_text(root, fields.byline)))
    from_profile.update(("byline_raw", "authors") if byline_raw else ())
    if byline_cut:
        loader.add_value("flags", "byline_raw_truncated")

    container = select(root, fields.body)[:1] if fields.body else []
    # The byline is never story text, wherever the page prints it.
    drop = tuple(fields.body_drop) + ((fields.byline,) if fields.byline else ())
    paragraphs = body_paragraphs(container[0], drop) if container else []
    paragraphs = paragraphs if body_ok(paragraphs) else []
    from_profile.update(("body",) if paragraphs else ())
    generic.profile_body = paragraphs or None
    paragraphs = _without_byline(paragraphs or generic.body, byline_raw)
    loader.add_value("body", paragraphs)
    dateline = parse_dateline(paragraphs[0]) if paragraphs else None

    byline = parse_byline(byline_raw)
    generic.profile_byline = byline_raw
    loader.add_value("byline_raw", byline_raw)
    _fill(loader, "byline_raw", lambda: _capped_byline(generic.byline_text or generic.meta("author"))[0])
    loader.add_value("authors", list(byline.authors))
    _fill(loader, "authors", lambda: list(generic.byline.authors))

    subtitle = checked("subtitle", first_text(root, fields.subtitle))
    loader.add_value("subtitle", subtitle)
    from_profile.update(("subtitle",) if subtitle else ())
    _fill(loader, "subtitle", lambda: generic.subtitle(paragraphs[0] if paragraphs else None))

    published = read_published(
        _published_candidates(response, ld, generic, byline_raw and byline, listing_published, dateline),
        **date_options)
    if profile is None:
        published = _settled(published, byline if byline_raw else parse_byline(generic.byline_text), generic,
                             date_options)
    published, source, date_flags = published
    loader.add_value("published_at", published)
    loader.add_value("published_source", source)
    loader.add_value("flags", list(date_flags))
    loader.add_value("modified_at", ld.get("dateModified"))
    loader.add_value("modified_at", generic.meta("article:modified_time", "dateModified"))
    _fill(loader, "modified_at", generic.modified_candidates)
    if dateline:
        loader.add_value("dateline", dateline.as_dict(published))
        if dateline_disagrees(published, loader.get_output_value("dateline").get("date")):
            loader.add_value("flags", "dateline_date_mismatch")
    loader.add_value("agency", byline.agency)
    loader.add_value("agency", dateline.agency if dateline else None)
    # A closing credit ("– Emirates News Agency, WAM –", "Source: APP") names the agency too.
    loader.add_value("agency", parse_trailer(paragraphs[-1]) if paragraphs else None)
    _fill(loader, "agency", lambda: generic.byline.agency)

    tags = checked("tags", all_texts(root, fields.tags))
    loader.add_value("tags", tags)
    from_profile.update(("tags",) if tags else ())
    _fill(loader, "tags", lambda: generic.tags)
    loader.add_value("image_url", generic.meta("og:image") or _image(ld) or _profile_image(root, fields.image))
    _fill(loader, "image_url", lambda: generic.image)
    loader.add_value("fetched_at", fetched_at.astimezone(timezone.utc).isoformat(timespec="seconds"))
    article = loader.load_item()
    _meta(response).setdefault(PROBLEMS_META, Counter()).update(generic.structured.problems)
    if "authors" not in article and (article.get("byline_raw") or article.get("agency")):
        article["authors"] = []  # the credit was read and names no person (agency copy)
    if profile:
        article["field_sources"] = field_sources(fields, from_profile, article)
    return profile.cleanup(article, response) if profile and profile.cleanup else article
