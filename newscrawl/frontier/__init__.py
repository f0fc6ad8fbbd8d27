"""A frontier shared by several `scrapy crawl` workers of one run, in Redis (scrapy-redis 0.9.1).

`-s NEWSCRAWL_FRONTIER=redis://host:6379/0 -a run=R`: every worker of run R pops from one
priority queue and filters through one per-run seen set. On top of scrapy-redis, as thin
subclasses: leased pops (a SIGKILLed worker's requests go back to the queue), close on
quiescence (not when the queue is momentarily empty), a politeness budget per site shared by
the workers, and the spider state that must be shared once the crawl is. docs/scale-out.md
tells how to run it.
"""

from .config import FrontierConfig, FrontierError, FrontierUnavailable, check_crawl_options

__all__ = ["FrontierConfig", "FrontierError", "FrontierUnavailable", "check_crawl_options"]
