#!/usr/bin/env python
"""Rewrite the expected Article JSON of saved profile pages from what the extractor gives now.

For when a profile or the extractor changes on purpose: run it, read the summary of what changed,
and review the diff before committing. Tests never run it.

    python scripts/regen_fixtures.py            # every site
    python scripts/regen_fixtures.py app arabnews
    python scripts/regen_fixtures.py --check    # only report; exit 1 when something would change

An existing JSON keeps its set of fields (a field left out on purpose stays out); a new page gets
every field but fetched_at. Listing expectations are written by hand and left alone.
"""

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newscrawl.cli import extract_page  # noqa: E402
from newscrawl.items import ARTICLE_FIELDS  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "profiles"
NEVER_STORED = {"fetched_at"}


def article_pages(sites):
    folders = [FIXTURES / s for s in sites] if sites else sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    for folder in folders:
        if not folder.is_dir():
            sys.exit(f"regen_fixtures: no fixtures for site {folder.name!r} in {FIXTURES.relative_to(REPO)}")
        yield from sorted(p for p in folder.glob("*.html") if not p.name.startswith("listing-"))


def short(value, limit=70):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def regenerate(page):
    """(new expectation, {field: (old, new)}) for one saved page."""
    target = page.with_suffix(".json")
    old = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    article = extract_page(str(page), old.get("url"), site=page.parent.name)
    fields = [f for f in ARTICLE_FIELDS if f in old] if old else [f for f in ARTICLE_FIELDS if f not in NEVER_STORED]
    new = {field: article.get(field) for field in fields}
    changes = {field: (old.get(field), new[field]) for field in fields if old.get(field) != new[field]}
    return new, changes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", help="site profile names (default: every fixture folder)")
    parser.add_argument("--check", action="store_true", help="report differences without writing")
    args = parser.parse_args(argv)
    changed = 0
    for page in article_pages(args.sites):
        new, changes = regenerate(page)
        if not changes:
            continue
        changed += 1
        print(f"{page.parent.name}/{page.with_suffix('.json').name}: {len(changes)} field(s)")
        for field, (before, after) in changes.items():
            print(f"  {field}: {short(before)} -> {short(after)}")
        if not args.check:
            page.with_suffix(".json").write_text(json.dumps(new, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
    verb = "differ" if args.check else "rewritten"
    print(f"{changed} expectation(s) {verb}" if changed else "All expectations match the extractor.")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
