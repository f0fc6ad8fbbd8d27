"""Every kind of request the spiders make survives the shared queue (pickled request dicts)."""

import asyncio

import pytest
from scrapy_redis import picklecompat
from scrapy.utils.request import request_from_dict

from newscrawl.spiders import sites


def round_trip(request, spider):
    return request_from_dict(picklecompat.loads(picklecompat.dumps(request.to_dict(spider=spider))), spider=spider)


async def _collect(agen):
    return [request async for request in agen]


def requests_of(spider):
    yield from asyncio.run(_collect(spider.start()))
    yield spider._article_request("http://127.0.0.1:1/en/world/a-1.html", 20, 0, "world", "2023-07-29")
    yield spider.excursion_request("http://127.0.0.1:1/en/world/b-2.html", 1, "world")
    if spider.profile.load_more:
        yield spider._load_more_request("national", 2)


@pytest.mark.parametrize("spider_class", [sites.UrdupointSpider, sites.UrdupointUrduSpider, sites.WamSpider])
def test_requests_round_trip_through_the_queue(spider_class):
    spider = spider_class(base_url="http://127.0.0.1:1", run="r")
    requests = list(requests_of(spider))
    kinds = {request.meta.get("kind") for request in requests}
    assert {"listing", "article", "excursion"} <= kinds
    for request in requests:
        copy = round_trip(request, spider)
        assert (copy.url, copy.method, copy.body, copy.priority, copy.callback, copy.errback, copy.cb_kwargs) == \
            (request.url, request.method, request.body, request.priority, request.callback, request.errback,
             request.cb_kwargs)
        assert copy.meta.keys() == request.meta.keys()
        for name, value in request.meta.items():
            if name == "playwright_page_methods":   # PageMethod has no __eq__: compare what it carries
                assert [(m.method, m.args, m.kwargs) for m in copy.meta[name]] == \
                    [(m.method, m.args, m.kwargs) for m in value]
            else:
                assert copy.meta[name] == value, name
    if spider_class is sites.WamSpider:
        assert any(request.meta.get("playwright") for request in requests)
