"""scrapy-redis's priority queue with leased pops instead of destructive ones."""

from scrapy_redis.queue import PriorityQueue

from .leases import Leases


class LeasedPriorityQueue(PriorityQueue):
    """ZSET `<run>:queue`, score -priority (articles 20, listings 10, excursions 0 come out in
    that order, as with Scrapy's own scheduler). `pop` leases to `worker` and returns the request
    with its encoded form (the lease's field, needed to ack it)."""

    def __init__(self, server, spider, keys, worker):
        super().__init__(server, spider, keys.queue)
        self.keys, self.worker = keys, worker
        self.leases = Leases(server, keys)

    def pop(self, timeout=0):
        data = self.leases.pop(self.worker)
        return (self._decode_request(data), data) if data else (None, None)
