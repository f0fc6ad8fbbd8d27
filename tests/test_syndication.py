"""Stories: syndicated copies linked across sites and runs, different stories kept apart."""

import sqlite3
from pathlib import Path

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from conftest import make_article
from newscrawl import syndication
from newscrawl.items import Article
from newscrawl.pipelines.syndication import SyndicationPipeline
from newscrawl.storage import MIGRATIONS, SCHEMA_VERSION, V1_FIELDS, Archive
from newscrawl.syndication import StoryIndex, fingerprint, story_paragraphs

WAM_BODY = [
    "ABU DHABI, 29th July, 2023 (WAM) -- Deposits at UAE banks grew by 5.2 percent to AED 2.3 trillion "
    "at the end of June, the Central Bank of the UAE said on Saturday.",
    "Resident deposits accounted for most of the increase, while non-resident deposits rose by 1.1 "
    "percent, the bank said in its monthly statistical bulletin.",
    "Gross credit extended by banks rose by 2.4 percent over the same period, led by lending to "
    "businesses in the trade and construction sectors.",
    "The bank said capital adequacy ratios remained well above the regulatory minimum.",
]
STORY_TEXT = [WAM_BODY[0].split("-- ", 1)[1], *WAM_BODY[1:]]


def wam(number=1, body=None, **overrides):
    url = f"https://site{number}.example/news/uae-bank-deposits-{number}"
    return make_article(**{
        "url": url, "canonical_url": url, "site": f"site{number}", "article_id": str(number),
        "title": "UAE bank deposits grow 5.2% to AED 2.3 trillion", "agency": "WAM",
        "body": "\n\n".join(body or WAM_BODY), "dateline": None, "authors": [], "byline_raw": None,
        "published_at": "2023-07-29T10:00:00+04:00", **overrides})


def edited(first=None, rest=None, extra=(), number=2, **overrides):
    """A copy of wam(1): its first paragraph, the rest or closing lines replaced."""
    first = WAM_BODY[0] if first is None else first
    rest = WAM_BODY[1:] if rest is None else rest
    return wam(number, [first, *rest, *extra], **overrides)


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "archive.db") as archive:
        yield archive


@pytest.fixture
def index(archive):
    return StoryIndex(archive)


def store(archive, index, article):
    archive.upsert(article)
    return index.add(article)


def story_of(archive, article):
    return archive.get(article["canonical_url"])["story_id"]


# -- the story's own text --------------------------------------------------------------------

@pytest.mark.parametrize("first", [
    WAM_BODY[0],
    "ABU DHABI, " + STORY_TEXT[0],                                      # rewritten, no credit
    "Abu Dhabi: " + STORY_TEXT[0],
    "ABU DHABI, (UrduPoint / Pakistan Point News / WAM - 29th Jul, 2023) " + STORY_TEXT[0],
    "ABU DHABI (UrduPoint News / WAM - 29th July, 2023) " + STORY_TEXT[0],
    STORY_TEXT[0],                                                      # dropped
])
def test_datelines_and_outlet_credits_are_not_story_text(first):
    assert story_paragraphs("\n\n".join([first, *WAM_BODY[1:]])) == STORY_TEXT


@pytest.mark.parametrize("trailer", [
    ["Source: Emirates News Agency"], ["– Emirates News Agency, WAM –"], ["(WAM)"],
])
def test_closing_credits_are_not_story_text(trailer):
    assert story_paragraphs("\n\n".join([*WAM_BODY, *trailer])) == STORY_TEXT
    inline = [*WAM_BODY[:-1], WAM_BODY[-1] + " --WAM"]
    assert story_paragraphs("\n\n".join(inline)) == STORY_TEXT


def test_page_furniture_is_not_story_text():
    body = [WAM_BODY[0], "Advertisement", WAM_BODY[1], "(adsbygoogle = window.adsbygoogle || []).push({});",
            "Also Read: Gold prices climb in Dubai", WAM_BODY[2],
            "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });", WAM_BODY[3]]
    assert story_paragraphs("\n\n".join(body)) == STORY_TEXT


# -- copies are linked -----------------------------------------------------------------------

def test_exact_copy_at_another_url_joins_the_story(archive, index):
    first = store(archive, index, wam(1))
    second = store(archive, index, wam(2, published_at="2023-07-29T13:00:00+04:00"))
    assert first.outcome == "new_story" and second.outcome == "linked"
    assert second.story == first.story
    story = archive.story(first.story)
    assert story["copies"] == 2 and story["agency"] == "WAM"
    assert story["first_url"] == wam(1)["canonical_url"] and story["first_site"] == "site1"
    assert [copy["site"] for copy in story["articles"]] == ["site1", "site2"]


EDITS = {
    "dateline_rewritten": dict(first="ABU DHABI, " + STORY_TEXT[0]),
    "dateline_dropped": dict(first=STORY_TEXT[0]),
    "outlet_inserted": dict(first="ABU DHABI, (UrduPoint / Pakistan Point News / WAM - 29th Jul, 2023) :"
                                  + STORY_TEXT[0]),
    "trailer_source": dict(extra=["Source: Emirates News Agency"]),
    "trailer_dashes": dict(extra=["– Emirates News Agency, WAM –"]),
    "last_paragraph_trimmed": dict(rest=WAM_BODY[1:3]),
    "only_the_lead_kept": dict(rest=[]),
    "headline_recased": dict(title="UAE BANK DEPOSITS GROW 5.2% TO AED 2.3 TRILLION"),
    "headline_reworded": dict(title="Deposits at UAE banks up 5.2 percent in first half"),
    "ads_left_inside": dict(rest=[WAM_BODY[1], "Advertisement",
                                  "(adsbygoogle = window.adsbygoogle || []).push({});", *WAM_BODY[2:]]),
    "all_at_once": dict(first="Abu Dhabi: " + STORY_TEXT[0],
                        rest=[WAM_BODY[1], "Advertisement", WAM_BODY[2]],
                        extra=["Source: Emirates News Agency"], title="uae bank deposits grow",
                        agency=None),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edited_copy_joins_the_story(archive, index, edit):
    original = store(archive, index, wam(1))
    copy = store(archive, index, edited(**EDITS[edit]))
    assert (copy.outcome, copy.story) == ("linked", original.story)


def test_earlier_copy_arriving_later_becomes_the_first_source(archive, index):
    store(archive, index, wam(1, published_at="2023-07-29T12:00:00+04:00"))
    # 10:30 in Karachi is 09:30 in Abu Dhabi: earlier, though it arrives second.
    early = store(archive, index, wam(2, published_at="2023-07-29T10:30:00+05:00"))
    story = archive.story_head(early.story)
    assert story["first_article"] == early.article and story["first_site"] == "site2"
    assert story["first_published_at"] == "2023-07-29T10:30:00+05:00" and story["copies"] == 2


def test_a_day_only_date_does_not_take_the_lead_on_the_same_day(archive, index):
    timed = store(archive, index, wam(1, published_at="2023-07-29T18:00:00+04:00"))
    store(archive, index, wam(2, published_at="2023-07-29"))
    assert archive.story_head(timed.story)["first_article"] == timed.article


# -- different stories stay apart ------------------------------------------------------------

RULERS = [
    ("Fujairah", "Sheikh Hamad bin Mohammed Al Sharqi"), ("Ajman", "Sheikh Humaid bin Rashid Al Nuaimi"),
    ("Sharjah", "Sheikh Dr. Sultan bin Muhammad Al Qasimi"),
    ("Ras Al Khaimah", "Sheikh Saud bin Saqr Al Qasimi"),
]
SAUDI_KING = "King Salman bin Abdulaziz Al Saud of Saudi Arabia"
KUWAIT_EMIR = "Sheikh Nawaf Al Ahmad Al Jaber Al Sabah, Emir of Kuwait"


def condolence(number, place, ruler, recipient=SAUDI_KING):
    return wam(number, [
        f"{place.upper()}, 29th July, 2023 (WAM) -- His Highness {ruler}, Supreme Council Member and "
        f"Ruler of {place}, has sent a cable of condolences to {recipient} over the passing of Prince "
        "Turki bin Mohammed bin Saud Al Kabeer.",
        "In his cable, His Highness expressed his sincere condolences and sympathy to the bereaved family, "
        "praying to Allah Almighty to rest the soul of the deceased in eternal peace."],
        title=f"{place} Ruler condoles King Salman over passing of Prince Turki bin Mohmmed")


def gold(number, day, move, change, price):
    return wam(number, [
        f"KARACHI, (UrduPoint / Pakistan Point News - 29th Jul, 2023 ) : The price of 24 karat gold "
        f"{move} by Rs {change} per tola and was sold at Rs {price} in the local market on {day}, the "
        "All Sindh Sarafa Jewellers Association reported.",
        "The price of silver per tola was quoted at Rs 2,650, and 10 grams of silver at Rs 2,271."],
        title=f"Gold price {move} by Rs {change} per tola", agency=None)


def test_template_stories_differing_in_names_stay_apart(archive, index):
    links = [store(archive, index, condolence(n, *ruler)) for n, ruler in enumerate(RULERS, 1)]
    assert len({link.story for link in links}) == len(RULERS)
    kuwait = store(archive, index, condolence(9, *RULERS[0], recipient=KUWAIT_EMIR))
    assert kuwait.story not in {link.story for link in links}
    # …while a copy of one of them still finds its own story.
    copy = condolence(10, *RULERS[2])
    copy["body"] = copy["body"].split("-- ", 1)[1] + "\n\nSource: Emirates News Agency"
    assert store(archive, index, copy).story == links[2].story


def test_template_stories_differing_in_numbers_stay_apart(archive, index):
    notes = [gold(1, "Monday", "rose", 500, "218,500"), gold(2, "Tuesday", "fell", 300, "218,200"),
             gold(3, "Wednesday", "rose", 500, "218,700"), gold(4, "Thursday", "rose", 500, "218,500")]
    assert len({store(archive, index, note).story for note in notes}) == 4


def test_update_with_new_facts_is_another_story(archive, index):
    first = store(archive, index, wam(1))
    update = edited(first="ABU DHABI, 30th July, 2023 (WAM) -- Deposits at UAE banks grew by 5.4 "
                          "percent to AED 2.31 trillion at the end of June, the Central Bank of the UAE "
                          "said on Sunday, revising its earlier figures.",
                    title="UAE revises bank deposit growth to 5.4%")
    assert store(archive, index, update).story != first.story


def test_same_event_from_another_agency_is_another_story(archive, index):
    first = store(archive, index, wam(1))
    reuters = wam(2, ["DUBAI, July 29 (Reuters) - Deposits at UAE banks grew by 5.2 percent to AED 2.3 "
                      "trillion at the end of June, central bank data showed on Saturday, as lenders "
                      "benefited from high oil prices.",
                      "Analysts said lending growth was likely to remain robust this year."],
                  agency="Reuters", title="UAE bank deposits up 5.2% in June - central bank")
    assert store(archive, index, reuters).story != first.story


def test_labelled_set_precision_and_recall(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))  # bench: not installed
    from bench.syndication import quality

    figures = quality(orders=(1,))
    assert figures["precision_min"] >= 0.95 and figures["recall_min"] >= 0.95, figures["worst_order"]
    assert figures["hard_negatives_merged_max"] == 0, figures["worst_order"]["hard_negatives_merged"]


# -- across runs -----------------------------------------------------------------------------

def test_index_survives_a_restart_without_reading_text_again(tmp_path, monkeypatch):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        original = store(archive, StoryIndex(archive), wam(1))
    calls = []
    monkeypatch.setattr(syndication.index, "fingerprint",
                        lambda article: calls.append(article) or fingerprint(article))
    with Archive(path) as archive:
        index = StoryIndex(archive)
        assert index.catch_up() == 0 and len(index) == 0  # months are loaded when needed
        index.load("2023-07")
        assert len(index) == 1 and calls == []  # from the stored signature: no text read
        copy = store(archive, index, edited(first=STORY_TEXT[0]))
    assert copy.story == original.story and len(calls) == 1


def test_copies_are_looked_for_in_the_month_and_the_months_beside_it(archive, index):
    original = store(archive, index, wam(1, published_at="2023-07-29T10:00:00+04:00"))
    next_month = store(archive, index, wam(2, published_at="2023-08-03T10:00:00+04:00"))
    much_later = store(archive, index, wam(3, published_at="2023-10-01T10:00:00+04:00"))
    assert next_month.story == original.story != much_later.story
    assert sorted(index.shards) == ["2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11"]


def test_a_concurrent_writers_articles_are_seen(tmp_path):
    """Two crawls on one archive (scrapyd max_proc > 1): each index picks up what the other
    committed."""
    path = tmp_path / "archive.db"
    with Archive(path) as one, Archive(path) as two:
        first_index, second_index = StoryIndex(one), StoryIndex(two)
        original = store(one, first_index, wam(1))
        one.commit()
        copy = store(two, second_index, edited(first=STORY_TEXT[0]))
        assert copy.story == original.story


def test_updated_article_is_fingerprinted_again_and_keeps_its_story(archive, index):
    first = store(archive, index, wam(1))
    store(archive, index, wam(2))
    assert store(archive, index, wam(1)).outcome == "unchanged"
    corrected = wam(1, [*WAM_BODY[:3], "The bank said capital ratios stayed well above the minimum."])
    assert archive.upsert(corrected) == "updated"
    link = index.add(corrected)
    assert (link.outcome, link.story) == ("kept", first.story)
    ref = archive.article_ref(corrected)
    assert ref["fingerprint"]["content_hash"] == ref["content_hash"]


def test_previous_schema_is_migrated_and_old_copies_linked(tmp_path):
    path = tmp_path / "v2.db"
    connection = sqlite3.connect(path)
    for step in MIGRATIONS[:2]:
        for statement in step:
            connection.execute(statement)
    columns = [*V1_FIELDS, "published_source", "flags", "content_hash", "first_seen_at", "updated_at"]
    for number in (1, 2, 3):
        article = wam(number) if number < 3 else gold(3, "Monday", "rose", 500, "218,500")
        article.update(authors=None, tags=None, dateline=None, flags=None,
                       content_hash=f"h{number}", first_seen_at="t", updated_at="t")
        connection.execute(f"INSERT INTO articles ({', '.join(columns)}) "
                           f"VALUES ({', '.join('?' * len(columns))})", [article[c] for c in columns])
    connection.execute("PRAGMA user_version = 2")
    connection.commit()
    connection.close()

    with Archive(path) as archive:  # the migration gives every stored article a story of its own
        assert archive.schema_version() == SCHEMA_VERSION
        stories = [archive.get(wam(n)["canonical_url"])["story_id"] for n in (1, 2)]
        assert all(stories) and len(set(stories)) == 2 and archive.summary()["stories"] == 3
        index = StoryIndex(archive)
        assert index.catch_up() == 3  # the first open of the index links the copies among them
        one, two = (story_of(archive, wam(n)) for n in (1, 2))
        assert one == two and archive.story_head(one)["copies"] == 2
        assert archive.summary()["stories"] == 2  # the emptied story is gone


# -- the pipeline ----------------------------------------------------------------------------

def crawl_pipeline(tmp_path, **settings):
    crawler = get_crawler(Spider, {"NEWSCRAWL_DB": str(tmp_path / "feed.db"), **settings})
    crawler.spider = Spider(name="test")
    pipeline = SyndicationPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return crawler, pipeline


def close(crawler, pipeline):
    pipeline.close_spider()
    crawler.signals.send_catch_log(signal=signals.spider_closed, spider=crawler.spider, reason="finished")


def test_pipeline_sets_story_id_on_items(tmp_path):
    crawler, pipeline = crawl_pipeline(tmp_path)
    first, copy = pipeline.process_item(Article(wam(1))), pipeline.process_item(Article(wam(2)))
    assert first["story_id"] == copy["story_id"] is not None
    assert crawler.stats.get_value("syndication/linked") == 1
    close(crawler, pipeline)


def test_first_copy_only_feeds_drop_later_copies_but_archive_them(tmp_path):
    crawler, pipeline = crawl_pipeline(tmp_path, NEWSCRAWL_FIRST_COPY_ONLY=True)
    first = pipeline.process_item(Article(wam(1)))
    with pytest.raises(DropItem, match="later copy"):
        pipeline.process_item(Article(wam(2)))
    close(crawler, pipeline)
    with Archive.open_readonly(tmp_path / "feed.db") as archive:
        assert archive.get(wam(2)["canonical_url"])["story_id"] == first["story_id"]
        assert archive.story_head(first["story_id"])["copies"] == 2
