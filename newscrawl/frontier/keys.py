"""The Redis keys of one run. Everything of run R lives under "<prefix>:<R>:", so a run's
state is listed, expired or deleted by that prefix alone."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RunKeys:
    prefix: str
    run: str

    @property
    def base(self) -> str:
        return f"{self.prefix}:{self.run}:"

    @property
    def queue(self) -> str:        # ZSET: pickled requests, score = -priority
        return self.base + "queue"

    @property
    def seen(self) -> str:         # SET: request fingerprints of the run
        return self.base + "seen"

    @property
    def workers(self) -> str:      # SET: ids of the workers that joined and were not yet found dead
        return self.base + "workers"

    @property
    def meta(self) -> str:         # HASH: spider, stored_before, started, finished
        return self.base + "meta"

    @property
    def excursions(self) -> str:   # HASH: queued excursion URL -> listing meta (JSON) or ""
        return self.base + "excursions"

    @property
    def streaks(self) -> str:      # HASH: section -> known listed articles in a row
        return self.base + "streaks"

    def alive(self, worker: str) -> str:   # STRING with TTL: the worker's heartbeat
        return self.base + "alive:" + worker

    def busy(self, worker: str) -> str:    # STRING with TTL: the worker has work in hand
        return self.base + "busy:" + worker

    def lease(self, worker: str) -> str:   # HASH: pickled request -> its queue score
        return self.base + "lease:" + worker


def site_key(prefix: str, host: str) -> str:
    """The next-allowed-request time of one site, shared by every run and worker."""
    return f"{prefix}:site:{host}:next"
