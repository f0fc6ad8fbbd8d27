import pytest

from newscrawl.normalize.agencies import canonical_agency, is_desk_credit, is_outlet
from newscrawl.normalize.bylines import MAX_BYLINE_LENGTH, Byline, parse_byline

# (printed byline, expected fields; fields not named must keep their defaults)
CASES = [
    ("Sumaira FH Published July 29, 2023 | 08:20 PM",
     dict(authors=("Sumaira FH",), date_text="July 29, 2023 | 08:20 PM")),
    ("Faizan Hashmi 2 minutes ago Tue 03rd December 2019 | 11:18 PM",
     dict(authors=("Faizan Hashmi",), relative_text="2 minutes ago",
          date_text="Tue 03rd December 2019 | 11:18 PM")),
    ("Mohammad Ali (@ChaudhryMAli88) 1 hour ago Fri 15th January 2021 | 04:29 PM",
     dict(authors=("Mohammad Ali",), handles=("@ChaudhryMAli88",), relative_text="1 hour ago",
          date_text="Fri 15th January 2021 | 04:29 PM")),
    # The real 2020 page's p.art_info_bar text, before whitespace is collapsed.
    ("\n\nFahad Shabbir\n\n\n(@FahadShabbir)\n\n\n 12 minutes ago \n\n Wed 29th April 2020 | 03:32 PM \n",
     dict(authors=("Fahad Shabbir",), handles=("@FahadShabbir",), relative_text="12 minutes ago",
          date_text="Wed 29th April 2020 | 03:32 PM")),
    ("Sumaira FH Published 12/07/2023 | 08:20 PM",
     dict(authors=("Sumaira FH",), date_text="12/07/2023 | 08:20 PM")),
    ("By Ali Khan 12.07.2023", dict(authors=("Ali Khan",), date_text="12.07.2023")),
    ("Sumaira\xa0FH Published\xa0July 29, 2023 | 08:20\xa0PM",
     dict(authors=("Sumaira FH",), date_text="July 29, 2023 | 08:20 PM")),
    # Agencies, outlets and desks are never people
    ("By WAM", dict(agency="WAM")),
    ("WAM", dict(agency="WAM")),
    ("Reuters", dict(agency="Reuters")),
    ("APP", dict(agency="APP")),
    ("By Emirates News Agency (WAM)", dict(agency="WAM")),
    ("Associated Press of Pakistan", dict(agency="APP")),
    ("AFP", dict(agency="AFP")),
    ("CNN Wire", dict(agency="CNN Wire")),
    ("ARAB NEWS |", dict(outlet="Arab News")),
    ("UrduPoint News / Sputnik", dict(outlet="UrduPoint News", agency="Sputnik")),
    ("UrduPoint / Pakistan Point News / WAM",
     dict(outlet="UrduPoint / Pakistan Point News", agency="WAM")),
    ("Staff Reporter", dict(desk="Staff Reporter")),
    ("Web Desk", dict(desk="Web Desk")),
    ("MONITORING DESK", dict(desk="Monitoring Desk")),
    ("Our Correspondent", dict(desk="Our Correspondent")),
    ("Staff and agencies", dict(desk="Staff and agencies")),
    # People, alone or with a credit
    ("By Ann Lee and Bo Kim", dict(authors=("Ann Lee", "Bo Kim"))),
    ("Ann Lee, Bo Kim", dict(authors=("Ann Lee", "Bo Kim"))),
    # Not persons: a one-word section or column, initials alone, a job-title phrase
    ("Food", dict()),
    ("Opinion", dict()),
    ("J J", dict()),
    ("Ad Operations at IAB", dict()),
    ("About the author Scott Cunningham Senior Vice President of Technology", dict()),
    # A name glued to its date by the markup (no space between the elements)
    ("by Lucas Nolan22 Dec 2016651", dict(authors=("Lucas Nolan",), date_text="22 Dec 2016")),
    ("By Anna Smith-Jones and Bob O'Neil", dict(authors=("Anna Smith-Jones", "Bob O'Neil"))),
    ("By Jon\xa0Russell, Reuters", dict(authors=("Jon Russell",), agency="Reuters")),
    ("By JOHN SMITH | Gulf News", dict(authors=("JOHN SMITH",), outlet="Gulf News")),
    ("By Sara Khan, Staff Writer", dict(authors=("Sara Khan",), desk="Staff Writer")),
    ("Ali Raza, Ali Raza", dict(authors=("Ali Raza",))),
    ("By Sumaira F.H.", dict(authors=("Sumaira F.H.",))),
    ("By John Smith.", dict(authors=("John Smith",))),
    ("Written by: Ayesha Malik (@ayesha_m)", dict(authors=("Ayesha Malik",), handles=("@ayesha_m",))),
    # Wire credit lines: reporters and writers are authors, editors never
    ("Reporting by John Smith; Editing by Jane Doe", dict(authors=("John Smith",))),
    ("Reporting by Idrees Ali in Washington and Phil Stewart aboard a U.S. military aircraft; "
     "Editing by Leslie Adler", dict(authors=("Idrees Ali", "Phil Stewart"))),
    ("Reporting by Nadeem Ahmed; Additional reporting by Sara Lee in Dubai; Writing by Tom Brown; "
     "Editing by Jane Doe and Bob Ray", dict(authors=("Nadeem Ahmed", "Sara Lee", "Tom Brown"))),
    ("By Ali Khan. Edited by Jane Doe", dict(authors=("Ali Khan",))),
    ("Edited by Jane Doe", dict()),
    ("Additional editing by Bob Ray", dict()),
    ("Photos by Sam Lee; Reporting by Aamir Latif", dict(authors=("Aamir Latif",))),
    ("Compiled by Mark Heinrich", dict(authors=("Mark Heinrich",))),
    # Agency services and web outlets are never people
    ("(Reuters Breakingviews)", dict(agency="Reuters")),
    ("By Liam Proud (Reuters Breakingviews)", dict(authors=("Liam Proud",), agency="Reuters")),
    ("Dawn.com | Reuters", dict(outlet="Dawn.com", agency="Reuters")),
    ("By Staff | Dawn.com", dict(outlet="Dawn.com", desk="Staff")),
    ("Ayesha Malik, www.thenews.com.pk", dict(authors=("Ayesha Malik",), outlet="www.thenews.com.pk")),
    ("Geo.tv / AFP", dict(outlet="Geo.tv", agency="AFP")),
    # Page chrome, dates and relative times are never names
    ("Email the author", dict()),
    ("Email The Author", dict()),
    ("2 hours ago", dict(relative_text="2 hours ago")),
    ("July 29, 2023", dict(date_text="July 29, 2023")),
    ("Minutes Ago Jon Russell", dict(authors=("Jon Russell",))),
    ("Fahad Shabbir Email the author", dict(authors=("Fahad Shabbir",))),
    ("", dict()),
    ("   \n ", dict()),
    (None, dict()),
]


@pytest.mark.parametrize(("text", "fields"), CASES)
def test_parse_byline(text, fields):
    assert parse_byline(text) == Byline(**fields)


@pytest.mark.parametrize(("name", "expected"), [
    ("Emirates News Agency", "WAM"),
    ("Associated Press of Pakistan", "APP"),
    ("Agence France-Presse", "AFP"),
    ("agence france presse", "AFP"),
    ("The Associated Press", "AP"),
    ("(APP)", "APP"),
    ("By Reuters:", "Reuters"),
    ("DPA", "dpa"),
    ("Anadolu Agency", "Anadolu"),
    ("AA", "Anadolu"),
    ("Saudi Press Agency", "SPA"),
    ("RIA Novosti", "RIA Novosti"),
    ("Reuters Breakingviews", "Reuters"),
    ("(Reuters Breakingviews)", "Reuters"),
    ("Sumaira FH", None),
    ("", None),
    (None, None),
])
def test_canonical_agency(name, expected):
    assert canonical_agency(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("UrduPoint News", True),
    ("UrduPoint/Pakistan Point News", True),
    ("Pakistan Point News", True),
    ("urdupoint", True),
    ("Sputnik", False),
    ("Fahad Shabbir", False),
    # A domain under a public suffix is a web outlet; initials and "Mr.Khan" are not domains
    ("Dawn.com", True),
    ("dawn.com.pk", True),
    ("https://geo.tv/", True),
    ("Sumaira F.H.", False),
    ("A.Z", False),
    ("Mr.Khan", False),
    ("dawn.com/news/1", False),
])
def test_is_outlet(name, expected):
    assert is_outlet(name) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Staff Reporter", True),
    ("Web Desk", True),
    ("News Desk", True),
    ("Sports Desk", True),
    ("Our Correspondent", True),
    ("Fahad Shabbir", False),
    ("Desk Fahad", False),
])
def test_is_desk_credit(name, expected):
    assert is_desk_credit(name) is expected


def test_page_text_leaking_into_a_byline_is_cut_before_parsing():
    # Only the first MAX_BYLINE_LENGTH characters are read, which also keeps the regexes away from
    # pathological input (thousands of "5 hours" once took a third of a second).
    parsed = parse_byline("Sumaira FH Published July 29, 2023 | 08:20 PM " + "5 hours " * 5000)
    assert parsed.authors == ("Sumaira FH",)
    assert parse_byline("x" * MAX_BYLINE_LENGTH + " By Reuters") == parse_byline("x" * MAX_BYLINE_LENGTH)
