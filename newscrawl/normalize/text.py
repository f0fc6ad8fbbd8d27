"""Whitespace and paragraph normalization shared by every extractor."""

import re

# Removed from every text field: C0 and C1 control characters (tab, newline and the other
# whitespace controls stay, as whitespace), zero-width spaces, word joiners and BOMs (common in
# CMS output, invisible, and they break equality checks), and the bidi embeddings, overrides
# and isolates (U+202A-202E, U+2066-2069), which let a title display as other text than it
# holds ("\u202eevil" shows reversed). Kept: the right-to-left text itself, the LRM/RLM/ALM
# marks, and ZWNJ/ZWJ (U+200C/D), which change how Urdu and Persian words are spelt.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")


def clean_text(value):
    """Collapse runs of whitespace into one space and trim; None and blank give None."""
    if value is None:
        return None
    # str.split() splits on exactly the characters a regex's \s names (no-break and figure
    # spaces included), about three times faster than substituting each run.
    text = " ".join(_INVISIBLE.sub("", str(value)).split())
    return text or None


def join_paragraphs(paragraphs):
    """Plain-text body: non-empty paragraphs separated by one blank line."""
    kept = [p for p in (clean_text(p) for p in paragraphs) if p]
    return "\n\n".join(kept) or None


def unique(values):
    """Order-preserving de-duplication, case-insensitive, dropping empty values."""
    seen, out = set(), []
    for value in values:
        key = value.casefold() if isinstance(value, str) else value
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out
