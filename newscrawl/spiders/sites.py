"""One spider per site profile, all of the same class: `scrapy list` shows every site."""

from ..profiles import PROFILES
from .site import SiteSpider

for _profile in PROFILES.values():
    _name = "".join(part.title() for part in _profile.name.replace("-", "_").split("_")) + "Spider"
    globals()[_name] = type(_name, (SiteSpider,), {
        "name": _profile.name, "profile": _profile, "__module__": __name__,
        "__doc__": f"Crawls {_profile.base_url} as described by its site profile.",
    })
