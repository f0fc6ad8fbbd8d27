"""The registry of site profiles: one module per site, each defining PROFILE."""

from .base import Fields, Listing, LoadMore, SiteProfile
from .urdupoint import PROFILE as URDUPOINT

PROFILES = {p.name: p for p in (URDUPOINT,)}


def get_profile(name):
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r}; known sites: {', '.join(sorted(PROFILES))}") from None


def profile_for_url(url):
    """The profile whose hosts include url's host, or None."""
    from ..normalize.urls import same_site

    return next((p for p in PROFILES.values() if same_site(url, p.hosts)), None)


__all__ = ["Fields", "Listing", "LoadMore", "SiteProfile", "PROFILES", "get_profile", "profile_for_url"]
