"""The registry of site profiles: one module per site, each defining PROFILE."""

from .base import Fields, Listing, LoadMore, SiteProfile
from .app import PROFILE as APP
from .arabnews import PROFILE as ARABNEWS
from .urdupoint import PROFILE as URDUPOINT
from .urdupoint_urdu import PROFILE as URDUPOINT_URDU
from .wam import PROFILE as WAM

PROFILES = {p.name: p for p in (URDUPOINT, URDUPOINT_URDU, APP, ARABNEWS, WAM)}


def get_profile(name):
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r}; known sites: {', '.join(sorted(PROFILES))}") from None


def profile_for_url(url):
    """The profile for url: among those whose hosts include its host, the one whose article
    pattern matches (sites such as UrduPoint serve two editions from one host)."""
    from ..normalize.urls import same_site

    candidates = [p for p in PROFILES.values() if same_site(url, p.hosts)]
    return next((p for p in candidates if p.article_match(url)), candidates[0] if candidates else None)


__all__ = ["Fields", "Listing", "LoadMore", "SiteProfile", "PROFILES", "get_profile", "profile_for_url"]
