"""Leased pops, reclaims and the run's census, each one Lua script (atomic in Redis).

A pop moves the request from the run's queue into the worker's lease hash in one step; the
worker acks (deletes) the lease once the request is done and what it produced is committed.
A worker whose heartbeat key expired is dead: any other worker's reclaim moves its leases back
to the queue with their priority. So a SIGKILL costs refetching what the dead worker had in
hand (at most its in-flight limit), never losing it.

The scripts derive per-worker keys from the run's prefix (ARGV[1]): fine on one Redis, not on
Redis Cluster.
"""

# KEYS: queue, lease hash. Returns the request's bytes, or nil.
LEASE_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], item[1], item[2])
return item[1]
"""

# KEYS: queue, workers set. ARGV: run prefix. Returns the number of requests requeued.
RECLAIM = """
local requeued = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. worker) == 0 then
    local lease = ARGV[1] .. 'lease:' .. worker
    local held = redis.call('HGETALL', lease)
    for i = 1, #held, 2 do
      redis.call('ZADD', KEYS[1], held[i + 1], held[i])
      requeued = requeued + 1
    end
    redis.call('DEL', lease, ARGV[1] .. 'busy:' .. worker)
    redis.call('SREM', KEYS[2], worker)
  end
end
return requeued
"""

# KEYS: queue, workers set, seen set. ARGV: run prefix.
# Returns {queued, leased by live workers, live workers busy, live workers, leased by dead ones, seen}.
CENSUS = """
local queued = redis.call('ZCARD', KEYS[1])
local leased, busy, alive, orphaned = 0, 0, 0, 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local held = redis.call('HLEN', ARGV[1] .. 'lease:' .. worker)
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. worker) == 1 then
    alive = alive + 1
    leased = leased + held
    if held > 0 or redis.call('EXISTS', ARGV[1] .. 'busy:' .. worker) == 1 then busy = busy + 1 end
  else
    orphaned = orphaned + held
  end
end
return {queued, leased, busy, alive, orphaned, redis.call('SCARD', KEYS[3])}
"""

CENSUS_FIELDS = ("queued", "leased", "busy_workers", "workers_alive", "leased_by_dead", "seen")


class Leases:
    """The lease scripts of one run, bound to a client."""

    def __init__(self, server, keys):
        self.server, self.keys = server, keys
        self._pop = server.register_script(LEASE_POP)
        self._reclaim = server.register_script(RECLAIM)
        self._census = server.register_script(CENSUS)

    def pop(self, worker: str) -> bytes | None:
        return self._pop(keys=[self.keys.queue, self.keys.lease(worker)])

    def ack(self, worker: str, *requests: bytes) -> None:
        if requests:
            self.server.hdel(self.keys.lease(worker), *requests)

    def reclaim(self) -> int:
        return int(self._reclaim(keys=[self.keys.queue, self.keys.workers], args=[self.keys.base]))

    def census(self) -> dict:
        values = self._census(keys=[self.keys.queue, self.keys.workers, self.keys.seen], args=[self.keys.base])
        return dict(zip(CENSUS_FIELDS, (int(v) for v in values)))
