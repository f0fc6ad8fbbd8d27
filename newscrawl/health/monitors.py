"""spidermon suites: what spidermon runs when the spider closes and, periodically, while it runs.

Monitors judge; they write nothing. The close suite's failures make the crawl's row
`finished_with_alerts` (health/monitors_failed in the stats, read by report.crawl_status).
Notifications are spidermon's own actions, each added when its settings are given
(README, "Crawl health"): e-mail (SPIDERMON_EMAIL_TO + SPIDERMON_SMTP_HOST), Slack
(SPIDERMON_SLACK_SENDER_TOKEN), Telegram (SPIDERMON_TELEGRAM_SENDER_TOKEN), a file report
(SPIDERMON_REPORT_FILENAME).
"""

import warnings

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ItemValidationMonitor

from .coverage import health_of
from .history import evaluate

# spidermon 1.27 logs its results through Spider.log(), deprecated by Scrapy 2.19: one warning a
# crawl that says nothing about the crawl.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module="spidermon")

ACTIONS = (  # (setting that configures it, spidermon action)
    ("SPIDERMON_EMAIL_TO", "spidermon.contrib.actions.email.smtp.SendSmtpEmail"),
    ("SPIDERMON_SLACK_SENDER_TOKEN", "spidermon.contrib.actions.slack.notifiers.SendSlackMessageSpiderFinished"),
    ("SPIDERMON_TELEGRAM_SENDER_TOKEN", "spidermon.contrib.actions.telegram.notifiers.SendTelegramMessageSpiderFinished"),
    ("SPIDERMON_REPORT_FILENAME", "spidermon.contrib.actions.reports.files.CreateFileReport"),
)


def configured_actions(settings):
    from scrapy.utils.misc import load_object

    return [load_object(path) for setting, path in ACTIONS if settings.get(setting)]


@monitors.name("Crawl health")
class HistoryAlarmsMonitor(Monitor):
    @monitors.name("No alarm against the site's history")
    def test_no_history_alarms(self):
        health = health_of(self.data.crawler)
        alarms = health.alarms if health else []
        self.assertFalse(alarms, msg="; ".join(alarm.describe() for alarm in alarms))


@monitors.name("Crawl health so far")
class FieldsSoFarMonitor(Monitor):
    @monitors.name("Fields still read by the profile")
    def test_fields_read_by_profile(self):
        health = health_of(self.data.crawler)
        if not health or not health.history:
            return
        current = health.coverage()
        alarms, _ = evaluate({**current, "sections": {}, "kind": None, "parsed": 0}, health.history,
                             health.thresholds)
        self.assertFalse(alarms, msg="; ".join(alarm.describe() for alarm in alarms))


class _HealthSuite(MonitorSuite):
    def __init__(self, *args, crawler=None, **kwargs):
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None:
            self.add_monitors_failed_actions(configured_actions(crawler.settings))


class CloseSuite(_HealthSuite):
    """Run on spider close (SPIDERMON_SPIDER_CLOSE_MONITORS)."""

    monitors = [HistoryAlarmsMonitor, ItemValidationMonitor]

    def on_monitors_failed(self, result):
        if self._crawler is not None:
            self._crawler.stats.set_value("health/monitors_failed", len(result.monitors_failed_results))


class PeriodicSuite(_HealthSuite):
    """Run every SPIDERMON_PERIODIC_MONITORS seconds: a profile breaking mid-crawl is told early."""

    monitors = [FieldsSoFarMonitor]
