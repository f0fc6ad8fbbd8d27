"""The demo's layout B as a profile version: what a developer adds to the urdupoint profile once
its pages change (README, "Crawl health"). The urdupoint profile itself has no layout B, so a
crawl of the demo's `--layout B` shows the fallback and the alerts; adding this layout shows the fix:

    scrapy crawl urdupoint -a base_url=… -s NEWSCRAWL_PROFILE_LAYOUTS=newscrawl.demo.layouts.URDUPOINT_B
"""

from dataclasses import replace

from ..profiles.base import Layout
from ..profiles.urdupoint import PROFILE

URDUPOINT_B = Layout("demo-b", check="div.byline span.writer",
                     fields=replace(PROFILE.fields, byline="div.byline", tags="ul.topic-chips a"))
