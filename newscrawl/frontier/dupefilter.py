"""scrapy-redis's duplicate filter, built from the crawler (Scrapy 2.19 has no from_settings) with
the run's seen set and Scrapy's own request fingerprints."""

from scrapy_redis.dupefilter import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    """SADD `<run>:seen`: the first worker to schedule a request wins, the others' copies drop.

    Fingerprints are kept for the whole run, stored articles' too: a worker whose archive has not
    yet seen another worker's commit would otherwise fetch the page again. The set is per run, so
    the next run fetches listings again (the archive, not this set, answers for stored articles).
    """

    # Fingerprints this worker knows are in the set (it added them, or SADD said so): a link
    # printed on many pages costs one round trip, not one per page. The set only grows during a
    # run, so the memo is never wrong; it is emptied when full to bound the worker's memory.
    MEMO_SIZE = 200_000

    def __init__(self, server, key, fingerprinter, debug=False):
        super().__init__(server, key, debug=debug)
        self.fingerprinter = fingerprinter
        self.memo = set()

    def surely_seen(self, request) -> bool:
        """Is the request one this worker knows the run has scheduled (so it will be dropped)?"""
        return not request.dont_filter and self.request_fingerprint(request) in self.memo

    def request_seen(self, request):
        fingerprint = self.request_fingerprint(request)
        if fingerprint in self.memo:
            return True
        added = self.server.sadd(self.key, fingerprint)
        self._remember(fingerprint)
        return added == 0

    def schedule(self, request, queue) -> bool:
        """request_seen and the push in one: queue the request unless the run has seen it."""
        fingerprint = self.request_fingerprint(request)
        if fingerprint in self.memo:
            return False
        queued = queue.push_unseen(request, fingerprint)
        self._remember(fingerprint)
        return queued

    def _remember(self, fingerprint):
        if len(self.memo) >= self.MEMO_SIZE:
            self.memo.clear()
        self.memo.add(fingerprint)

    @classmethod
    def from_crawler(cls, crawler):
        raise TypeError("RunDupeFilter is made by newscrawl.frontier.scheduler.FrontierScheduler")

    def request_fingerprint(self, request):
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason=""):
        pass   # the set belongs to the run, not to this worker: never cleared on close
