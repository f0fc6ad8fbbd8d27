"""`newscrawl export` filters: --since/--until, --site, --section, --agency, --story, --query,
alone and together, as exact row sets."""

import json

import pytest

from conftest import make_article, newscrawl
from newscrawl.errors import EXIT_USAGE
from newscrawl.storage import Archive

ROWS = {  # article_id: overrides
    "1": dict(site="a", section="world", agency="APP", published_at="2023-07-27T09:00:00+05:00",
              title="Flood waters recede in Sindh", body="The waters fell overnight.\n\nRelief camps stay open."),
    "2": dict(site="a", section="business", agency="Reuters", published_at="2023-07-28T23:30:00+05:00",
              title="Budget talks stall", body="Ministers met again over the federal budget.\n\nNo deal."),
    "3": dict(site="b", section="world", agency="APP", published_at="2023-07-29T08:00:00+04:00",
              title="Rains return to Karachi", body="The budget for relief was raised.\n\nMore rain is due."),
    "4": dict(site="b", section="world", agency=None, published_at="2023-07-30T01:00:00+04:00",
              title="Heatwave warning", body="Temperatures will pass 45 degrees.\n\nStay indoors."),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("export") / "archive.db"
    with Archive(db) as store:
        for article_id, overrides in ROWS.items():
            store.upsert(make_article(canonical_url=f"https://example.com/{overrides['site']}/{article_id}",
                                      article_id=article_id, **overrides))
        store.commit()
        ids = {row["article_id"]: row["id"] for row in store.iter_articles()}
        story = store.assign_story(ids["1"])
        store.assign_story(ids["3"], story)        # 3 is a copy of 1's story
        store.commit()
    return db, story


def exported(db, *filters):
    result = newscrawl("export", "--db", str(db), "--format", "jsonl", *filters)
    return [json.loads(line)["article_id"] for line in result.stdout.splitlines()]


@pytest.mark.parametrize("filters, ids", [
    ((), ["1", "2", "3", "4"]),
    (("--until", "2023-07-28"), ["1", "2"]),
    (("--since", "2023-07-28", "--until", "2023-07-29"), ["2", "3"]),
    (("--section", "world"), ["1", "3", "4"]),
    (("--section", "sport"), []),
    (("--agency", "app"), ["1", "3"]),                  # any case
    (("--agency", "Reuters", "--site", "a"), ["2"]),
    (("--query", "budget"), ["2", "3"]),                # title or body
    (("--query", "budget relief"), ["3"]),              # every word
    (("--query", "budget", "--site", "b", "--section", "world"), ["3"]),
    (("--query", 'OR "1" --'), []),                     # operators and quotes are plain words
])
def test_filters_select_exact_rows(archive, filters, ids):
    assert exported(archive[0], *filters) == ids


def test_story_filter(archive):
    db, story = archive
    assert exported(db, "--story", str(story)) == ["1", "3"]
    assert exported(db, "--story", str(story), "--until", "2023-07-28") == ["1"]


def test_until_before_since_is_a_usage_error(archive):
    result = newscrawl("export", "--db", str(archive[0]), "--since", "2023-07-29", "--until", "2023-07-28",
                       check=False)
    assert result.returncode == EXIT_USAGE and result.stdout == ""
    assert result.stderr.strip() == "newscrawl export: --until 2023-07-28 is before --since 2023-07-29"
