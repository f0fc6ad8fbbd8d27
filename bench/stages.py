"""Where a crawl's time goes, stage by stage: `python -m bench.stages OUT.json crawl urdupoint -a ...`.

The entry points of each stage are wrapped with timers sharing one stack, so a stage's figure excludes the
stages it calls (extraction calling the normalizers, a listing's link logic parsing dates). Then Scrapy's own
command line runs as usual; at exit OUT.json gets seconds per stage, the crawl's CPU time (getrusage, from the
crawl's start to the end) and what is left over: Scrapy, Twisted, HTTP, scheduling. Counters rather than
cProfile: a profiler's per-call overhead would inflate the many small normalizer calls several times over.
The clocks are CPU time of the crawling thread, so other processes on the machine do not inflate a stage.
"""
from __future__ import annotations

import atexit
import functools
import importlib
import inspect
import json
import pkgutil
import resource
import sys
import time
from collections import defaultdict

_stack: list[list] = []          # [stage, started] of the stages running, innermost last
seconds: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
_crawl_started_cpu: list[float] = []
NOT_CRAWLED = ("demo", "__main__")   # newscrawl modules a crawl never imports


def timed(stage: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _stack and _stack[-1][0] == stage:
            return function(*args, **kwargs)   # already inside this stage: no second clock
        now = time.thread_time()
        if _stack:
            seconds[_stack[-1][0]] += now - _stack[-1][1]   # pause the caller's stage
        _stack.append([stage, now])
        calls[stage] += 1
        try:
            return function(*args, **kwargs)
        finally:
            end = time.thread_time()
            seconds[stage] += end - _stack.pop()[1]
            if _stack:
                _stack[-1][1] = end   # resume it
    wrapper.__wrapped_stage__ = stage
    return wrapper


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _wrap_method(cls, name, stage):
    setattr(cls, name, timed(stage, getattr(cls, name)))


def _wrap_normalizers():
    """Every function of newscrawl.normalize, wherever a module holds it (`from … import` copies the name),
    and the loader's processors, which hold them since class creation."""
    import newscrawl.loaders as loaders
    wrapped = {}

    def wrap(obj):
        if inspect.isfunction(obj) and not hasattr(obj, "__wrapped_stage__") and not inspect.isgeneratorfunction(obj) and (
                obj.__module__.startswith("newscrawl.normalize") or obj.__module__ == loaders.__name__):
            if obj not in wrapped:
                wrapped[obj] = timed("normalize", obj)
            return wrapped[obj]
        return obj

    for module in [m for name, m in sys.modules.items() if name.startswith("newscrawl") and m]:
        for name, value in list(vars(module).items()):
            if wrap(value) is not value:
                setattr(module, name, wrap(value))
    for value in vars(loaders.ArticleLoader).values():
        if hasattr(value, "functions"):   # MapCompose / Compose
            value.functions = tuple(map(wrap, value.functions))


def _import_crawl_modules():
    """Import every module a crawl uses first, so no module binds an unwrapped normalizer afterwards."""
    import newscrawl
    for module in pkgutil.walk_packages(newscrawl.__path__, "newscrawl."):
        if module.name.split(".")[1] not in NOT_CRAWLED:
            importlib.import_module(module.name)


def install():
    import parsel.selector
    from scrapy.crawler import Crawler
    from scrapy.http import TextResponse

    _import_crawl_modules()
    import newscrawl.spiders.base as spider_base
    from newscrawl.middlewares import IncrementalMiddleware
    from newscrawl.spiders.site import SiteSpider

    TextResponse.text = property(timed("decode", TextResponse.text.fget))
    parsel.selector.create_root_node = timed("parse", parsel.selector.create_root_node)
    spider_base.extract_article = timed("extract", spider_base.extract_article)
    _wrap_normalizers()
    _wrap_method(SiteSpider, "_listed_articles", "links")
    _wrap_method(SiteSpider, "_article_url", "links")
    _wrap_method(IncrementalMiddleware, "_keep", "seen_store")
    _wrap_pipelines()
    crawl = Crawler.crawl

    def crawl_and_note_cpu(self, *args, **kwargs):
        _crawl_started_cpu.append(_cpu())
        return crawl(self, *args, **kwargs)
    Crawler.crawl = crawl_and_note_cpu


def _wrap_pipelines():
    """Each configured item pipeline, and the newscrawl pipelines it extends, is a stage named after its
    module (validate, dedupe, store, …): a pipeline calling its base's process_item is split in two."""
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    done = set()
    for path in get_project_settings().getwithbase("ITEM_PIPELINES"):
        for cls in load_object(path).__mro__:
            if cls.__module__.startswith("newscrawl.pipelines") and cls not in done:
                done.add(cls)
                for name in ("process_item", "close_spider"):   # never signal handlers: a wrapper hides
                    if name in vars(cls):                       # their signature from the dispatcher
                        _wrap_method(cls, name, cls.__module__.rsplit(".", 1)[1])


def report() -> dict:
    crawl_cpu = _cpu() - (_crawl_started_cpu[0] if _crawl_started_cpu else 0.0)
    staged = sum(seconds.values())
    return {"crawl_cpu_s": round(crawl_cpu, 3),
            "seconds": {stage: round(value, 3) for stage, value in sorted(seconds.items())},
            "calls": dict(sorted(calls.items())),
            "scrapy_twisted_rest_s": round(max(0.0, crawl_cpu - staged), 3)}


def main(argv: list[str]) -> None:
    out, scrapy_args = argv[0], argv[1:]
    install()
    atexit.register(lambda: open(out, "w", encoding="utf-8").write(json.dumps(report(), indent=1)))
    from scrapy.cmdline import execute
    execute(["scrapy", *scrapy_args])


if __name__ == "__main__":
    main(sys.argv[1:])
