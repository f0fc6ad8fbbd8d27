"""The bundled UrduPoint-like demo site, served on 127.0.0.1 and fetched over HTTP."""
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from newscrawl.demo import urdupoint as site
from newscrawl.demo.server import SITES, make_server, running_server

ARTICLE_PATH = re.compile(r"/en/(?:amp/)?(world|pakistan|business)/[a-z0-9-]+-(\d{7})\.html")
FOLLOWED = ("ul.pagination a::attr(href), div.news_big_item a::attr(href), ul.news_list li a::attr(href), "
            "ul.widget_list li a::attr(href), a.relc_box::attr(href)")


def fetch(server, path, headers=None):
    request = urllib.request.Request(server.base_url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


@pytest.fixture(scope="module")
def server():
    with running_server() as srv:
        fetch(srv, site.article(site.FLAKY_ID).path)   # spend the flaky article's one failure
        yield srv


@pytest.fixture(scope="module")
def crawl(server):
    """Breadth-first walk of listings and widgets, links taken without query or fragment: {path: (status, html)}."""
    queue = [site.listing_path(s, 1) for s in site.SECTIONS]
    seen, pages = set(queue), {}
    while queue:
        path = queue.pop(0)
        status, _, text = fetch(server, path)
        pages[path] = (status, text)
        if status == 200:
            for href in Selector(text).css(FOLLOWED).getall():
                link = urlsplit(href).path
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return pages


def listing_hrefs(server, section=None):
    hrefs = []
    for s in [section] if section else site.SECTIONS:
        for page in range(1, site.PAGES + 1):
            sel = Selector(fetch(server, site.listing_path(s, page))[2])
            hrefs += sel.css("div.news_big_item > a::attr(href), ul.news_list li > a::attr(href)").getall()
    return [urlsplit(h)._replace(scheme="", netloc="").geturl() for h in hrefs]


def canonical_path(html):
    return urlsplit(Selector(html).css("link[rel=canonical]::attr(href)").get()).path


def news_article_ld(html):
    for raw in Selector(html).css('script[type="application/ld+json"]::text').getall():
        data = json.loads(raw)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle JSON-LD")


# ------------------------------------------------------------------------------------------------ the model

def test_counts_and_special_cases_are_consistent():
    articles = site.articles()
    assert len(articles) == 76 and len(site.expected_stored()) == 75
    assert {s: sum(a.section == s for a in articles) for s in site.SECTIONS} == {"world": 25, "pakistan": 25,
                                                                                 "business": 26}
    assert len({a.path for a in articles}) == len(articles)
    assert {a.path for a in articles} - {a.path for a in site.expected_stored()} == {site.article(site.NO_DATE_ID).path}
    assert sorted(a.id for a in articles if not a.listed_in) == sorted(site.WIDGET_ONLY_IDS)
    assert site.article(site.TWO_SECTION_ID).listed_in == ("business", "pakistan")
    assert site.article(site.NO_DATE_ID).published_at is None
    assert site.article(site.RELATIVE_ONLY_ID).published == site.NOW - timedelta(minutes=41)
    assert site.article(site.RELATIVE_ONLY_ID).published_at == "2023-07-29T20:19:00+05:00"
    assert site.BROKEN_PATH not in {a.path for a in articles}
    assert site.NOW.isoformat() == "2023-07-29T21:00:00+05:00"


def test_articles_are_well_formed():
    dated = [a for a in site.articles() if a.published_at]
    assert [a.published for a in dated] == sorted((a.published for a in dated), reverse=True), "higher id = newer"
    for a in site.articles():
        assert re.fullmatch(r"\d{7}", a.id) and a.path == f"/en/{a.section}/{a.slug}-{a.id}.html"
        assert a.slug == site.slugify(a.title) and len(a.slug) <= 45
        assert 3 <= len(a.body) <= 6 and 2 <= len(a.tags) <= 6
        assert a.byline_form in ("2022", "2020", "relative-only", "none")
        if a.dateline["date"]:
            assert a.dateline["date"] == a.published_at[:10]
            assert a.body[0].startswith(a.dateline["location"])
    forms = [a.byline_form for a in site.articles()]
    assert forms.count("2022") > forms.count("2020") > 10
    assert len({a.body[0] for a in site.articles()}) == len(site.articles()), "every story is distinct"
    families = {a.dateline["agency"] for a in site.articles()}
    assert {"Sputnik", "WAM", "APP", None} <= families


def test_slug_rule_cuts_at_45_characters_mid_word():
    # The cut comes first, so the dropped punctuation still counts towards the 45 characters.
    assert site.slugify("Minister's Plan: Cheaper Bus Fares, Longer Hours And More Routes") == \
        "ministers-plan-cheaper-bus-fares-longer-ho"


def test_render_is_pure():
    path = site.article(site.TRACKING_LINK_ID).path
    assert site.render(path, "127.0.0.1:1") == site.render(path, "127.0.0.1:1")
    assert site.render(site.article(site.FLAKY_ID).path, "127.0.0.1:1")[0] == 200


# ------------------------------------------------------------------------------------------------- over HTTP

def test_headers_carry_the_frozen_date(server):
    status, headers, body = fetch(server, site.listing_path("world", 1))
    assert status == 200
    assert headers["Date"] == "Sat, 29 Jul 2023 16:00:00 GMT"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body.encode("utf-8"))
    assert fetch(server, site.BROKEN_PATH)[1]["Date"] == "Sat, 29 Jul 2023 16:00:00 GMT"


@pytest.mark.parametrize("section", site.SECTIONS)
def test_listing_pages_and_pagination(server, section):
    for page in range(1, site.PAGES + 1):
        status, _, text = fetch(server, site.listing_path(section, page))
        sel = Selector(text)
        assert status == 200
        assert len(sel.css("div.news_big_item")) == (1 if page == 1 else 0)
        assert len(sel.css("ul.news_list > li")) == (7 if page == 1 else 8)
        assert len(sel.css("ul.news_list li div.txt_box h4")) == len(sel.css("ul.news_list li div.txt_box p"))
        numbered = sel.css("ul.pagination li a:not([rel])")
        assert [a.css("::text").get() for a in numbered] == ["1", "2", "3"]
        assert [urlsplit(h).path for h in numbered.css("::attr(href)").getall()] == \
            [site.listing_path(section, n) for n in (1, 2, 3)]
        next_links = sel.css('ul.pagination a[rel="next"]::attr(href)').getall()
        expected = [site.listing_path(section, page + 1)] if page < site.PAGES else []
        assert [urlsplit(h).path for h in next_links] == expected
    assert fetch(server, f"/en/news/{section}-updates4.html")[0] == 404


def test_listing_dates_july_then_june(server):
    for section in site.SECTIONS:
        for page in range(1, site.PAGES + 1):
            entries = site.listing(section, page)
            assert len(entries) == site.PER_PAGE
            days = [e.published_at[:10] for e in entries if e.published_at]
            if page < site.PAGES:
                assert all(d >= "2023-07-01" for d in days)
            else:
                assert days and all("2023-06-01" <= d < "2023-07-01" for d in days) and len(days) == site.PER_PAGE
            sel = Selector(fetch(server, site.listing_path(section, page))[2])
            for line in sel.css("div.date_line::text").getall():
                line = line.strip()
                assert re.fullmatch(r"\d+ (minute|hour)s? ago", line) or \
                    re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d(st|nd|rd|th) (June|July) 2023", line), line
    page_one = Selector(fetch(server, site.listing_path("world", 1))[2]).css("div.date_line::text").getall()
    assert "41 minutes ago" in [t.strip() for t in page_one]


def test_every_article_is_served_as_modelled(server):
    assert len(site.articles()) >= 60
    for a in site.articles():
        status, _, text = fetch(server, a.path)
        sel = Selector(text)
        assert status == 200, a.path
        assert sel.css("html::attr(lang)").get() == "en"
        assert sel.css("title::text").get() == f"{a.title} - UrduPoint"
        assert sel.css("div.main_bar.news_article > h1::text").get() == a.title
        assert canonical_path(text) == a.path
        assert urlsplit(sel.css("link[rel=amphtml]::attr(href)").get()).path == a.amp_path
        assert sel.css('meta[property="og:type"]::attr(content)').get() == "article"
        assert sel.css("div.detail_txt > *:first-child").xpath("name()").get() == "h2"
        assert sel.css("div.detail_txt > h2::text").get() == a.subtitle
        paragraphs = ["".join(p.css("::text").getall()) for p in sel.css("div.detail_txt > p")]
        assert [p for p in paragraphs if p] == a.body
        assert sel.css("div.detail_txt div.social_sharer a")
        assert sel.css("div.detail_txt script::text").re("googletag")
        assert sel.css("div.tagcloud a::text").getall() == a.tags
        assert sel.css("div.detail_txt a.txt_link")
        assert news_article_ld(text)["author"] == {"@type": "Person", "name": a.author}
        menu = {urlsplit(h).path for h in sel.css("ul.elm__list a::attr(href)").getall()}
        assert {site.listing_path(s, 1) for s in site.SECTIONS} <= menu
        more = sel.xpath('//div[@class="widget"][h3[starts-with(., "More Stories From")]]')
        links = [urlsplit(h).path for h in more.css("ul.widget_list li a::attr(href)").getall()]
        assert len(links) == 6 and all(ARTICLE_PATH.fullmatch(p) and f"/en/{a.section}/" in p for p in links)
        assert a.path not in links
        recent = sel.xpath('//div[@class="widget"][h3="Recent Stories"]')
        assert len(recent.css("a.relc_box div.date_line")) == 6


def test_article_dates_agree_and_match_the_model(server):
    for a in site.articles():
        if a.byline_form not in ("2022", "2020"):
            continue
        text = fetch(server, a.path)[2]
        ld = news_article_ld(text)
        assert ld["datePublished"] == a.published.strftime("%Y-%m-%dT%H:%M:%S+0500") == ld["dateModified"]
        byline = " ".join(Selector(text).css("p.art_info_bar ::text").getall())
        byline = re.sub(r"\s+", " ", byline).strip()
        dt = a.published
        if a.byline_form == "2022":
            expected = f"{a.author} Published {dt:%B} {dt.day}, {dt:%Y} | {dt:%I:%M %p}"
            assert byline == expected
        else:
            assert byline.startswith(a.author)
            assert re.search(rf"\| {dt:%I:%M %p}$", byline) and f"{dt:%B %Y}" in byline
            assert (f"(@{a.handle})" in byline) == bool(a.handle)
            assert "ago" in byline


def test_undated_article_shows_no_date(server):
    a = site.article(site.NO_DATE_ID)
    text = fetch(server, a.path)[2]
    sel = Selector(text)
    ld = news_article_ld(text)
    assert "datePublished" not in ld and "dateModified" not in ld
    assert re.sub(r"\s+", " ", " ".join(sel.css("p.art_info_bar ::text").getall())).strip() == a.author
    own = " ".join(sel.css("p.art_info_bar ::text, div.detail_txt > p ::text, div.detail_txt > h2::text, "
                           "meta::attr(content), figure img::attr(src)").getall())
    own = own.replace(server.base_url, "")   # links carry the server's port, which may read 20xx
    assert not re.search(r"20\d\d|ago|January|February|March|April|May|June|July|August", own)
    assert a.dateline == {"location": None, "agency": None, "outlet": None, "date": None}
    listing = Selector(fetch(server, site.listing_path("pakistan", 2))[2])
    item = listing.xpath(f'//ul[@class="news_list"]/li[a[contains(@href, "-{a.id}.html")]]')
    assert item and not item.css("div.date_line")


def test_relative_only_article(server):
    a = site.article(site.RELATIVE_ONLY_ID)
    text = fetch(server, a.path)[2]
    sel = Selector(text)
    assert "datePublished" not in news_article_ld(text)
    spans = [re.sub(r"\s+", " ", " ".join(s.css("::text").getall())).strip()
             for s in sel.css("p.art_info_bar span.article-date")]
    assert spans == [a.author, "41 minutes ago"]
    assert f"(@{a.handle})" in sel.css("p.art_info_bar a span::text").getall()
    body = " ".join(sel.css("div.detail_txt ::text").getall())
    assert not re.search(r"20\d\d|July|Jul\b", body)
    assert a.body[0].startswith("TOKYO (UrduPoint News / Sputnik) ")


def test_only_widgets_reach_the_widget_only_articles(server, crawl):
    listed = set(listing_hrefs(server))
    home = fetch(server, "/en/")[2]
    for article_id in site.WIDGET_ONLY_IDS:
        path = site.article(article_id).path
        assert not any(article_id in href for href in listed)
        assert article_id not in home
        linking = [p for p, (status, html) in crawl.items()
                   if status == 200 and path in " ".join(Selector(html).css("ul.widget_list a::attr(href)").getall())]
        assert linking, f"{path} is in no More Stories widget"
        assert all(path not in " ".join(Selector(crawl[p][1]).css("a.relc_box::attr(href)").getall()) for p in linking)


def test_a_crawl_reaches_every_article_and_one_broken_link(crawl):
    reached = {canonical_path(html) for path, (status, html) in crawl.items()
               if status == 200 and ARTICLE_PATH.fullmatch(path)}
    assert reached == {a.path for a in site.articles()}
    broken = {path for path, (status, _) in crawl.items() if status == 404}
    assert broken == {site.BROKEN_PATH}
    assert {path for path, (status, _) in crawl.items() if status not in (200, 404)} == set()


def test_broken_link_is_listed_and_404(server):
    assert site.BROKEN_PATH in listing_hrefs(server, "world")
    status, _, text = fetch(server, site.BROKEN_PATH)
    assert status == 404 and "Page Not Found" in text


def test_flaky_article_fails_once_per_server():
    path = site.article(site.FLAKY_ID).path
    with running_server() as fresh:
        assert [fetch(fresh, path)[0] for _ in range(3)] == [500, 200, 200]
        assert fetch(fresh, site.article(site.TWO_SECTION_ID).path)[0] == 200
    with running_server() as another:
        assert fetch(another, path)[0] == 500


def test_tracking_link_variants(server, crawl):
    a = site.article(site.TRACKING_LINK_ID)
    assert a.path + "?utm_source=twitter&utm_medium=social" in listing_hrefs(server, "world")
    status, _, text = fetch(server, a.path + "?utm_source=twitter&utm_medium=social")
    assert status == 200 and canonical_path(text) == a.path
    widget_links, recent_links = set(), set()
    for path, (status, html) in crawl.items():
        if status == 200 and ARTICLE_PATH.fullmatch(path):
            sel = Selector(html)
            widget_links |= {urlsplit(h)._replace(scheme="", netloc="").geturl()
                             for h in sel.css("ul.widget_list a::attr(href)").getall()}
            recent_links |= {urlsplit(h).path for h in sel.css("a.relc_box::attr(href)").getall()}
    assert a.path + "#comments" in widget_links and a.path not in widget_links
    assert a.amp_path in recent_links and a.path not in recent_links


def test_amp_copy_points_to_canonical(server):
    a = site.article(site.TRACKING_LINK_ID)
    status, _, text = fetch(server, a.amp_path)
    sel = Selector(text)
    assert status == 200
    assert sel.css("link[rel=canonical]::attr(href)").get() == server.base_url + a.path
    assert sel.css("h1::text").get() == a.title
    assert ["".join(p.css("::text").getall()) for p in sel.css("div.detail_txt > p")] == a.body
    assert news_article_ld(text)["datePublished"] == "2023-07-29T19:45:00+0500"


def test_two_section_article_is_listed_in_both(server):
    a = site.article(site.TWO_SECTION_ID)
    assert a.path.startswith("/en/business/")
    assert a.path in listing_hrefs(server, "business") and a.path in listing_hrefs(server, "pakistan")


def test_links_follow_the_host_header(server):
    a = site.article(site.FLAKY_ID)
    status, _, text = fetch(server, a.path, headers={"Host": "news.example:8080"})
    assert status == 200
    assert Selector(text).css("link[rel=canonical]::attr(href)").get() == "http://news.example:8080" + a.path


def test_home_robots_and_redirect(server):
    status, _, home = fetch(server, "/en/")
    assert status == 200
    links = {urlsplit(h).path for h in Selector(home).css("a::attr(href)").getall()}
    assert {site.listing_path(s, 1) for s in site.SECTIONS} <= links
    status, headers, robots = fetch(server, "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and "Allow: /" in robots
    assert fetch(server, "/")[0] == 200   # 301 to /en/, followed by urllib


def test_page_sizes_are_realistic(crawl):
    sizes = {p: len(html.encode("utf-8")) for p, (status, html) in crawl.items() if status == 200}
    article_sizes = [n for p, n in sizes.items() if ARTICLE_PATH.fullmatch(p) and "/amp/" not in p]
    assert len(article_sizes) >= 60 and all(30_000 <= n <= 100_000 for n in article_sizes)
    assert all(n >= 10_000 for p, n in sizes.items() if p.startswith("/en/news/"))


def test_no_text_from_the_reference_corpus(crawl):
    # Names and phrases of the real page and seed article must not appear anywhere in the demo.
    forbidden = ["Mikhail Mishustin", "Mishustin", "Blinken", "Shoigu", "Fahad Shabbir", "Sumaira FH",
                 "coronavirus restrictions", "Armistice Agreement", "906868", "1731046"]
    for path, (_, html) in crawl.items():
        for phrase in forbidden:
            assert phrase not in html, (phrase, path)


def test_quiet_by_default(server, capfd):
    fetch(server, "/en/")
    fetch(server, "/missing.html")
    assert capfd.readouterr().err == ""


def test_unknown_site_is_refused():
    assert "urdupoint" in SITES
    with pytest.raises(ValueError, match="urdupoint"):
        make_server("no-such-site")


def test_serve_prints_its_address_and_stops_on_ctrl_c():
    proc = subprocess.Popen([sys.executable, "-m", "newscrawl.demo.server", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        match = re.fullmatch(r"Serving demo site urdupoint at http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/robots.txt", timeout=10) as response:
            assert response.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
