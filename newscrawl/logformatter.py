"""Log drops as one line with the reason and URL instead of the whole item."""

import logging

from scrapy.logformatter import LogFormatter


class NewscrawlLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        return {"level": logging.INFO, "msg": "Dropped %(exception)s", "args": {"exception": exception}}
