"""scrapy-redis's duplicate filter, built from the crawler (Scrapy 2.19 has no from_settings) with
the run's seen set and Scrapy's own request fingerprints."""

from scrapy_redis.dupefilter import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    """SADD `<run>:seen`: the first worker to schedule a request wins, the others' copies drop.

    Fingerprints are kept for the whole run, stored articles' too: a worker whose archive has not
    yet seen another worker's commit would otherwise fetch the page again. The set is per run, so
    the next run fetches listings again (the archive, not this set, answers for stored articles).
    """

    def __init__(self, server, key, fingerprinter, debug=False):
        super().__init__(server, key, debug=debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_crawler(cls, crawler):
        raise TypeError("RunDupeFilter is made by newscrawl.frontier.scheduler.FrontierScheduler")

    def request_fingerprint(self, request):
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason=""):
        pass   # the set belongs to the run, not to this worker: never cleared on close
