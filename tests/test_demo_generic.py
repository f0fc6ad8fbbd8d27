"""The bundled Gulf Wire demo (no profile), served on 127.0.0.1 and fetched over HTTP."""
import json
import urllib.error
import urllib.request
import urllib.robotparser
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector

from newscrawl.demo import generic as site
from newscrawl.demo.server import SITES, running_server


def fetch(server, path, headers=None):
    request = urllib.request.Request(server.base_url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def links(html):
    return Selector(html).css("a::attr(href), link[rel=next]::attr(href)").getall()


def og_type(html):
    return Selector(html).css('meta[property="og:type"]::attr(content)').get()


@pytest.fixture(scope="module")
def server():
    with running_server("gulfwire") as srv:
        yield srv


@pytest.fixture(scope="module")
def crawl(server):
    """A polite breadth-first walk from the home page: same host, robots.txt obeyed, fragments and
    share links ignored. {path?query: (status, html)}"""
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(fetch(server, "/robots.txt")[2].splitlines())
    host = urlsplit(server.base_url).netloc
    queue, seen, pages = ["/"], {"/"}, {}
    while queue:
        target = queue.pop(0)
        status, _, text = fetch(server, target)
        pages[target] = (status, text)
        for href in links(text) if status == 200 else ():
            url = urlsplit(urljoin(server.base_url + target, href))
            key = url.path + (f"?{url.query}" if url.query else "")
            if url.netloc == host and key not in seen and robots.can_fetch("*", key):
                seen.add(key)
                queue.append(key)
    return pages


# --------------------------------------------------------------------------------------------- the model

def test_model_counts_and_special_cases():
    articles = site.articles()
    assert len(articles) >= 24 and len({a.path for a in articles}) == len(articles)
    assert [a.path for a in site.expected_stored()] == [a.path for a in articles]
    assert {s: sum(len(site.listing(s, p)) for p in range(1, site.PAGES + 1)) for s in site.SECTIONS} == \
        {"world": 12, "business": 12}
    assert sum(a.path.startswith("/news/") for a in articles) >= 10
    assert sum(a.path.startswith("/2023/07/") for a in articles) >= 10
    assert 10 <= sum(a.json_ld for a in articles) <= len(articles) - 10
    only = site.article(site.RELATED_ONLY_ID)
    assert not only.listed and only in site.related(site.article(site.RELATED_FROM_ID))
    assert site.NOW.isoformat() == "2023-07-29T18:00:00+04:00"
    assert all(a.published <= site.NOW for a in articles)


def test_wire_copy_opens_with_its_dateline_and_credits_the_agency():
    wire = [a for a in site.articles() if a.agency]
    assert {a.agency for a in wire} == {"WAM", "Reuters", "AFP"}
    for a in wire:
        assert a.body[0].startswith(f"{a.dateline['location']}, ") and f"({a.agency})" in a.body[0]
        assert a.dateline["date"] == a.published_at[:10] and a.byline == f"By {a.agency}" and not a.authors
    assert site.article("41027425").body[0].startswith("ABU DHABI, July 29 (WAM) -- ")
    assert all(a.authors and a.dateline is None for a in site.articles() if not a.agency)


def test_render_is_pure_and_links_follow_the_host_header():
    first = site.render("/world/?page=2", "news.test:8080")
    assert first == site.render("/world/?page=2", "news.test:8080")
    hrefs = [h for h in links(first[1]) if not h.startswith(("https://", "mailto:"))]
    assert hrefs and all(h.startswith("http://news.test:8080/") for h in hrefs)
    assert "evil" not in site.render("/", "evil.example/<script>")[1]


def test_registered_as_gulfwire():
    assert SITES["gulfwire"] is site


# ------------------------------------------------------------------------------------------- over HTTP

def test_home_links_to_the_sections_and_site_pages(server):
    status, headers, html = fetch(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Date"] == "Sat, 29 Jul 2023 14:00:00 GMT"
    paths = {urlsplit(h).path for h in links(html)}
    assert {"/world/", "/business/", "/about/", "/contact/", site.VIDEO_PATH} <= paths


@pytest.mark.parametrize("section", site.SECTIONS)
def test_listing_pages_chain_by_rel_next_and_a_visible_link(server, section):
    for page in range(1, site.PAGES + 1):
        status, _, html = fetch(server, site.listing_path(section, page))
        sel = Selector(html)
        assert status == 200
        rel_next = sel.css("link[rel=next]::attr(href)").get()
        visible = sel.xpath('//a[contains(., "Older stories »")]/@href').get()
        if page < site.PAGES:
            assert rel_next == visible == server.base_url + f"/{section}/?page={page + 1}"
        else:
            assert rel_next is None and visible is None
        items = sel.css("section.story-list article.card")
        assert items and all(item.css("time::attr(datetime)").get() for item in items)
        listed = [urlsplit(h).path for h in sel.css("article.card h3 a::attr(href)").getall()]
        assert [a.path for a in site.listing(section, page)] == [p for p in listed if p in site._by_path()]
    assert fetch(server, f"/{section}/?page={site.PAGES + 1}")[0] == 404


def test_articles_are_articles(server):
    for a in site.articles():
        status, _, html = fetch(server, a.path)
        sel = Selector(html)
        assert status == 200 and og_type(html) == "article"
        assert sel.css("link[rel=canonical]::attr(href)").get() == server.base_url + a.path
        assert [p.strip() for p in sel.css("article .story-body p::text").getall()] == a.body
        assert sel.css("article .byline").xpath("string()").get().strip() == a.byline
        ld = [json.loads(s) for s in sel.css('script[type="application/ld+json"]::text').getall()]
        meta = sel.css('meta[property="article:published_time"]::attr(content)').get()
        if a.json_ld:
            assert ld[0]["@type"] == "NewsArticle" and ld[0]["datePublished"] == a.published_at and meta is None
        else:
            assert not ld and meta == a.published_at
        assert sel.css("aside.related h2::text").get() == "Related stories"
        assert sel.css("div.share a") and sel.css("footer.site-footer")


def test_related_only_article_is_linked_from_one_article_and_nothing_else(crawl):
    only = site.article(site.RELATED_ONLY_ID).path
    linking = [path for path, (status, html) in crawl.items()
               if status == 200 and path != only and only in {urlsplit(h).path for h in links(html)}]
    assert linking == [site.article(site.RELATED_FROM_ID).path]


def test_offsite_and_private_links_are_listed_but_not_for_crawling(server, crawl):
    world = fetch(server, "/world/")[2]
    business = fetch(server, "/business/")[2]
    assert site.OFFSITE_URL in links(world)
    assert server.base_url + site.PRIVATE_PATH in links(business)
    assert fetch(server, "/robots.txt")[2] == "User-agent: *\nDisallow: /private/\n"
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(site.ROBOTS_TXT.splitlines())
    assert not robots.can_fetch("newscrawl", server.base_url + site.PRIVATE_PATH)
    assert robots.can_fetch("newscrawl", server.base_url + "/world/")
    assert site.PRIVATE_PATH not in crawl


def test_non_article_pages_are_not_articles(server):
    for path in site.NON_ARTICLE_PATHS:
        status, _, html = fetch(server, path)
        assert status == 200 and og_type(html) != "article", path
    video = Selector(fetch(server, site.VIDEO_PATH)[2])
    assert video.css("video") and not video.css("article")


def test_a_polite_crawl_finds_exactly_the_expected_articles(crawl):
    found = {path for path, (status, html) in crawl.items() if status == 200 and og_type(html) == "article"}
    assert found == {a.path for a in site.expected_stored()}
    assert set(site.NON_ARTICLE_PATHS) <= set(crawl)
    assert all(status == 200 for status, _ in crawl.values())


@pytest.mark.parametrize("path", ["/nowhere/", "/news/99999999-missing", "/2023/07/29/missing/", "/world/?page=x",
                                  "/tag/none/", "/author/nobody/"])
def test_unknown_paths_answer_404(server, path):
    assert fetch(server, path)[0] == 404
