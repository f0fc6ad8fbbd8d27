"""The Scrapy add-on that switches a crawl to the shared frontier when NEWSCRAWL_FRONTIER is set
(listed in newscrawl/settings.py ADDONS; without the setting it changes nothing)."""


class FrontierAddon:
    def update_settings(self, settings):
        if not (settings.get("NEWSCRAWL_FRONTIER") or "").strip():
            return
        settings.set("SCHEDULER", "newscrawl.frontier.scheduler.FrontierScheduler", priority="addon")
        # Never flush the shared keys on close (scrapy-redis's meaning of False); refused if set off.
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        from .politeness import SiteBudgetMiddleware

        # Early: a request waits for its site's slot before anything else spends time on it.
        settings.setdefault_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", SiteBudgetMiddleware, 40)
