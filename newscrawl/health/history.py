"""Alarms against a site's own history: one crawl's coverage beside the last finished crawls'.

Pure functions over coverage dicts (newscrawl/health/coverage.py builds them):
{"site", "kind": "refresh"|"incremental", "articles", "parsed", "dropped", "drop_rate",
 "profiled", "all_profile", "fields": {name: {"profile", "fallback", "filled"}},
 "sections": {slug: {"listings", "empty_listings", "links"}}}
A subject is what an alarm is about: "field:authors", "section:world", "articles", "drop_rate".
"""

from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True)
class Thresholds:
    field_drop: float = 0.3        # profile share falling by this much (0.95 → 0.6) is sharp
    count_ratio: float = 0.6       # the article count at or below this share of its usual level (halved: 0.5)
    drop_rate_rise: float = 0.1    # the share of parsed articles dropped rising by this much
    # Shares of fewer articles say little (an incremental crawl that fetched the one dateless
    # story has a drop rate of 100%): fields and the drop rate are judged from this many on.
    min_articles: int = 10


@dataclass(frozen=True)
class Alarm:
    subject: str
    before: float                  # the usual level: median over the history
    now: float

    def describe(self) -> str:
        kind, _, name = self.subject.partition(":")
        if kind == "field":
            return (f"field {name}: read by the profile on {self.now:.0%} of articles, "
                    f"usually {self.before:.0%} (the generic extractor filled in)")
        if kind == "section":
            return f"section {name}: its listings gave no article links (usually {self.before:g})"
        if kind == "articles":
            return f"articles: {self.now:g} stored, usually {self.before:g}"
        return f"drop rate: {self.now:.0%} of parsed articles dropped, usually {self.before:.0%}"


def _usual(values):
    values = [v for v in values if v is not None]
    return median(values) if values else None


def evaluate(current: dict, history: list[dict], limits: Thresholds = Thresholds()):
    """(alarms, evaluated): the alarms current raises against history (newest first, finished
    crawls of the same site), and every subject this crawl could judge (an evaluated subject
    without an alarm is healthy again; one not evaluated keeps its state)."""
    alarms, evaluated = [], set()
    if not history:
        return alarms, evaluated
    if current.get("profiled", 0) >= limits.min_articles:
        for name, now in current.get("fields", {}).items():
            usual = _usual(h["fields"][name]["profile"] for h in history
                           if h.get("profiled", 0) >= limits.min_articles and name in h.get("fields", {}))
            if usual is None:
                continue
            evaluated.add(f"field:{name}")
            if usual - now["profile"] >= limits.field_drop:
                alarms.append(Alarm(f"field:{name}", usual, now["profile"]))
    for section, now in current.get("sections", {}).items():
        if not now.get("listings"):
            continue
        usual = _usual(h["sections"][section]["links"] for h in history if section in h.get("sections", {}))
        if usual is None:
            continue
        evaluated.add(f"section:{section}")
        if usual > 0 and now["links"] == 0:
            alarms.append(Alarm(f"section:{section}", usual, 0))
    # An incremental crawl stores what is new since the last one, which varies with the news:
    # the count is compared between full (refresh) crawls only.
    if current.get("kind") == "refresh":
        usual = _usual(h["articles"] for h in history if h.get("kind") == "refresh")
        if usual:
            evaluated.add("articles")
            if current["articles"] <= limits.count_ratio * usual:
                alarms.append(Alarm("articles", usual, current["articles"]))
    if current.get("parsed", 0) >= limits.min_articles:
        usual = _usual(h.get("drop_rate") for h in history if h.get("parsed", 0) >= limits.min_articles)
        if usual is not None:
            evaluated.add("drop_rate")
            if current["drop_rate"] - usual >= limits.drop_rate_rise:
                alarms.append(Alarm("drop_rate", usual, current["drop_rate"]))
    return alarms, evaluated


def verdict(open_alerts: list[dict], latest: dict | None) -> str:
    """ok / degraded / broken for a site: broken when articles are lost (a section empty, the
    count or the drop rate off) or a field alerted is now missing from articles; degraded when
    the generic extractor still fills every field alerted."""
    if not open_alerts:
        return "ok"
    fields = (latest or {}).get("fields", {})
    for alert in open_alerts:
        kind, _, name = alert["subject"].partition(":")
        if kind != "field" or fields.get(name, {}).get("filled", 0) < 0.9:
            return "broken"
    return "degraded"
