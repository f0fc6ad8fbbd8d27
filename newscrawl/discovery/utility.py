"""Pages a site has besides its news: contact, about, legal, accounts, shop, help. A crawler of
news does not request them as listings (they list no articles), whatever their URL's length."""

import re
from urllib.parse import urlsplit

# Words that name a utility page as a path segment ("/contact-us/", "/disclaimer.html",
# "/en/privacy_policy.php"); "-us"/"-policy" and other suffixes are allowed after the word.
_UTILITY_WORDS = (
    "about", "contact", "contacts", "disclaimer", "privacy", "terms", "tos", "cookies?", "legal", "imprint",
    "impressum", "copyright", "advertise", "advertisement", "advertising", "ads", "media-kit", "careers?", "jobs",
    "faqs?", "help", "support", "feedback", "accessibility", "login", "log-in", "logout", "signin", "sign-in",
    "signup", "sign-up", "register", "account", "my-account", "profile", "subscribe", "subscription",
    "newsletters?", "donate", "shop", "store", "cart", "search", "sitemap", "site-map", "rss", "feeds?",
    "authors?", "writers?", "columnists?", "team", "staff", "tags?", "topics?", "wp-admin", "wp-login",
    "wp-json", "cdn-cgi", "print", "share", "e-paper", "epaper", "archive-search", "corrections-policy",
    "editorial-policy", "code-of-ethics", "ethics", "our-team", "who-we-are", "mission",
)
_UTILITY_SEGMENT = re.compile(
    r"^(" + "|".join(_UTILITY_WORDS) + r")([-_](us|me|policy|policies|of-use|of-service|conditions|page|info))?"
    r"(\.(s?html?|php|aspx?|jsp))?$", re.IGNORECASE)
# What the link says, for pages whose URL does not ("/page/12.html" printed "Contact Us").
_UTILITY_TEXT = re.compile(
    r"^\W*(about( us)?|contact( us)?|disclaimer|privacy( policy)?|terms( (of|&) (use|service|conditions))?"
    r"|cookie( policy|s)?|advertise( with us)?|advertisement|careers?|jobs|faqs?|help|feedback|log ?in|sign ?(in|up)"
    r"|register|subscribe|newsletters?|my account|sitemap|site map|rss( feeds?)?|imprint|copyright)\W*$",
    re.IGNORECASE)


def is_utility_url(url):
    """Does a path segment name a utility page? ("/contact.html", "/en/about-us/", "/tag/x/")"""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return any(_UTILITY_SEGMENT.match(s) for s in segments)


def is_utility_link(url, text=""):
    """A link to a utility page, by its URL or by what it says."""
    return is_utility_url(url) or bool(_UTILITY_TEXT.match(" ".join((text or "").split())))
