"""Site names taken off titles (newscrawl.extract.structured.strip_site_name), on real title forms."""

import pytest

from newscrawl.extract.structured import strip_site_name

# host labels as GenericPage.site_names gives them, beside og:site_name / the JSON-LD publisher
CASES = [
    ("China's auto market grows amid sliding sales_English_Xinhua", ["xinhuanet"], "China's auto market grows amid sliding sales"),
    ("Fed lifts rates, sees faster pace of hikes | Reuters", ["Reuters"], "Fed lifts rates, sees faster pace of hikes"),
    ("Knight trading loss shows cracks - Reuters.com", ["reuters"], "Knight trading loss shows cracks"),
    ("Al Jazeera – Why are protests spreading?", ["Al Jazeera"], "Why are protests spreading?"),
    ("PM inaugurates project :: Associated Press of Pakistan", ["Associated Press of Pakistan"], "PM inaugurates project"),
    ("Rain expected in Karachi | Pakistan - Dawn", ["Dawn"], "Rain expected in Karachi"),
    # Not the site: left alone
    ("Biden says Xinhua report was false | World", ["xinhuanet"], "Biden says Xinhua report was false | World"),
    ("Trade talks - what comes next", ["Example News"], "Trade talks - what comes next"),
    ("Gulf News readers react – Xinhua says talks resume on Monday", ["Gulf News"],
     "Gulf News readers react – Xinhua says talks resume on Monday"),
]


@pytest.mark.parametrize("title, names, expected", CASES)
def test_strip_site_name(title, names, expected):
    assert strip_site_name(title, names) == expected
