"""Cost of the crawl-health checks per article (goal: at most 0.1 ms), and of spidermon's item
validation beside them.

Timed on a real article (the demo site's first stored one, extracted as a crawl would):
the field checks and field_sources extraction adds, the per-item counting of HealthExtension,
spidermon's validation against the Article schema, and the close-time work (coverage, history
alarms, SQL) spread over a crawl of 1,000 articles.
"""

import tempfile
import time
from pathlib import Path

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

N = 2000
CRAWL_SIZE = 1000


def _per_call_ms(function, n=N):
    function()  # warm
    start = time.perf_counter()
    for _ in range(n):
        function()
    return (time.perf_counter() - start) * 1000 / n


def _article():
    from newscrawl.demo import urdupoint as demo
    from newscrawl.extract.article import extract_article
    from newscrawl.profiles import URDUPOINT

    a = demo.expected_stored()[0]
    status, body, _ = demo.render(a.path, "127.0.0.1")
    response = HtmlResponse("http://127.0.0.1" + a.path, body=body.encode(), encoding="utf-8")
    return extract_article(response, URDUPOINT)


def run() -> dict:
    from newscrawl import settings
    from newscrawl.health import store
    from newscrawl.health.coverage import HealthExtension, build_coverage
    from newscrawl.health.history import evaluate
    from newscrawl.health.schema import ArticleSchemaPipeline
    from newscrawl.profiles import URDUPOINT
    from newscrawl.profiles.fallback import checked, field_sources
    from newscrawl.storage import Archive

    article = _article()
    values = dict(article)
    checks_ms = _per_call_ms(lambda: (
        [checked(name, values.get(key)) for name, key in
         (("title", "title"), ("subtitle", "subtitle"), ("byline", "byline_raw"), ("tags", "tags"))],
        field_sources(URDUPOINT.fields, {"title", "body", "tags"}, values)))
    crawler = get_crawler(settings_dict={name: getattr(settings, name) for name in dir(settings)
                                         if name.startswith(("SPIDERMON_", "NEWSCRAWL_HEALTH"))})
    extension = HealthExtension(crawler)
    for _ in range(CRAWL_SIZE):
        extension.item_scraped(article)
    counting_ms = _per_call_ms(lambda: extension.item_scraped(article))
    crawler.stats.set_value("archive/new", CRAWL_SIZE)
    pipeline = ArticleSchemaPipeline.from_crawler(crawler)
    validation_ms = _per_call_ms(lambda: pipeline.process_item(article))

    with tempfile.TemporaryDirectory() as folder:
        archive = Archive(Path(folder) / "bench.db")
        crawl_id = archive.start_crawl("urdupoint", {})
        history = [build_coverage(crawler.stats.get_stats(), "urdupoint", "refresh")] * 5

        def close():
            coverage = build_coverage(crawler.stats.get_stats(), "urdupoint", "refresh")
            alarms, evaluated = evaluate(coverage, history)
            with archive._atomic():
                store.save_coverage(archive._conn, crawl_id, coverage)
                store.record(archive._conn, "urdupoint", crawl_id, alarms, evaluated)
            store.history(archive._conn, "urdupoint", crawl_id + 1, 5)
        close_ms = _per_call_ms(close, 200)
        archive.close()
    # The goal is for the health checks; spidermon's schema validation (jsonschema walking every
    # field) is item validation, reported beside them.
    total = checks_ms + counting_ms + close_ms / CRAWL_SIZE
    return {
        "field_checks_ms_per_article": round(checks_ms, 4),
        "coverage_counting_ms_per_article": round(counting_ms, 4),
        "schema_validation_ms_per_article": round(validation_ms, 4),
        "close_ms_per_crawl": round(close_ms, 3),
        "health_checks_ms_per_article": round(total, 4),
        "goal_ms_per_article": 0.1,
    }
