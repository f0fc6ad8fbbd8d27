"""`newscrawl extract` on the real UrduPoint page matches its hand-checked truth."""

import json

import pytest

from conftest import newscrawl, shared_path


@pytest.fixture(scope="module")
def truth_and_article():
    folder = shared_path("corpus", "urdupoint")
    truth = json.loads((folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()[0])
    result = newscrawl("extract", str(folder / truth["page"]), "--url", truth["url"])
    return truth, json.loads(result.stdout)


@pytest.mark.parametrize("field", ["title", "subtitle", "authors", "tags", "section", "canonical_url"])
def test_field_matches_truth(truth_and_article, field):
    truth, article = truth_and_article
    assert article[field] == truth[field]


def test_published_at_keeps_the_sites_offset(truth_and_article):
    truth, article = truth_and_article
    assert article["published_at"] == truth["published"] == "2020-04-29T15:32:37+05:00"
    assert article["published_source"] == "json-ld"
    assert article["flags"] is None  # dateline day and publication day agree


def test_dateline_is_parsed_and_kept_in_the_body(truth_and_article):
    truth, article = truth_and_article
    assert article["dateline"] == truth["dateline"]
    assert article["agency"] == "Sputnik"
    assert article["body"].startswith(truth["body_starts_with"])


def test_body_ends_where_the_article_ends(truth_and_article):
    truth, article = truth_and_article
    assert article["body"].endswith(truth["body_ends_with"])
    assert "googletag" not in article["body"] and "Whatsapp" not in article["body"]


def test_site_identity(truth_and_article):
    _, article = truth_and_article
    assert (article["site"], article["article_id"], article["language"]) == ("urdupoint", "906868", "en")
    assert article["byline_raw"].startswith("Fahad Shabbir")


def test_extract_without_url_uses_the_canonical_link(truth_and_article):
    truth, article = truth_and_article
    result = newscrawl("extract", str(shared_path("corpus", "urdupoint") / truth["page"]))
    assert json.loads(result.stdout)["canonical_url"] == truth["canonical_url"]


def test_batch_extract_prints_one_line_per_page_and_survives_a_bad_one(tmp_path):
    truth = json.loads((shared_path("corpus", "urdupoint") / "truth.jsonl").read_text(encoding="utf-8").splitlines()[0])
    listing = tmp_path / "list.jsonl"
    page = shared_path("corpus", "urdupoint") / truth["page"]
    listing.write_text(json.dumps({"id": "real", "page": str(page), "url": truth["url"]}) + "\n" +
                       json.dumps({"id": "gone", "page": "missing.html", "url": "https://x.example/a"}) + "\n",
                       encoding="utf-8")
    result = newscrawl("extract", "--batch", str(listing), check=False)
    assert result.returncode == 1  # a failed line makes the batch's exit status 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["real", "gone"]
    assert lines[0]["title"] == truth["title"] and lines[0]["published_at"] == truth["published"]
    assert lines[1]["error"].startswith("FileNotFoundError")
