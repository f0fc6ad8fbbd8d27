"""Whitespace and paragraph normalization shared by every extractor."""

import re

# Control characters, zero-width and BOM characters are common in CMS output, invisible, and
# break equality checks (tab, newline and carriage return are whitespace and stay for now).
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff]")


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
