"""scrapy-redis's priority queue with leased pops instead of destructive ones."""

from scrapy_redis.queue import PriorityQueue

from .leases import Leases

# KEYS: the run's seen set, its queue. ARGV: fingerprint, score, request. 1 if queued, 0 if seen.
PUSH_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


class LeasedPriorityQueue(PriorityQueue):
    """ZSET `<run>:queue`, score -priority (articles 20, listings 10, excursions 0 come out in
    that order, as with Scrapy's own scheduler). `pop` leases to `worker` and returns the request
    with its encoded form (the lease's field, needed to ack it)."""

    def __init__(self, server, spider, keys, worker):
        super().__init__(server, spider, keys.queue)
        self.keys, self.worker = keys, worker
        self.leases = Leases(server, keys)
        self._push_unseen = server.register_script(PUSH_UNSEEN)

    def push_unseen(self, request, fingerprint) -> bool:
        """Queue the request unless the run has seen it: the filter's SADD and the push in one
        round trip. Whether it was queued."""
        data = self._encode_request(request)
        return bool(self._push_unseen(keys=[self.keys.seen, self.key], args=[fingerprint, -request.priority, data]))

    def pop(self, timeout=0):
        data = self.leases.pop(self.worker)
        return (self._decode_request(data), data) if data else (None, None)
