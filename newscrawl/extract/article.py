"""Article extraction: the profile's selectors first, then structured data, then page meta."""

from datetime import datetime, timezone

from ..loaders import ArticleLoader
from ..normalize.bylines import parse_byline
from ..normalize.dates import http_date_to_datetime
from ..normalize.datelines import parse_dateline
from ..normalize.provenance import choose_published, date_from_url, dateline_disagrees
from ..normalize.urls import same_site
from ..profiles.base import Fields
from .html import all_texts, body_paragraphs, first_text, json_ld_article, json_ld_names, meta


def _canonical_link(response, profile):
    """rel=canonical (or og:url) when it points at this site; AMP and copies point home."""
    hosts = (profile.hosts if profile else ()) + (response.urljoin("/").split("/")[2].split(":")[0],)
    for href in (response.xpath('//link[@rel="canonical"]/@href').get(), meta(response, "og:url")):
        if href and same_site(response.urljoin(href.strip()), hosts):
            return response.urljoin(href.strip())
    return response.url


def _image(ld):
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url")
    return image if isinstance(image, str) else None


def extract_article(response, profile=None, *, fetched_at=None, listing_published=None):
    """The Article a response holds, normalized; fields the page lacks stay unset.

    listing_published: the time the listing that linked the page printed for it, if any.
    """
    fields = profile.fields if profile else Fields()
    fetched_at = fetched_at or datetime.now(timezone.utc)
    ld = json_ld_article(response)
    date_options = {
        "tz": profile.timezone if profile else "UTC",
        "languages": profile.languages if profile else ("en",),
        "formats": profile.date_formats if profile else (),
        # Relative times ("41 minutes ago") count back from when the server answered.
        "relative_base": http_date_to_datetime(response.headers.get("Date")) or fetched_at,
    }
    loader = ArticleLoader(
        response=response,
        timezone=date_options["tz"],
        languages=date_options["languages"],
        date_formats=date_options["formats"],
        amp_rules=profile.amp_rules if profile else (),
        relative_base=date_options["relative_base"],
    )
    canonical = _canonical_link(response, profile)
    loader.add_value("url", response.url)
    loader.add_value("canonical_url", canonical)
    loader.add_value("site", profile.name if profile else None)
    match = (profile.article_match(canonical) or profile.article_match(response.url)) if profile else None
    if match:
        loader.add_value("article_id", match.group("id"))
        loader.add_value("section", match.group("section"))
    lang = response.xpath("/html/@lang").get()
    loader.add_value("language", (lang or "").split("-")[0].lower() or None)
    loader.add_value("language", profile.languages[0] if profile else None)

    loader.add_value("title", first_text(response, fields.title))
    loader.add_value("title", ld.get("headline"))
    loader.add_value("title", meta(response, "og:title"))
    loader.add_value("subtitle", first_text(response, fields.subtitle))

    byline_raw = first_text(response, fields.byline)
    byline = parse_byline(byline_raw)
    loader.add_value("byline_raw", byline_raw)
    loader.add_value("authors", list(byline.authors) or json_ld_names(ld.get("author")))

    container = response.css(fields.body)[:1] if fields.body else []
    paragraphs = body_paragraphs(container[0], fields.body_drop) if container else []
    loader.add_value("body", paragraphs)
    dateline = parse_dateline(paragraphs[0]) if paragraphs else None

    published, source = choose_published([
        ("json-ld", ld.get("datePublished")),
        ("meta", meta(response, "article:published_time", "datePublished", "og:published_time")),
        ("byline", byline.date_text),
        ("byline", byline.relative_text),
        ("listing", listing_published),
        ("url", date_from_url(response.url)),
        ("dateline", dateline.date if dateline else None),
    ], **date_options)
    loader.add_value("published_at", published)
    loader.add_value("published_source", source)
    loader.add_value("modified_at", ld.get("dateModified"))
    loader.add_value("modified_at", meta(response, "article:modified_time", "dateModified"))
    if dateline:
        loader.add_value("dateline", dateline.as_dict(published))
        if dateline_disagrees(published, loader.get_output_value("dateline").get("date")):
            loader.add_value("flags", "dateline_date_mismatch")
    loader.add_value("agency", byline.agency)
    loader.add_value("agency", dateline.agency if dateline else None)

    loader.add_value("tags", all_texts(response, fields.tags))
    loader.add_value("image_url", meta(response, "og:image") or _image(ld) or
                     (response.css(fields.image).attrib.get("src") if fields.image else None))
    loader.add_value("fetched_at", fetched_at.astimezone(timezone.utc).isoformat(timespec="seconds"))
    return loader.load_item()
