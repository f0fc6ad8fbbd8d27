"""Pure normalization of what news pages print: dates, bylines, datelines, credits.

Importing this package stays cheap: dateparser is loaded only when a date needs it.
"""

from .agencies import OUTLETS, canonical_agency, canonical_outlet, is_desk_credit, is_outlet
from .bylines import Byline, parse_byline
from .datelines import Dateline, parse_dateline, parse_trailer
from .dates import http_date_to_datetime, is_relative, parse_datetime

__all__ = [
    "OUTLETS",
    "Byline",
    "Dateline",
    "canonical_agency",
    "canonical_outlet",
    "http_date_to_datetime",
    "is_desk_credit",
    "is_outlet",
    "is_relative",
    "parse_byline",
    "parse_dateline",
    "parse_datetime",
    "parse_trailer",
]
